"""How news copy names the company, where company.py's release patterns do not reach.

Trade press and wire briefs name the sponsor in constructions a press release never uses:
"Bluebird Bio Inc (BLUE.O) said", "Xencor (XNCR +1%) announces", "Rocket Pharmaceuticals
RCKT.O", "FDA hits ALX Oncology with ...", "hold on Cell Therapeutics drug", "three CARsgen
CAR-T therapies", "FDA requests Sarepta Therapeutics to ...", "Merck's HIV drug",
"d'Iovance". Each is a pattern over the headline or the first part of the text; what they
find is validated like every other candidate (company.py `_tidy`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

PRODUCT = (r"(?:drugs?|programs?|programmes?|stud(?:y|ies)|trials?|therap(?:y|ies)|"
            r"candidates?|vaccines?|products?|assets?|compounds?|CAR-?\s?Ts?|gene\s+therap\w+|"
            r"cell\s+therap\w+|pills?|treatments?|medicines?|antibod(?:y|ies)|INDs?)")
_COUNT = r"(?:two|three|four|five|six|seven|eight|several)"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Words that end a name read backwards from a possessive: "Trials For Merck's" -> "Merck".
_STOP = frozenset({
    "for", "on", "of", "to", "at", "in", "by", "from", "with", "and", "or", "after", "over",
    "as", "the", "a", "an", "fda", "fda's", "u.s.", "us", "its", "allow", "allows", "lifts",
    "lift", "places", "place", "puts", "put", "hits", "hit", "halts", "initiates", "clears",
    "says", "said", "drug", "drugs", "trial", "trials", "study", "studies", "lower-dose",
    "lower", "dose", "new",
})
_CAP_WORD = re.compile(r"[A-Z0-9][\w&.\-]*")


_NOT_TICKERS = (r"(?!(?:FDA|EMA|NMPA|MHRA|CDE|CHMP|PRAC|CBER|CDER|DSMB|IDMC|IND|BLA|NDA|EU|US|UK|"
                r"WHO|NIH|CEO|CFO|SAE|AE)\b)")
_SAID = r"(?:said|says|announced|announces|reported|reports|disclosed)"
# The verbs of "FDA requests/told X to/that": a trie (an alternation of words is tried at
# every position of the text).
_ASKS = (r"(?:a(?:dvise[ds]?|llows?|sks?)|cl(?:ears?)|directs?|informs?|informed|lets|"
         r"notifie[ds]|notifies|orders?|requests?|t(?:ells?|old))")
_WINDOW = 90  # how far before an anchor a name may start


class Anchored:
    """A name written right before an anchor ("... (BLUE.O) said"): the anchor is found
    first (a cheap search), then the name is read back from it, instead of trying the long
    name pattern at every capital letter of the text. With `after`, the name must also be
    followed by that ("X on Monday said")."""

    def __init__(self, anchor: str, name: str, before: str = "", marks: tuple[str, ...] = (),
                 *, bounded: bool = False) -> None:
        self.anchor = re.compile(anchor)
        self.name = re.compile(rf"({name}){before}\s*$")
        self.marks = marks
        self.bounded = bounded  # the anchor must start a word (checked here, not by the regex)

    def __call__(self, where: str) -> Iterator[str]:
        """The names, first one first (lazily: the caller stops at the first valid one)."""
        if self.marks and not any(mark in where for mark in self.marks):
            return
        for m in self.anchor.finditer(where):
            if self.bounded and not starts_word(where, m.start()):
                continue
            before = self.name.search(where, max(0, m.start() - _WINDOW), m.start())
            if before:
                yield before.group(1)


class Led:
    """A name written right after an anchor ("biotechnology company Acme", "l'essai de
    Acme"): the anchor words are found first, then the name is matched after them."""

    def __init__(self, anchor: str, name: str, marks: tuple[str, ...] = (), *,
                 bounded: bool = True) -> None:
        self.anchor = re.compile(anchor)
        self.name = re.compile(name)
        self.marks = marks
        self.bounded = bounded  # the anchor must start a word

    def __call__(self, where: str) -> Iterator[str]:
        if self.marks and not any(mark in where for mark in self.marks):
            return
        for m in self.anchor.finditer(where):
            if not self.bounded or starts_word(where, m.start()):
                after = self.name.match(where, m.end())
                if after:
                    yield after.group(1)


def starts_word(text: str, at: int) -> bool:
    """Whether a word starts at `at` (a cheaper test than a look-behind in the pattern,
    which would make the regex engine try it at every position)."""
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "-")


Step = re.Pattern[str] | Anchored | Led
# Substrings a pattern cannot match without (it is skipped on a text that has none).
MARKS: dict[re.Pattern[str], tuple[str, ...]] = {}


