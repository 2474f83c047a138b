"""Alias memory: which names belong to the same drug.

Seeded from the curated file bot/data/aliases.toml, then taught by
extractions ("zevorcabtagene autoleucel (zevor-cel, CT053)"), so a later item
that only says "CT053" resolves to the same drug. Learning is conservative:
two different INNs never end up in one group, and curated groups are never
merged with each other. The book itself is not saved: what it learned survives
a restart through the store's drug registry, which the runtime teaches a fresh
book at start (`Store.known_drug_groups`, bot/runtime.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from bot.extract import names as shapes
from bot.extract.lexicon import DATA_DIR, Hit, Lexicon
from bot.extract.text import fold
from bot.models import Extraction


class AliasBook:
    """Groups of drug names; the first name of a group is its canonical name."""

    def __init__(
        self,
        curated: Iterable[Sequence[str]] = (),
        learned: Iterable[Sequence[str]] = (),
        targets: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self._groups: list[list[str]] = []
        self._curated: set[int] = set()
        self._index: dict[str, int] = {}
        self._targets: dict[int, list[str]] = {}
        self._lexicon: Lexicon | None = None
        for group in curated:
            self._add_curated(group)
        for group in learned:
            self.learn_names(group)
        for name, symbols in (targets or {}).items():
            gid = self._index.get(fold(name))
            if gid is not None:
                self._targets[gid] = list(dict.fromkeys(symbols))

    @classmethod
    def default(cls) -> AliasBook:
        """A fresh book seeded from the curated file bot/data/aliases.toml."""
        curated, targets = _curated_file()
        return cls(curated=curated, targets=targets)

    # ------------------------------------------------------------------ learning

    def _add_curated(self, names: Sequence[str]) -> None:
        names = [n for n in names if fold(n)]
        if not names:
            return
        gid = len(self._groups)
        self._groups.append([])
        self._curated.add(gid)
        for name in names:
            # The curated file is the authority: a name listed twice stays with its first group.
            if fold(name) not in self._index:
                self._index[fold(name)] = gid
                self._groups[gid].append(name)
        self._lexicon = None

    def learn(self, extraction: Extraction) -> list[tuple[str, ...]]:
        """Remember the alias groups an extraction found; returns the groups that changed."""
        changed = []
        for drug in extraction.drugs:
            if self.learn_names(drug.names, drug.targets):
                group = self.group(drug.name)
                if group:
                    changed.append(group)
        return changed

    def learn_names(self, names: Sequence[str], targets: Sequence[str] = ()) -> bool:
        """Join `names` into one group unless that would merge two INNs or two curated drugs."""
        names = [n.strip() for n in names if fold(n)]
        if not names:
            return False
        gids = sorted({self._index[fold(n)] for n in names if fold(n) in self._index})
        if len(gids) > 1 and sum(g in self._curated for g in gids) > 1:
            return False
        members = [n for g in gids for n in self._groups[g]] + names
        if len({fold(n) for n in members if shapes.is_inn(n)}) > 1:
            return False
        new: list[str] = []
        for name in names:
            if fold(name) not in self._index and all(fold(name) != fold(n) for n in new):
                new.append(name)
        known_targets = self._targets.get(gids[0], []) if len(gids) == 1 else []
        if len(gids) <= 1 and not new and all(t in known_targets for t in targets):
            return False  # nothing to learn: the lexicon stays as it is
        keep = next((g for g in gids if g in self._curated), gids[0] if gids else None)
        if keep is None:
            keep = len(self._groups)
            self._groups.append([])
        for g in gids:
            if g != keep:
                for name in self._groups[g]:
                    self._index[fold(name)] = keep
                self._groups[keep].extend(self._groups[g])
                self._targets.setdefault(keep, []).extend(self._targets.pop(g, []))
                self._groups[g] = []
        for name in new:
            self._index[fold(name)] = keep
            self._groups[keep].append(name)
        if targets:
            known = self._targets.setdefault(keep, [])
            known.extend(t for t in targets if t not in known)
        if keep not in self._curated:
            self._groups[keep].sort(key=shapes.rank)
        if new and self._lexicon is not None:
            # Only new names change what the lexicon finds (a merge joins names it already
            # has; targets are not in it), and they are added in place: rebuilding the whole
            # lexicon per learned drug cost most of a poll's CPU on a seeded book.
            self._lexicon.add(self._groups[keep][0], new)
        return True

    # ------------------------------------------------------------------- lookups

    def resolve(self, name: str | None) -> str | None:
        """The canonical name of the drug `name` belongs to, or None if unknown."""
        group = self.group(name)
        return group[0] if group else None

    def group(self, name: str | None) -> tuple[str, ...] | None:
        """All names of the drug `name` belongs to, canonical first."""
        if not name:
            return None
        gid = self._index.get(fold(name))
        return tuple(self._groups[gid]) if gid is not None else None

    def targets(self, name: str) -> tuple[str, ...]:
        gid = self._index.get(fold(name))
        return tuple(self._targets.get(gid, ())) if gid is not None else ()

    def groups(self) -> list[tuple[str, ...]]:
        """Every alias group, canonical name first (inspectable learning)."""
        return [tuple(g) for g in self._groups if g]

    def lexicon(self) -> Lexicon:
        """The book's names as a lexicon (rebuilt after learning)."""
        if self._lexicon is None:
            self._lexicon = Lexicon((g[0], g[1:]) for g in self._groups if g)
        return self._lexicon

    def find(self, text: str) -> list[Hit]:
        """Known names mentioned in `text` as written there (no per-name scan of the book)."""
        return [Hit(text[h.start : h.end], h.start, h.end) for h in self.lexicon().scan(text)]


@cache
def _curated_file() -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[str, ...]]]:
    with open(DATA_DIR / "aliases.toml", "rb") as fh:
        table = tomllib.load(fh)
    groups = []
    targets: dict[str, tuple[str, ...]] = {}
    for drug in table.get("drug", []):
        groups.append((drug["name"], *drug.get("aliases", [])))
        if drug.get("targets"):
            targets[drug["name"]] = tuple(drug["targets"])
    return tuple(groups), targets
