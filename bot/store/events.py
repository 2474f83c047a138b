"""Events and drugs in memory: clustering candidates, linking lifts, drug status.

`EventBook.add(candidate)` is the heart of the store: it learns the drug names,
finds the event the candidate belongs to (`cluster.pick`), merges or creates
the event, and recomputes links and status for the drugs involved. It records
which events and drugs changed (`dirty_events`, `dirty_drugs`) so the store can
write exactly those rows. No I/O here; the store persists and rolls back.

Indexes keep a candidate's work proportional to its company's and drugs'
events, not to the whole history: events by drug (the registry's `event_ids`)
and by the first word of the normalised company name (same-company names
share it, see `names.same_company`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.models import (
    Candidate,
    DrugMention,
    DrugRecord,
    Event,
    EventChange,
    Label,
    SourceRef,
    label_family,
)
from bot.store import build, cluster, linking
from bot.store.codec import from_row, to_row
from bot.store.names import company_words
from bot.store.registry import DrugRegistry, redirect
from bot.store.targets import canonical_targets


class EventBook:
    def __init__(self, event_rows: Iterable[dict[str, Any]], drugs: Iterable[DrugRecord]) -> None:
        self.events: dict[str, Event] = {}
        self.drug_ids: dict[str, tuple[str, ...]] = {}  # event id -> registry drug ids
        self.labels: dict[str, dict[str, Label]] = {}  # event id -> item id -> label reported
        self.by_company: dict[str, set[str]] = {}
        self.item_event: dict[str, str] = {}  # item id -> event id
        self.registry = DrugRegistry(drugs)
        self.dirty_events: set[str] = set()
        self.dirty_drugs: set[str] = set()
        self.gone_drugs: set[str] = set()
        for row in event_rows:
            # a copy: the row is the database's own document, and labels grow in place
            labels = dict(row.get("_labels", {}))
            self._put(from_row(Event, row), tuple(row.get("_drugs", ())), labels)
        # Loaded rows are on disk already, except rows written before KEYWORDS_KEPT: those
        # are cut in memory now and rewritten cut with the next write.
        longer = {e for e, ev in self.events.items() if ev.keywords_text != row_text(ev)}
        self.saved()
        self.dirty_events = longer

    def row(self, event_id: str) -> dict[str, Any]:
        """The event as stored: its report text cut to what is kept (build.KEYWORDS_KEPT)."""
        row: dict[str, Any] = to_row(self.events[event_id])
        row["keywords_text"] = row_text(self.events[event_id])
        row["_drugs"] = list(self.drug_ids[event_id])
        row["_labels"] = dict(self.labels[event_id])
        return row

    def saved(self) -> None:
        """The dirty rows are on disk: forget them, and let memory keep only the text the
        file keeps (the full text of a report was needed while its poll was decided)."""
        for e in self.dirty_events:
            event = self.events[e]
            if len(event.keywords_text) > build.KEYWORDS_KEPT:
                self.events[e] = replace(event, keywords_text=row_text(event))
        self.dirty_events.clear()
        self.dirty_drugs.clear()
        self.gone_drugs.clear()

    # ------------------------------------------------------------------ adding

    def add(
        self, cand: Candidate, *, today: date, now: datetime, window_days: int
    ) -> list[EventChange]:
        """What CAND does to the events: its own change first, then any event split off."""
        if cand.item.id in self.item_event or cand.label not in linking.STATUS_BY_LABEL:
            return []
        drug_ids = self._learn_drugs(cand)
        mine = cluster.facts(cand, today=today, drugs=lambda _: drug_ids)
        nearby = [self._facts(e) for e in sorted(self._nearby(mine))]
        history = {
            d: [
                (self.events[e].date, self.events[e].label)
                for e in self.registry.drugs[d].event_ids
            ]
            for d in mine.drugs
        }
        family = label_family(mine.label)
        target, verdict = cluster.pick(
            mine,
            nearby,
            window_days=window_days,
            unbroken=lambda c, e: cluster.phase_unbroken(
                c.drugs & e.drugs, c.date, e.date, history, family
            ),
        )
        ref = build.source_ref(cand)
        if target is None:
            event = build.new_event(cand, mine.date, now)
            kind = "new"
        else:
            event = build.merge(self.events[target.id], cand, mine.date)
            kind = "late_report" if verdict.late else "new_source"
        labels = {**self.labels.get(event.id, {}), cand.item.id: cand.label}
        # the label of the most authoritative report: primary first, then earliest
        event = replace(event, label=labels[event.sources[0].item_id])
        self._put(event, redirect([*self.drug_ids.get(event.id, ()), *drug_ids], {}), labels)
        for d in self.drug_ids[event.id]:
            self._attach(d, event.id)
        carved = self._split_across(mine.date, family, drug_ids)
        self._relink(self.drug_ids[event.id])
        for other in {e for d in drug_ids for e in self.registry.drugs[d].event_ids}:
            self._refresh(other)  # the drug may have gained names: show them everywhere
        changes = [(kind, event.id, ref)] + [("new", e.id, e.sources[0]) for e in carved]
        return [self._change(k, e, r) for k, e, r in changes]

    def _change(self, kind: str, event_id: str, ref: SourceRef) -> EventChange:
        final = self._refresh(event_id)
        hold = self.events.get(final.linked_hold_id or "")
        return EventChange(kind, final, ref, hold)  # type: ignore[arg-type]

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

    def _nearby(self, mine: cluster.Facts) -> set[str]:
        found: set[str] = set()
        for d in mine.drugs:
            found.update(self.registry.drugs[d].event_ids)
        words = company_words(mine.company)
        if words:
            found |= self.by_company.get(words[0], set())
        return found

    def _facts(self, event_id: str) -> cluster.Facts:
        e = self.events[event_id]
        return cluster.Facts(e.id, e.label, e.date, e.company, frozenset(self.drug_ids[e.id]))

    # ------------------------------------------------------------------ bookkeeping

    def _put(self, event: Event, drug_ids: tuple[str, ...], labels: dict[str, Label]) -> None:
        self.events[event.id] = event
        self.drug_ids[event.id] = drug_ids
        self.labels[event.id] = labels
        for ref in event.sources:
            self.item_event[ref.item_id] = event.id
        words = company_words(event.company)
        if words:
            self.by_company.setdefault(words[0], set()).add(event.id)
        self.dirty_events.add(event.id)

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
        new = replace(ev, drugs=drugs, targets=targets)
        if new != ev:
            self.events[event_id] = new
            self.dirty_events.add(event_id)
        return new


def row_text(event: Event) -> str:
    return event.keywords_text[: build.KEYWORDS_KEPT]
