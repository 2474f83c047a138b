"""Text clean-up and splitting shared by every extractor step.

Feed text arrives with HTML leftovers, zero-width and bidi controls, odd
spaces and sometimes megabytes of noise. Everything downstream works on the
cleaned, length-capped string produced here, so the regexes stay simple and
the run time stays bounded.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

# Press releases carry the news in the first few thousand characters; capping
# the analysed text keeps one pathological item from stalling a batch.
MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 600

# Tags go; a ticker in angle brackets stays (Japanese wire copy: "ビーム<BEAM>"): a run of
# 2-5 capitals that is not an upper-case HTML tag's name.
_TAGS = re.compile(r"<(?!(?!(?:BR|HR|TD|TR|TH|LI|UL|OL|EM|DL|DT|DD|DIV|IMG|SUB|SUP|PRE|NOBR|"
                   r"SPAN|FONT|BODY|HTML|HEAD|META|LINK|CODE|TABLE|TITLE|STYLE|SMALL|CENTER|"
                   r"STRONG|H[1-6])>)[A-Z]{2,5}>)[^>]{0,400}>")
# Zero-width, bidi overrides/isolates, BOM, soft hyphen and C0/C1 controls except \n and \t.
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_CURLY = "\u2018\u2019\u201c\u201d"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# The runs _SPACES would change: a run of two or more, or one character that is not " ".
# Leaving single spaces alone gives the same text without rebuilding it at every word.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACES_TO_FIX = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)
_NEWLINES = re.compile(r"\s*\n\s*")
# A line break inside a sentence (hard-wrapped copy): the next line goes on in lower case.
_WRAPPED = re.compile(r"\n(?=[a-z])(?<![.!?:;\"')\]]\n)")  # starts with \n: a fast scan

# Sentence ends: Western punctuation followed by space and a capital/digit/quote,
# CJK full stops anywhere, and line breaks. Abbreviations ("Inc.", "Oct.") are
# protected by requiring the next sentence to start like one.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9\u4e00-\u9fff])|(?<=[。！？；])|\n+"
)
# The same split points for text without CJK stops: the whitespace is read before the
# "." behind it is checked, so the regex engine jumps from whitespace to whitespace
# instead of trying a look-behind at every character.
_SENTENCE_END_LATIN = re.compile(
    r"\s(?<=[.!?]\s)\s*(?=[\"'(\[]?[A-Z0-9\u4e00-\u9fff])|\n+"
)
_CJK_STOPS = "。！？；"
_ABBREVIATIONS = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|No|Nos|Dr|Mr|Ms|Mrs|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|U\.S|vs|approx|e\.g|i\.e|Ph|Fig|al)\.$"
)
_ABBREVIATION_REACH = 10


def clean(text: str | None, limit: int = MAX_TEXT_CHARS) -> str:
    """Normalise `text` (NFKC, no tags or controls, straight quotes and dashes, single spaces)."""
    if not text:
        return ""
    text = text[: limit * 3]
    text = _TAGS.sub(" ", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _DASHES.sub("-", text)
    if any(quote in text for quote in _CURLY):  # translate() walks every character
        text = text.translate(_QUOTES)
    if "  " in text or _ODD_SPACE.search(text):  # else no run needs folding
        text = _SPACES_TO_FIX.sub(" ", text)
    if "\n" in text:
        text = _NEWLINES.sub("\n", text)
        text = _WRAPPED.sub(" ", text)
    return text.strip()[:limit]


def sentences(text: str) -> list[str]:
    """Split cleaned text into sentences, keeping abbreviations like "Inc." inside, and the
    ordinal dates of German, Dutch and Nordic copy ("Am 6. September")."""
    out: list[str] = []
    pending = ""
    ordinal = False  # `pending` ends with "6.": it goes on only when a month name follows
    cjk = any(stop in text for stop in _CJK_STOPS)
    for part in (_SENTENCE_END if cjk else _SENTENCE_END_LATIN).split(text):
        if not part or not part.strip():
            continue
        part = part.strip()
        if ordinal and not _MONTH_FIRST.match(part):
            out.append(pending)
            pending = ""
        pending = f"{pending} {part}" if pending else part
        # An abbreviation ends the text and is at most 7 characters long; searching only the
        # tail keeps \b right, since a search from a position still sees the character before.
        tail = max(0, len(pending) - _ABBREVIATION_REACH)
        if _ABBREVIATIONS.search(pending, tail):
            ordinal = False
            continue
        ordinal = pending[-2:-1].isdigit() and pending[-1] == "." and (
            _ORDINAL.search(pending, tail) is not None)
        if ordinal:
            continue
        out.append(pending)
        pending = ""
    if pending:
        out.append(pending)
    return out


# "6." before a month name is a day, not a sentence end (German, Dutch, Nordic dates).
_ORDINAL = re.compile(r"(?<![\d.])\d{1,2}\.$")
_MONTH_FIRST = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|januari|februari|maart|mei|juni|juli|augustus|oktober|Jan|Feb|Mär|Apr|Jun|Jul|"
    r"Aug|Sep|Sept|Okt|Nov|Dez)\b\.?")


# What makes a sentence carry content (the headline of an item without a title): six words,
# or a run of CJK text; not a stock-quote line ("Acme Inc. Common Stock (NASDAQ: ACME)").
_CONTENT_WORD = re.compile(r"[^\W\d_]{2,}")
_CJK_CHAR = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_QUOTE_LINE = re.compile(r"\b(?:common\s+stock|ordinary\s+shares|american\s+depositary)\b[^a-z]*$",
                         re.IGNORECASE)
# The boilerplate of an SEC form's cover page.
_COVER_LINE = re.compile(
    r"\b(?:pursuant\s+to\s+(?:section|rule)|securities\s+exchange\s+act|commission\s+file|"
    r"exact\s+name\s+of\s+(?:the\s+)?registrant|check\s+the\s+appropriate\s+box|"
    r"indicate\s+by\s+check\s+mark|emerging\s+growth\s+company|irs\s+employer|"
    r"principal\s+executive\s+offices|telephone\s+number,?\s+including|"
    r"jurisdiction\s+of\s+incorporation|title\s+of\s+each\s+class|trading\s+symbol|"
    r"name\s+of\s+each\s+exchange|date\s+of\s+report|17\s+cfr)", re.IGNORECASE)
_CONTENT_WORDS = 6
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|"
                   rf"\d{{1,2}}\.?\s+{_MONTHS}\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d")
# What stands beside the date on such a line: the date itself, a time, "updated", a bar.
_DATE_LINE_BITS = re.compile(
    rf"{_DATE.pattern}|\d{{1,2}}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s+(?:et|est|edt|pt|"
    rf"pst|pdt|gmt|utc|cet))?|\b(?:updated|published|posted|last|by|on)\b|[|•·]")
_DATE_LINE_WORDS = 4  # an outlet's name or a byline has fewer words than this beside it
_CONTENT_CJK = 8
# Wire and scraper prefixes before a headline's subject: "date 2017-03-06 March 6",
# "Oct 7 (Reuters) -", "BRIEF-".
_HEAD_JUNK = re.compile(
    r"^(?:date\s+\d{4}(?:-\d\d){0,2}\s+)?(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}\s+)?"
    r"(?:\((?:Reuters|AP|Bloomberg|Dow Jones)\)\s*-+\s*|BRIEF-|UPDATE\s+\d+-)?")


def carries_content(sentence: str) -> bool:
    """Whether a sentence says something (not a cover line, byline, date or quote line)."""
    words = sentence.split(None, _CONTENT_LOOK)
    if len(words) < _CONTENT_WORDS:  # too few words, unless it is CJK text
        return len(_CJK_CHAR.findall(sentence[:200])) >= _CONTENT_CJK
    if sum(w[:2].isalpha() for w in words[:_CONTENT_LOOK]) < _CONTENT_WORDS and len(
            _CONTENT_WORD.findall(sentence[:400])) < _CONTENT_WORDS:
        return False
    low = sentence.lower()
    if len(words) < _CONTENT_LOOK and _DATE.search(low) and len(
            _CONTENT_WORD.findall(_DATE_LINE_BITS.sub(" ", low))) < _DATE_LINE_WORDS:
        return False  # a date with an outlet or a byline: "Fierce Biotech February 29, 2024"
    if any(hint in low for hint in _COVER_HINTS) and _COVER_LINE.search(sentence):
        return False
    return not (any(hint in low for hint in _QUOTE_HINTS) and _QUOTE_LINE.search(sentence))


# Every match of _COVER_LINE / _QUOTE_LINE holds one of these (substring tests are cheaper
# than running the patterns on every sentence).
_COVER_HINTS = ("pursuant", "exchange act", "commission", "registrant", "check", "growth",
                "employer", "executive", "telephone", "incorporation", "class", "symbol",
                "report", "cfr")
_QUOTE_HINTS = ("stock", "shares", "depositary")
_CONTENT_LOOK = 12


def strip_head_junk(headline: str) -> str:
    """A headline without its wire or scraper prefix ("Oct 7 (Reuters) - ", "BRIEF-")."""
    m = _HEAD_JUNK.match(headline)
    return headline[m.end():] if m and m.end() else headline


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Comparison key: lower case, only letters and digits (CLDN18.2 == cldn 18-2).
    Remembered: the same drug and company names are folded many times per item."""
    return _NOT_ALNUM.sub("", text.casefold())


_NOT_ALNUM = re.compile(r"[\W_]+")


# Runs of Latin/Greek letters or of digits (TGF-β, CD19 -> CD + 19, so "CD-19",
# "CD 19" and "CD19" tokenise alike); CJK and punctuation separate tokens, so
# "靶向BCMA的" still yields "BCMA". A bispecific "BCMAxCD3" is split at the x.
_TOKEN = re.compile(r"[A-Za-z\u0370-\u03ff]+|[0-9]+")
_BISPECIFIC_X = re.compile(r"(?<=[A-Z0-9])[x×](?=[A-Z])")


class Token:
    """One word of the text: its folded form, the original spelling and its span."""

    __slots__ = ("end", "key", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.key = text.casefold()
        self.start = start
        self.end = end


def tokenize(text: str) -> list[Token]:
    """The words of `text` with their character spans (one regex pass)."""
    text = _BISPECIFIC_X.sub(" ", text)
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
