"""What one sentence asserts about a clinical hold: an event frame per act.

An *act* is a polarity word bound to the hold it acts on ("lifted" + "the clinical hold"),
or a verb that is an act by itself ("the FDA halted the trial", "may resume dosing"), or a
hold named without a verb (a headline's "FDA Clinical Hold on X"). Each act gets:

- polarity: placed | removed | kept | converted_partial | converted_full | now | mention
- scope: `partial` (a partial hold, or only new patients / some doses), `full`, and `part`
  (only part of a hold released: "partially lifted", one arm of a study)
- agent: fda | other (another regulator) | unknown, from the clause, else the sentence
- modifiers (ConText): negated, hypothetical, historical, other_experiencer, generic (holds
  in general: a trend, a habit, a definition). A modifier
  reaches the nearest act within its reach (`before`/`after`, in words) in the same clause:
  termination terms ("but", "which", ";") end its scope, pseudo-triggers hide it.

Binding is by distance inside a clause: each polarity word binds the nearest hold within
its reach; a hold keeps its nearest strong act on each side ("lifted the hold placed in
March" is two acts), else its nearest weak one ("announces", "on"). The item-level choice
of which act is the news is made in `decide.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.extract.rulebook import prefilter, sentence_matcher
from bot.extract.rules import Hit, Matched, lower

# Words between a scope word and the hold it qualifies ("partial clinical hold",
# "partial FDA clinical hold"), and between a verb and its object.
_SCOPE_REACH = 3
_OBJECT_AFTER = 7
_OBJECT_BEFORE = 5
_REMEMBERED_CHARS = 1000


@dataclass(frozen=True)
class Act:
    polarity: str
    strong: bool
    trigger: str  # hold (a hold named) | halt (an act on a trial) | resume (a permission)
    term: bool  # the hold is the FDA's term of art ("clinical hold"), agent implied
    partial: bool = False
    full: bool = False
    part: bool = False
    agent: str = "unknown"
    modifiers: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    first: int = 0  # token span of the act's words
    last: int = 0
    chars: tuple[int, int] = (0, 0)  # ... and its character span
    langs: frozenset[str] = frozenset({"en"})  # languages of its words

    @property
    def asserted(self) -> bool:
        """No ConText modifier applies: the sentence states this act as a fact."""
        return not self.modifiers

    @property
    def by_fda(self) -> bool:
        """The FDA's act: named as the agent, or implied by the term of art."""
        return self.agent == "fda" or (self.agent == "unknown" and self.term)


def sentence_acts(sentence: str, *, headline: bool = False) -> tuple[Act, ...]:
    """Every act of one sentence, left to right (remembered: releases repeat sentences)."""
    if len(sentence) > _REMEMBERED_CHARS:
        return _acts(sentence, headline)
    return _remembered(sentence, headline)


@lru_cache(maxsize=4096)
def _remembered(sentence: str, headline: bool) -> tuple[Act, ...]:
    return _acts(sentence, headline)


def _acts(sentence: str, headline: bool) -> tuple[Act, ...]:
    low = lower(sentence)
    if not prefilter().search(low):
        return ()
    m = sentence_matcher(headline).match(low)
    triggers = [h for h in m.core if h.rule.category == "trigger"]
    if not triggers:
        return ()
    framed = [_frame(m, *parts) for parts in _bind(m, triggers)]
    return tuple(_modified(m, [a for a in framed if a is not None]))


_Raw = tuple[Hit, Hit | None]  # (trigger, polarity or None)


# A verb that is an act by itself is read as a noun when an act verb stands this close to it
# ("lifted the pause", "placed a halt on").
_NOUN_READING = 2
_AFTER_PENALTY = 2
_CONVERSION_REACH = 24
_PART_REACH = 4  # "lifted the hold on one of the two studies", "only the Phase 2 part may proceed"
_SUBJECT_REACH = 4  # "the U.S. FDA has halted": subject to verb
_BY_AGENT_REACH = 6  # "dosing was halted at the request of the FDA"


