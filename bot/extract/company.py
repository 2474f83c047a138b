"""The issuer and its ticker: "(Nasdaq: ABCD)", "2171.HK", the dateline, the headline.

Company names are shortened to what people call them: legal suffixes
("Holdings Limited", "Inc.", "Co., Ltd.") are dropped, so the CARsgen release
and a news story about "CARsgen Therapeutics" name the same company.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_EXCHANGES: tuple[tuple[str, str], ...] = (
    # (pattern for the exchange label, ticker suffix; "" = US listing, written bare)
    (r"nasdaq(?:\s+(?:global|capital)(?:\s+(?:select|market))*)?|nyse(?:\s+(?:american|mkt|arca))?"
     r"|otcqx|otcqb|otc\s+markets|otc|amex", ""),
    (r"hkex|hkse|sehk|hong\s+kong\s+stock\s+exchange|stock\s+code|hk", ".HK"),
    (r"sse|shanghai\s+stock\s+exchange|star\s+market", ".SS"),
    (r"szse|shenzhen\s+stock\s+exchange", ".SZ"),
    (r"tsx(?:-?v)?|tsxv", ".TO"),
    (r"asx", ".AX"),
    (r"lse|aim|london\s+stock\s+exchange", ".L"),
    (r"tse|tyo|tokyo\s+stock\s+exchange|tse\s+prime", ".T"),
    (r"euronext\s+paris", ".PA"),
    (r"euronext\s+amsterdam", ".AS"),
    (r"euronext\s+brussels", ".BR"),
    (r"six(?:\s+swiss\s+exchange)?", ".SW"),
    (r"kosdaq", ".KQ"),
    (r"krx|kospi", ".KS"),
    (r"xetra|fse|frankfurt", ".DE"),
)
_TICKER = re.compile(
    r"\b(?P<ex>" + "|".join(f"(?:{p})" for p, _ in _EXCHANGES)
    + r")\s*[:：]\s*(?P<sym>[A-Z0-9][A-Z0-9.\-]{0,9})\b",
    re.IGNORECASE,
)
_SUFFIXED = re.compile(r"\b(\d{3,5}\.HK|\d{6}\.S[HSZ]|\d{4}\.T)\b")

_WORD = r"(?:[A-Z][\w&'.\-]*|[0-9][\w\-]*[A-Za-z][\w\-]*)"
_LEGAL_TAIL = (
    r"(?:,?\s+(?:Inc|Ltd|Corp|Co|plc|LLC|N\.V|S\.A|AG|SE|Limited|GmbH)\.?(?:,?\s+Ltd\.?)?)?"
)
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|&|and|of|de|du|la)){{0,7}}{_LEGAL_TAIL}"
_NAME_BEFORE_TICKER = re.compile(rf"({_NAME})\s*(?:,\s*)?\((?=[^()]{{0,120}}?[:：]\s*[A-Z0-9])")
# The same match without its look-ahead, for a window that ends at a paren known to pass it.
_NAME_BEFORE_PAREN = re.compile(rf"({_NAME})\s*(?:,\s*)?\(")
_TICKER_PAREN = re.compile(r"\((?=[^()]{0,120}?[:：]\s*[A-Z0-9])")
_DATELINE = re.compile(rf"(?:--|—|/)\s*({_NAME})(?=\s*(?:,|\(|today\b|announced\b|\bhas\b|said\b))")
_ANNOUNCED = re.compile(rf"\b({_NAME})(?:,\s+[^,]{{2,60}},)?\s+(?:today\s+)?(?:announced|reported|"
                        rf"said|disclosed|confirmed|stated)\b")
_TITLE_SUBJECT = re.compile(
    rf"^({_NAME})(?=\s+(?:Announces?|Receives?|Reports?|Provides?|Says|Gets|Obtains|Confirms?|"
    rf"Updates?|Issues|Resumes?|Pauses?|Halts?|Secures?|Completes?|Doses?|Submits?|Statement|"
    rf"Comments?|Shares|Stock|Discloses?|Placed|Hit|Faces|Lifts?|Wins|Regains|Clears)\b)"
)
_POSSESSIVE = re.compile(rf"({_NAME})['’]s\b")
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Holdings?|Group|Co\.?,?|Company|Corporation|Corp\.?|Incorporated|Inc\.?|Ltd\.?|"
    r"Limited|LLC|L\.L\.C\.|plc|PLC|N\.V\.|NV|S\.A\.|SA|SE|AG|GmbH|A/S|AB|ASA|Oyj|K\.K\.|S\.p\.A\.|"
    r"B\.V\.))+\.?$"
)
_NOT_COMPANIES = re.compile(
    r"^(?:the|a|an|fda|u\.s\.|us|food|today|this|it|we|our|shares|stock|company|biotech|phase|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"clinical|breaking|update|exclusive|report|news|analysts?|investors?|health|sources?)\b",
    re.IGNORECASE,
)
_DISEASE_POSSESSIVES = frozenset(
    ["parkinson", "alzheimer", "huntington", "crohn", "hodgkin", "graves", "sjogren", "wilson",
     "gaucher", "pompe", "fabry", "tay-sachs", "duchenne", "becker", "friedreich", "gehrig"]
)


# ASCII digits and punctuation other than "-", and the colons: no exchange label (letters,
# spaces, hyphens) nor the space before its colon contains one.
_LABEL_BREAK = re.compile(r"[!-,./0-@\[-`{-~：]")
_SPACE_RUN = re.compile(r"\s*")
_SYMBOL_REACH = 11  # a symbol is at most 10 characters; its \b looks at one more


def _first_ticker(text: str) -> re.Match[str] | None:
    """`_TICKER.search(text)`, searching only the stretch of label characters before each colon.

    Every match is a label, spaces and a colon: it starts after the last break before its
    colon and ends a symbol's length after it. Searching the whole text instead tries the
    long alternation at each of its positions.
    """
    run_start = 0
    for brk in _LABEL_BREAK.finditer(text):
        at = brk.start()
        if brk.group() in ":：":
            reach = _SPACE_RUN.match(text, at + 1).end() + _SYMBOL_REACH  # type: ignore[union-attr]
            m = _TICKER.search(text, run_start, reach)
            if m and m.start() < at:
                return m
        run_start = at + 1
    return None


# Substrings every match of a pattern contains (one of each group).
_MARKS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    _DATELINE: (("--", "—", "/"),),
    _ANNOUNCED: (("announced", "reported", "said", "disclosed", "confirmed", "stated"),),
    _POSSESSIVE: (("'s", "’s"),),
}


def find_ticker(text: str) -> str | None:
    """The issuer's ticker: the first "(Exchange: SYM)" or a suffixed code like "2171.HK"."""
    m = _first_ticker(text)
    if m:
        label = m.group("ex").lower()
        sym = m.group("sym").upper().rstrip(".")
        for pattern, suffix in _EXCHANGES:
            if re.fullmatch(pattern, label, re.IGNORECASE):
                if not suffix or "." in sym:
                    return sym
                if suffix == ".HK" and sym.isdigit():
                    return f"{int(sym):04d}.HK"
                return sym + suffix
    if ".HK" not in text and ".S" not in text and ".T" not in text:
        return None  # every suffixed code has one of these
    m = _SUFFIXED.search(text)
    return m.group(1).upper() if m else None


