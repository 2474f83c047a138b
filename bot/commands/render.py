"""Lines shared by the replies, App Home and the digest: events, drugs, times.

Each function takes a `Fmt`, so the same line serves the plain-text and the
Block Kit rendering. Stored strings are escaped here, nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from bot import display, messages
from bot.commands.kit import Fmt, truncate
from bot.models import DrugRecord, Event, SourceRef, Trial

MAX_SOURCES_PER_LINE = 4
MAX_NAME_CHARS = 120  # a drug or company name longer than this is feed noise
MAX_TRIALS = 12
CTGOV_STUDY = "https://clinicaltrials.gov/study/"
_NCT = re.compile(r"^NCT\d{8}$")


def label_text(fmt: Fmt, label: str) -> str:
    return fmt.emoji(messages.LABEL_EMOJI.get(label, "")) + messages.LABEL_WORDS.get(label, label)


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def name(fmt: Fmt, text: str) -> str:
    return fmt.esc(truncate(text, MAX_NAME_CHARS))


def names(fmt: Fmt, texts: Sequence[str]) -> str:
    return ", ".join(name(fmt, t) for t in texts)


def drug_title(fmt: Fmt, drug: DrugRecord) -> str:
    """`*zevorcabtagene autoleucel* (zevor-cel, CT053)`."""
    text = fmt.bold(name(fmt, drug.name))
    if drug.aliases:
        text += f" ({names(fmt, drug.aliases)})"
    return text


def status_text(fmt: Fmt, drug: DrugRecord, today: date) -> str:
    """Status in words, with days on hold for a held drug."""
    text = fmt.emoji(messages.STATUS_EMOJI.get(drug.status, "")) + messages.STATUS_WORDS.get(
        drug.status, drug.status
    )
    if drug.status_since is None:
        return text
    if drug.status in ("on_hold", "partial_hold"):
        held = max((today - drug.status_since).days, 0)
        return f"{text} for {days(held)} (since {display.day(drug.status_since)})"
    return f"{text} since {display.day(drug.status_since)}"


def drug_line(fmt: Fmt, drug: DrugRecord, today: date) -> str:
    """One bullet per drug: names, company, targets, status."""
    parts = [drug_title(fmt, drug)]
    if drug.company:
        parts.append(name(fmt, drug.company))
    if drug.targets:
        parts.append(names(fmt, drug.targets))
    parts.append(status_text(fmt, drug, today))
    return "• " + " — ".join(parts)


def source_links(fmt: Fmt, sources: Sequence[SourceRef]) -> str:
    """Each report's link, labelled by its outlet (display.outlet_labels)."""
    labels = display.outlet_labels(sources)
    shown = [
        fmt.link(ref.url, truncate(label, MAX_NAME_CHARS))
        for ref, label in zip(sources[:MAX_SOURCES_PER_LINE], labels, strict=False)
    ]
    if len(sources) > MAX_SOURCES_PER_LINE:
        shown.append(f"+{len(sources) - MAX_SOURCES_PER_LINE} more")
    return ", ".join(shown)


def trials_of(events: Sequence[Event]) -> list[Trial]:
    """Every trial the events name, once: named studies with their NCT id where known,
    then the NCT ids no named study carries."""
    named = list(dict.fromkeys(t for e in events for t in e.trials if t.name or t.nct_id))
    ids = {t.nct_id for t in named if t.nct_id}
    bare = dict.fromkeys(n for e in events for n in e.nct_ids if n not in ids)
    return [*named, *(Trial(nct_id=n) for n in bare)]


def trial_list(fmt: Fmt, trials: Sequence[Trial]) -> str:
    """`NCT03915184 (LUMMICAR-2), NCT04404595`; NCT ids link to ClinicalTrials.gov."""
    shown = []
    for trial in trials[:MAX_TRIALS]:
        nct = trial.nct_id or ""
        text = fmt.link(CTGOV_STUDY + nct, nct) if _NCT.match(nct) else name(fmt, nct)
        if trial.name:
            text = f"{text} ({name(fmt, trial.name)})" if text else name(fmt, trial.name)
        shown.append(text)
    if len(trials) > MAX_TRIALS:
        shown.append(f"+{len(trials) - MAX_TRIALS} more")
    return ", ".join(shown)


def event_line(
    fmt: Fmt,
    event: Event,
    *,
    hold_days: int | None = None,
    ongoing_days: int | None = None,
    with_drugs: bool = True,
) -> str:
    """`• 31 Oct 2024 · ✅ Hold lifted after 300 days · zevor-cel · CARsgen · sources`."""
    head = f"{display.day(event.date)} · {label_text(fmt, event.label)}"
    duration = hold_days if hold_days is not None else event.hold_days
    if duration is not None and event.label in ("lift", "partial_lift"):
        head += f" after {days(duration)} on hold"
    if ongoing_days is not None:
        head += f" ({days(ongoing_days)} so far)"
    parts = [head]
    if with_drugs and event.drugs:
        parts.append(names(fmt, [d.name for d in event.drugs]))
    if with_drugs and event.company:
        company = name(fmt, event.company)
        if event.ticker:
            company += f" ({name(fmt, event.ticker)})"
        parts.append(company)
    why = display.reason(event.reason)
    if why:
        parts.append(f"reason: {fmt.esc(why)}")
    if event.sources:
        parts.append(source_links(fmt, event.sources))
    return "• " + " · ".join(parts)


def ago(moment: datetime, now: datetime, tz: str = "UTC") -> str:
    """`31 Oct 2024 09:00 UTC (5 min ago)` or `(in 4 min)`, the clock time shown in `tz`."""
    seconds = int((display.as_utc(now) - display.as_utc(moment)).total_seconds())
    span = _span(abs(seconds))
    relative = "just now" if span == "0 s" else (f"{span} ago" if seconds >= 0 else f"in {span}")
    return f"{display.moment(moment, tz)} ({relative})"


def _span(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        hours, minutes = divmod(seconds // 60, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return days(seconds // 86400)


def interval(seconds: float) -> str:
    """600 → `10m`, the sources-file spelling."""
    whole = int(seconds)
    if whole % 3600 == 0 and whole >= 3600:
        return f"{whole // 3600}h"
    if whole % 60 == 0 and whole >= 60:
        return f"{whole // 60}m"
    return f"{whole}s"
