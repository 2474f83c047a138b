"""One "did you mean": the known names closest to what a user typed (pure).

Every lookup and subscription that misses asks this function, so `/drug zevor-cell`,
`/target BCM` and `/holds subscribe target BCM` offer the same names by the same rule:
names are compared as keys without case, spaces or punctuation ("CLDN18.2" ~ "cldn182"),
scored with rapidfuzz's plain `ratio` (edit similarity of the whole key, 0-100), and
offered from `CUTOFF` up, best first. `ratio`, not `WRatio`: WRatio scores a short
query inside any longer name as a near-perfect partial match, so "CD" would offer
every CD-numbered target.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

LIMIT = 3
CUTOFF = 70  # below this a name is not offered ("BCM" ~ "BCMA" scores 86)

_NOT_WORD = re.compile(r"[\W_]+")

# Named examples, checked by tests/test_suggest.py: (typed, known names, offered).
EXAMPLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("BCM", ("BCMA", "GPRC5D", "CD19"), ("BCMA",)),
    ("zevor-cell", ("zevor-cel", "satri-cel"), ("zevor-cel",)),
    ("cldn18", ("Claudin18.2", "CD19"), ("Claudin18.2",)),
    ("CD2", ("CD19", "CD20", "CD22", "CD47"), ("CD20", "CD22")),
    ("CD", ("CD19", "CD20", "CD22", "CD47", "CD123"), ()),
    ("aspirin", ("zevor-cel", "BCMA"), ()),
)


def key(name: str) -> str:
    """`CLDN18.2`, `cldn 18-2` and `Cldn182` are the same key."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", name).casefold())


def suggest(
    typed: str, names: Iterable[str] | Mapping[str, str], *, limit: int = LIMIT
) -> tuple[str, ...]:
    """Up to `limit` known names that look like `typed`, best first, each once.

    `names` may map each known spelling to the name to offer for it (an alias to its
    drug's canonical name); the first spelling of a key wins.
    """
    wanted = key(typed)
    if not wanted:
        return ()
    shown = names if isinstance(names, Mapping) else {n: n for n in names}
    by_key: dict[str, str] = {}
    for spelling, offer in shown.items():
        if k := key(spelling):
            by_key.setdefault(k, offer)
    found = process.extract(wanted, list(by_key), scorer=fuzz.ratio, score_cutoff=CUTOFF,
                            limit=None)
    ranked = sorted(found, key=lambda hit: (-hit[1], hit[2]))  # best score, then first known
    offers = dict.fromkeys(by_key[choice] for choice, _score, _index in ranked)
    return tuple(offers)[:limit]
