"""Names users type → the names the bot stores: curated lexicons, then the store.

`resolve(store, kind, value)` decides what a subscription of `kind` stores:
`subscribe drug CT041` keeps "satricabtagene autoleucel" on a fresh store (the
curated alias file knows it), `subscribe target CLDN18.2` keeps "Claudin18.2".
A value nothing knows comes back `known=False` with the close names `suggest()`
offers; what to do with it is the subscription rule's business (subscriptions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from bot.extract import AliasBook
from bot.extract.indications import canonical_indication
from bot.extract.indications import lexicon as indication_lexicon
from bot.extract.targets import canonical_target
from bot.extract.targets import lexicon as target_lexicon
from bot.models import ALL_VALUE, DrugMatch, DrugRecord
from bot.suggest import key, suggest


class Vocabulary(Protocol):
    """The store queries this module needs (bot.store.Store provides them)."""

    def find_drug(self, name: str) -> DrugMatch: ...
    def drugs_by_company(self, name: str) -> list[DrugRecord]: ...
    def known_names(self, kind: str) -> list[str]: ...


@dataclass(frozen=True)
class Resolved:
    value: str  # what a subscription stores: the canonical name when one is known
    known: bool  # a curated lexicon or the store knows this value
    suggestions: tuple[str, ...] = ()  # close known names, when not known


@cache
def curated_drugs() -> AliasBook:
    """The curated alias file (bot/data/aliases.toml), read once."""
    return AliasBook.default()


def curated_group(name: str) -> tuple[str, ...] | None:
    """All names of the drug NAME belongs to in the curated alias file, canonical first."""
    return curated_drugs().group(name)


@cache
def _lexicon_names(kind: str) -> Mapping[str, str]:
    """Every spelling a lexicon lists → its canonical name."""
    lexicon = target_lexicon() if kind == "target" else indication_lexicon()
    return {alias: name for name in lexicon.names()
            for alias in (name, *lexicon.aliases(name))}


def spellings(store: Vocabulary, kind: str) -> dict[str, str]:
    """Every known spelling of `kind` → the name to offer for it, curated names first."""
    names: dict[str, str] = {}
    if kind == "drug":
        names.update({n: group[0] for group in curated_drugs().groups() for n in group})
    elif kind in ("target", "indication"):
        names.update(_lexicon_names(kind))
    for known in store.known_names(kind):
        names.setdefault(known, known)
    return names


def _canonical(kind: str, value: str) -> str | None:
    if kind == "target":
        return canonical_target(value)
    if kind == "indication":
        return canonical_indication(value)
    return curated_drugs().resolve(value) if kind == "drug" else None


def _in_store(store: Vocabulary, kind: str, value: str) -> str | None:
    if kind == "drug":
        match = store.find_drug(value)
        return match.drug.name if match.drug is not None else None
    if kind == "company":
        drugs = store.drugs_by_company(value)
        if drugs and drugs[0].company:
            return drugs[0].company
    wanted = key(value)
    return next((n for n in store.known_names(kind) if key(n) == wanted), None)


def resolve(store: Vocabulary, kind: str, value: str) -> Resolved:
    """The stored form of a value of `kind` (see the module docstring)."""
    value = " ".join(value.split())
    if kind == "all":
        return Resolved(ALL_VALUE, True)
    if kind == "keyword":
        return Resolved(value.lower(), True)
    # The store first: its name is the one events carry (a drug named in the news by a
    # code the curated file lists is filed under the name the store gave it).
    known = _in_store(store, kind, value) or _canonical(kind, value)
    if known:
        return Resolved(known, True)
    return Resolved(value, False, suggest(value, spellings(store, kind)))