def _bind(m: Matched, triggers: list[Hit]) -> list[_Raw]:
    """Pair polarity words with the holds they act on; verbs that are acts stand alone."""
    nouns = triggers
    bound: dict[int, list[tuple[int, bool, Hit]]] = {}
    for p in (h for h in m.core if h.rule.category == "polarity"):
        best: tuple[int, bool, int] | None = None
        for i, t in enumerate(nouns):
            if m.clause(t.start) != m.clause(p.start):
                continue
            ahead, behind = gap(p, t), gap(t, p)
            if ahead is not None and p.rule.before and ahead <= p.rule.before:
                key = (ahead, False, i)
            elif behind is not None and p.rule.after and behind <= p.rule.after:
                # a verb acts on what follows it first ("lifted the full hold and placed a
                # partial hold"); a hold before it is its subject only when nothing is near after
                key = (behind + _AFTER_PENALTY, True, i)
            else:
                continue
            if best is None or key < best:
                best = key
        if best is not None:
            bound.setdefault(best[2], []).append((best[0], best[1], p))
    raw: list[_Raw] = []
    for i, t in enumerate(nouns):
        pairs = bound.get(i, [])
        if t.rule.implies and t.rule.value != "hold":
            near = [p for p in pairs if p[0] <= _NOUN_READING and p[2].rule.strong]
            raw.append((t, min(near, key=lambda x: x[0])[2] if near else None))
            continue
        strong = [pair for pair in pairs if pair[2].rule.strong]
        if strong:
            sides: dict[bool, Hit] = {}
            for _, after, p in sorted(strong, key=lambda x: x[0]):
                sides.setdefault(after, p)
            raw.extend((t, p) for p in sides.values())
        elif pairs:
            raw.append((t, min(pairs, key=lambda x: x[0])[2]))
        else:
            raw.append((t, None))
    raw.sort(key=lambda r: min(r[0].char_start, r[1].char_start if r[1] else r[0].char_start))
    return raw


