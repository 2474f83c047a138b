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

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.extract.text import fold, tokenize

_TOKEN = re.compile(r"[A-Za-z\u0370-\u03ff]+|[0-9]+")
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9\u0370-\u03ff]")
_JOINER = re.compile(r"[\s\-./+()'*:]*")
# A short capitalised code prefix and its hyphen right before a word: "ZN-" of "ZN-c3".
# "CAR-" and "TCR-" name what the target is aimed at ("CAR-BCMA"), so they do not count.
_CODE_HEAD = re.compile(r"(?<![\w-])(?!(?:CAR|TCR|ADC|TCE)-)[A-Z]{1,4}-$")

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The "x" joining a bispecific's two targets; the literal comes first so the engine scans
# for it instead of trying a look-behind at every position.
_BISPECIFIC = re.compile(r"[x×](?<=[A-Z0-9][x×])(?=[A-Z])")
Trie = dict[str, "Trie"]  # one letter -> the rest; "" marks a whole word


@dataclass(frozen=True)
class Hit:
    """One lexicon entry found in text, with the character span of the words."""

    canonical: str
    start: int
    end: int


def _case_sensitive(alias: str) -> bool:
    # "MET", "KIT", "ALL", "MM": capitals only, otherwise they are ordinary words; so are
    # short letter-digit symbols ("C3", "F9"), which lower-case code fragments ("ZN-c3") spell.
    return (len(alias) <= 5 and alias.isalpha() and alias.isupper()) or (
        len(alias) <= 3 and alias.isalnum() and alias.isupper())


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
        self._longest = max((n for ns in self._lengths.values() for n in ns), default=1)
        # Bumped by every in-place change, so caches built from this lexicon know they are stale.
        self.version = 0

    def add(self, canonical: str, names: Iterable[str]) -> None:
        """Add names of `canonical` in place (the alias book learns without a rebuild)."""
        known = self._entries.get(canonical)
        fresh = [n for n in dict.fromkeys(names) if n != canonical and n not in (known or ())]
        for name in fresh if known is not None else [canonical, *fresh]:
            first = self._add(canonical, name)
            if first is not None:
                self._lengths[first] = tuple(sorted(set(self._lengths[first]), reverse=True))
                self._longest = max(self._longest, self._lengths[first][0])
        self._entries[canonical] = (*(known or ()), *fresh)
        self.version += 1

    def _add(self, canonical: str, name: str) -> str | None:
        """Index one name; returns its first word (None when it has no word)."""
        key = fold(name)
        if not key:
            return None
        sensitive = _case_sensitive(name)
        # The first entry to claim a key keeps it: files list the specific sense first.
        self._by_key.setdefault(key, (canonical, sensitive))
        words = [t.key for t in tokenize(name)]
        if not words:
            return None
        token_key = "".join(words)
        self._by_tokens.setdefault(token_key, (canonical, sensitive))
        self._lengths[words[0]] = (*self._lengths.get(words[0], ()), len(words))
        return words[0]

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

    def scan(self, text: str) -> list[Hit]:
        """Every entry mentioned in `text`, longest alias first at each position."""
        return scan_all(text, (self,))[0]

    def first_words(self) -> list[str]:
        return list(self._lengths)

    def span_lengths(self, first_word: str) -> tuple[int, ...]:
        """Word counts of the aliases starting with `first_word`, longest first."""
        return self._lengths.get(first_word, ())

    @property
    def longest(self) -> int:
        return self._longest

    def _hit(self, text: str, words: Sequence[re.Match[str]], keys: Sequence[str],
             lengths: Sequence[int]) -> Hit | None:
        """The longest alias of `lengths` words spelled by the words starting at words[0]."""
        for length in lengths:
            if length > len(words):
                continue
            found = self._by_tokens.get("".join(keys[:length]))
            if found is None:
                continue
            canonical, sensitive = found
            window = words[:length]
            if sensitive and not all(w.group().isupper() or w.group().isdigit() for w in window):
                continue
            start, end = window[0].start(), window[-1].end()
            head = text[start - 1 : start] == "-" and _CODE_HEAD.search(
                text, max(0, start - 6), start)
            if head and head.group()[:-1].casefold() not in self._by_tokens:
                continue  # the tail of a drug code ("ZN-C3"), not a target ("BCMA-CD3" is)
            if sensitive and text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit():
                continue  # the head of a drug code ("WRN-202"), not a target
            glued = (start > 0 and _TOKEN_CHAR.match(text, start - 1)) or _TOKEN_CHAR.match(
                text, end)
            # Words of one alias are joined by spaces or light punctuation, never by a comma.
            split = any(not _JOINER.fullmatch(text, a.end(), b.start())
                        for a, b in itertools.pairwise(window))
            if glued or split:
                continue
            return Hit(canonical, start, end)
        return None

    def find_names(self, text: str) -> list[str]:
        """Canonical names found in `text`, each once, in order of first mention."""
        return list(dict.fromkeys(h.canonical for h in self.scan(text)))


