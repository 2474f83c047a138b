"""Drug mentions in text, grouped into drugs with their aliases.

Names are found by shape (INN stems, short names, code names, ®-marked brands)
and by the alias book (curated and learned names). Names the text ties
together - "zevorcabtagene autoleucel (zevor-cel, CT053)", "CT041, also known
as satri-cel", "BNT326/YL202" - become one drug; a book group joins them too.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.extract import names as shapes
from bot.extract.aliases import AliasBook
from bot.extract.indications import canonical_indication
from bot.extract.lexicon import Hit
from bot.extract.rules import trie_pattern
from bot.extract.targets import canonical_target
from bot.extract.text import fold


@dataclass(frozen=True)
class Mention:
    name: str
    start: int
    end: int


_PAREN = re.compile(r"\(([^()]{1,160})\)")
_AKA = re.compile(
    r"^\s*,?\s*(?:also\s+(?:known|referred\s+to)\s+as|a\.?k\.?a\.?|formerly(?:\s+known\s+as)?|"
    r"previously\s+(?:known\s+as|called)|f/k/a|or|now\s+called|now\s+known\s+as|also\s+called)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_BRAND_BEFORE_PAREN = re.compile(r"\b([A-Z][A-Za-z]{3,20})\s?(?:®|™)?\s*$")
_LEADING_WORDS = frozenset(
    ["The", "A", "An", "Its", "Our", "This", "That", "These", "Those", "FDA", "Company", "In",
     "On", "For", "With", "And", "Or", "Of", "Phase", "Study"]
)


def find_mentions(text: str, book: AliasBook, book_hits: Sequence[Hit] | None = None
                  ) -> list[Mention]:
    """Every drug-name occurrence in text, left to right, non-overlapping.

    `book_hits` are the book's names already found in `text` (else they are looked up).
    """
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(name: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Mention(name, start, end))

    for hit in book.find(text) if book_hits is None else book_hits:
        add(text[hit.start : hit.end], hit.start, hit.end)
    inns = shapes.inn_spans(text)
    for name, start, end in inns:
        if " " in name:
            add(name, start, end)
    for m in shapes.short_names(text):
        add(m.group(1), m.start(1), m.end(1))
    for m in shapes.CODE.finditer(text):
        if shapes.code_ok(m) and not canonical_target(m.group()) and not canonical_indication(
                m.group()):
            add(m.group(), m.start(), m.end())
    for name, start, end in inns:
        if " " not in name and not _is_company_word(text, end):
            add(name, start, end)
    for m in shapes.brands(text):
        add(m.group(1), m.start(1), m.end(1))
    for name, start, end in shapes.camel_products(text):
        add(name, start, end)
    for name, start, end in _short_forms(text, inns):
        add(name, start, end)
    found.sort(key=lambda x: x.start)
    for brand, start, end in _brands_before_inn(text, found):
        add(brand, start, end)
    found.sort(key=lambda x: x.start)
    return found


# "camidanlumab tesirine (Cami)": a short name in brackets that begins the INN.
_SHORT_PAREN = re.compile(r"\s*\(([A-Z][a-z]{2,7})\)")
# "COVID-19-Influenza Combination (CIC) vaccine": a vaccine named by description + acronym.
_VACCINE = re.compile(r"((?:[A-Z][\w-]*\s+){1,5})\(([A-Z]{2,6})\)\s+vaccine\b")


def _short_forms(text: str, inns: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Bracketed short names of INNs, and acronym-named vaccines with their description."""
    found = []
    for name, _, end in inns:
        m = _SHORT_PAREN.match(text, end)
        if m and name.lower().startswith(m.group(1).lower()):
            found.append((m.group(1), m.start(1), m.end(1)))
    if "vaccine" in text:
        for m in _VACCINE.finditer(text):
            words = m.group(1).strip()
            found.append((f"{words} vaccine", m.start(1), m.start(1) + len(words)))
            found.append((m.group(2), m.start(2), m.end(2)))
    return found


# A code that names a study, not a drug: "the HGB-206 study", "Study ALD-104", "(HGB-204) trial".
_STUDY_BEFORE = re.compile(r"\b(?:study|studies|trial|trials|(?:treated|enrolled|dosed|"
                           r"participating|randomi[sz]ed)\s+in)\s*\(?$", re.IGNORECASE)
_STUDY_AFTER = re.compile(r"^\)?(?:\s*(?:,|and|or|/)\s*(?:phase\s+[\d/ab]+\s+)?[A-Z][A-Za-z]*[- ]?"
                          r"\d+[A-Za-z]?)*\s*"
                          r"(?:study|studies|trial|trials|protocol)\b", re.IGNORECASE)


