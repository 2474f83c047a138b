"""Issuers named in Chinese, Japanese or Korean, mapped to their English names.

The table is bot/data/issuers.toml (native name -> English name). CJK text has no
spaces, so native names are found as substrings, longest first.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from bot.extract.lexicon import DATA_DIR

# Any CJK ideograph, kana or hangul: texts without one are not searched.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@cache
def _table() -> dict[str, str]:
    with open(DATA_DIR / "issuers.toml", "rb") as fh:
        return dict(tomllib.load(fh))


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(_table(), key=len, reverse=True)))


def find_issuer(text: str) -> str | None:
    """The English name of the first issuer of the table named in `text`, if any."""
    if not _CJK.search(text):
        return None
    m = _pattern().search(text)
    return _table()[m.group()] if m else None
