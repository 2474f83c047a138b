"""Alias lexicons (targets, indications, curated drugs) and fast lookup in text.

A lexicon file has one entry per line: ``canonical | alias | alias ...``;
``#`` starts a comment. Lookup folds case, spaces, hyphens and dots, so
"CLDN18.2", "claudin 18.2" and "Claudin-18.2" are the same key. Short all-caps
aliases ("MET", "KIT", "MM") only match when written in capitals, so the verb
"met" or the word "kit" never become a target or a disease.

Finding entries in text does not scan the lexicon: the text is tokenised once
and only tokens that can start an alias are tried, against a dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.extract.text import Token, fold, tokenize

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Hit:
    """One lexicon entry found in text, with the character span of the words."""

    canonical: str
    start: int
    end: int


def _case_sensitive(alias: str) -> bool:
    # "MET", "KIT", "ALL", "MM": capitals only, otherwise they are ordinary words.
    return len(alias) <= 5 and alias.isalpha() and alias.isupper()


class Lexicon:
    """canonical name -> aliases, with case/separator-insensitive lookup."""

    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._entries: dict[str, tuple[str, ...]] = {}
        self._by_key: dict[str, tuple[str, bool]] = {}
        self._by_tokens: dict[str, tuple[str, bool]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}
        for canonical, aliases in entries:
            names = (canonical, *[a for a in aliases if a != canonical])
            self._entries[canonical] = names[1:]
            for name in names:
                self._add(canonical, name)
        for first, lengths in list(self._lengths.items()):
            self._lengths[first] = tuple(sorted(set(lengths), reverse=True))

    def _add(self, canonical: str, name: str) -> None:
        key = fold(name)
        if not key:
            return
        sensitive = _case_sensitive(name)
        # The first entry to claim a key keeps it: files list the specific sense first.
        self._by_key.setdefault(key, (canonical, sensitive))
        words = [t.key for t in tokenize(name)]
        if not words:
            return
        token_key = "".join(words)
        self._by_tokens.setdefault(token_key, (canonical, sensitive))
        self._lengths[words[0]] = (*self._lengths.get(words[0], ()), len(words))

    def canonical(self, text: str | None) -> str | None:
        """The canonical name for any spelling of an alias, or None."""
        if not text:
            return None
        hit = self._by_key.get(fold(text))
        return hit[0] if hit else None

    def names(self) -> list[str]:
        return list(self._entries)

    def aliases(self, canonical: str) -> tuple[str, ...]:
        return self._entries.get(canonical, ())

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every entry mentioned in the tokens, longest alias first at each position."""
        hits: list[Hit] = []
        i, n = 0, len(tokens)
        while i < n:
            lengths = self._lengths.get(tokens[i].key)
            step = 1
            if lengths:
                for length in lengths:
                    if i + length > n:
                        continue
                    window = tokens[i : i + length]
                    found = self._by_tokens.get("".join(t.key for t in window))
                    if found is None:
                        continue
                    canonical, sensitive = found
                    if sensitive and not all(t.text.isupper() for t in window):
                        continue
                    if _glued(tokens, i, i + length):
                        continue
                    hits.append(Hit(canonical, window[0].start, window[-1].end))
                    step = length
                    break
            i += step
        return hits

    def find_names(self, tokens: Sequence[Token]) -> list[str]:
        """Canonical names found, each once, in order of first mention."""
        return list(dict.fromkeys(h.canonical for h in self.find(tokens)))


def _glued(tokens: Sequence[Token], first: int, stop: int) -> bool:
    """True when the window is part of a longer word ("CLL" in "CLL1", "MM" in "MM12")."""
    before = first > 0 and tokens[first - 1].end == tokens[first].start
    after = stop < len(tokens) and tokens[stop].start == tokens[stop - 1].end
    return before or after


def parse_lines(lines: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Parse ``canonical | alias | ...`` lines, skipping blanks and # comments."""
    entries = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|") if p.strip()]
        entries.append((parts[0], parts[1:]))
    return entries


def load(filename: str) -> Lexicon:
    """Load a lexicon file from bot/data/."""
    text = (DATA_DIR / filename).read_text(encoding="utf-8")
    return Lexicon(parse_lines(text.splitlines()))