def _frame(m: Matched, t: Hit, p: Hit | None) -> Act | None:
    """The act of one (trigger, polarity) pair: scope and agent filled, modifiers later."""
    rules = [t.rule.name] + ([p.rule.name] if p else [])
    clause = m.clause(t.start)
    span = (t, p) if p else (t,)
    first, last = min(h.start for h in span), max(h.end for h in span)
    chars = (min(h.char_start for h in span), max(h.char_end for h in span))
    partial = part = False
    objects: list[Hit] = []
    if t.rule.implies:  # a verb that is an act: what does it act on?
        # A trigger's own `before`/`after` widen its reach to its object (languages that
        # put the verb last: "die Studie ... gestoppt", "试验…暂停")
        objects = [h for h in m.core if h.rule.category == "object"
                   and m.clause(h.start) == clause
                   and ((_within(t, h, t.rule.before or _OBJECT_AFTER) and _direct(m, t, h))
                        or _within(h, t, t.rule.after or _OBJECT_BEFORE))]
        if t.rule.needs_object and not objects and p is None:
            return None
        rules += [o.rule.name for o in objects[:1]]
        partial = any(o.rule.value in ("partial", "enrolment") for o in objects)
        part = any(o.rule.value == "part" and _near(o, t, _PART_REACH) for o in objects)
    if t.rule.implies and p is None:
        polarity, strong = t.rule.implies, True
    else:
        polarity = p.rule.value if p else "mention"
        strong = bool(p and p.rule.strong)
    if polarity == "removed_part":
        polarity, part = "removed", True
    if t.rule.value == "resume" and polarity in ("placed", "now"):
        polarity = "removed"  # a resumption received or granted is a permission, not a hold
    full = False
    # the languages of its words, its object's included ("Pause bei der Studie" is German)
    langs = frozenset(h.rule.lang for h in (*span, *objects[:1]))
    for h in m.core:
        if h.rule.category not in ("scope", "object") or m.clause(h.start) != clause:
            continue
        # French, Spanish, Italian put the adjective after the noun ("suspension partielle")
        before_trigger = _within(h, t, _SCOPE_REACH) or (
            h.rule.lang != "en" and _within(t, h, _SCOPE_REACH))
        # "partial lifting of the hold": the scope word qualifies the act, not the hold
        of_act = p is not None and polarity == "removed" and _within(h, p, 1)
        if h.rule.category == "scope" and h.rule.value in ("partial", "full") and of_act:
            part = part or h.rule.value == "partial"
            rules.append(h.rule.name)
        elif h.rule.category == "scope" and h.rule.value in ("partial", "full") and before_trigger:
            partial = partial or h.rule.value == "partial"
            full = full or h.rule.value == "full"
            rules.append(h.rule.name)
        elif h.rule.value == "part" and p and _near(h, p, _PART_REACH):
            part = True
            rules.append(h.rule.name)
        elif (h.rule.category == "scope" and h.rule.value == "part" and p is None
              and polarity == "placed" and _near(h, t, _SCOPE_REACH)):
            partial = True  # "partially halted the trial", "die Studie teilweise gestoppt"
            rules.append(h.rule.name)
        elif (h.rule.category == "object" and h.rule.value == "partial"
              and polarity in ("placed", "mention") and _within(t, h, _SCOPE_REACH)):
            partial = True
            rules.append(h.rule.name)
    if polarity == "converted":
        polarity = _conversion(m, p, t, clause) if p else ""
        if not polarity:
            return None
    agent, agent_rule = _agent(m, clause, first)
    if t.rule.value == "halt" and p is None and agent_rule and not _agent_next_to(m, t):
        agent, agent_rule = "unknown", None  # "after the FDA's hold, Acme stopped the trial"
    if agent_rule:
        rules.append(agent_rule)
    # "partial hold" and "full hold" are the FDA's words even without "clinical"
    term = t.rule.term or (t.rule.value == "hold" and (partial or full))
    return Act(polarity, strong, t.rule.value or "hold", term, partial, full, part,
               agent, (), tuple(rules), first, last, chars, langs)


# An English verb acts on its direct object: "paused work on guidance for clinical trials"
# pauses work, not trials (a preposition between the verb and the trial word).
_PREPOSITION = re.compile(r"\b(?:on|for|about|behind|around|regarding|towards?|with)\b")


def _direct(m: Matched, t: Hit, o: Hit) -> bool:
    """Whether object `o`, after verb `t`, is its direct object (no preposition between).
    The noun reading "a pause on the trials", "pressing pause on studies" keeps its "on"."""
    if t.rule.lang != "en":
        return True
    start = t.char_end
    if m.text.startswith(" on ", start):
        start += 4
    return _PREPOSITION.search(m.text, start, o.char_start) is None


def _same_language(h: Hit, langs: frozenset[str]) -> bool:
    """Another language's word qualifies only acts named in that language ("non" in
    "non-small cell" is not an Italian negation of an English sentence). Chinese and
    Japanese share their Han words ("中止", "要請"), so each qualifies the other's acts."""
    lang = h.rule.lang
    return lang == "en" or lang in langs or (lang in _HAN and not _HAN.isdisjoint(langs))


_HAN = frozenset({"zh", "ja"})


def _agent_next_to(m: Matched, t: Hit) -> bool:
    """A verb that is an act is the FDA's when the FDA is its subject or its by-agent."""
    return any(h.rule.category == "agent" and (_within(h, t, t.rule.after or _SUBJECT_REACH)
                                               or _within(t, h, t.rule.before or _BY_AGENT_REACH))
               for h in m.core)


def gap(a: Hit, b: Hit) -> int | None:
    """Words between `a` and a later `b`, or None when `a` does not end before `b` starts.

    Positions are compared by character, so two words inside one run of CJK text (which
    has no spaces and is one token) are in order, with no word between them."""
    if a.char_end > b.char_start:
        return None
    return max(0, b.start - a.end)


