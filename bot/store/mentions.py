"""Which known names a report's words contain (pure): matching by the text (issue 12).

The extractor may miss a report's company or drugs; the report still names them. An
open event is known by names — the company's spellings and short forms, every drug
alias, NCT ids and trial names, the ticker — and a text is searched for them with
word boundaries and the spelling freedom of names.drug_key ("CT-041" = "CT041",
"zevor cel" = "zevor-cel"). A one-word company short form ("CARsgen") must be
written with its capital, so "applied" does not find Applied Therapeutics.

`distinctive` gives the proper-name-like tokens of a text, used to tell whether two
reports that name no company and no drug are one story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from bot.store.names import drug_key

_SEP = r"[\s\-‐‑–—_./·]*"
_CHUNK = re.compile(r"[^\W\d_]+|\d+")
_BEFORE = r"(?<![^\W_])"  # not glued to a letter or digit before …
_AFTER = r"(?![^\W_])"  # … or after
_NCT = re.compile(r"^NCT\d{8}$", re.IGNORECASE)
EXCHANGES = ("HKEX", "SEHK", "HK", "Nasdaq", "NASDAQ", "NYSE", "NYSE American", "AMEX",
             "TSX", "LSE", "AIM", "ASX", "SIX", "Euronext", "KOSDAQ", "KRX", "SSE", "SZSE",
             "TSE", "OTC", "OTCQB", "OTCQX")
_EXCHANGE = "(?:" + "|".join(re.escape(e) for e in EXCHANGES) + r")\s*[:：]?\s*"
MIN_NAME_KEY = 3  # shorter names ("T", "AB") find too much


@dataclass(frozen=True)
class Known:
    """The names one event is known by."""

    event_id: str
    company: tuple[str, ...] = ()  # names.company_forms of its company, longest first
    drugs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # drug id -> names
    ids: tuple[str, ...] = ()  # NCT ids and trial names
    ticker: str | None = None

    @cached_property
    def keys(self) -> frozenset[str]:
        """The first chunk of every name: a text without any of them names nothing here."""
        names = [*self.company, *(n for ns in self.drugs.values() for n in ns), *self.ids,
                 re.split(r"[.:]", self.ticker or "")[0]]
        return frozenset(k for k in map(_first_chunk, names) if k)


@dataclass(frozen=True)
class Named:
    """What of one event a text names."""

    event_id: str
    company: bool = False
    drug_ids: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    ticker: bool = False

    @property
    def strength(self) -> int:
        """Drug names, registry ids and tickers identify an event; a company name less so."""
        return 2 * (len(self.drug_ids) + len(self.ids) + self.ticker) + self.company

    def __bool__(self) -> bool:
        return self.strength > 0


def named(text: str, known: Known) -> Named:
    """What of KNOWN the TEXT names."""
    if not text or not known.keys & _chunks(text):
        return Named(known.event_id)
    folded = _folded(text)
    company = any(_has_company(text, form) for form in known.company
                  if _may_have(folded, form))
    drugs = frozenset(d for d, names in known.drugs.items()
                      if any(_may_have(folded, n) and has_name(text, n) for n in names))
    ids = frozenset(i for i in known.ids if _may_have(folded, i) and has_name(text, i))
    ticker = bool(known.ticker) and _has_ticker(text, known.ticker or "")
    return Named(known.event_id, company, drugs, ids, ticker)


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return text.casefold()


@lru_cache(maxsize=64)
def _chunks(text: str) -> frozenset[str]:
    return frozenset(_CHUNK.findall(_folded(text)))


@lru_cache(maxsize=8192)
def _first_chunk(name: str) -> str:
    chunks = _CHUNK.findall(name)
    return chunks[0].casefold() if chunks else ""


def _may_have(folded_text: str, name: str) -> bool:
    """A cheap test before the regex: the name's first chunk is in the text at all."""
    return _first_chunk(name) in folded_text


