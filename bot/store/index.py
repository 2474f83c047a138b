"""The events and drugs a store holds, indexed for the event book (in memory, no I/O).

`EventIndex` owns the dicts and indexes and how a row looks on disk; `EventBook`
(events.py) decides what a report does to them. Indexes keep a candidate's work
proportional to its company's and drugs' events and to the events of its window,
not to the whole history: events by drug (the registry's `event_ids`), by the first
word of the normalised company name (same-company names share it, see
`names.same_company`) and by day. Changed rows are tracked (`dirty_events`,
`dirty_drugs`, `gone_*`) so the store writes exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from bot.models import Candidate, DrugMention, DrugRecord, Event, Label, label_family
from bot.store import build, linking
from bot.store.codec import from_row, to_row
from bot.store.companies import CompanyBook
from bot.store.held import HeldReports
from bot.store.mentions import Known
from bot.store.names import company_words
from bot.store.registry import DrugRegistry, redirect
from bot.store.targets import canonical_targets

HIDDEN = ("held", "repeat")


class EventIndex:
    def __init__(self, event_rows: Iterable[dict[str, Any]], drugs: Iterable[DrugRecord]) -> None:
        self.events: dict[str, Event] = {}
        # Hidden events: stored (a crash keeps them) but seen by no query, alert or
        # subscription. Held: reports naming no company or drug, waiting (held.py).
        # Repeats: reports outside the window of an event they repeat (events.py).
        self.held = HeldReports()
        self.repeats: dict[str, Event] = {}
        self.repeats_by: dict[str, set[str]] = {}  # "d:<drug id>" / "c:<company word>" -> ids
        self.drug_ids: dict[str, tuple[str, ...]] = {}  # event id -> registry drug ids
        self.labels: dict[str, dict[str, Label]] = {}  # event id -> item id -> label reported
        self.by_company: dict[str, set[str]] = {}
        self.by_day: dict[int, set[str]] = {}  # date ordinal -> event ids
        self.anonymous: set[str] = set()  # events without a company (reverse matching)
        self.item_event: dict[str, str] = {}  # item id -> event id
        self.registry = DrugRegistry(drugs)
        self.dirty_events: set[str] = set()
        self.dirty_drugs: set[str] = set()
        self.gone_drugs: set[str] = set()
        self.gone_events: set[str] = set()
        self._known_cache: dict[str, tuple[Event, dict[str, tuple[str, ...]], Known]] = {}
        for row in event_rows:
            # a copy: the row is the database's own document, and labels grow in place
            labels = dict(row.get("_labels", {}))
            event = from_row(Event, row)
            drug_ids = tuple(row.get("_drugs", ()))
            if row.get("_state") in HIDDEN:
                self._hide(event, labels, drug_ids, row["_state"])
            else:
                self._put(event, drug_ids, labels)
        self.companies = CompanyBook([*(e.company for e in self.events.values()),
                                      *(d.company for d in self.registry.drugs.values())])
        # Loaded rows are on disk already, except rows written before KEYWORDS_KEPT: those
        # are cut in memory now and rewritten cut with the next write.
        longer = {e for e, ev in self.events.items() if ev.keywords_text != row_text(ev)}
        self.saved()
        self.dirty_events = longer

    def row(self, event_id: str) -> dict[str, Any]:
        """The event as stored: its report text cut to what is kept (build.KEYWORDS_KEPT)."""
        state = self.state(event_id)
        event = self.any_event(event_id)
        row: dict[str, Any] = to_row(event)
        row["keywords_text"] = row_text(event)
        row["_drugs"] = list(self.drug_ids.get(event_id, ()))
        row["_labels"] = dict(self.labels[event_id])
        if state != "shown":
            row["_state"] = state
        return row

    def state(self, event_id: str) -> str:
        if event_id in self.held.events:
            return "held"
        return "repeat" if event_id in self.repeats else "shown"

    def any_event(self, event_id: str) -> Event:
        return (self.events.get(event_id) or self.held.events.get(event_id)
                or self.repeats[event_id])

    def saved(self) -> None:
        """The dirty rows are on disk: forget them, and let memory keep only the text the
        file keeps (the full text of a report was needed while its poll was decided)."""
        for e in self.dirty_events:
            event = self.events.get(e)
            if event is not None and len(event.keywords_text) > len(row_text(event)):
                self.events[e] = replace(event, keywords_text=row_text(event))
        self.dirty_events.clear()
        self.dirty_drugs.clear()
        self.gone_drugs.clear()
        self.gone_events.clear()

    def _placed(self, event: Event, labels: dict[str, Label], drug_ids: list[str]) -> Event:
        # the label of the most authoritative report: primary first, then earliest
        event = replace(event, label=labels[event.sources[0].item_id])
        self._put(event, redirect(drug_ids, {}), labels)
        for d in self.drug_ids[event.id]:
            self._attach(d, event.id)
        return event

    def _hide(self, event: Event, labels: dict[str, Label], drug_ids: tuple[str, ...],
              state: str) -> None:
        (self.held.events if state == "held" else self.repeats)[event.id] = event
        if state == "repeat":
            for key in _repeat_keys(event, drug_ids):
                self.repeats_by.setdefault(key, set()).add(event.id)
        self.drug_ids[event.id] = drug_ids
        self.labels[event.id] = labels
        for ref in event.sources:
            self.item_event[ref.item_id] = event.id
        self.dirty_events.add(event.id)

    def _unhide(self, event_id: str) -> Event:
        """Take a hidden event out of hiding (the caller shows it or folds it in)."""
        event = self.held.events.pop(event_id, None) or self.repeats.pop(event_id)
        for key in _repeat_keys(event, self.drug_ids.get(event_id, ())):
            self.repeats_by.get(key, set()).discard(event_id)
        self.dirty_events.discard(event_id)
        return event

    def _learn_drugs(self, cand: Candidate) -> tuple[str, ...]:
        ex = cand.extraction
        ids: list[str] = []
        for mention in ex.drugs:
            targets = mention.targets or (ex.targets if len(ex.drugs) == 1 else ())
            learned = self.registry.learn(mention, ex.company, canonical_targets(targets))
            ids.append(learned.drug_id)
            self.dirty_drugs.add(learned.drug_id)
            for gone in learned.merged:
                self._fold_drug(gone, learned.drug_id)
        return redirect(ids, {})

    def _fold_drug(self, gone: str, keep: str) -> None:
        self.gone_drugs.add(gone)
        self.dirty_drugs.discard(gone)
        for event_id in self.registry.drugs[keep].event_ids:
            if gone in self.drug_ids.get(event_id, ()):
                self.drug_ids[event_id] = redirect(self.drug_ids[event_id], {gone: keep})
                self._refresh(event_id)

    # ------------------------------------------------------------------ bookkeeping

    def _put(self, event: Event, drug_ids: tuple[str, ...], labels: dict[str, Label]) -> None:
        old = self.events.get(event.id)
        if old is not None and old.date != event.date:
            self.by_day.get(old.date.toordinal(), set()).discard(event.id)
        self.events[event.id] = event
        self.drug_ids[event.id] = drug_ids
        self.labels[event.id] = labels
        for ref in event.sources:
            self.item_event[ref.item_id] = event.id
        words = company_words(event.company)
        if words:
            self.by_company.setdefault(words[0], set()).add(event.id)
            self.anonymous.discard(event.id)
        else:
            self.anonymous.add(event.id)
        self.by_day.setdefault(event.date.toordinal(), set()).add(event.id)
        self.dirty_events.add(event.id)

    def _split_across(self, when: date, family: str, drug_ids: tuple[str, ...]) -> list[Event]:
        """Reports of one event on both sides of a new event of the other family were two
        events all along (hold, lift, re-hold arriving out of order): split off the part
        the new event does not belong with."""
        carved: list[Event] = []
        for e in sorted({e for d in drug_ids for e in self.registry.drugs[d].event_ids}):
            ev = self.events[e]
            if label_family(ev.label) == family:
                continue
            later = [r for r in ev.sources if (r.published or ev.date) > when]
            if not later or len(later) == len(ev.sources):
                continue
            labels = self.labels[e]
            kept, split_off = build.split(ev, later, labels)
            for part in (kept, split_off):
                mine = {r.item_id for r in part.sources}
                self._put(part, self.drug_ids[e], {i: v for i, v in labels.items() if i in mine})
                for d in self.drug_ids[e]:
                    self._attach(d, part.id)
            carved.append(split_off)
        return carved

    def _attach(self, drug_id: str, event_id: str) -> None:
        drug = self.registry.drugs[drug_id]
        if event_id not in drug.event_ids:
            self.registry.update(replace(drug, event_ids=(*drug.event_ids, event_id)))
            self.dirty_drugs.add(drug_id)

    def _relink(self, drug_ids: Iterable[str]) -> None:
        """Recompute links and status for these drugs and every drug sharing an event."""
        events = {e for d in drug_ids for e in self.registry.drugs[d].event_ids}
        walked = {d for e in events for d in self.drug_ids[e]}
        walks = {
            d: linking.walk(self.events[e] for e in self.registry.drugs[d].event_ids)
            for d in walked
        }
        events |= {e for d in walked for e in self.registry.drugs[d].event_ids}
        links = linking.link_events(walks.values(), self.events)
        for e in events:
            if not set(self.drug_ids[e]) <= walked:
                continue
            ev = self.events[e]
            hold = links.linked_hold.get(e) if label_family(ev.label) == "lift" else None
            days = linking.hold_days(ev.date, self.events[hold].date) if hold else None
            lifted = links.lifted_by.get(e) if label_family(ev.label) == "hold" else None
            new = replace(ev, linked_hold_id=hold, hold_days=days, lifted_by_id=lifted)
            if new != ev:
                self.events[e] = new
                self.dirty_events.add(e)
        for d, w in walks.items():
            drug = self.registry.drugs[d]
            status_ev = w.status_event
            new_drug = replace(
                drug,
                status=w.status,
                status_event_id=status_ev.id if status_ev else None,
                status_since=status_ev.date if status_ev else None,
            )
            if new_drug != drug:
                self.registry.update(new_drug)
                self.dirty_drugs.add(d)

    def _refresh(self, event_id: str) -> Event:
        """Rebuild an event's drug mentions from the registry (names grow over time)."""
        ev = self.events[event_id]
        drugs = tuple(
            DrugMention(r.name, r.aliases, r.targets)
            for r in (self.registry.drugs[d] for d in self.drug_ids[event_id])
        )
        targets = build.union(ev.targets, *(m.targets for m in drugs))
        new = replace(ev, drugs=drugs, targets=targets, company=ev.company or self._owner(
            event_id))
        if new.company != ev.company:  # its drugs' company, learned from a later report
            self._put(new, self.drug_ids[event_id], self.labels[event_id])
        elif new != ev:
            self.events[event_id] = new
            self.dirty_events.add(event_id)
        return new

    def _owner(self, event_id: str) -> str | None:
        """The one company all of an event's drugs belong to, when the registry knows it."""
        owners = {self.registry.drugs[d].company for d in self.drug_ids[event_id]}
        return owners.pop() if len(owners) == 1 else None


def _repeat_keys(event: Event, drug_ids: Iterable[str]) -> list[str]:
    words = company_words(event.company)
    return [f"d:{d}" for d in drug_ids] + ([f"c:{words[0]}"] if words else [])


def row_text(event: Event) -> str:
    """What the file keeps of an event's report text. An event without a company keeps
    more: a later report may be matched to it by the company its words name."""
    kept = build.KEYWORDS_MAX if event.company is None else build.KEYWORDS_KEPT
    return event.keywords_text[:kept]
