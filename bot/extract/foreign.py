"""Clinical-hold cues in other languages, from bot/data/vocabulary.toml.

A clause in Chinese, Japanese, French, ... counts as a hold (or a lift, when a
lift word is present) when it names the hold in that language and no negation
of that language appears in it. Split from `cues.py`, which asks here only when
no English cue was found.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

from bot.extract.lexicon import DATA_DIR

_CUE_WORDS = ("hold", "lift", "partial")


@cache
def _table() -> dict[str, Any]:
    with open(DATA_DIR / "vocabulary.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def languages() -> tuple[dict[str, re.Pattern[str] | None], ...]:
    """One compiled alternation per language and word class."""
    out = []
    for words in _table().values():
        compiled: dict[str, re.Pattern[str] | None] = {}
        for key in ("hold", "partial", "lift", "negation", "regulator", "convert", "remain",
                    "history", "partly", "after", "perfect", "months"):
            compiled[key] = _word_alternation(words.get(key, []))
        out.append(compiled)
    return tuple(out)


def hold_nouns() -> list[str]:
    """Every language's words for "clinical hold", lower case."""
    return [w.lower() for words in _table().values() for w in words.get("hold", [])]


def _word_alternation(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word.lower())
        # Latin-script words need word boundaries ("si" must not fire inside "aussi");
        # CJK has no spaces, so its words are matched as substrings.
        parts.append(escaped if _is_cjk(word) else rf"(?<![^\W\d_]){escaped}(?![^\W\d_])")
    return re.compile("|".join(parts))


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)


@cache
def _any_word() -> re.Pattern[str]:
    """Any foreign hold noun, lift or partial word, boundaries checked: most clauses have none."""
    parts = [p.pattern for lang in languages() for k in _CUE_WORDS if (p := lang[k])]
    return re.compile("|".join(parts))


@cache
def _any_substring() -> re.Pattern[str]:
    """The same words as bare substrings: a superset of `_any_word` that the regex engine
    can scan for by first character, where the boundary look-behinds force a try at
    every position. Only clauses it matches need the exact test."""
    words = {w.lower() for words in _table().values() for k in _CUE_WORDS
             for w in words.get(k, [])}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def foreign_cues(clause: str) -> list[tuple[str, int, int, bool]]:
    """(kind, start, end, partial) of the hold named in a lower-cased clause, if any."""
    if not _any_substring().search(clause) or not _any_word().search(clause):
        return []
    for lang in languages():
        hold = lang["hold"].search(clause) if lang["hold"] else None
        lift = lang["lift"].search(clause) if lang["lift"] else None
        partial = lang["partial"].search(clause) if lang["partial"] else None
        if hold is None and "clinical hold" in clause and (lift or partial):
            hold = re.search("clinical hold", clause)
        if hold is None:
            continue
        negation, history = lang["negation"], lang["history"]
        if (negation and negation.search(clause)) or (history and history.search(clause)):
            return []
        if _background(lang, clause):
            return []  # "nadat de FDA de stop in maart had opgeheven": an older event
        convert = lang["convert"].search(clause) if lang["convert"] else None
        remain = lang["remain"].search(clause) if lang["remain"] else None
        partly = lang["partly"].search(clause) if lang["partly"] else None
        if lift and ((partial and convert) or partly
                     or (remain and not _is_cjk(remain.group()))):
            return [("partial_lift", hold.start(), hold.end(), True)]
        if convert and not lift:
            return []  # "wandelt den Stopp um": eased or made full, the details tell which
        if remain and not lift:
            # "the hold continues": the status of an older hold, not news; beside a lift in
            # another clause it says restrictions remain (CJK "continue" is too common)
            return [] if _is_cjk(remain.group()) else [("remain", hold.start(), hold.end(),
                                                        partial is not None)]
        return [("lift" if lift else "hold", hold.start(), hold.end(), partial is not None)]
    return []


def _background(lang: dict[str, re.Pattern[str] | None], clause: str) -> bool:
    """An "after ..." clause, or a past perfect dated to a month: not this item's news."""
    after, perfect, months = lang["after"], lang["perfect"], lang["months"]
    if after and after.search(clause):
        return True
    return bool(perfect and months and perfect.search(clause) and months.search(clause))
