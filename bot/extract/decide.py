"""Which label is the news of an item: a decision over the acts of its sentences.

The headline (the title, or the first sentence when there is none) weighs most, then the
lead sentences in order, then the rest of the body: the label is that of the earliest
asserted act of the FDA (position weights strictly decrease, so no later sentence outvotes
an earlier one). Acts with a ConText modifier (negated, hypothetical, historical, another
experiencer, generic) or another regulator as agent never decide; a "may resume" counts only in an
item about a hold. The body then refines the news: restrictions that remain make a lift a
`partial_lift`, a partial hold described below a plain headline makes it `partial_hold`.

Item-type gates (bot/data/rules/en.toml, category "gate") come first: an investor alert or
law-firm notice is never news unless it tells a new FDA act as the day's news, nor is a
forum post; an analysis piece or a results report is news only when its
headline states an act; a transcript is read whole; the formal letter of a hold already
announced, or a response submitted and awaiting a decision, is not a new hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.extract.frames import Act, sentence_acts
from bot.extract.referent import has_referent
from bot.extract.rulebook import gate_matcher, letter_nouns, prefilter
from bot.extract.rules import lower
from bot.extract.text import carries_content, strip_head_junk
from bot.models import Label

LEAD_SENTENCES = 8  # where a release without an event headline states its news
REFINE_SENTENCES = 12  # where a release qualifies its headline (partial, remains)
# Filings and wire copy open with cover lines ("FORM 6-K", "Item 8.01 Other Events."): only
# sentences that carry content count toward the windows, up to this many lines in all.
_WINDOW_REACH = 60
_WORDS = 6  # words of a sentence that counts toward a window
HEADLINE_WEIGHT = 100.0
_GATE_SENTENCES = 3  # an item's type shows in its headline and first sentences
# How far an item without a title is searched for its headline (a forum page or a scraped
# article opens with a dozen lines of navigation, counters and bylines).
_HEADLINE_REACH = 24
_ENGLISH = frozenset({"en"})


@dataclass(frozen=True)
class Decision:
    """A label, the sentences it rests on, and the names of the rules that decided it."""

    label: Label
    evidence: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Placed:
    """The acts of one sentence and the weight of its position."""

    sentence: str
    acts: tuple[Act, ...]
    weight: float


def decide(title: str, body: Sequence[str]) -> Decision:
    """Label an item from its cleaned title (may be empty) and its body sentences."""
    headline, rest = split_headline(title, body)
    if not headline:
        return Decision("none")
    search = prefilter().search
    if not search(headline.lower()) and not any(search(s.lower()) for s in rest[:_WINDOW_REACH]):
        return Decision("none")  # no trigger word anywhere: nothing to decide
    lead, window = _windows(rest)
    head = _Placed(headline, sentence_acts(headline, headline=True), HEADLINE_WEIGHT)
    gate_rules: list[str] = []
    if head.acts and not any(a.term or a.langs != _ENGLISH for a in head.acts) and (
            not has_referent(headline, " ".join(rest[:LEAD_SENTENCES]))):
        # "FDA Puts Hold On Adaptive Trials": an English bare hold or halt on no drug,
        # sponsor or trial of its own is a figure of speech or a trend; the body decides
        head = _Placed(headline, (), HEADLINE_WEIGHT)
        gate_rules.append("decide.headline_without_referent")
    about = _AboutHold(head, rest)
    news = [a for a in head.acts if _counts(a, about)]
    if news:
        placed, step = head, "decide.headline"
    else:  # the item's type matters only when its headline states no act
        gates, gate_rules = _gates([headline], headline=True)
        if ({"analysis", "results"} & gates) and "transcript" not in gates:
            return Decision("none", (), tuple(gate_rules))
        if any("why stopped" in s.lower() for s in rest[:_WINDOW_REACH]):
            return _registry(gate_rules, rest)
        whole = "transcript" in gates or "update" in gates or bool(head.acts)
        searched = rest[:_WINDOW_REACH] if whole else lead
        found, step = _first_news(searched, about)
        if found is None:
            return Decision("none", (), tuple(gate_rules))
        placed = found
        news = [a for a in placed.acts if _counts(a, about)]
    label = _combine(news + [a for a in placed.acts if a.asserted and a.polarity == "kept"])
    refine = [_Placed(s, sentence_acts(s), 1.0) for s in window]
    label, refined, how = _refine(label, news, refine, placed)
    # An event: is the item one that never carries news (an investor alert), or the letter
    # of a hold already announced?
    lead_gates, lead_rules = _gates([headline, *lead[:_GATE_SENTENCES]], headline=False)
    gate_rules += lead_rules
    if "forum" in lead_gates or ("investor_alert" in lead_gates
                                 and not _fresh([placed.sentence, *refined], rest)):
        return Decision("none", (), tuple(gate_rules))
    if label in ("hold", "partial_hold") and _not_new_hold(lead_gates, headline):
        return Decision("none", (), (*gate_rules, "decide.not_a_new_hold"))
    rules = [step, *gate_rules, *(r for a in news for r in a.rules), *how]
    evidence = (placed.sentence, *(s for s in refined if s != placed.sentence))
    return Decision(label, evidence, tuple(dict.fromkeys(rules)))


def split_headline(title: str, body: Sequence[str]) -> tuple[str, list[str]]:
    """(headline, rest of the body): the title, else the first sentence that carries content
    (an item without a title is often a scraped description opening with a date, a byline or
    a cover line); sentences before it are kept in the body."""
    if title:
        return title, list(body)
    for i, sentence in enumerate(body[:_HEADLINE_REACH]):
        if carries_content(sentence):
            return strip_head_junk(sentence), [*body[:i], *body[i + 1:]]
    return (body[0], list(body[1:])) if body else ("", [])


def _not_new_hold(gates: set[str], headline: str) -> bool:
    """A response submitted and awaiting a decision, or the letter of a hold announced."""
    if "response_submitted" in gates:
        return True
    return "letter" in gates and ("letter_followup" in gates or _names_letter(headline))


def _names_letter(sentence: str) -> bool:
    """Whether a sentence names a letter, in any language the letter gates know."""
    low = sentence.lower()
    return any(map(low.__contains__, letter_nouns()))


# News written for the day ("said on Monday", "today") rather than a timeline recounted
# with its dates ("On May 27, 2025, Acme disclosed ...").
_DEICTIC = re.compile(r"\b(?:today|yesterday|tonight|this\s+(?:morning|afternoon|week)|"
                      r"(?:on|late|early)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
                      re.IGNORECASE)
_DATED = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE)


def _fresh(evidence: Sequence[str], body: Sequence[str]) -> bool:
    """An investor alert or law-firm piece that itself reports a new FDA act: the sentence
    the act rests on, or the one after it, tells it as today's news, without a date."""
    near = list(evidence)
    for sentence in evidence[:1]:
        at = next((i for i, s in enumerate(body) if s == sentence), -1)
        if 0 <= at < len(body) - 1:
            near.append(body[at + 1])
    return any(_DEICTIC.search(s) and not _DATED.search(s) for s in near)


