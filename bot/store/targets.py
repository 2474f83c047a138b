"""Target names through the extractor's lexicon, when it is there.

`bot.extract.targets.canonical_target` maps "CLDN18.2" / "claudin 18.2" to
"Claudin18.2". It is imported lazily so the store keeps working (with the raw,
upper-cased value) if the lexicon is missing or broken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

_canonical: Callable[[str], str | None] | None = None


def canonical_target(name: str) -> str:
    global _canonical
    if _canonical is None:
        try:
            from bot.extract.targets import canonical_target as lexicon
        except Exception as exc:  # any import failure: fall back, never break the store
            log.debug("target lexicon unavailable (%s): using raw names", exc)

            def lexicon(text: str) -> str | None:
                return None

        _canonical = lexicon
    try:
        found = _canonical(name)
    except Exception:  # a lexicon bug must not break storing an event
        found = None
    return found or name.strip().upper()


def canonical_targets(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(canonical_target(n) for n in names if n.strip()))
