"""Read-only questions the Slack surface asks (mixed into `Store`, under its lock).

All answers come from memory: the registry's indexes for drugs, the event
dict for events. Answers that need every event or drug (newest first, the
"did you mean" vocabularies) are computed once and kept in `_derived`, which the
store empties whenever events or drugs change. Nothing here writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar

from bot.models import DrugMatch, DrugRecord, Event, TimelineEntry, label_family
from bot.store import linking
from bot.store.events import EventBook
from bot.store.guard import locked
from bot.suggest import suggest

KNOWN_KINDS = ("drug", "target", "company", "indication")
T = TypeVar("T")


class Queries:
    book: EventBook
    clock: Callable[[], datetime]
    _lock: threading.RLock
    _derived: dict[str, Any]

    def _cached(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ drugs

    @locked
    def find_drug(self, name: str) -> DrugMatch:
        """The drug answering to NAME under any alias, else up to 3 close names."""
        registry = self.book.registry
        ids = sorted(registry.ids_for(name))
        if ids:
            others = tuple(registry.drugs[i].name for i in ids[1:])
            return DrugMatch(registry.drugs[ids[0]], others)
        names = self._cached("drug names", self._drug_names)
        return DrugMatch(None, suggest(name, names))

    def _drug_names(self) -> dict[str, str]:
        """Every known spelling -> its drug's canonical name, for "did you mean"."""
        names: dict[str, str] = {}
        for drug in sorted(self.book.registry.drugs.values(), key=lambda d: d.id):
            for n in drug.names:
                names.setdefault(n, drug.name)
        return names

    @locked
    def drugs_by_target(self, name: str) -> list[DrugRecord]:
        return self._by_name(self.book.registry.ids_with_target(name))

    @locked
    def drugs_by_company(self, name: str) -> list[DrugRecord]:
        return self._by_name(self.book.registry.ids_of_company(name))

    @locked
    def held_drugs(self) -> list[DrugRecord]:
        return self._by_name(self.book.registry.held)

    def _drugs(self, keep: Callable[[DrugRecord], bool]) -> list[DrugRecord]:
        return sorted(
            (d for d in self.book.registry.drugs.values() if keep(d)), key=lambda d: d.name.lower()
        )

    def _by_name(self, ids: set[str]) -> list[DrugRecord]:
        drugs = self.book.registry.drugs
        return sorted((drugs[i] for i in ids), key=lambda d: d.name.lower())

    # ------------------------------------------------------------------ events

    @locked
    def recent_events(self, n: int, *, labels: Sequence[str] | None = None) -> list[Event]:
        """Newest first (by event date, then when recorded)."""
        newest = self._cached(
            "newest", lambda: sorted(self.book.events.values(), key=_newest_first)
        )
        return list(islice((e for e in newest if labels is None or e.label in labels), n))

    @locked
    def events_between(self, start: date | datetime, end: date | datetime) -> list[Event]:
        """Events dated START..END inclusive, oldest first (datetimes count by their date)."""
        lo, hi = _day(start), _day(end)
        return linking.chronological(e for e in self.book.events.values() if lo <= e.date <= hi)

    @locked
    def timeline(self, drug_id: str) -> list[TimelineEntry]:
        """The drug's events oldest first; lifts carry the hold's length, an open hold
        its days so far (by the store clock)."""
        drug = self.book.registry.drugs.get(drug_id)
        if drug is None:
            return []
        events = [self.book.events[e] for e in drug.event_ids]
        walk = linking.walk(events)
        today = self.clock().date()
        entries = []
        for e in linking.chronological(events):
            hold = walk.lift_to_hold.get(e.id)
            days = linking.hold_days(e.date, self.book.events[hold].date) if hold else None
            ongoing = None
            if walk.open_hold is not None and e.id == walk.open_hold.id:
                ongoing = (today - e.date).days
            entries.append(TimelineEntry(e, days, ongoing))
        return entries

    @locked
    def known_drug_groups(self) -> list[tuple[str, ...]]:
        """Every drug's names (canonical first), to seed the extractor's alias book."""
        return [d.names for d in self._drugs(lambda d: True)]

    @locked
    def known_names(self, kind: str) -> list[str]:
        """Vocabulary for "did you mean": drug, target, company or indication names."""
        if kind not in KNOWN_KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KNOWN_KINDS)}")
        return list(self._cached(f"names of {kind}", lambda: self._known_names(kind)))

    def _known_names(self, kind: str) -> list[str]:
        drugs = self.book.registry.drugs.values()
        events = self.book.events.values()
        if kind == "drug":
            names = [n for d in drugs for n in d.names]
        elif kind == "target":
            names = [t for d in drugs for t in d.targets] + [t for e in events for t in e.targets]
        elif kind == "company":
            names = [c for c in (*(d.company for d in drugs), *(e.company for e in events)) if c]
        else:
            names = [i for e in events for i in e.indications]
        return sorted(dict.fromkeys(names), key=str.lower)


def _newest_first(e: Event) -> tuple[int, float, int, str]:
    created = e.created_at.timestamp() if e.created_at else 0.0
    return (-e.date.toordinal(), -created, label_family(e.label) == "hold", e.id)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
