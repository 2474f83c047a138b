"""The issuer's ticker: "(Nasdaq: ABCD)", "(HKEX: 2171)", "2171.HK", "股份代号：2171"."""

from __future__ import annotations

import re

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


# Stock codes as Chinese and Japanese releases write them: "香港联交所股份代号：2171",
# "证券代码：688235", "証券コード：4503", "東証プライム：4503" (NFKC made the colon ASCII).
_CJK_SUFFIX = {"股份代号": ".HK", "股份代號": ".HK", "股票代码": ".HK", "股票代碼": ".HK",
               "联交所": ".HK", "聯交所": ".HK", "港交所": ".HK", "香港交易所": ".HK",
               "证券代码": ".SS", "証券コード": ".T", "コード番号": ".T", "東証プライム": ".T",
               "東証スタンダード": ".T", "東証グロース": ".T", "東証マザーズ": ".T", "東証": ".T"}
_CJK_MARKS = re.compile(
    "股份代|股票代|证券代码|証券コード|コード番号|東証|联交所|聯交所|港交所|香港交易所")
_CJK_CODE = re.compile(
    "(?P<ex>" + "|".join(sorted(_CJK_SUFFIX, key=len, reverse=True))
    + r")\s*[:：]?\s*(?P<sym>\d{4,6})(?!\d)"
)


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
    m = _CJK_CODE.search(text) if _CJK_MARKS.search(text) else None
    if m:
        sym, suffix = m.group("sym"), _CJK_SUFFIX[m.group("ex")]
        if suffix == ".HK":
            return f"{int(sym):04d}.HK"
        return sym + (".SZ" if suffix == ".SS" and sym[0] in "03" else suffix)
    if ".HK" not in text and ".S" not in text and ".T" not in text:
        return None  # every suffixed code has one of these
    m = _SUFFIXED.search(text)
    return m.group(1).upper() if m else None


# A bare symbol after the issuer's name: "Tessellate Bio (TSLT) Q2 2024 Earnings Call" at the
# start of a headline, or "Orvane Bio (ORVB) said" anywhere.
_TITLE_BARE = re.compile(r"^[A-Z][\w&.,' \-]{1,60}? \(([A-Z]{2,5})\)(?= )")
_BARE_SAID = re.compile(r"(?<=[a-z.]) \(([A-Z]{2,5})\),? (?:said|says|announced|reported|today)\b")
_NOT_SYMBOLS = frozenset([
    "FDA", "EMA", "NMPA", "MHRA", "PMDA", "CEO", "CFO", "IND", "BLA", "NDA", "CRL", "MAA", "EU",
    "US", "USA", "UK", "CAR", "NK", "ADC", "AAV", "ALS", "SMA", "DMD", "AML", "ALL", "CLL", "MM",
    "NSCLC", "SCLC", "HCC", "CRC", "GBM", "GVHD", "RSV", "HIV", "COVID", "DSMB", "IRB", "CMO"])


def bare_ticker(title: str, text: str) -> str | None:
    """A bare "(SYM)" after the issuer's name: opening the headline, or before "said"."""
    m = _TITLE_BARE.match(title) if "(" in title else None
    if not m:
        full = f"{title}\n{text[:3000]}"
        m = _BARE_SAID.search(full) if ") " in full else None
    return m.group(1) if m and m.group(1) not in _NOT_SYMBOLS else None