def _within(a: Hit, b: Hit, reach: int) -> bool:
    """`a` stands before `b` with at most `reach` words between them."""
    words = gap(a, b)
    return words is not None and words <= reach


def _near(a: Hit, b: Hit, reach: int) -> bool:
    return _within(a, b, reach) or _within(b, a, reach)


def _conversion(m: Matched, p: Hit, t: Hit, clause: int) -> str:
    """ "converted ... to a partial hold" eases it; "... to a full hold" makes it full.

    The scope word after the verb names the new state; in languages that put the verb last
    ("in einen teilweisen Stopp umgewandelt") the nearest one before it does."""
    scopes = [h for h in m.core if h.rule.category == "scope" and m.clause(h.start) == clause
              and h.rule.value in ("partial", "full")]
    # "converted the full hold to ...": "full" is the old state; but in "the partial hold was
    # converted to a full clinical hold" the hold after "to" is the new one
    between = m.text[p.char_end : t.char_start] if gap(p, t) is not None else ""
    if gap(p, t) is not None and not _TO_NEW_STATE.search(between):
        scopes = [h for h in scopes if not _within(h, t, _SCOPE_REACH)] or scopes
    after = [h for h in scopes if _within(p, h, _CONVERSION_REACH)]
    before = [h for h in scopes if gap(h, p) is not None]
    target = after[0] if after else (before[-1] if before else None)
    if target is None:
        return ""
    return "converted_partial" if target.rule.value == "partial" else "converted_full"


_TO_NEW_STATE = re.compile(r"\b(?:to|into|in)\b")


def _agent(m: Matched, clause: int, first: int) -> tuple[str, str | None]:
    """fda | other | unknown: the regulator named nearest the act in its clause, else the
    FDA or another regulator named elsewhere in the sentence (the FDA first)."""
    agents = [h for h in m.core if h.rule.category == "agent"]
    near = [h for h in agents if m.clause(h.start) == clause]
    if near:
        h = min(near, key=lambda h: abs(h.start - first))
        return h.rule.value, h.rule.name
    for value in ("fda", "other"):
        for h in agents:
            if h.rule.value == value:
                return value, h.rule.name
    return "unknown", None


def _modified(m: Matched, acts: list[Act]) -> list[Act]:
    """ConText: a modifier qualifies the acts within its reach in its clause.

    A forward modifier ("not", "could", "following") reaches every act ahead of it within
    `before` words; a backward one every act behind it within `after` words. A modifier
    that reaches both ways (a date: "placed in March", "In March, the FDA placed") qualifies
    the act just before it when there is one, else those ahead of it; a generic one ("more
    often", "typically") qualifies every act it reaches: it speaks of holds in general."""
    extra: dict[int, list[Hit]] = {}
    for h in m.context:
        if h.rule.category != "modifier":
            continue
        ahead, behind = [], []
        for i, a in enumerate(acts):
            if m.clause(a.first) != m.clause(h.start) or not _same_language(h, a.langs):
                continue
            if h.char_end <= a.chars[0]:
                if h.rule.before and m.words(h.end, a.first) <= h.rule.before:
                    ahead.append(i)
            elif a.chars[1] <= h.char_start:
                if h.rule.after and m.words(a.last, h.start) <= h.rule.after:
                    behind.append((m.words(a.last, h.start), i))
            elif h.rule.before and a.last - h.end <= h.rule.before:
                ahead.append(i)  # inside the act, reaching its last word ("hold was not lifted")
        if h.rule.after and h.rule.before and h.rule.value != "generic":
            chosen = [min(behind)[1]] if behind else ahead
        else:
            chosen = ahead + [i for _, i in behind]
        for i in chosen:
            extra.setdefault(i, []).append(h)
    out = []
    for i, a in enumerate(acts):
        hits = extra.get(i, [])
        if not hits:
            out.append(a)
            continue
        modifiers = tuple(sorted({h.rule.value for h in hits}))
        out.append(replace(a, modifiers=modifiers,
                           rules=a.rules + tuple(h.rule.name for h in hits)))
    return out
