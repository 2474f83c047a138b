"""Which message an outbox row stands for, rebuilt from the store at send time.

Both notifiers (Slack and console) use this, so a row renders the same way
wherever it goes. Rendering at send time means a post delayed by an outage
shows the sources known by then.
"""

from __future__ import annotations

import re
from typing import Protocol

from bot.models import Delivery, Event, label_family
from bot.notify import blocks
from bot.notify.blocks import Message


class EventSource(Protocol):
    def event(self, id: str) -> Event | None: ...


class NotComposable(Exception):
    """The row names an event or report the store does not know (a permanent failure)."""


def compose(row: Delivery, store: EventSource) -> Message:
    """The message for one outbox row; raises NotComposable when it cannot be built."""
    event = _need(store, row.event_id)
    hold = _maybe(store, event.linked_hold_id)
    if row.action in ("post", "update"):
        return blocks.update_message(event, linked_hold=hold, lift=_lift_of(store, event))
    if row.parent_event_id and row.parent_event_id != row.event_id:
        parent = _maybe(store, row.parent_event_id) or hold
        return blocks.lift_reply(event, parent)
    for source in event.sources:
        if source.item_id == row.item_id:
            return blocks.source_reply(event, source)
    raise NotComposable(f"event {event.id} has no report {row.item_id!r} to announce")


def _lift_of(store: EventSource, event: Event) -> Event | None:
    if label_family(event.label) != "hold":
        return None
    return _maybe(store, event.lifted_by_id)


def _need(store: EventSource, event_id: str) -> Event:
    event = store.event(event_id)
    if event is None:
        raise NotComposable(f"event {event_id} is not in the store")
    return event


def _maybe(store: EventSource, event_id: str | None) -> Event | None:
    return store.event(event_id) if event_id else None


_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def plain_text(message: Message) -> str:
    """A terminal rendering of a message: header, sections and links as 'label (url)'."""
    lines: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind in ("header", "section"):
            lines.append(_unmark(block["text"]["text"]))
        elif kind == "context":
            lines.append("  ".join(_unmark(e.get("text", "")) for e in block["elements"]))
    return "\n".join(lines) if lines else _unmark(message.text)


def _unmark(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text
