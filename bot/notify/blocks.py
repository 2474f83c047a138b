"""Block Kit payloads for events: pure functions from `Event` to `Message`.

Every string that came from a feed passes through `escape` (mrkdwn or plain);
every payload stays inside Slack's limits however many drugs or sources an event
has (overflow is summarised, e.g. "+ 21 more sources"). Each message carries
metadata naming the event, which the relay uses to find a message it already
posted (reconciliation after a crash or a lost answer).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot import display
from bot.models import Event, SourceRef
from bot.notify import escape, facts
from bot.notify.escape import link, mrkdwn, plain
from bot.notify.limits import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_HEADER,
    MAX_SECTION,
)

SUBSCRIBE_ACTION_ID = "holdwatch_subscribe"
# Slack wants action_ids unique within a block, so the 2nd, 3rd… buttons get a
# suffix; register the handler with this pattern: `app.action(SUBSCRIBE_ACTION_RE)`.
SUBSCRIBE_ACTION_RE = re.compile(rf"^{SUBSCRIBE_ACTION_ID}(:\d+)?$")
METADATA_EVENT_TYPE = "holdwatch_event"

MAX_BUTTONS = 5  # Slack allows 25; more than a handful is noise
MAX_FALLBACK = 400
MAX_HEADLINE = 300
MAX_EVIDENCE = 300  # characters of the quoted evidence, counted before escaping
NO_SPONSOR = "sponsor not named"

HEADLINES = {
    "hold": ("🛑", "Clinical hold"),
    "partial_hold": ("⚠️", "Partial clinical hold"),
    "lift": ("✅", "Clinical hold lifted"),
    "partial_lift": ("🟡", "Clinical hold partially lifted"),
}


@dataclass(frozen=True)
class Message:
    text: str  # plain-text fallback for notifications and screen readers
    blocks: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------- messages


def alert_message(event: Event, *, linked_hold: Event | None = None) -> Message:
    """The top-level alert for one event."""
    blocks = [_header(event), _section(_summary(event, linked_hold))]
    drugs = _drug_lines(event)
    if drugs:
        blocks.append(_section(_bounded("*Drugs*", drugs, "drugs")))
    trials = [facts.trial_line(t) for t in facts.trials_of(event)]
    if trials:
        blocks.append(_section(_bounded("*Trials*", trials, "trials")))
    blocks.append(_sources_context(event.sources))
    buttons = _subscribe_buttons(event)
    if buttons:
        blocks.append({"type": "actions", "block_id": "holdwatch_follow", "elements": buttons})
    return Message(_fallback(event, linked_hold), tuple(blocks[:MAX_BLOCKS]),
                   _metadata(event, "post"))


def lift_reply(event: Event, hold: Event | None) -> Message:
    """The lift, as a (broadcast) reply in the thread of the hold's alert."""
    message = alert_message(event, linked_hold=hold)
    return replace(message, metadata=_metadata(event, "reply"))


def hold_update(hold_event: Event, lift_event: Event) -> Message:
    """The hold's alert, edited to say when and after how long it was lifted."""
    message = alert_message(hold_event)
    note = f"{_emoji(lift_event)} *{_lift_phrase(lift_event, hold_event)}*"
    blocks = (message.blocks[0], _section(note), *message.blocks[1:])
    # The fallback is already escaped; the phrase holds only dates and numbers.
    text = f"{message.text} — {_lift_phrase(lift_event, hold_event)}"
    return Message(text, blocks[:MAX_BLOCKS], message.metadata)


def source_reply(event: Event, source_ref: SourceRef) -> Message:
    """A thread reply announcing one new primary source (company release, filing, registry)."""
    label = _source_label(source_ref)
    title = mrkdwn(source_ref.title, 1500)
    when = f" · {_day(source_ref.published)}" if source_ref.published else ""
    body = f"New primary source: {link(source_ref.url, label)}{when}\n>{title}"
    text = mrkdwn(f"New primary source ({label}): {source_ref.title}", MAX_FALLBACK)
    metadata = _metadata(event, "reply", item_id=source_ref.item_id)
    return Message(text, (_section(body),), metadata)


def update_message(event: Event, *, linked_hold: Event | None = None,
                   lift: Event | None = None) -> Message:
    """The alert re-rendered (refreshed source list), keeping a 'lifted' note if any."""
    if lift is not None:
        return hold_update(event, lift)
    return alert_message(event, linked_hold=linked_hold)


def subscribe_value(kind: str, value: str) -> str:
    """The button value the subscribe handler parses back with `json.loads`."""
    return json.dumps({"kind": kind, "value": value}, ensure_ascii=False)[:MAX_BUTTON_VALUE]


# ------------------------------------------------------------------ parts


def _header(event: Event) -> dict[str, Any]:
    emoji, words = HEADLINES.get(event.label, ("ℹ️", "Clinical-hold news"))
    who = event.company or ", ".join(d.name for d in event.drugs[:3]) or NO_SPONSOR
    return {"type": "header",
            "text": {"type": "plain_text", "text": plain(f"{emoji} {words}: {who}", MAX_HEADER),
                     "emoji": True}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]}}


