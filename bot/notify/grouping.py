"""The grouping wait (GROUP_WAIT, as alert managers' `group_wait`): which outbox rows may
go now (pure).

A new event's first news (its post, or a lift's broadcast reply and the edit of the
hold) is decided with `not_before` = the event's creation + GROUP_WAIT, so reports
that arrive together are merged into it before anyone is told; the row renders the
event as it is when it goes (compose.py), sources and all. Later reports only edit
what was posted. Both notifiers (Slack and console) ask `due` which pending rows to
send; the pipeline asks `next_due` when to come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.models import Delivery


def due(rows: Sequence[Delivery], now: datetime) -> tuple[list[Delivery], list[Delivery]]:
    """(rows that may go now, rows that wait), both in seq order. A row waits while its
    `not_before` is ahead, and so does every later row of its destination about the same
    event (an edit or a reply cannot go before the message it edits or answers)."""
    ready: list[Delivery] = []
    waiting: list[Delivery] = []
    held: set[tuple[str, str]] = set()  # (destination, event id) whose first news waits
    for row in rows:
        about = {row.event_id, row.parent_event_id or row.event_id}
        if any((row.destination, e) in held for e in about) or (
            row.not_before is not None and row.not_before > now
        ):
            held.add((row.destination, row.event_id))
            waiting.append(row)
        else:
            ready.append(row)
    return ready, waiting


def next_due(rows: Iterable[Delivery], now: datetime) -> datetime | None:
    """When the earliest waiting row may go (None: no row waits for its time)."""
    times = [r.not_before for r in rows if r.not_before is not None and r.not_before > now]
    return min(times) if times else None