def scan_all(text: str, lexicons: tuple[Lexicon, ...]) -> list[list[Hit]]:
    """Hits of several lexicons in one pass over `text` (one list per lexicon).

    A compiled trie of all the aliases' first words finds the few places where an
    alias can start (in C); only there are the following words tokenised and looked up.
    """
    results: list[list[Hit]] = [[] for _ in lexicons]
    last_end = [-1] * len(lexicons)
    if ("x" in text or "×" in text) and _BISPECIFIC.search(text):
        # "CD20xCD3", "BCMA×CD3": a bispecific names two targets (same length, same offsets)
        text = _BISPECIFIC.sub(" ", text)
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered
        low = text
    for start in _starts(low, lexicons):
        live = [k for k, end in enumerate(last_end) if start >= end]
        if not live:
            continue
        following = _TOKEN.finditer(text, start)
        first = next(following, None)
        if first is None or first.start() != start:
            continue  # lowering made a letter of a non-letter (the Kelvin sign): no word here
        key = first.group().casefold()
        spans = [lexicons[k].span_lengths(key) for k in live]
        # Only as many words as the longest alias starting with this word can span.
        wanted = max((lengths[0] for lengths in spans if lengths), default=1)
        words = [first, *itertools.islice(following, wanted - 1)]
        keys = [key, *[w.group().casefold() for w in words[1:]]]
        for k, lengths in zip(live, spans, strict=True):
            if not lengths:
                continue  # no alias of this lexicon starts with the word
            hit = lexicons[k]._hit(text, words, keys, lengths)
            if hit:
                results[k].append(hit)
                last_end[k] = hit.end
    return results


def _starts(low: str, lexicons: tuple[Lexicon, ...]) -> Iterable[int]:
    """Where a first word of an alias stands in `low` as a whole token, left to right."""
    words = _first_words(lexicons, tuple(lx.version for lx in lexicons))
    if words is None:
        regex = _union_regex(lexicons, tuple(lx.version for lx in lexicons))
        return (m.start() for m in regex.finditer(low))
    # Each first word is one whole lower-case letter or digit run, exactly what the trie
    # regex's look-arounds accept, so a set lookup per token finds the same starts (the
    # trie tried its look-behind at every character: ~40% slower).
    return [m.start() for m in _TOKEN.finditer(low) if m.group() in words]


@functools.lru_cache(maxsize=16)
def _first_words(lexicons: tuple[Lexicon, ...], versions: tuple[int, ...]
                 ) -> frozenset[str] | None:
    """The aliases' first words, or None when one is not a lower-case token (regex then).

    `versions` is part of the cache key: a lexicon changed in place gets a fresh set."""
    words = frozenset(w for lx in lexicons for w in lx.first_words())
    plain = all(w == w.lower() and _TOKEN.fullmatch(w) for w in words)
    return words if plain else None


@functools.lru_cache(maxsize=16)
def _union_regex(lexicons: tuple[Lexicon, ...], versions: tuple[int, ...]) -> re.Pattern[str]:
    return _trie_regex(sorted({w for lx in lexicons for w in lx.first_words()}))


def _trie_regex(words: list[str]) -> re.Pattern[str]:
    """A regex matching any of `words` (lower case) as a whole token, built as a trie."""

    def render(node: Trie) -> str:
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    letters = [w for w in words if not w.isdigit()]
    digits = [w for w in words if w.isdigit()]
    parts = []
    if letters:
        parts.append(r"(?<![A-Za-z\u0370-\u03ff])" + render(_build(letters))
                     + r"(?![A-Za-z\u0370-\u03ff])")
    if digits:
        parts.append(r"(?<![0-9])" + render(_build(digits)) + r"(?![0-9])")
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE if not all(
        w == w.lower() for w in words) else 0)


def _build(words: list[str]) -> Trie:
    trie: Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


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