def study_names(text: str, mentions: Sequence[Mention]) -> set[str]:
    """Folded code names every mention of which is written as the name of a study."""
    seen: dict[str, bool] = {}
    for m in mentions:
        if not shapes.is_code(m.name):
            continue
        study = bool(_STUDY_BEFORE.search(text, max(0, m.start - 12), m.start)
                     or _STUDY_AFTER.match(text[m.end : m.end + 60]))
        key = fold(m.name)
        seen[key] = seen.get(key, True) and study
    return {key for key, study in seen.items() if study}


# What a combination partner is written after: "in combination with pembrolizumab", "plus
# azacitidine", "with or without venetoclax" (a few words may stand between).
_PARTNER_BEFORE = re.compile(
    r"(?:\bin\s+combination\s+with|\bcombined\s+with|\bcombination\s+with|\btogether\s+with"
    r"|\bplus|\bwith\s+or\s+without|\balongside|\bon\s+top\s+of|\badded\s+to|\bbackbone\s+of"
    r"|\bcombinations?\s+(?:of|including)\s+\S+\s+(?:and|with|plus)"
    # the same in Spanish, French, German, Italian
    r"|\ben\s+combinaci[oó]n\s+con|\bcombinad[oa]s?\s+con|\bjunto\s+con|\basociad[oa]\s+a"
    r"|\ben\s+(?:combinaison|association)\s+avec|\bassoci[ée]e?s?\s+[àa]"
    r"|\bin\s+kombination\s+mit|\bkombiniert\s+mit|\bzusammen\s+mit"
    r"|\bin\s+combinazione\s+con)"
    r"\s+(?:(?:the|a|an|standard|approved|anti-PD-1|checkpoint|inhibitor|therapy|agent|la|el|le|"
    r"l'|der|die|dem)\s+){0,3}$",
    re.IGNORECASE)
# Every _PARTNER_BEFORE match holds one of these (a substring test first is much cheaper).
_PARTNER_KEYS = ("combin", "together", "plus", "without", "alongside", "top of", "added to",
                 "backbone", "junto", "asocia", "associ", "kombin", "zusammen")
_LIST_JOIN = re.compile(r"^\s*(?:,|and|or|/|,\s*and|,\s*or)\s*$")


def partner_names(text: str, mentions: Sequence[Mention]) -> set[str]:
    """Folded names every mention of which is a combination partner ("in combination with
    X", "plus X", and the names listed right after such a partner)."""
    seen: dict[str, bool] = {}
    previous: Mention | None = None
    previous_partner = False
    for m in mentions:
        before = text[max(0, m.start - 60) : m.start]
        lowered = before.lower()
        partner = (any(key in lowered for key in _PARTNER_KEYS)
                   and bool(_PARTNER_BEFORE.search(before))) or (
            previous_partner and previous is not None
            and bool(_LIST_JOIN.match(text[previous.end : m.start])))
        key = fold(m.name)
        seen[key] = seen.get(key, True) and partner
        previous, previous_partner = m, partner
    return {key for key, partner in seen.items() if partner}


# What a drug of the background is written after, in its sentence: an approval ("last week's
# FDA approval of Acme's Kymriah"), earlier lines of treatment ("failed three prior lines of
# therapy, including X"), examples of a class ("such as X"), the parent of a prodrug, another
# company's drug ("a rival's", "另一家公司的基因疗法X").
_BACKGROUND_CUES = (
    "approval", "approved", "approves", "prior line", "prior therap", "prior treatment",
    "prior regimen", "previously treated", "failed", "failure of", "refractory to", "such as",
    "standard of care", "prodrug of", "analog of", "analogue of", "derivative of",
    "biosimilar", "marketed", "already on the market", "commercial", "another company",
    "another drugmaker", "another sponsor", "rival", "competitor", "另一家", "另一間", "其他公司",
    "竞争对手", "競爭對手", "他社")
# Found in one pass over the lower-cased text: where each cue ends, where each sentence ends.
_BACKGROUND_CUE = re.compile(trie_pattern(sorted(_BACKGROUND_CUES)))
_SENTENCE_STOP = re.compile(r"[.;:!?。！？]")
_BACKGROUND_REACH = 100