def _marked(pattern: str, *marks: str) -> re.Pattern[str]:
    compiled = re.compile(pattern)
    MARKS[compiled] = marks
    return compiled


def news_patterns(name: str, short: str) -> tuple[tuple[Step, str], ...]:
    """(step, where) pairs; `where` is "title", "text" or "both". Group 1 is the company."""
    return (
        # "Bluebird Bio Inc (BLUE.O) said", "Xencor (XNCR +1% ) announces"
        (Anchored(rf"\(\s*{_NOT_TICKERS}[A-Z]{{1,5}}(?:\.[A-Z]{{1,2}})?(?:\s*[+-]?[\d.,]+%)?"
                  rf"\s*\)\s*,?\s+(?:{_SAID}|today|has|have|is|on|shares|stock)\b", name,
                  marks=("(",)), "both"),
        # "ALX Oncology $ALXO has", "Halozyme Therapeutics ($HALO)"
        (Anchored(r"\$[A-Z]{2,5}\b", name, r"\s+\(?", marks=("$",)), "both"),
        # "Rocket Pharmaceuticals RCKT.O"
        (Anchored(r"[A-Z]{2,5}\.(?:O|N|OQ|K|L|HK|T|PA|DE|AS|SW)\b", name, r"\s",
                  marks=(".O", ".N", ".K", ".L", ".HK", ".T", ".PA", ".DE", ".AS", ".SW")),
         "both"),
        # "FDA hits ALX Oncology with", "FDA requests Sarepta Therapeutics to suspend"
        # (verb-first patterns start with their words, not \b, so a fast scan finds them)
        (_marked(rf"(?:hits?|slaps?|hands?|saddles?)\s+({short})\s+with\b",
                 "hit", "slap", "hand", "saddle"), "both"),
        # "The FDA told Solaris Gene that ...", "notified Acme that"
        (_marked(rf"{_ASKS}\s+({short})\s+(?:to|that)\b",
                 "request", "ask", "order", "tell", "told", "direct", "allow", "clear", "lets",
                 "inform", "notif", "advise"), "both"),
        # "hold on Cell Therapeutics drug", "three CARsgen CAR-T therapies"
        # (a title-case headline capitalises the product: "on Acme Phase 1 Trial"; the
        # product ends its noun phrase: "On Adaptive Trial Designs" names no owner)
        (re.compile(rf"\b(?:on|for|of|halts?|stops?|pauses?|On|For|Of|Halts?|Stops?|Pauses?)\s+"
                    rf"({short})\s+(?:Phase\s+[\dIV/ab]+\s+)?(?:[\w-]+\s+)?(?i:{PRODUCT})\b"
                    rf"(?=\s*(?:$|[,;:.!?)\-–]|(?i:after|in|for|of|over|at|to|with|amid|on|"
                    rf"following|due|as|because|pending|until)\b))"), "title"),
        # "three CAR-T products from CARsgen Therapeutics"
        (_marked(rf"{PRODUCT}\s+from\s+({short})\b", " from "), "both"),
        (_marked(rf"{_COUNT}\s+(?:of\s+)?({short})\s+(?:[\w-]+\s+)?{PRODUCT}\b",
                 "two", "three", "four", "five", "six", "seven", "eight", "several"), "both"),
        # "X said on Thursday", "X on Wednesday reported"
        (Anchored(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", name,
                  rf"\s+(?:{_SAID}\s+(?:late\s+)?)?(?:on\s+)?", marks=("day",)), "text"),
        # "d'Iovance Biotherapeutics", "de Cellectis"
        (_marked(rf"d['’]({short})\b", "d'", "d’"), "both"),
    )


# A possessive ending: "'s", a plural's "'", or a quote mark standing alone (" ' ").
_APOSTROPHE = re.compile(r"['’](?:s\b|(?<=s['’])(?=\s)|(?<=\s['’])(?=\s))")


def possessive_names(text: str) -> Iterator[str]:
    """Names written with a possessive ("Merck's HIV drug", "Cellectis ' UCART123",
    "Intellia Therapeutics' trials"), read backwards to the first word that ends a name
    (lazily: the caller stops at the first valid one)."""
    for m in _APOSTROPHE.finditer(text):
        words = text[max(0, m.start() - 80) : m.start()].split()
        name: list[str] = []
        for word in reversed(words):
            clean = word.strip(",;:()\"")
            if (clean != word and name) or clean.lower() in _STOP or not _CAP_WORD.fullmatch(clean):
                break
            name.insert(0, clean)
            if len(name) == 4:
                break
        if name:
            yield " ".join(name)