def _summary(event: Event, linked_hold: Event | None) -> str:
    lines = [f"*{mrkdwn(_company(event), 300)}*"] if event.company else []
    lines.append(f"*Date:* {_day(event.date)}")
    if event.targets:
        lines.append(f"*Targets:* {mrkdwn(', '.join(event.targets), 500)}")
    if event.indications:
        lines.append(f"*Indications:* {mrkdwn(', '.join(event.indications), 500)}")
    if display.reason(event.reason):
        lines.append(f"*Reason:* {display.reason(event.reason)}")
    scope = facts.scope(event)
    if scope:
        lines.append(f"*Scope:* {scope}")
    days = _hold_days(event, linked_hold)
    if days is not None:
        since = f" (hold of {_day(linked_hold.date)})" if linked_hold else ""
        lines.append(f"*After {days} days on hold*{since}")
    if event.inferred:
        lines.append("_Inferred from a registry status change; not yet confirmed by the company._")
    evidence = facts.evidence(event)
    if evidence:
        lines.append(f">{mrkdwn(facts.cut(evidence, MAX_EVIDENCE))}")
    else:
        headline = _headline(event)
        if headline:
            lines.append(f">{mrkdwn(headline, MAX_HEADLINE)}")
    return "\n".join(lines)


def _headline(event: Event) -> str | None:
    """The words of the report people will recognise: the primary source's, else the first."""
    ranked = sorted(event.sources, key=lambda s: not s.primary)
    return next((s.title for s in ranked if s.title and s.title.strip()), None)


def _drug_lines(event: Event) -> list[str]:
    lines = []
    for drug in event.drugs:
        line = f"• *{mrkdwn(drug.name, 200)}*"
        if drug.aliases:
            line += f" ({mrkdwn(', '.join(drug.aliases), 400)})"
        if drug.targets:
            line += f" — {mrkdwn(', '.join(drug.targets), 200)}"
        lines.append(line)
    return lines


def _bounded(title: str, lines: list[str], noun: str, limit: int = MAX_SECTION) -> str:
    """Title plus as many lines as fit in `limit`, then '+ N more <noun>'."""
    out = [title]
    used = len(title)
    for index, line in enumerate(lines):
        rest = len(lines) - index
        reserve = len(f"\n+ {rest} more {noun}") if rest > 1 else 0
        if used + 1 + len(line) + reserve > limit:
            out.append(f"+ {rest} more {noun}")
            break
        out.append(line)
        used += 1 + len(line)
    return "\n".join(out)


def _sources_context(sources: tuple[SourceRef, ...]) -> dict[str, Any]:
    ordered = sorted(sources, key=lambda s: (not s.primary, s.published or date.max))
    shown = ordered if len(ordered) <= MAX_CONTEXT_ELEMENTS else ordered[:MAX_CONTEXT_ELEMENTS - 1]
    labels = display.outlet_labels(shown)
    elements = [{"type": "mrkdwn", "text": _source_link(s, label)}
                for s, label in zip(shown, labels, strict=True)]
    if len(shown) < len(ordered):
        elements.append({"type": "mrkdwn", "text": f"+ {len(ordered) - len(shown)} more sources"})
    if not elements:
        elements = [{"type": "mrkdwn", "text": "No source link"}]
    return {"type": "context", "elements": elements}


def _source_link(source: SourceRef, label: str | None = None) -> str:
    label = escape.clean(label)[:80] if label else _source_label(source)
    return link(source.url, label or "source") + (" (primary)" if source.primary else "")


def _source_label(source: SourceRef) -> str:
    return escape.clean(display.outlet_label(source))[:80] or "source"


def _subscribe_buttons(event: Event) -> list[dict[str, Any]]:
    choices: list[tuple[str, str]] = []
    targets = list(event.targets) + [t for d in event.drugs for t in d.targets]
    choices += [("target", t) for t in dict.fromkeys(targets)]
    choices += [("drug", d.name) for d in event.drugs]
    buttons = []
    for index, (kind, value) in enumerate(choices[:MAX_BUTTONS]):
        suffix = "" if index == 0 else f":{index}"
        buttons.append({
            "type": "button",
            "action_id": SUBSCRIBE_ACTION_ID + suffix,
            "text": {"type": "plain_text", "text": plain(f"Follow {value}", MAX_BUTTON_TEXT)},
            "value": subscribe_value(kind, escape.clean(value)),
        })
    return buttons


def _fallback(event: Event, linked_hold: Event | None) -> str:
    _, words = HEADLINES.get(event.label, ("", "Clinical-hold news"))
    drugs = ", ".join(d.name for d in event.drugs[:5])
    parts = [f"{words}: {_company(event) or NO_SPONSOR}"]
    if drugs:
        parts.append(drugs + (f" +{len(event.drugs) - 5} more" if len(event.drugs) > 5 else ""))
    days = _hold_days(event, linked_hold)
    if days is not None:
        parts.append(f"after {days} days on hold")
    return mrkdwn(" — ".join(parts), MAX_FALLBACK)


def _metadata(event: Event, action: str, *, item_id: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"event_id": event.id, "label": event.label, "action": action}
    if item_id:
        payload["item_id"] = item_id
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": payload}


def _company(event: Event) -> str:
    if not event.company:
        return ""
    return f"{event.company} ({event.ticker})" if event.ticker else event.company


def _hold_days(event: Event, linked_hold: Event | None) -> int | None:
    if event.hold_days is not None:
        return event.hold_days
    if linked_hold is not None and event.label in ("lift", "partial_lift"):
        return max((event.date - linked_hold.date).days, 0)
    return None


def _lift_phrase(lift: Event, hold: Event) -> str:
    verb = "Partially lifted" if lift.label == "partial_lift" else "Lifted"
    days = _hold_days(lift, hold)
    after = f" after {days} days" if days is not None else ""
    return f"{verb} on {_day(lift.date)}{after}"


def _emoji(event: Event) -> str:
    return HEADLINES.get(event.label, ("ℹ️", ""))[0]


def _day(value: date | None) -> str:
    return display.day(value)