def background_names(text: str, mentions: Sequence[Mention]) -> set[str]:
    """Folded names every mention of which is written as background in its sentence: an
    approved product, an earlier therapy, an example of a class, a prodrug's parent."""
    if not mentions:
        return set()
    low = text.lower()
    cues = [m.end() for m in _BACKGROUND_CUE.finditer(low)]
    if not cues:
        return set()
    stops = [m.start() for m in _SENTENCE_STOP.finditer(low)]
    seen: dict[str, bool] = {}
    for m in mentions:
        key = fold(m.name)
        if not seen.get(key, True):
            continue  # one mention written as news already keeps it
        cue = bisect.bisect_right(cues, m.start) - 1
        stop = bisect.bisect_left(stops, m.start) - 1
        since = max(m.start - _BACKGROUND_REACH, stops[stop] if stop >= 0 else -1)
        seen[key] = cue >= 0 and cues[cue] > since
    return {key for key, background in seen.items() if background}


def _is_company_word(text: str, end: int) -> bool:
    # "Intercept Pharmaceuticals", "Genentech Inc" - a capitalised stem word before a company noun.
    return bool(re.match(r"\s+(?:Pharma\w*|Therapeutics|Bio\w*|Inc|Corp\w*|Ltd|Limited|Holdings)",
                         text[end : end + 20]))


def group_mentions(text: str, mentions: Sequence[Mention], book: AliasBook) -> list[list[str]]:
    """Names grouped into drugs: by text (parentheses, a.k.a., slash) and by the book."""
    parent: dict[str, str] = {}
    display: dict[str, str] = {}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        ra, rb = find(fold(a)), find(fold(b))
        if ra == rb:
            return
        members = [n for n in display.values() if find(fold(n)) in (ra, rb)]
        if _two_inns(members):
            return  # never merge two different INNs into one drug
        parent[rb] = ra

    for m in mentions:
        key = fold(m.name)
        if key and key not in parent:
            parent[key] = key
            display[key] = m.name
    for a, b in _textual_links(text, mentions):
        union(a.name, b.name)
    for key, name in list(display.items()):
        group = book.group(name)
        if group:
            group_keys = {fold(n) for n in group}
            for other_key, other in display.items():
                if other_key != key and other_key in group_keys:
                    union(name, other)
    groups: dict[str, list[str]] = {}
    for key, name in display.items():
        groups.setdefault(find(key), []).append(name)
    return list(groups.values())


def _two_inns(names: Sequence[str]) -> bool:
    return len({fold(n) for n in names if shapes.is_inn(n)}) > 1


def _textual_links(text: str, mentions: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    links: list[tuple[Mention, Mention]] = []
    for m in _PAREN.finditer(text):
        inside = [x for x in mentions if m.start(1) <= x.start and x.end <= m.end(1)]
        before = [x for x in mentions if x.end <= m.start() and text[x.end : m.start()].strip(
            " ®™") == ""]
        if not inside:
            continue
        if before:
            links.extend((before[-1], x) for x in inside if _alias_item(text, m, x))
    for a, b in itertools.pairwise(mentions):
        between = text[a.end : b.start]
        if between == "/" or _AKA.match(between):
            links.append((a, b))
    return links


def _alias_item(text: str, paren: re.Match[str], mention: Mention) -> bool:
    """A name in parentheses is an alias when it is a list item, not part of a phrase."""
    inside = paren.group(1)
    items = [i.strip(" ®™\"'") for i in re.split(r"[,;/]|\bor\b|\balso known as\b", inside)]
    prefixes = ("formerly", "also", "aka", "f/k/a", "previously")
    return mention.name in items or any(
        i.endswith(mention.name) and len(i) - len(mention.name) < 12
        and i.lower().startswith(prefixes)
        for i in items
    )


def _brands_before_inn(text: str, mentions: Sequence[Mention]) -> list[tuple[str, int, int]]:
    """Brands written "Carvykti (ciltacabtagene autoleucel)": a capitalised word before an INN."""
    brands = []
    for m in _PAREN.finditer(text):
        inside = [x for x in mentions if m.start(1) <= x.start and x.end <= m.end(1)
                  and shapes.is_inn(x.name)]
        if not inside or any(x.end <= m.start() and text[x.end : m.start()].strip(" ®™") == ""
                             for x in mentions):
            continue
        lookback = max(0, m.start() - 25)
        brand = _BRAND_BEFORE_PAREN.search(text[lookback : m.start()])
        if brand and brand.group(1) not in _LEADING_WORDS and not _is_company_word(
                text, lookback + brand.end(1)):
            brands.append((brand.group(1), lookback + brand.start(1), lookback + brand.end(1)))
    return brands