def find_company(title: str, text: str) -> str | None:
    """The issuer: named with its ticker, in the dateline, in the headline, or as announcer."""
    for pattern, where in (
        (_NAME_BEFORE_TICKER, text[:3000]),
        (_DATELINE, text[:600]),
        (_TITLE_SUBJECT, title),
        (_POSSESSIVE, title),
        (_ANNOUNCED, text[:1500]),
        (_NAME_BEFORE_TICKER, title),
    ):
        if not all(any(mark in where for mark in group) for group in _MARKS.get(pattern, ())):
            continue  # cannot match: skip a scan that would try every position
        found = (_names_before_ticker(where) if pattern is _NAME_BEFORE_TICKER
                 else pattern.finditer(where))
        for m in found:
            name = _tidy(m.group(1))
            if name:
                return name
    return None


def _names_before_ticker(where: str) -> Iterator[re.Match[str]]:
    """The matches of _NAME_BEFORE_TICKER.finditer(where), in order, found faster.

    A match is a name (no parentheses in it) ending at a "(" that a ticker follows. So for
    each such paren only the stretch after the previous parenthesis is searched, instead
    of trying the long name pattern at every capital letter of the text.
    """
    done = 0  # where the previous match ended: finditer goes on from there
    for paren in _TICKER_PAREN.finditer(where):
        at = paren.start()
        after_previous = max(where.rfind("(", 0, at), where.rfind(")", 0, at)) + 1
        m = _NAME_BEFORE_PAREN.search(where, max(after_previous, done), at + 1)
        if m:
            done = m.end()
            yield m


def _tidy(name: str) -> str | None:
    name = name.strip(" ,.;:\"'")
    # A dateline glued to the name: "SHANGHAI, China, Oct. 31 -- CARsgen ..." keeps the last part.
    name = re.split(r"\s(?:--|—)\s", name)[-1]
    name = _LEGAL_SUFFIX.sub("", name).strip(" ,")
    name = _LEGAL_SUFFIX.sub("", name).strip(" ,")
    if not name or _NOT_COMPANIES.match(name) or len(name) > 60:
        return None
    if name.lower().split("'")[0] in _DISEASE_POSSESSIVES:
        return None
    if not any(ch.islower() for ch in name) and len(name) > 12:
        return None  # an all-caps headline fragment, not a name
    return name