def _windows(body: Sequence[str]) -> tuple[list[str], list[str]]:
    """The lead and the refine window: the first sentences of `body` holding LEAD_SENTENCES
    and REFINE_SENTENCES that carry content (cover lines, bylines, datelines do not count)."""
    seen, lead = 0, None
    # Only a filing's cover page is worth the full content test; elsewhere six words do.
    filing = any("egistrant" in s or "Exchange Act" in s for s in body[:_WINDOW_REACH])
    for i, sentence in enumerate(body[:_WINDOW_REACH]):
        seen += carries_content(sentence) if filing else sentence.count(" ") >= _WORDS - 1
        if seen == LEAD_SENTENCES and lead is None:
            lead = list(body[: i + 1])
        if seen == REFINE_SENTENCES:
            return lead or list(body[: i + 1]), list(body[: i + 1])
    window = list(body[:_WINDOW_REACH])
    return (lead if lead is not None else window), window


def _gates(sentences: Sequence[str], *, headline: bool) -> tuple[set[str], list[str]]:
    """The item-type gates of a headline (headline=True), or of the lead (the headline and
    the first sentences), and their rule names. A letter is only the news when the same
    sentence does not say it is still to come."""
    found: set[str] = set()
    names: list[str] = []
    if not any(_names_letter(s) for s in sentences):
        sentences = [" ; ".join(sentences)]  # one pass: only letters are judged per sentence
    for sentence in sentences:
        hits = [h for h in gate_matcher(headline).match(lower(sentence)).context
                if (h.rule.where == "headline") == headline]
        values = {h.rule.value for h in hits}
        if "letter_future" in values:  # "a formal letter will follow": not this item's news
            hits = [h for h in hits if h.rule.value != "letter"]
        for hit in hits:
            if hit.rule.value not in found:
                found.add(hit.rule.value)
                names.append(hit.rule.name)
    return found, names


