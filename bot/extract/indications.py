"""The indication lexicon (bot/data/indications.txt): normalised disease names.

`canonical_indication("r/r MM") == "multiple myeloma"`. Used by the extractor and
by the store and commands for `subscribe indication ...`.
"""

from __future__ import annotations

from functools import cache

from bot.extract.lexicon import Lexicon, load


@cache
def lexicon() -> Lexicon:
    """The indication lexicon, loaded once."""
    return load("indications.txt")


def canonical_indication(text: str | None) -> str | None:
    """The normalised disease name for any listed spelling, or None."""
    return lexicon().canonical(text)


def all_indications() -> list[str]:
    """Every canonical indication, in lexicon order."""
    return lexicon().names()
