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

_PRODUCT = (r"(?:drugs?|programs?|programmes?|stud(?:y|ies)|trials?|therap(?:y|ies)|"
            r"candidates?|vaccines?|products?|assets?|compounds?|CAR-?\s?Ts?|gene\s+therap\w+|"
            r"cell\s+therap\w+|pills?|treatments?|medicines?|antibod(?:y|ies)|INDs?)")
_COUNT = r"(?:two|three|four|five|six|seven|eight|several|all|both|\d+)"
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


def news_patterns(name: str, short: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, where) pairs; `where` is "title" or "text". Group 1 is the company."""
    return (
        # "Bluebird Bio Inc (BLUE.O) said", "Xencor (XNCR +1% ) announces"
        (re.compile(rf"({name})\s*\(\s*(?!(?:FDA|EMA|NMPA|MHRA|CDE|CHMP|PRAC|CBER|CDER|DSMB|IDMC|IND|BLA|NDA|EU|US|UK|WHO|NIH|CEO|"
                    rf"CFO|SAE|AE)\b)"
                    rf"[A-Z]{{1,5}}(?:\.[A-Z]{{1,2}})?(?:\s*[+-]?[\d.,]+%)?\s*\)"
                    rf"\s*,?\s+(?:said|says|announced|announces|reported|reports|disclosed|"
                    rf"today|has|have|is|on|shares|stock)\b"), "both"),
        # "ALX Oncology $ALXO has", "Halozyme Therapeutics ($HALO)"
        (re.compile(rf"({name})\s+\(?\$[A-Z]{{2,5}}\b"), "both"),
        # "Rocket Pharmaceuticals RCKT.O"
        (re.compile(rf"({name})\s+[A-Z]{{2,5}}\.(?:O|N|OQ|K|L|HK|T|PA|DE|AS|SW)\b"), "both"),
        # "FDA hits ALX Oncology with", "FDA requests Sarepta Therapeutics to suspend"
        (re.compile(rf"\b(?:hits?|slaps?|hands?|saddles?)\s+({short})\s+with\b"), "both"),
        (re.compile(rf"\b(?:requests?|asks?|orders?|tells?|directs?|allows?|clears?|lets)\s+"
                    rf"({short})\s+to\b"), "both"),
        # "hold on Cell Therapeutics drug", "three CARsgen CAR-T therapies"
        (re.compile(rf"\b(?:on|for|of|halts?|stops?|pauses?)\s+({short})\s+{_PRODUCT}\b"), "title"),
        (re.compile(rf"\b{_COUNT}\s+(?:of\s+)?({short})\s+(?:[\w-]+\s+)?{_PRODUCT}\b"), "both"),
        # "X said on Thursday", "X on Wednesday reported"
        (re.compile(rf"({name})\s+(?:said|says|announced|reported|disclosed)\s+(?:late\s+)?"
                    rf"(?:on\s+)?{_DAY}\b|({name})\s+(?:on\s+)?{_DAY}\s+(?:said|announced|"
                    rf"reported|disclosed)\b"), "text"),
        # "d'Iovance Biotherapeutics", "de Cellectis"
        (re.compile(rf"\bd['’]({short})\b"), "both"),
    )


def possessive_names(text: str) -> list[str]:
    """Names written with a possessive ("Merck's HIV drug", "Cellectis ' UCART123",
    "Intellia Therapeutics' trials"), read backwards to the first word that ends a name."""
    found = []
    for m in re.finditer(r"(?:['’]s\b|(?<=s)['’](?=\s)|\s['’]\s)", text):
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
            found.append(" ".join(name))
    return found
