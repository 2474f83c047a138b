"""Which events a report may belong to: the lookups EventBook (events.py) decides with.

The open events a report's words are matched against (its family's in the window;
for a lift also every hold not lifted yet), the events in reach for clustering (by
drug, by company, and company-less ones whose reports name the report's company),
and whether anything of the other family happened between two dates. Pure lookups
over the indexes of `EventIndex` (index.py); nothing here changes them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from bot.models import Candidate, DrugMention, label_family
from bot.store import attribution, cluster
from bot.store.index import EventIndex
from bot.store.mentions import Known
from bot.store.names import company_words, same_company

log = logging.getLogger(__name__)


class EventMatching(EventIndex):
    def _knowns(self, cand: Candidate, when: date, window_days: int) -> list[Known]:
        """The open events a report may name: its family's in the window; for a lift, also
        every hold not lifted yet, however old (a lift ends a hold months later) — of its
        company when it names one."""
        ids = self._window(when, cand.label, window_days)
        if label_family(cand.label) == "lift":
            ids |= set(self._open_holds(when, cand.extraction.company))
        return [self._known(e) for e in sorted(ids)]

    def _known(self, event_id: str) -> Known:
        """The names an event is known by, kept while the event and its drugs' names stay."""
        event, names = self.events[event_id], self._drug_names(event_id)
        kept = self._known_cache.get(event_id)
        if kept is not None and kept[0] is event and kept[1] == names:
            return kept[2]
        known = attribution.known(event, names)
        self._known_cache[event_id] = (event, names, known)
        return known

    def _open_holds(self, before: date, company: str | None = None) -> list[str]:
        """Holds (of COMPANY) dated up to BEFORE, on drugs still held, not lifted yet."""
        if company:
            words = company_words(company)
            ids = set(self.by_company.get(words[0], ())) if words else set()
        else:
            ids = {e for d in self.registry.held for e in self.registry.drugs[d].event_ids}
        return sorted(e for e in ids if label_family(self.events[e].label) == "hold"
                      and self.events[e].lifted_by_id is None and self.events[e].date <= before
                      and set(self.drug_ids[e]) & self.registry.held
                      and (company is None or same_company(self.events[e].company, company)))

    def _lift_of_open_hold(self, cand: Candidate, when: date) -> Candidate:
        """A lift that names its company but no drug ends that company's one open hold
        ("CARsgen says the FDA lifted the holds on three candidates"): it is about the
        hold's drugs. With several open holds, which one is not said: left as it is."""
        ex = cand.extraction
        if label_family(ex.label) != "lift" or ex.drugs or not ex.company:
            return cand
        holds = self._open_holds(when, ex.company)
        if len(holds) != 1:
            return cand
        log.info("report %s: a lift naming %s and no drug ends its one open hold %s",
                 cand.item.id, ex.company, holds[0])
        drugs = tuple(self._mention(d) for d in self.drug_ids[holds[0]])
        return replace(cand, extraction=replace(ex, drugs=drugs))

    def _window(self, when: date, label: str, window_days: int) -> set[str]:
        family = label_family(label)
        day = when.toordinal()
        found = {e for d in range(day - window_days, day + window_days + 1)
                 for e in self.by_day.get(d, ())}
        return {e for e in found if label_family(self.events[e].label) == family}

    def _drug_names(self, event_id: str) -> dict[str, tuple[str, ...]]:
        return {d: self.registry.drugs[d].names for d in self.drug_ids.get(event_id, ())}

    def _mention(self, drug_id: str) -> DrugMention:
        drug = self.registry.drugs[drug_id]
        return DrugMention(drug.name, drug.aliases, drug.targets)

    def _companies_of(self, name: str) -> set[str | None]:
        return {self.registry.drugs[i].company for i in self.registry.ids_for(name)}

    def _known_drug(self, name: str) -> bool:
        """A name the registry knows as one of a drug's several names."""
        return any(len(self.registry.drugs[i].names) > 1 for i in self.registry.ids_for(name))

    def _nearby(self, mine: cluster.Facts, window_days: int) -> set[str]:
        found: set[str] = set()
        for d in mine.drugs:
            found.update(self.registry.drugs[d].event_ids)
        words = company_words(mine.company)
        if words:
            found |= self.by_company.get(words[0], set())
            found |= self.anonymous & self._window(mine.date, mine.label, window_days)
        return found

    def _facts(self, event_id: str, cand: Candidate) -> cluster.Facts:
        facts = self._shown_facts(event_id)
        e = self.events[event_id]
        if e.company is None and cand.extraction.company and attribution.names_candidate(e, cand):
            return replace(facts, company=cand.extraction.company)  # its reports name it
        return facts

    def _shown_facts(self, event_id: str) -> cluster.Facts:
        e = self.events[event_id]
        return cluster.Facts(e.id, e.label, e.date, e.company, frozenset(self.drug_ids[e.id]))

    def _unbroken(self, c: cluster.Facts, e: cluster.Facts, family: str) -> bool:
        """Nothing of the other family happened between C and E to their shared drugs
        (or, for a drug-less report, to the company)."""
        lo, hi = min(c.date, e.date), max(c.date, e.date)
        shared = c.drugs & e.drugs
        if shared:
            events = {x for d in shared for x in self.registry.drugs[d].event_ids}
        else:
            words = company_words(c.company)
            events = {x for x in self.by_company.get(words[0], ()) if same_company(
                self.events[x].company, c.company)} if words else set()
        return not any(lo < self.events[x].date < hi
                       and label_family(self.events[x].label) != family for x in events)
