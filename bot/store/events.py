"""Events and drugs: what one report does to them (clustering, linking, holding back).

`EventBook.add(candidate)` is the heart of the store. It makes the report right
before it is matched, because extraction is never perfect (issue 12): study names
leave the drugs (studies.py), the company gets its one name (companies.py), what the
words name of the open events fills in a missing company or drugs (attribution.py).
Then it finds the event the report belongs to (`cluster.pick`; a report outside the
window never joins one), merges or creates the event, and recomputes links and
status for the drugs involved. A report that still names no company and no drug is
held back (held.py) until a report its words name takes it in, or the wait ends.
The indexes and rows live in `EventIndex` (index.py), the lookups in `EventMatching`
(matching.py). No I/O here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.models import Candidate, Event, EventChange, SourceRef, label_family
from bot.store import attribution, build, cluster, linking, studies
from bot.store.held import tokens_of
from bot.store.matching import EventMatching
from bot.store.mentions import distinctive, report_text
from bot.store.names import company_words, same_company
from bot.store.registry import redirect

log = logging.getLogger(__name__)

Change = tuple[str, str, SourceRef]  # kind, event id, the report it is about


class EventBook(EventMatching):
    # ------------------------------------------------------------------ adding

    def add(
        self, cand: Candidate, *, today: date, now: datetime, window_days: int,
    ) -> list[EventChange]:
        """What CAND does to the events: its own change first, then any event split off.
        A held-back or repeated report changes nothing anyone sees: []."""
        if cand.item.id in self.item_event or cand.label not in linking.STATUS_BY_LABEL:
            return []
        cand = studies.separate(cand, known=self._known_drug)
        cand = self._named_company(attribution.owner(cand, self._companies_of))
        ref = build.source_ref(cand)  # what attribution fills in does not change it
        when = build.report_date(ref, today)
        if not (cand.extraction.company and cand.extraction.drugs):
            found = attribution.attribute(cand, self._knowns(cand, when, window_days),
                                          self._mention)
            if found.reason:
                log.info("report %s: %s", cand.item.id, found.reason)
            cand = self._lift_of_open_hold(found.candidate, when)
        ex = cand.extraction
        if not ex.company and not ex.drugs:
            return self._hold_back(cand, ref, when, now, window_days)
        drug_ids = self._learn_drugs(cand)
        mine = cluster.Facts(cand.item.id, ex.label, when, ex.company, frozenset(drug_ids))
        family = label_family(mine.label)
        nearby = [self._facts(e, cand) for e in sorted(self._nearby(mine, window_days))]
        target, verdict = cluster.pick(mine, nearby, window_days=window_days,
                                       unbroken=lambda c, e: self._unbroken(c, e, family))
        if verdict.repeat and target is not None:
            log.info("report %s: %s (event %s)", cand.item.id, verdict.reason, target.id)
            self._keep_repeat(cand, ref, mine, drug_ids, now, window_days)
            return []
        if target is None:
            event, kind = build.new_event(cand, ref, when, now), "new"
        else:
            event, kind = build.merge(self.events[target.id], cand, ref, when), "new_source"
        labels = {**self.labels.get(event.id, {}), cand.item.id: cand.label}
        event = self._placed(event, labels, [*self.drug_ids.get(event.id, ()), *drug_ids])
        event = self._absorb_held(event, window_days)
        carved = self._split_across(mine.date, family, drug_ids)
        self._relink(self.drug_ids[event.id])
        for other in {e for d in drug_ids for e in self.registry.drugs[d].event_ids}:
            self._refresh(other)  # the drug may have gained names: show them everywhere
        changes: list[Change] = [(kind, event.id, ref)]
        changes += [("new", e.id, e.sources[0]) for e in carved]
        changes += self._revisit_repeats(event, window_days)
        return [self._change(k, e, r) for k, e, r in changes]

    def release(self, now: datetime, wait: timedelta) -> list[EventChange]:
        """Held reports whose wait is over become events of their own (posted as such)."""
        changes = []
        for held in self.held.due(now, wait):
            self._unhide(held.id)
            self._put(held, (), self.labels[held.id])
            log.info("event %s: no company or drug named after the wait; posted as such",
                     held.id)
            changes.append(self._change("new", held.id, held.sources[0]))
        return changes

    def _change(self, kind: str, event_id: str, ref: SourceRef) -> EventChange:
        final = self._refresh(event_id)
        hold = self.events.get(final.linked_hold_id or "")
        return EventChange(kind, final, ref, hold)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ held back

    def _hold_back(self, cand: Candidate, ref: SourceRef, when: date, now: datetime,
                   window_days: int) -> list[EventChange]:
        """Hold CAND back, with the held reports of its story; or, when an event that
        names no company either shares a proper name with it, join that event."""
        text = report_text(cand.item.title, cand.item.text)
        mine = distinctive(text)
        for e in sorted(self.anonymous & self._window(when, cand.label, window_days)):
            if mine & tokens_of(self.events[e]):
                event = build.merge(self.events[e], cand, ref, when)
                labels = {**self.labels[e], cand.item.id: cand.label}
                self._placed(event, labels, list(self.drug_ids[e]))
                log.info("report %s joins %s: both name %s", cand.item.id, e,
                         sorted(mine & tokens_of(self.events[e]))[:3])
                return [self._change("new_source", e, ref)]
        story = self.held.story_of(text, cand.label, when, window_days)
        if story is None:
            event = build.new_event(cand, ref, when, now)
            labels = {cand.item.id: cand.label}
            log.info("report %s names no company or drug: held back as %s", cand.item.id,
                     event.id)
        else:
            event = build.merge(story, cand, ref, when)
            labels = {**self.labels[story.id], cand.item.id: cand.label}
            event = replace(event, label=labels[event.sources[0].item_id])
        self._hide(event, labels, (), "held")
        return []

    def _absorb_held(self, event: Event, window_days: int) -> Event:
        """Held reports whose words name EVENT join it (they reach people with it)."""
        known = self._known(event.id)
        tokens = tokens_of(event) if event.company is None else frozenset()
        for held in self.held.absorbable(known, event.label, event.date, window_days, tokens):
            self._unhide(held.id)
            self.gone_events.add(held.id)
            labels = {**self.labels.pop(held.id), **self.labels[event.id]}
            event = build.absorb(event, held)
            log.info("held reports %s join event %s: their words name it",
                     [r.item_id for r in held.sources], event.id)
            event = self._placed(event, labels, list(self.drug_ids[event.id]))
        return event

    # ------------------------------------------------------------------ repeats

    def _keep_repeat(self, cand: Candidate, ref: SourceRef, mine: cluster.Facts,
                     drug_ids: tuple[str, ...], now: datetime, window_days: int) -> None:
        """A repeat is kept hidden, with the repeats in its own window: a report of the
        other family arriving later may show that it was an event of its own after all
        (hold, re-hold, and the lift between them arriving last)."""
        twins = [self._hidden_facts(r) for r in sorted(self._repeats_near(mine))]
        twin, verdict = cluster.pick(mine, twins, window_days=window_days,
                                     unbroken=lambda c, e: False)
        if twin is not None and verdict.merge:
            event = build.merge(self.repeats[twin.id], cand, ref, mine.date)
            labels = {**self.labels[twin.id], cand.item.id: cand.label}
            ids = redirect([*self.drug_ids[twin.id], *drug_ids], {})
        else:
            event, labels, ids = build.new_event(cand, ref, mine.date, now), {
                cand.item.id: cand.label}, drug_ids
        self._hide(replace(event, label=labels[event.sources[0].item_id]), labels, ids, "repeat")

    def _revisit_repeats(self, placed: Event, window_days: int) -> list[Change]:
        """Repeats that PLACED (an event of the other family between them and what they
        repeated) turns into events of their own; or that now fall in an event's window."""
        changes: list[Change] = []
        for rid in sorted(self._repeats_near(self._shown_facts(placed.id))):
            rep = self.repeats[rid]
            mine = self._hidden_facts(rid)
            family = label_family(rep.label)
            nearby = [self._shown_facts(e) for e in sorted(self._nearby(mine, window_days))]

            def unbroken(c: cluster.Facts, e: cluster.Facts, f: str = family) -> bool:
                return self._unbroken(c, e, f)

            target, verdict = cluster.pick(mine, nearby, window_days=window_days,
                                           unbroken=unbroken)
            if verdict.repeat:
                continue
            self._unhide(rid)
            drug_ids, labels = list(self.drug_ids[rid]), self.labels[rid]
            if target is None:
                self._placed(rep, labels, drug_ids)
                changes.append(("new", rid, rep.sources[0]))
                log.info("repeat %s is an event of its own: %s", rid, verdict.reason)
            else:
                self.gone_events.add(rid)
                merged = build.absorb(self.events[target.id], rep)
                self._placed(merged, {**labels, **self.labels[target.id]},
                             [*self.drug_ids[target.id], *drug_ids])
                changes.append(("new_source", target.id, rep.sources[0]))
            self._relink(drug_ids)
        return changes

    def _repeats_near(self, mine: cluster.Facts) -> set[str]:
        """Repeats sharing a drug with MINE (or, drug-less, its company)."""
        found = {r for d in mine.drugs for r in self.repeats_by.get(f"d:{d}", ())}
        words = company_words(mine.company)
        for r in self.repeats_by.get(f"c:{words[0]}", ()) if words else ():
            if not self.drug_ids[r] and same_company(self.repeats[r].company, mine.company):
                found.add(r)
        return found

    def _hidden_facts(self, event_id: str) -> cluster.Facts:
        e = self.any_event(event_id)
        return cluster.Facts(e.id, e.label, e.date, e.company, frozenset(self.drug_ids[e.id]))

    # ------------------------------------------------------------------ names

    def _named_company(self, cand: Candidate) -> Candidate:
        """CAND with its company's one name; a fuller name renames what is stored."""
        naming = self.companies.name(cand.extraction.company)
        if naming.replaced:
            self._rename_company(naming.replaced, naming.shown or naming.replaced)
        if naming.shown == cand.extraction.company:
            return cand
        return replace(cand, extraction=replace(cand.extraction, company=naming.shown))

    def _rename_company(self, old: str, new: str) -> None:
        words = company_words(old)
        for e in sorted(self.by_company.get(words[0], ()) if words else ()):
            if self.events[e].company == old:
                self.events[e] = replace(self.events[e], company=new)
                self.dirty_events.add(e)
        for d in sorted(self.registry.ids_of_company(old)):
            if self.registry.drugs[d].company == old:
                self.registry.update(replace(self.registry.drugs[d], company=new))
                self.dirty_drugs.add(d)
        log.info("company %r is now shown as %r", old, new)
