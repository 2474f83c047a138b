"""What an alert states about an event beyond its names (pure): its trials, its scope,
the evidence it quotes. Untrusted text is cut here before blocks.py escapes it, so a
cut never lands inside an entity like `&lt;`.
"""

from __future__ import annotations

import re

from bot.models import Event, Trial
from bot.notify import escape
from bot.notify.escape import mrkdwn

CTGOV_STUDY = "https://clinicaltrials.gov/study/"
_NCT = re.compile(r"^NCT\d{8}$")


def evidence(event: Event) -> str | None:
    """The sentence(s) the label rests on, from the most authoritative report that has them
    (the order of `sources`: primary first, then earliest)."""
    return next((s.evidence for s in event.sources if s.evidence.strip()), None)


def cut(text: str, limit: int) -> str:
    """TEXT cleaned and cut to at most LIMIT characters at a word boundary, with "…".
    Cut before escaping, so an entity like `&lt;` is never cut in half."""
    text = escape.clean(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2:]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:") + "…"


def trials_of(event: Event) -> list[Trial]:
    """The event's trials: named studies (with their NCT ids), then NCT ids not named."""
    named = [t for t in event.trials if t.name or t.nct_id]
    covered = {t.nct_id.upper() for t in named if t.nct_id}
    return named + [Trial(None, n) for n in event.nct_ids if n.strip().upper() not in covered]


def scope(event: Event) -> str | None:
    """What the reports name: "3 trials"; else the programme(s) when the extractor said
    the whole programme; else nothing (a guess is left out)."""
    count = len(trials_of(event))
    if count:
        return f"{count} trial{'s' if count > 1 else ''}"
    if event.scope == "program":
        return "whole programme" if len(event.drugs) <= 1 else f"{len(event.drugs)} programmes"
    return None


def trial_link(nct: str) -> str:
    nct = nct.strip().upper()
    if _NCT.match(nct):
        return f"<{CTGOV_STUDY}{nct}|{nct}>"
    return mrkdwn(nct, 40)


def trial_line(trial: Trial) -> str:
    """• ELIMYN18.2 (NCT04404595 linked), or the linked NCT id alone."""
    link_ = trial_link(trial.nct_id) if trial.nct_id else ""
    if not trial.name:
        return f"• {link_}"
    name = f"*{mrkdwn(trial.name, 120)}*"
    return f"• {name} ({link_})" if link_ else f"• {name}"
