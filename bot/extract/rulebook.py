"""The rule book: the rules of bot/data/rules/*.toml, loaded once, and the matchers and
prefilter built from them (bot/extract/rules.py says what a rule is and how one is found).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, cast

from bot.extract.lexicon import DATA_DIR
from bot.extract.rules import CATEGORIES, CJK, JOINER, PHRASE_WORD, Matcher, Rule, trie_pattern

RULES_DIR = DATA_DIR / "rules"


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of bot/data/rules/*.toml, in file order (English first)."""
    rules: list[Rule] = []
    for path in sorted(RULES_DIR.glob("*.toml"), key=lambda p: (p.stem != "en", p.stem)):
        rules.extend(_read(path, start=len(rules)))
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"rule names must be unique; repeated: {duplicates}")
    return tuple(rules)


def _read(path: Path, start: int) -> list[Rule]:
    with path.open("rb") as fh:
        table = tomllib.load(fh)
    lang = table.get("lang", path.stem)
    out = []
    for i, raw in enumerate(table.get("rule", [])):
        if raw.get("category") not in CATEGORIES:
            raise ValueError(f"{path.name}: rule {raw.get('name')!r} has category "
                             f"{raw.get('category')!r}; expected one of {CATEGORIES}")
        for phrase in raw.get("words", []):
            if not CJK.search(phrase) and not all(PHRASE_WORD.fullmatch(t) for t in phrase.split()):
                raise ValueError(f"{path.name}: rule {raw['name']!r}: {phrase!r} is not lower-case "
                                 "words separated by spaces (a final * allowed)")
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        fields.setdefault("lang", lang)
        out.append(Rule(order=start + i, **cast("dict[str, Any]", fields)))
    return out


def rules_of(*categories: str) -> tuple[Rule, ...]:
    return tuple(r for r in all_rules() if r.category in categories)


@cache
def sentence_matcher(headline: bool = False) -> Matcher:
    """The matcher for the words of one sentence (everything but item gates)."""
    skip = "body" if headline else "headline"
    return Matcher(r for r in all_rules() if r.category != "gate" and r.where != skip)


@cache
def gate_matcher(headline: bool = False) -> Matcher:
    """The item-type gates of a headline, or of the lead."""
    wanted = "headline" if headline else "lead"
    return Matcher((r for r in rules_of("gate") if r.where == wanted), prefilter=True)


@cache
def letter_nouns() -> tuple[str, ...]:
    """The letter nouns the letter gates know (their `needs`), in every language."""
    return tuple(sorted({n for r in rules_of("gate") if r.value == "letter" for n in r.needs}))


# Words too common in releases to stand for a trigger phrase in the prefilter.
_COMMON = frozenset({
    "clinical", "regulatory", "trial", "study", "fda", "ind", "the", "to", "a", "an", "on",
    "off", "down", "may", "can", "could", "now", "will", "company", "clinique", "clinico",
    "order", "orders",
    "clínico", "clínica", "clinica", "klinische", "klinischen", "klinischer", "klinisch",
})


@cache
def prefilter() -> re.Pattern[str]:
    """Whether a sentence can hold an act at all: it contains the longest word of a trigger.

    One search of this superset skips most sentences of a release before any matching."""
    stems = set()
    for rule in rules_of("trigger"):
        for phrase in rule.words:
            # the phrase's rarest word: "may resume" needs "resume", "clinical hold" "hold";
            # a phrase of short words is looked for whole ("on ice", not "ice" of "price")
            words = [t.rstrip("*") for t in phrase.split()]
            rare = [w for w in words if w not in _COMMON] or words
            stem = max(rare, key=len)[:6]
            if CJK.search(phrase):
                stem = phrase
            elif len(stem) < _SHORT_STEM and len(words) > 1:
                stem = JOINER.join(words)
            stems.add(stem)
    # a stem containing another is implied by it ("clinical hold" by "hold")
    kept = [s for s in stems
            if not any(t != s and JOINER not in t and t in s.replace(JOINER, " ") for t in stems)]
    return re.compile(trie_pattern(sorted(kept)))


_SHORT_STEM = 5
