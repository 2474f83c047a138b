"""The drug registry: every drug once, under all its names (pure, in memory).

A drug is learned from the `DrugMention`s of candidates: a mention whose names
hit no known drug creates one; a mention that hits one drug adds its names as
aliases; a mention that joins two known drugs ("zevor-cel (CT053)" after
"zevor-cel" and "CT053" were seen apart) merges them — conservatively: two
different INNs never merge (the conflict is logged and the drugs stay apart),
and names only match drugs of a compatible company, since short codes repeat
across companies.

The registry does not decide status; the store's linking step does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from bot.models import DrugMention, DrugRecord
from bot.store.names import (
    canonical_name,
    company_key,
    company_words,
    drug_key,
    is_inn,
    same_company,
)
from bot.store.targets import NO_LEXICON, TargetNames

log = logging.getLogger(__name__)

HELD = ("on_hold", "partial_hold")


@dataclass(frozen=True)
class Learned:
    drug_id: str
    merged: tuple[str, ...] = ()  # ids folded into drug_id by this mention


class DrugRegistry:
    def __init__(self, drugs: Iterable[DrugRecord] = (), targets: TargetNames = NO_LEXICON
                 ) -> None:
        self.targets = targets  # how a target name becomes the key drugs are indexed by
        self.drugs: dict[str, DrugRecord] = {}
        self._by_key: dict[str, set[str]] = {}
        # lookups the slash commands make, kept so each is a dict access, not a scan:
        self._by_target: dict[str, set[str]] = {}  # targets.key -> drug ids
        self._by_company: dict[str, set[str]] = {}  # first company word -> drug ids
        self.held: set[str] = set()  # drugs on hold or partial hold
        for drug in drugs:
            self._put(drug)

    # ------------------------------------------------------------------ lookups

    def ids_for(self, name: str, company: str | None = None) -> set[str]:
        """Drugs answering to NAME (any alias), limited to a compatible company."""
        ids = self._by_key.get(drug_key(name), set())
        return {i for i in ids if _company_ok(self.drugs[i].company, company)}

    def ids_with_target(self, name: str) -> set[str]:
        """Drugs against target NAME, by its canonical name ("CLDN18.2" = "Claudin18.2")."""
        return set(self._by_target.get(self.targets.key(name), ()))

    def ids_of_company(self, name: str) -> set[str]:
        """Drugs of the same company as NAME (names.same_company)."""
        words = company_words(name)
        ids = self._by_company.get(words[0], ()) if words else ()
        return {i for i in ids if same_company(self.drugs[i].company, name)}

    def resolve(self, names: Iterable[str], company: str | None = None) -> set[str]:
        found: set[str] = set()
        for name in names:
            found |= self.ids_for(name, company)
        return found

    # ------------------------------------------------------------------ learning

    def learn(
        self, mention: DrugMention, company: str | None, targets: Iterable[str] = ()
    ) -> Learned:
        names = _dedupe(n for n in mention.names if n.strip())
        hits = sorted(self.resolve(names, company))
        mention_inns = {drug_key(n) for n in names if is_inn(n)}
        compatible = [h for h in hits if not _inn_conflict(mention_inns, self.drugs[h])]
        for rejected in set(hits) - set(compatible):
            log.warning(
                "drug names %s conflict with %s (%s): different INNs, kept apart",
                names,
                rejected,
                self.drugs[rejected].name,
            )
        compatible = self._mergeable(compatible)
        if not compatible:
            return Learned(self._create(names, company, targets))
        keep, *others = compatible
        for other in others:
            self._merge_into(keep, other)
        self._extend(keep, names, company, targets)
        return Learned(keep, tuple(others))

    def update(self, drug: DrugRecord) -> None:
        self._put(drug)

    # ------------------------------------------------------------------ internals

    def _mergeable(self, ids: list[str]) -> list[str]:
        """Keep only drugs that may merge with the first: no two different INNs."""
        chosen: list[str] = []
        inns: set[str] = set()
        for i in ids:
            own = _inns(self.drugs[i])
            if inns and own and not own & inns:
                log.warning("drugs %s and %s have different INNs: not merged", chosen[0], i)
                continue
            chosen.append(i)
            inns |= own
        return chosen

    def _create(self, names: tuple[str, ...], company: str | None, targets: Iterable[str]) -> str:
        base = "drug:" + drug_key(canonical_name(names))
        drug_id, n = base, 1
        while drug_id in self.drugs:
            n += 1
            drug_id = f"{base}#{n}"
        name = canonical_name(names)
        self._put(
            DrugRecord(
                id=drug_id,
                name=name,
                aliases=tuple(a for a in names if drug_key(a) != drug_key(name)),
                targets=_dedupe(targets),
                company=company,
            )
        )
        return drug_id

    def _extend(
        self, drug_id: str, names: tuple[str, ...], company: str | None, targets: Iterable[str]
    ) -> None:
        drug = self.drugs[drug_id]
        all_names = _dedupe([*drug.names, *names])
        name = canonical_name(all_names)
        self._put(
            replace(
                drug,
                name=name,
                aliases=tuple(a for a in all_names if drug_key(a) != drug_key(name)),
                targets=_dedupe([*drug.targets, *targets]),
                company=drug.company or company,
            )
        )

    def _merge_into(self, keep: str, other: str) -> None:
        gone = self.drugs.pop(other)
        for key in {drug_key(n) for n in gone.names}:
            self._by_key.get(key, set()).discard(other)
        self._unindex(gone)
        self.held.discard(other)
        log.info("drug %s merged into %s (shared names)", other, keep)
        base = self.drugs[keep]
        self._extend(keep, gone.names, gone.company, gone.targets)
        self._put(replace(self.drugs[keep], event_ids=_dedupe([*base.event_ids, *gone.event_ids])))

    def _put(self, drug: DrugRecord) -> None:
        old = self.drugs.get(drug.id)
        self.drugs[drug.id] = drug
        (self.held.add if drug.status in HELD else self.held.discard)(drug.id)
        for name in drug.names:
            self._by_key.setdefault(drug_key(name), set()).add(drug.id)
        if old is not None and (old.targets, old.company) == (drug.targets, drug.company):
            return  # most updates only touch events and status
        if old is not None:
            self._unindex(old)
        for index, key in self._index_keys(drug):
            index.setdefault(key, set()).add(drug.id)

    def _unindex(self, drug: DrugRecord) -> None:
        for index, key in self._index_keys(drug):
            index.get(key, set()).discard(drug.id)

    def _index_keys(self, drug: DrugRecord) -> list[tuple[dict[str, set[str]], str]]:
        keys = [(self._by_target, self.targets.key(t)) for t in drug.targets]
        words = company_words(drug.company)
        if words:
            keys.append((self._by_company, words[0]))
        return keys


def _company_ok(known: str | None, asked: str | None) -> bool:
    return (
        not known
        or not asked
        or same_company(known, asked)
        or (company_key(known) == company_key(asked))
    )


def _inns(drug: DrugRecord) -> set[str]:
    return {drug_key(n) for n in drug.names if is_inn(n)}


def _inn_conflict(mention_inns: set[str], drug: DrugRecord) -> bool:
    own = _inns(drug)
    return bool(mention_inns and own and not mention_inns & own)


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    """One spelling per name key, chosen by the spelling itself (shortest, then A-Z before
    a-z) rather than by arrival, so the same names in any order give the same record."""
    seen: dict[str, str] = {}
    for v in values:
        k = drug_key(v)
        seen[k] = min(seen.get(k, v), v, key=lambda s: (len(s), s))
    return tuple(seen.values())


def redirect(ids: Iterable[str], merged: Mapping[str, str]) -> tuple[str, ...]:
    """Drug ids with merged ones replaced by their survivor, order kept, no repeats."""
    out: dict[str, None] = {}
    for i in ids:
        while i in merged:
            i = merged[i]
        out[i] = None
    return tuple(out)
