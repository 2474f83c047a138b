"""The target lexicon (bot/data/targets.txt): canonical symbols and their aliases.

`canonical_target("CLDN18.2") == "Claudin18.2"`, `canonical_target("tnfrsf17") == "BCMA"`.
Used by the extractor and, for alias-aware matching, by the store and commands.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from bot.extract.lexicon import DATA_DIR, Hit, Lexicon, load

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


def find_targets(text: str) -> list[Hit]:
    """Every target mention in `text`, with its span."""
    return lexicon().scan(text)


# "designed to increase fetal hemoglobin": what a drug does, not what it binds.
_EFFECT_BEFORE = re.compile(
    r"\b(?:increas\w*|induc\w*|induction\s+of|rais\w*|elevat\w*|boost\w*|reactivat\w*|"
    r"restor\w*|upregulat\w*)\s+(?:(?:the|of|levels?\s+of)\s+)?$", re.IGNORECASE)
# "KRAS G12D": a mutation of a gene the lexicon knows.
_MUTATION = re.compile(r"(\S+) [A-Z]\d+[A-Z]?")


def is_effect(text: str, hit: Hit) -> bool:
    """Whether a target mention names an effect the drug has, not its target."""
    return bool(_EFFECT_BEFORE.search(text, max(0, hit.start - 40), hit.start))


def gene_of(canonical: str) -> str | None:
    """The gene a mutation-level target belongs to ("KRAS G12D" -> "KRAS"), if listed."""
    m = _MUTATION.fullmatch(canonical)
    return canonical_target(m.group(1)) if m else None


_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@cache
def _native() -> tuple[dict[str, str], re.Pattern[str]]:
    with open(DATA_DIR / "native_targets.toml", "rb") as fh:
        table = dict(tomllib.load(fh))
    names = sorted(table, key=len, reverse=True)
    return table, re.compile("|".join(re.escape(n) for n in names))


def native_targets(text: str) -> list[Hit]:
    """Targets named in Chinese, Japanese or Korean (bot/data/native_targets.toml)."""
    if not _CJK.search(text):
        return []
    table, pattern = _native()
    return [Hit(table[m.group()], m.start(), m.end()) for m in pattern.finditer(text)]
