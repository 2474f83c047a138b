"""Clause-level cues: where a sentence says a hold was placed, eased or lifted.

Each cue is a regex over the lower-cased clause. A cue only counts when no
negation or hypothetical ("no", "has not", "could", "if the FDA were to") and
no background marker ("previously", "in March", "following the lift of")
governs it. The decision which cue is the *news* of an item is made in
`label.py`; this module only reports what each clause says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.extract.foreign import foreign_cues, hold_nouns
from bot.extract.text import clauses

# Cue kinds, strongest first where it matters:
#   partial_lift  explicit easing (full -> partial, "partially lifted")
#   lift          hold lifted / removed / released
#   resume        "may resume dosing" - a lift only when the item is about a hold
#   remain        "remains on partial clinical hold" - restrictions left after a lift
#   full          a hold explicitly full / made full
#   partial_hold  a partial hold placed
#   hold          a hold placed
#   weak          "clinical hold" named without a verb (headline style)


@dataclass(frozen=True)
class Cue:
    kind: str
    start: int  # offset inside the sentence
    end: int
    partial: bool = False  # the matched words say "partial"
    background: bool = False  # an earlier event told as context


_ART = r"(?:(?:the|a|an|its|all|both|this|these|that|any\s+remaining|remaining)\s+)?"
_FDA_POSS = r"(?:(?:u\.?s\.?\s+)?fda(?:'s)?\s+)?"
_KIND = r"(?P<p>(?:partial|full|complete)\s+)?"
_HOLD = rf"{_ART}{_FDA_POSS}{_KIND}(?P<c>(?:clinical|regulatory)\s+)?holds?\b"
# Words between a verb and "hold" that do not turn it into "address the hold" or "may".
_GAP = (r"(?:(?!(?:not|no|never|to|lift\w*|remov\w*|address\w*|respond\w*|resolv\w*|if|could|"
        r"would|may|might|guidance|draft|responses?|letters?|policy|update)\b)[^\s.;]+\s+){0,16}?")
# Words that may sit between "hold" and "lifted" without reversing the meaning.
_SAFE_WORD = r"(?!(?:not|no|never|yet|to|could|would|may|might|will|should|can|if)\b)[^\s.;]+"

_ENGLISH: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        # full -> partial, or partly lifted: restrictions remain by definition
        ("partial_lift", r"\b(?:lift|remov|releas)\w*\s+(?:of\s+)?" + _ART + _FDA_POSS
         + r"(?:full|complete)\s+(?:clinical\s+)?hold\b.{0,160}?\bpartial\s+(?:clinical\s+)?hold"),
        ("partial_lift", r"\b(?:full|complete)\s+(?:clinical\s+)?hold\b.{0,100}?\b(?:convert|modif|"
         r"chang|downgrad|reduc|amend|replac)\w*\s+(?:\S+\s+){0,4}?(?:to|with)\s+(?:a\s+)?partial"),
        ("partial_lift", r"\b(?:convert|modif|chang|downgrad|amend)\w*\s+" + _ART + _FDA_POSS
         + r"(?:full\s+|complete\s+)?(?:clinical\s+)?hold\s+(?:\S+\s+){0,6}?to\s+(?:a\s+)?partial"),
        ("partial_lift", r"\bpartial(?:ly)?\s+(?:lift|remov|releas|rescind)\w*"
         r"|\bpartial\s+(?:lift|removal|release)\s+of\b"),
        # lifts
        ("lift", r"\b(?:lift(?:s|ed|ing)?|remov(?:e|es|ed|ing)|releas(?:e|es|ed|ing)|"
         r"rescind(?:s|ed)?|clear(?:s|ed)|resolv(?:e|es|ed)|end(?:s|ed))\s+(?:of\s+)?" + _HOLD),
        ("lift", r"\b(?:lift(?:ing)?|removal|release|rescission|resolution|clearance|end)\s+of\s+"
         + _HOLD),
        ("lift", r"\bholds?\b(?:\s+" + _SAFE_WORD + r"){0,16}?\s+(?:(?:has|have|had|was|were|"
         r"is|are|been|being|now|fully|officially|formally|also|successfully)\s+)*(?:lifted|removed|"
         r"released|rescinded)\b"),
        ("lift", r"\bhold[\s-]+(?:lift|removal|release)\b"),
        ("lift", r"\breleased\s+(?:\S+\s+){0,3}?from\s+" + _HOLD),
        ("lift", r"\bno\s+longer\s+(?:on|under|subject\s+to)\s+" + _HOLD),
        ("lift", r"\bsatisfactorily\s+(?:addressed|resolved|responded\s+to)\s+(?:\S+\s+){0,6}?"
         r"hold\b|\bhold\s+(?:issues|deficiencies|questions)\s+(?:have|has)\s+been\s+"
         r"(?:satisfactorily\s+)?(?:addressed|resolved)"),
        ("resume", r"\b(?:may|can|could\s+now|is\s+able\s+to|are\s+able\s+to|allowed\s+"
         r"(?:\S+\s+){0,3}?to|permitted\s+(?:\S+\s+){0,3}?to|clear(?:s|ed|ance)?\s+(?:\S+\s+){0,3}?to|authori[sz]\w*"
         r"\s+(?:\S+\s+){0,3}?to|green\s+light\s+to|(?:notif\w+|permission|authori[sz]ation)\s+to)"
         r"\s+(?:now\s+)?(?:resume|restart|re-?initiate|"
         r"recommence|re-?open|proceed)\b"),
        # restrictions left in place after a lift
        ("remain", r"\b(?:remain|remains|remained|continue|continues|is\s+still|are\s+still)\s+"
         r"(?:\S+\s+){0,2}?(?:on|under|subject\s+to)\s+" + _HOLD),
        ("remain", r"\bholds?\s+(?:\S+\s+){0,8}?(?:remains?|will\s+remain|continues?|stays?)\s+"
         r"(?:in\s+(?:place|effect)|active|ongoing)"),
        ("remain", r"\bstill\s+on\s+" + _HOLD),
        # holds placed
        ("full", r"\b(?:convert|chang|upgrad|escalat|expand|extend)\w*\s+(?:\S+\s+){0,6}?to\s+"
         r"(?:a\s+)?(?:full|complete)\s+(?:clinical\s+)?hold"),
        ("hold", r"\b(?:plac(?:e|es|ed|ing)|put(?:s|ting)?|impos(?:e|es|ed|ing)|"
         r"issu(?:e|es|ed|ing)|institut\w+|reinstat\w+|reimpos\w+|slap(?:s|ped)?|order(?:s|ed)?|"
         r"hit(?:s)?)\s+" + _GAP + r"(?:on|under|with)?\s*" + _HOLD),
        # headline style: "X Announces FDA Clinical Hold on Y", "Reports Partial Clinical Hold"
        ("hold", r"\b(?:announc\w*|report\w*|disclos\w*|faces?|hit\s+(?:by|with))\s+"
         r"(?:(?!(?:complete|response|letters?|update|plans?|removal|lift\w*)\b)\S+\s+){0,3}?"
         + _KIND + r"clinical\s+holds?\b"),
        ("hold", r"\b(?:received?|receiv\w+|notified\s+of|notice\s+of|notification\s+of)\s+"
         r"(?:\S+\s+){0,4}?" + _KIND + r"clinical\s+hold\b"),
        ("hold", r"\bholds?\s+(?:has\s+been|have\s+been|was|were|had\s+been|is\s+being)\s+"
         r"(?:placed|imposed|issued|instituted|put\s+in\s+place)\b"),
        ("hold", r"\b(?:is|are|was|were)\s+now\s+(?:on|under|subject\s+to)\s+" + _HOLD),
        ("weak", r"\b(?:fda|partial|full|clinical)\s+holds?\b"),
    )
)

_NEGATION = re.compile(
    r"\b(?:no|not|never|neither|nor|without|none|cannot|unlikely|avoid\w*|prevent\w*|absence|"
    r"if|whether|could|would|might|may|should|can|potential(?:ly)?|possibl[ey]|possibility|"
    r"risks?|unless|expect\w*|anticipat\w*|plan(?:s|ned|ning)?|intend\w*|seek\w*|sought|"
    r"request\w*|hopes?|hoping|aim\w*|goal|toward|towards|path|in\s+order\s+to|await\w*|"
    r"pending|until|any|such\s+as|in\s+the\s+event|there\s+can\s+be|whereby|hypothetical\w*)\b"
    r"|n't\b"
)
_MONTH_WORDS = (r"(?:january|february|march|april|june|july|august|september|october|november|"
                r"december)")
# Context markers: the cue tells an older event, not this item's news.
_BACKGROUND_BEFORE = re.compile(
    r"\b(?:previously|earlier|formerly|prior|in\s+the\s+past|had|history|historically|initially|"
    r"originally|last\s+(?:year|month|week|quarter)|as\s+(?:previously\s+)?"
    r"(?:announced|disclosed|reported)|(?:following|after|since|post)(?:\s+(?:the|its|a|an|"
    r"fda's|u\.s\.|this))*|(?:in|since|during)\s+(?:(?:early|mid|late)[\s-]+)?(?:"
    + _MONTH_WORDS + r"|(?:19|20)\d\d))\b[^.;]{0,25}$"
)
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
          r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)")
_BACKGROUND_AFTER = re.compile(
    r"^[^.;]{0,50}?\b(?:(?:in|since|during|through|from)\s+(?:(?:early|mid|late)[\s-]+)?(?:"
    + _MONTH + r"|(?:19|20)\d\d|q[1-4]|the\s+(?:first|second|third|fourth)\s+quarter)|"
    r"(?:last|earlier\s+this|previous)\s+(?:year|month|week|quarter)|previously|earlier)\b"
)
_RESUMES = re.compile(r"\b(?:resum|restart|reopen|re-open|recommenc)\w*")
_AFTER_EVENT = re.compile(r"\b(?:following|after|since|post)(?:\s+(?:the|its|an?|fda's|u\.s\.))*"
                          r"\s*(?:fda\s+)?$")
_BACKGROUND_ANYWHERE = re.compile(
    r"\b(?:in\s+the\s+past|history\s+of|historically|as\s+previously\s+(?:announced|disclosed))\b"
)
# A hold placed by another regulator is not an FDA hold.
_OTHER_REGULATOR = re.compile(
    r"\b(?:ema|european\s+medicines\s+agency|mhra|health\s+canada|nmpa|pmda|tga|ansm|bfarm|"
    r"paul[\s-]ehrlich|chmp|prac|swissmedic|anvisa|cde|mfds)\b"
)
_FULL = re.compile(r"\b(?:full|complete)\s+(?:clinical\s+)?hold")
_FDA = re.compile(r"\b(?:fda|food\s+and\s+drug\s+administration|agency)\b")


@cache
def _prefilter() -> re.Pattern[str]:
    """Cheap test whether a sentence can hold any cue at all (most sentences cannot)."""
    nouns = [re.escape(w) for w in hold_nouns()]
    return re.compile("|".join(["hold", "resum", "restart", "recommenc", "proceed", *nouns]))


def sentence_cues(sentence: str, *, headline: bool = False) -> list[Cue]:
    """Every live cue in one sentence, in order; background cues are kept but flagged."""
    low = sentence.lower()
    if not _prefilter().search(low):
        return []
    cues: list[Cue] = []
    offset = 0
    for clause in clauses(low):
        start = low.find(clause, offset)
        offset = start + len(clause)
        found = _english_cues(clause, headline=headline) or _foreign_cues(clause)
        cues.extend(
            Cue(c.kind, c.start + start, c.end + start, c.partial, c.background) for c in found
        )
    if _OTHER_REGULATOR.search(low) and not _FDA.search(low):
        return []
    return cues


def _english_cues(clause: str, *, headline: bool) -> list[Cue]:
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _ENGLISH:
        for m in pattern.finditer(clause):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            bare = kind in ("hold", "lift") and "hold" in m.group() and not re.search(
                r"clinical|regulatory|partial|full", m.group()
            )
            if bare and not _FDA.search(clause):
                continue  # "puts the programme on hold" is the sponsor's own pause
            if _NEGATION.search(clause[max(0, m.start() - 70) : m.start()]):
                continue
            background = _is_background(clause, m.start(), m.end(), headline=headline)
            partial = "partial" in m.group()
            if kind == "hold" and _FULL.search(m.group()):
                kind = "full"
            taken.append((m.start(), m.end()))
            found.append(Cue(kind, m.start(), m.end(), partial, background))
    found.sort(key=lambda c: c.start)
    return found


def _is_background(clause: str, start: int, end: int, *, headline: bool) -> bool:
    if headline:
        # "Doses First Patient Following Lift of Hold" is not a lift; "Resumes Trial Following
        # FDA Lift of Hold" announces one.
        return not _RESUMES.search(clause) and bool(
            _AFTER_EVENT.search(clause[max(0, start - 40) : start])
        )
    return bool(
        _BACKGROUND_BEFORE.search(clause[max(0, start - 60) : start])
        or _BACKGROUND_AFTER.search(clause[end : end + 70])
        or _BACKGROUND_ANYWHERE.search(clause)
    )


def _foreign_cues(clause: str) -> list[Cue]:
    return [Cue(kind, start, end, partial=partial)
            for kind, start, end, partial in foreign_cues(clause)]
