"""Names users type → the names the bot stores: lexicons, drug registry, fuzzy hints.

`normalise(store, kind, value)` decides what a subscription stores, so that
`subscribe drug CT053` keeps the drug's canonical name and `subscribe target
CLDN18.2` keeps "Claudin18.2". An unknown value is still allowed; the caller
says so and shows the close matches found here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process, utils

from bot.extract import indications as extract_indications
from bot.extract import targets as extract_targets
from bot.models import DrugMatch, DrugRecord

ALL_VALUE = "*"  # the value stored for `subscribe all`
FUZZY_CUTOFF = 70
FUZZY_LIMIT = 3


class Vocabulary(Protocol):
    """The store queries this module needs (bot.store.Store provides them)."""

    def find_drug(self, name: str) -> DrugMatch: ...
    def drugs_by_company(self, name: str) -> list[DrugRecord]: ...
    def known_names(self, kind: str) -> list[str]: ...


@dataclass(frozen=True)
class Normalised:
    value: str  # what the subscription stores
    known: bool  # the lexicon, registry or store knows this value
    suggestions: tuple[str, ...] = ()


def close_matches(query: str, choices: Sequence[str], *, limit: int = FUZZY_LIMIT) -> list[str]:
    """Up to `limit` choices that look like `query`, best first, without duplicates."""
    found = process.extract(
        query,
        list(dict.fromkeys(choices)),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=FUZZY_CUTOFF,
    )
    return [choice for choice, _score, _index in found]


def canonical_target(text: str) -> str | None:
    return extract_targets.canonical_target(text)


def canonical_indication(text: str) -> str | None:
    return extract_indications.canonical_indication(text)


def _from_known(store: Vocabulary, kind: str, value: str) -> Normalised:
    """Match against what the store has seen, case-insensitively; else suggest."""
    known = store.known_names(kind)
    for candidate in known:
        if candidate.casefold() == value.casefold():
            return Normalised(candidate, True)
    return Normalised(value, False, tuple(close_matches(value, known)))


def normalise(store: Vocabulary, kind: str, value: str) -> Normalised:
    """The stored form of a subscription value of `kind` (see module docstring)."""
    value = " ".join(value.split())
    if kind == "all":
        return Normalised(ALL_VALUE, True)
    if kind == "keyword":
        return Normalised(value.lower(), True)
    if kind == "drug":
        match = store.find_drug(value)
        if match.drug is not None:
            return Normalised(match.drug.name, True)
        return Normalised(value, False, tuple(match.suggestions[:FUZZY_LIMIT]))
    if kind == "target":
        canonical = canonical_target(value)
        return Normalised(canonical, True) if canonical else _from_known(store, kind, value)
    if kind == "indication":
        canonical = canonical_indication(value)
        return Normalised(canonical, True) if canonical else _from_known(store, kind, value)
    if kind == "company":
        drugs = store.drugs_by_company(value)
        if drugs and drugs[0].company:
            return Normalised(drugs[0].company, True)
        return _from_known(store, kind, value)
    raise ValueError(f"unknown subscription kind {kind!r}")
