"""Hold <-> lift links and drug status, recomputed from a drug's events (pure).

Walking one drug's events oldest first: a hold (or partial hold) opens; a lift
or partial lift links to the hold open at that moment; a full lift closes it, a
partial lift leaves it open (restrictions remain). The drug's status is set by
its newest event, so an older report can never override a newer one. Because
the result depends only on the set of events and their dates, it does not
depend on the order in which reports arrived.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot.models import DrugStatus, Event, label_family

STATUS_BY_LABEL: dict[str, DrugStatus] = {
    "hold": "on_hold",
    "partial_hold": "partial_hold",
    "lift": "cleared",
    "partial_lift": "partial_hold",
}


@dataclass(frozen=True)
class DrugWalk:
    status: DrugStatus
    status_event: Event | None
    lift_to_hold: dict[str, str]  # lift event id -> hold event id it ends (this drug)
    open_hold: Event | None  # the hold still in force at the end, if any


def chronological(events: Iterable[Event]) -> list[Event]:
    """Oldest first; on one day a hold comes before its lift."""
    return sorted(events, key=lambda e: (e.date, label_family(e.label) != "hold", e.id))


def walk(events: Iterable[Event]) -> DrugWalk:
    ordered = [e for e in chronological(events) if e.label in STATUS_BY_LABEL]
    open_hold: Event | None = None
    links: dict[str, str] = {}
    for event in ordered:
        if label_family(event.label) == "hold":
            open_hold = event
            continue
        if open_hold is not None:
            links[event.id] = open_hold.id
        if event.label == "lift":
            open_hold = None
    last = ordered[-1] if ordered else None
    status: DrugStatus = STATUS_BY_LABEL[last.label] if last else "unknown"
    return DrugWalk(status, last, links, open_hold)


@dataclass(frozen=True)
class Links:
    linked_hold: dict[str, str | None]  # lift id -> hold id
    lifted_by: dict[str, str | None]  # hold id -> its latest lift id


def link_events(walks: Iterable[DrugWalk], events: Mapping[str, Event]) -> Links:
    """Combine per-drug links: a lift covering several drugs ends each drug's hold;
    its own `linked_hold_id` is the hold it ends for most drugs (ties: earliest)."""
    per_lift: dict[str, Counter[str]] = {}
    for w in walks:
        for lift, hold in w.lift_to_hold.items():
            per_lift.setdefault(lift, Counter())[hold] += 1
    linked: dict[str, str | None] = {}
    lifted_by: dict[str, str | None] = {}
    for lift, holds in per_lift.items():
        linked[lift] = min(holds, key=lambda h: (-holds[h], events[h].date, h))
        for hold in holds:
            prev = lifted_by.get(hold)
            if prev is None or (events[lift].date, lift) > (events[prev].date, prev):
                lifted_by[hold] = lift
    return Links(linked, lifted_by)


def hold_days(lift_date: date, hold_date: date) -> int:
    return (lift_date - hold_date).days
