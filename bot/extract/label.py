"""Which label is the news of an item, from its headline and its sentences.

The headline carries the event when it names one; the body then only refines
it (a lift whose text says a partial hold remains is a `partial_lift`). When
the headline is silent, the lead sentences decide. Background cues ("the hold
placed in March") and negated or hypothetical ones never count, and some kinds
of item never carry a new decision (analysis pieces, results reports,
receipt of the formal letter for a hold already announced, a complete response
merely submitted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.extract.cues import Cue, sentence_cues
from bot.models import Label

LEAD_SENTENCES = 6  # where a release without an event headline states its news
REFINE_SENTENCES = 12  # where a release qualifies its headline (partial, remains)
# Filings and wire copy open with cover lines ("FORM 6-K", "Commission File Number: ...",
# "Item 8.01 Other Events."): only sentences of this many words count toward the windows.
_SENTENCE_WORDS = 6
_WINDOW_REACH = 60  # ... up to this many lines in all
# A call transcript states news wherever a speaker says it, so its whole text is read.
_TRANSCRIPT = re.compile(r"\b(?:transcript|earnings\s+call|conference\s+call)\b")

_ANALYSIS = re.compile(
    r"^(?:why|how|what|when|who|which|analysis|opinion|commentary|explainer|q&a|podcast|webinar|"
    r"perspective|editorial|guest\s+column)\b|\?|\b(?:lessons|trends?|rise\s+in|surge\s+in|wave\s+of|"
    r"explained|what\s+it\s+means|a\s+look\s+at|deep\s+dive|roundup|round-up|in\s+review|top\s+\d+|"
    r"weekly|digest|newsletter|by\s+the\s+numbers|primer|guide\s+to|tracker|cheat\s+sheet|taught|"
    r"learned|guidance|clinical\s+holds)\b"
)
_RESULTS = re.compile(
    r"\b(?:financial\s+results|(?:first|second|third|fourth|full[\s-]year)\s+quarter|q[1-4]\s+20\d\d|"
    r"(?:annual|quarterly)\s+report|business\s+(?:update|highlights)|corporate\s+update|earnings|"
    r"10-[kq]\b|form\s+20-f|r[ée]sultats|\w*ergebnisse|resultaten|halbjahr\w*|semestriels?|"
    r"jaarcijfers)|決算|业绩|業績|财报|財報"
)
# A trial registry record (ClinicalTrials.gov) gives the reason a study stopped on one line.
_WHY_STOPPED = re.compile(r"\bwhy\s+stopped\s*:\s*(.{0,160})")
_NOT_THE_REASON = re.compile(r"\b(?:not|no|unrelated|lifted|removed|released|prior|previous)\b")
_LETTER_RECEIVED = re.compile(r"\b(?:receiv\w*|receipt\s+of)\s+(?:\S+\s+){0,5}?letters?\b")
_LETTER_FOLLOWUP = re.compile(
    r"\b(?:previously\s+(?:announced|disclosed|reported)|as\s+announced|announced\s+on|verbal\w*)\b"
)
_RESPONSE_SUBMITTED = re.compile(
    r"\bsubmi\w+\s+(?:\S+\s+){0,5}?complete\s+response\b|\bcomplete\s+response\s+(?:\S+\s+){0,6}?"
    r"(?:was|has\s+been|is)\s+submitted\b"
)
_HOLD_WORDS = ("hold", "临床暂停", "suspension clinique", "klinische")
_HOLD_WORD = re.compile(r"\bhold\b|临床暂停|suspension clinique|klinische")


@dataclass(frozen=True)
class Decision:
    """A label and the sentences it rests on (reason and scope are read from them)."""

    label: Label
    evidence: tuple[str, ...] = ()


def decide(title: str, body: Sequence[str]) -> Decision:
    """Label an item from its cleaned title and its body sentences."""
    title_low = title.lower()
    transcript = bool(_TRANSCRIPT.search(title_low))
    lead = body if transcript else _window(body, LEAD_SENTENCES)
    lead_low = " ".join(lead).lower()
    about_hold = _about_hold(title_low) or _about_hold(" ".join(body).lower())
    title_cues = _usable(sentence_cues(title, headline=True), about_hold)
    strong = [c for c in title_cues if c.kind != "weak"]
    cache: dict[str, list[Cue]] = {}
    refine = [(s, _usable(_cues(s, cache), about_hold))
              for s in _window(body, REFINE_SENTENCES)]

    if strong:
        label = _refine(_combine(strong), [c for _, cues in refine for c in cues])
        decision = Decision(label, (title, *[s for s, cues in refine if cues]))
    elif _ANALYSIS.search(title_low) or (_RESULTS.search(title_low) and not transcript):
        return Decision("none")
    elif (stopped := _why_stopped(body)) is not None:
        return stopped
    else:
        window = body if title_cues else lead
        decision = _from_body(window, about_hold, cache)
        if decision.label == "none":
            return decision
        # The body may qualify its own news a few sentences later.
        label = _refine(decision.label, [c for _, cues in refine for c in cues])
        decision = Decision(label, decision.evidence)

    if decision.label in ("hold", "partial_hold") and _not_new_hold(title_low, lead_low):
        return Decision("none")
    return decision


def _window(body: Sequence[str], count: int) -> Sequence[str]:
    """The first sentences of `body` holding `count` of at least _SENTENCE_WORDS words."""
    seen = 0
    for i, sentence in enumerate(body[:_WINDOW_REACH]):
        seen += sentence.count(" ") + 1 >= _SENTENCE_WORDS
        if seen == count:
            return body[: i + 1]
    return body[:_WINDOW_REACH]


def _why_stopped(body: Sequence[str]) -> Decision | None:
    """A registry record whose stated reason for stopping is an FDA (partial) clinical hold."""
    for sentence in body:
        low = sentence.lower()
        m = _WHY_STOPPED.search(low) if "stopped" in low else None
        reason = m.group(1) if m else ""
        if "clinical hold" in reason and not _NOT_THE_REASON.search(reason):
            return Decision("partial_hold" if "partial" in reason else "hold", (sentence,))
    return None


def _about_hold(low: str) -> bool:
    # Substring test first: the regex starts with \b and would be tried at every position.
    return any(word in low for word in _HOLD_WORDS) and bool(_HOLD_WORD.search(low))


def _usable(cues: list[Cue], about_hold: bool) -> list[Cue]:
    """Drop background cues, and "may resume" unless the item is about a hold."""
    return [c for c in cues if not c.background and (c.kind != "resume" or about_hold)]


def _cues(sentence: str, cache: dict[str, list[Cue]]) -> list[Cue]:
    """Body-sentence cues, computed once per sentence per item."""
    if sentence not in cache:
        cache[sentence] = sentence_cues(sentence)
    return cache[sentence]


def _from_body(window: Sequence[str], about_hold: bool, cache: dict[str, list[Cue]]) -> Decision:
    for sentence in window:
        cues = [c for c in _usable(_cues(sentence, cache), about_hold) if c.kind != "weak"]
        label = _combine(cues) if cues else "none"
        if label != "none":
            return Decision(label, (sentence,))
    return Decision("none")


def _combine(cues: Sequence[Cue]) -> Label:
    """The label one sentence (or a headline) states."""
    kinds = {c.kind for c in cues}
    if "partial_lift" in kinds:
        return "partial_lift"
    lifts = [c for c in cues if c.kind in ("lift", "resume")]
    if lifts:
        first = lifts[0]
        new_partial = any(
            c.kind == "hold" and c.partial and c.start > first.start for c in cues
        )
        if "remain" in kinds or (new_partial and not first.partial):
            return "partial_lift"
        return "lift"
    if "full" in kinds:
        return "hold"
    holds = [c for c in cues if c.kind == "hold"]
    if holds:
        return "partial_hold" if any(c.partial for c in holds) else "hold"
    return "none"


def _refine(label: Label, body_cues: Sequence[Cue]) -> Label:
    """Let the body qualify the headline: partial holds, restrictions that remain."""
    kinds = {c.kind for c in body_cues}
    if label == "lift" and ("partial_lift" in kinds or "remain" in kinds):
        return "partial_lift"
    if label == "hold" and "full" not in kinds and any(
        c.kind == "hold" and c.partial for c in body_cues
    ):
        return "partial_hold"
    return label


def _not_new_hold(title_low: str, lead_low: str) -> bool:
    """The item is about a hold already announced: its letter, or a response to it."""
    text = f"{title_low} {lead_low}"
    if _RESPONSE_SUBMITTED.search(text):
        return True
    if _LETTER_RECEIVED.search(text):
        return "letter" in title_low or bool(_LETTER_FOLLOWUP.search(text))
    return False
