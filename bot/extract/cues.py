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
from functools import cache, lru_cache

from bot.extract.cue_patterns import ENGLISH
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
    r"(?:last|earlier\s+this|previous)\s+(?:year|month|week|quarter)|previously|earlier|"
    # another sponsor's drug: "the lifting of the clinical hold on a competitor's program"
    r"(?:a|one)\s+(?:competitor|rival|peer)(?:'s)?|(?:competitor|rival|peer)(?:'s|s')|"
    r"another\s+(?:company|sponsor|developer)'s|other\s+companies')(?!\w)"
)
# Reported speech puts the news in the past perfect.
_REPORTED = re.compile(r"\b(?:informed|notified|advised|told)\b")
_REPORTED_HAD = re.compile(r"\bhad\b")
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


# Releases repeat sentences verbatim (a company's safe-harbour and "About" paragraphs
# close every release it issues), so the cues of recent sentences are remembered. The
# answer depends on the sentence alone; long sentences are not kept, to bound memory.
_REMEMBERED_CHARS = 1000


def sentence_cues(sentence: str, *, headline: bool = False) -> list[Cue]:
    """Every live cue in one sentence, in order; background cues are kept but flagged."""
    if len(sentence) > _REMEMBERED_CHARS:
        return list(_sentence_cues(sentence, headline))
    return list(_remembered_cues(sentence, headline))


@lru_cache(maxsize=4096)
def _remembered_cues(sentence: str, headline: bool) -> tuple[Cue, ...]:
    return _sentence_cues(sentence, headline)


def _sentence_cues(sentence: str, headline: bool) -> tuple[Cue, ...]:
    low = sentence.lower()
    if not _prefilter().search(low):
        return ()
    cues: list[Cue] = []
    offset = 0
    for clause in clauses(low):
        start = low.find(clause, offset)
        offset = start + len(clause)
        found = _english_cues(clause, headline=headline)
        if all(c.kind == "weak" for c in found):
            # "ha revocato il clinical hold": the English noun inside a foreign sentence
            found = _foreign_cues(clause) or found
        cues.extend(
            Cue(c.kind, c.start + start, c.end + start, c.partial, c.background) for c in found
        )
    if _OTHER_REGULATOR.search(low) and not _FDA.search(low):
        return ()
    return tuple(cues)


def _english_cues(clause: str, *, headline: bool) -> list[Cue]:
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for kind, needs, pattern in ENGLISH:
        if not all(any(word in clause for word in group) for group in needs):
            continue  # the pattern cannot match without one of these words
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
    before = clause[max(0, start - 60) : start]
    if _REPORTED.search(before):
        before = _REPORTED_HAD.sub("", before)  # "was informed that the FDA had placed": news
    return bool(
        _BACKGROUND_BEFORE.search(before)
        or _BACKGROUND_AFTER.search(clause[end : end + 70])
        or _BACKGROUND_ANYWHERE.search(clause)
    )


def _foreign_cues(clause: str) -> list[Cue]:
    return [Cue(kind, start, end, partial=partial)
            for kind, start, end, partial in foreign_cues(clause)]