def strongest(text: str, knowns: Iterable[Known]) -> tuple[Named | None, bool]:
    """The event TEXT names most strongly, and whether that choice was clear. Two events
    named equally strongly (a round-up of two holds) are no clear choice: (None, True)."""
    found = sorted((n for n in (named(text, k) for k in knowns) if n),
                   key=lambda n: (-n.strength, n.event_id))
    if not found:
        return None, False
    if len(found) > 1 and found[1].strength == found[0].strength:
        return None, True
    return found[0], False


def has_name(text: str, name: str) -> bool:
    """NAME in TEXT as a whole word, case-, space- and hyphen-insensitive."""
    pattern = _pattern(name)
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=8192)
def _pattern(name: str) -> re.Pattern[str] | None:
    name = name.strip()
    if len(drug_key(name)) < MIN_NAME_KEY:
        return None
    if _NCT.match(name):
        return re.compile(_BEFORE + re.escape(name) + _AFTER, re.IGNORECASE)
    chunks = _CHUNK.findall(name)
    if not chunks:
        return None
    return re.compile(_BEFORE + _SEP.join(re.escape(c) for c in chunks) + _AFTER, re.IGNORECASE)


def _has_company(text: str, form: str) -> bool:
    pattern = _pattern(form)
    if pattern is None:
        return False
    if " " in form.strip() or not form[:1].isupper():
        return pattern.search(text) is not None
    # a one-word short form counts only where it is written as a name (capital first)
    return any(m.group(0)[:1].isupper() for m in pattern.finditer(text))


@lru_cache(maxsize=2048)
def _ticker_patterns(ticker: str) -> tuple[re.Pattern[str], ...]:
    symbol = re.split(r"[.:]", ticker.strip())[0] if ticker.strip() else ""
    out: list[re.Pattern[str]] = []
    full = _pattern(ticker)
    if full is not None and ("." in ticker or ":" in ticker):
        out.append(full)
    if symbol:
        out.append(re.compile(_EXCHANGE + re.escape(symbol) + _AFTER))
        if len(symbol) >= 3 and symbol.isalpha() and symbol.isupper():
            out.append(re.compile(_BEFORE + re.escape(symbol) + _AFTER))  # case-sensitive
    return tuple(out)


def _has_ticker(text: str, ticker: str) -> bool:
    return any(p.search(text) for p in _ticker_patterns(ticker))


# ------------------------------------------------------------------ distinctive tokens

_TOKEN = re.compile(r"(?<![^\W_])[^\W_][\w\-.’']*[^\W_]|(?<![^\W_])[^\W_]")
# Capitalised words any clinical-hold story may carry: not evidence that two are one.
_COMMON_WORDS = """
fda u.s food drug administration clinical hold holds partial lift lifted lifts trial trials
study studies phase company companies therapeutics therapeutic biotech biotechnology pharma
pharmaceuticals pharmaceutical bio biosciences oncology inc ltd limited holdings corp the a an
this that these those it its they their in on at of for to from with by after before over
under about as and or but following three two one four five several shares stock investors
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov
dec ind cmc car-t car t-cell cell gene therapy chief executive officer ceo reuters press
release news update agency regulator regulators us usa china chinese american european
"""
COMMON = frozenset(_COMMON_WORDS.split())


def distinctive(text: str) -> frozenset[str]:
    """Tokens that look like proper names or codes ("CARsgen", "CT041", "Arcellx"):
    mixed case, letters with digits, or capitalised and not a common word."""
    out: set[str] = set()
    for token in _TOKEN.findall(text or ""):
        token = token.strip(".'’-")
        low = token.casefold()
        if len(token) < 3 or low in COMMON or low.removesuffix("'s") in COMMON:
            continue
        mixed = any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)
        coded = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
        if mixed or coded or (token[:1].isupper() and len(token) >= 4):
            out.add(low.removesuffix("'s").removesuffix("’s"))
    return frozenset(out)


def report_text(title: str, text: str) -> str:
    return f"{title}\n{text}".strip()


def known_names(names: Sequence[str]) -> tuple[str, ...]:
    """Names worth searching for (long enough to mean something), each once."""
    return tuple(dict.fromkeys(n for n in names if len(drug_key(n)) >= MIN_NAME_KEY))
