"""The target lexicon (bot/data/targets.txt): canonical symbols and their aliases.

`canonical_target("CLDN18.2") == "Claudin18.2"`, `canonical_target("tnfrsf17") == "BCMA"`.
Used by the extractor and, for alias-aware matching, by the store and commands.
"""

from __future__ import annotations

from functools import cache

from bot.extract.lexicon import Hit, Lexicon, load

_PREFIXES = ("anti", "car", "targeting", "targeted", "directed")


@cache
def lexicon() -> Lexicon:
    """The target lexicon, loaded once."""
    return load("targets.txt")


def canonical_target(text: str | None) -> str | None:
    """The canonical symbol for any spelling of a target ("anti-CD19" -> "CD19"), or None."""
    if not text:
        return None
    found = lexicon().canonical(text)
    if found:
        return found
    # Users type "anti-CD19", "CAR-BCMA" or "BCMA-targeted": try without the decoration.
    lowered = text.strip().casefold()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            found = lexicon().canonical(text.strip()[len(prefix) :])
            if found:
                return found
    for suffix in ("-targeted", "-directed", " targeted", " directed"):
        if lowered.endswith(suffix):
            return lexicon().canonical(text.strip()[: -len(suffix)])
    return None


def all_targets() -> list[str]:
    """Every canonical target symbol, in lexicon order."""
    return lexicon().names()


def target_aliases(canonical: str) -> tuple[str, ...]:
    """The aliases listed for a canonical target (empty if unknown)."""
    return lexicon().aliases(canonical)


def find_targets(text: str) -> list[Hit]:
    """Every target mention in `text`, with its span."""
    return lexicon().scan(text)
