"""Target names through the extractor's lexicon.

`bot.extract.targets.canonical_target` maps "CLDN18.2" / "claudin 18.2" to
"Claudin18.2"; a name the lexicon does not know (or a lexicon that fails) leaves
the raw, upper-cased value, so storing an event never breaks on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.extract.targets import canonical_target as lexicon_target


def canonical_target(name: str) -> str:
    try:
        found = lexicon_target(name)
    except Exception:  # a lexicon bug must not break storing an event
        found = None
    return found or name.strip().upper()


def canonical_targets(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(canonical_target(n) for n in names if n.strip()))