class _AboutHold:
    """Whether the item names a hold as a fact (now or before): a permission to resume
    means a lift only then ("the FDA let the company proceed" after a death is not one).
    Asked only when a permission is met, and answered once."""

    def __init__(self, head: _Placed, rest: Sequence[str]) -> None:
        self._head, self._rest = head, rest
        self._answer: bool | None = None

    def __bool__(self) -> bool:
        if self._answer is None:
            self._answer = self._real(self._head.acts) or any(
                self._real(sentence_acts(s)) for s in self._rest[:_WINDOW_REACH])
        return self._answer

    @staticmethod
    def _real(acts: Sequence[Act]) -> bool:
        return any(a.trigger in ("hold", "halt")
                   and not {"negated", "hypothetical", "generic"} & set(a.modifiers)
                   for a in acts)


def _counts(act: Act, about_hold: _AboutHold) -> bool:
    """An act that can be the news: asserted, the FDA's, a change (not a mention or a
    status), and a permission to resume only in an item about a hold."""
    return (act.asserted and act.by_fda and act.polarity not in ("mention", "kept")
            and (act.trigger != "resume" or bool(about_hold)))


def _first_news(window: Sequence[str], about: _AboutHold) -> tuple[_Placed | None, str]:
    for i, sentence in enumerate(window):
        acts = sentence_acts(sentence)
        if any(_counts(a, about) for a in acts):
            return _Placed(sentence, acts, 1.0 / (1 + i)), "decide.lead" if i < 3 else (
                "decide.body")
    return None, ""


def _combine(acts: Sequence[Act]) -> Label:
    """The label one sentence's acts state together."""
    polarities = {a.polarity for a in acts}
    removed = [a for a in acts if a.polarity == "removed"]
    if "converted_partial" in polarities or any(a.part for a in removed):
        return "partial_lift"
    if removed:
        first = removed[0]
        new_partial = any(a.polarity == "placed" and a.partial and a.first > first.first
                          for a in acts)
        if "kept" in polarities or (new_partial and not first.partial):
            return "partial_lift"
        return "lift"
    if "converted_full" in polarities:
        return "hold"
    placed = [a for a in acts if a.polarity in ("placed", "now")]
    if any(a.full for a in placed):
        return "hold"
    return "partial_hold" if any(a.partial for a in placed) else "hold"


def _refine(label: Label, news: Sequence[Act], refine: Sequence[_Placed], chosen: _Placed
            ) -> tuple[Label, list[str], list[str]]:
    """Let the body qualify the news: restrictions that remain, a partial hold, an easing."""
    kept, partial, full, eased = [], [], [], []
    for placed in refine:
        # "a clinical hold or partial clinical hold on several trials" does not narrow it
        mixed = any(a.polarity == "placed" and not a.partial for a in placed.acts)
        for a in placed.acts:
            # what remains is a present state whatever the date of the hold ("remains on
            # the partial hold placed in September")
            status = a.polarity == "kept" and set(a.modifiers) <= {"historical"}
            if not (a.asserted or status) or a.agent == "other":
                continue
            if a.polarity == "kept" or (a.polarity == "now" and a.partial):
                kept.append(placed.sentence)
            if (a.polarity == "removed" and a.part) or a.polarity == "converted_partial":
                eased.append(placed.sentence)
            if a.polarity in ("placed", "mention", "now") and a.partial and a.by_fda and not mixed:
                partial.append(placed.sentence)
            if a.full and a.polarity in ("placed", "mention", "converted_full"):
                full.append(placed.sentence)
    if label == "lift" and (kept or eased):
        return "partial_lift", kept + eased, ["refine.restrictions_remain"]
    if label == "hold" and not any(a.full for a in news) and partial and not full:
        return "partial_hold", partial[:1], ["refine.partial_in_body"]
    if label == "partial_hold" and any(a.polarity == "now" for a in news) and full:
        return "partial_lift", full[:1], ["refine.full_now_partial"]
    return label, [], []


def _registry(rules: Sequence[str], rest: Sequence[str]) -> Decision:
    """A registry record whose stated reason for stopping is an FDA (partial) clinical hold."""
    for sentence in rest:
        low = sentence.lower()
        at = low.find("why stopped")
        if at < 0:
            continue
        reason = low[at:].split(":", 1)[-1][:160]
        acts = sentence_acts(reason)
        if any(a.asserted and a.trigger == "hold" and a.polarity in ("mention", "placed")
               for a in acts):
            label: Label = "partial_hold" if any(a.partial for a in acts) else "hold"
            return Decision(label, (sentence,), (*rules, "decide.registry_why_stopped"))
    return Decision("none", (), tuple(rules))
