"""Rules as named data, and the matcher that finds them in a sentence.

Every phrase the label decision reacts to is one record of bot/data/rules/*.toml (loaded by
bot/extract/rulebook.py): a
`name`, a `category` (what kind of word it is: trigger, polarity, scope, object, agent,
modifier, pseudo, termination, gate), a `value` (placed/removed/kept/converted for a
polarity, negated/hypothetical/historical/other_experiencer/generic for a modifier, ...), the
`words` or a `pattern` that say it, how far it reaches (`before`/`after`, in words, to the
act it qualifies) and `must`/`must_not` examples that tests/extract/test_rules.py checks
by name. A new phrasing is one more word or one more record.

Words are phrases of lower-case tokens; a token ending in "*" matches any word starting
so ("lift*" = lift, lifts, lifted, lifting). Words in Chinese, Japanese or Korean are
matched as substrings (those languages do not put spaces between words). A `pattern` is a
regular expression over the lower-cased sentence, for the few cases words cannot say;
when it has a group, the group is the hit.

The matcher reads a sentence once: its tokens, then for each token the phrases that can
start there (a dict lookup, not a scan of the rules); CJK words and patterns are searched
only when the sentence can hold them. Hits are then made non-overlapping per layer, longest
first, so a pseudo-trigger ("no longer", "may resume") hides the modifier inside it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

CATEGORIES = ("trigger", "polarity", "scope", "object", "agent", "block", "modifier", "pseudo",
              "termination", "gate")
# Hits of one layer never overlap; hits of different layers may ("no longer" is a polarity
# in the core layer and a pseudo-trigger hiding "no" in the context layer).
# A `block` is the core layer's pseudo-trigger: words that contain a trigger but are not
# one ("will hold its annual meeting"); its longer hit hides the trigger.
CORE = frozenset({"trigger", "polarity", "scope", "object", "agent", "block"})

_TOKEN = re.compile(r"[^\W_]+")
# In a sentence with CJK text a run of CJK characters is one token and Latin words are their
# own ("fdaが臨床保留" is "fda" + "が臨床保留"), so "fda" is found as an agent there too.
_CJK_CLASS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN_CJK = re.compile(f"[^\\W_{_CJK_CLASS}]+|[{_CJK_CLASS}]+")
# What may stand between two words of one phrase: spaces and light punctuation, no comma.
_JOIN = re.compile(r"[\s\-'./&]*")
CJK = re.compile(f"[{_CJK_CLASS}]")
_NOT = re.compile(r"n't\b")
_WORDS_REMEMBERED = 50_000  # bounds the per-word cache of a matcher

PHRASE_WORD = re.compile(r"[^\W_A-Z]+\*?")


@dataclass(frozen=True)
class Rule:
    """One named rule: what it is, the words or pattern that say it, how far it reaches."""

    name: str
    category: str
    value: str = ""
    words: tuple[str, ...] = ()
    pattern: str | None = None
    needs: tuple[str, ...] = ()  # a pattern is searched only in a sentence holding one of these
    # Words between this hit and the act after it that it still reaches, and the act before
    # it. For a trigger that is its own act: how far its object and its agent may stand after
    # it and before it (0: the defaults of frames.py; verb-last languages reach further).
    before: int = 0
    after: int = 0
    strong: bool = True  # a polarity that states the act (not "announces", "on")
    term: bool = False  # a trigger that is the FDA's term of art ("clinical hold")
    implies: str = ""  # a trigger that is its own act ("halted the trial": placed)
    needs_object: bool = False  # ... when a trial, study or enrolment is named next to it
    where: str = "sentence"  # sentence | headline | body; gates: headline | lead | any
    lang: str = "en"
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    order: int = 0  # position in the files: earlier wins a tie


class Hit(NamedTuple):
    """One rule found in a sentence (a tuple: made by the thousand per item)."""

    rule: Rule
    start: int  # token index of the first word
    end: int  # token index after the last word
    char_start: int
    char_end: int


class Matched(NamedTuple):
    """A sentence's hits: core layer (acts and their parts) and context layer (modifiers)."""

    tokens: int
    core: tuple[Hit, ...]
    context: tuple[Hit, ...]
    breaks: tuple[int, ...] = ()  # token indices where a new clause starts
    # Words a name of several words takes beyond its first ("the U.S. Food and Drug
    # Administration" reads as one word): (token index, words saved up to there).
    folds: tuple[tuple[int, int], ...] = ()
    text: str = ""  # the lower-cased sentence matched

    def clause(self, token: int) -> int:
        return bisect.bisect_right(self.breaks, token)

    def words(self, start: int, end: int) -> int:
        """Words from token `start` to token `end`, a regulator's long name counting one."""
        if not self.folds or end <= start:
            return max(0, end - start)
        saved = 0
        for at, extra in self.folds:
            if start <= at and at + extra <= end:
                saved += extra
        return max(0, end - start - saved)


_NOTHING = Matched(0, (), ())


def lower(sentence: str) -> str:
    """The form rules are matched on: lower case, "n't" written as " not"."""
    low = sentence.lower()
    return _NOT.sub(" not", low) if "n't" in low else low


class Matcher:
    """Finds the hits of a set of rules in a lower-cased sentence."""

    def __init__(self, rules: Iterable[Rule], *, prefilter: bool = False) -> None:
        self.rules = tuple(rules)
        self._exact: dict[str, list[tuple[tuple[str, ...], Rule]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], Rule]]] = {}
        cjk: list[tuple[str, Rule]] = []
        self._patterns: list[tuple[re.Pattern[str], Rule]] = []
        for rule in self.rules:
            for phrase in rule.words:
                if CJK.search(phrase):
                    cjk.append((phrase, rule))
                    continue
                tokens = tuple(phrase.split())
                first = tokens[0]
                if first.endswith("*"):
                    self._prefix.setdefault(first[:-1], []).append((tokens, rule))
                else:
                    self._exact.setdefault(first, []).append((tokens, rule))
            if rule.pattern:
                self._patterns.append((_compiled(rule.pattern), rule))
        self._prefix_lengths = sorted({len(p) for p in self._prefix})
        # With `prefilter`, a sentence holding none of the phrases (each looked for whole,
        # its words joined as the matcher joins them) skips the word loop: worth it for
        # rules rarely met (gates), not for the sentence rules. Rules with `needs` are tried
        # only when one of them is in the sentence.
        free = {JOINER.join(t.rstrip("*") for t in p.split())
                for r in self.rules if not r.needs for p in r.words if not CJK.search(p)}
        self._needs = {n for r in self.rules if r.words and r.needs for n in r.needs}
        self._firsts = re.compile(trie_pattern(sorted(free))) if prefilter and free else None
        # What can start at a word, remembered per word: most words of a text recur, and the
        # lookup (the exact word and each prefix length) is the matcher's inner loop.
        self._by_word: dict[str, _Starting | None] = {}
        cjk.sort(key=lambda pair: -len(pair[0]))
        self._cjk_rules = dict(reversed(cjk))  # the first rule listing a phrase keeps it
        self._cjk = re.compile("|".join(re.escape(p) for p, _ in cjk)) if cjk else None

    def match(self, low: str) -> Matched:
        """Every hit in `low` (from `lower()`), non-overlapping per layer, with clause breaks."""
        words_possible = (self._firsts is None or self._firsts.search(low) is not None
                          or any(need in low for need in self._needs))
        has = low.__contains__
        found = [(m, rule) for pattern, rule in self._patterns
                 if not rule.needs or any(map(has, rule.needs))
                 for m in pattern.finditer(low)
                 if not (m.start() and low[m.start()].isalnum() and low[m.start() - 1].isalnum())]
        # (a match inside a word is dropped: the leading \b the compiled pattern left out)
        has_cjk = CJK.search(low) is not None
        cjk = self._cjk is not None and has_cjk
        if not (words_possible or found or cjk):
            return _NOTHING  # nothing can match: the sentence is not tokenised
        spans = [(*m.span(), m.group())
                 for m in (_TOKEN_CJK if has_cjk else _TOKEN).finditer(low)]
        candidates = self._word_hits(low, spans) if words_possible else []
        starts = [s for s, _, _ in spans]
        if cjk and self._cjk is not None:
            for m in self._cjk.finditer(low):
                candidates.append(_char_hit(self._cjk_rules[m.group()], m.start(), m.end(),
                                            starts))
        for m, rule in found:
            s, e = m.span(1) if m.re.groups else m.span()
            candidates.append(_char_hit(rule, s, e, starts))
        core = _non_overlapping([h for h in candidates if h.rule.category in CORE])
        context = _non_overlapping([h for h in candidates if h.rule.category not in CORE])
        breaks = sorted({h.start for h in context if h.rule.category == "termination"}
                        | _punctuation_breaks(low, starts))
        folds = tuple((h.start, h.end - h.start - 1) for h in core
                      if h.rule.category == "agent" and h.end - h.start > 1)
        return Matched(len(spans), tuple(core), tuple(context), tuple(breaks), folds, low)

    def _word_hits(self, low: str, spans: Sequence[tuple[int, int, str]]) -> list[Hit]:
        """The phrases spelled from each word on: one dict lookup per word (remembered)."""
        candidates: list[Hit] = []
        by_word = self._by_word
        last = len(spans) - 1
        for i, (start, end_char, word) in enumerate(spans):
            starting = by_word.get(word, _UNSEEN)
            if starting is _UNSEEN:  # first time this word is met
                phrases = self._phrases(word)
                starting = _Starting(phrases) if phrases else None
                if len(by_word) < _WORDS_REMEMBERED:
                    by_word[word] = starting
            if starting is None:  # most words start no phrase
                continue
            for rule in starting.single:  # the word itself is the phrase
                if not rule.needs or any(need in low for need in rule.needs):
                    candidates.append(Hit(rule, i, i + 1, start, end_char))
            if i == last or not (starting.by_second or starting.other):
                continue
            nxt = spans[i + 1][2]
            for tokens, rule in (*starting.by_second.get(nxt, ()), *starting.other):
                if rule.needs and not any(need in low for need in rule.needs):
                    continue
                end = self._phrase_end(low, spans, i, tokens)
                if end:
                    candidates.append(Hit(rule, i, end, start, spans[end - 1][1]))
        return candidates

    def _phrases(self, word: str) -> tuple[tuple[tuple[str, ...], Rule], ...]:
        found = list(self._exact.get(word, ()))
        for n in self._prefix_lengths:
            if n > len(word):
                break
            found.extend(self._prefix.get(word[:n], ()))
        return tuple(found)

    @staticmethod
    def _phrase_end(low: str, spans: Sequence[tuple[int, int, str]], i: int,
                    tokens: Sequence[str]) -> int:
        """The token index after `tokens` spelled from spans[i] on, or 0 when they are not."""
        if i + len(tokens) > len(spans):
            return 0
        for k, token in enumerate(tokens):
            word = spans[i + k][2]
            if not (word.startswith(token[:-1]) if token.endswith("*") else word == token):
                return 0
            if k and not _JOIN.fullmatch(low, spans[i + k - 1][1], spans[i + k][0]):
                return 0
        return i + len(tokens)


class _Starting:
    """The phrases that can start at one word: one-word phrases, longer ones by their
    second word (most are ruled out by the next word alone), and those whose second word
    is a prefix."""

    __slots__ = ("by_second", "other", "single")

    def __init__(self, phrases: Sequence[tuple[tuple[str, ...], Rule]]) -> None:
        self.single = tuple(rule for tokens, rule in phrases if len(tokens) == 1)
        self.by_second: dict[str, list[tuple[tuple[str, ...], Rule]]] = {}
        other = []
        for tokens, rule in phrases:
            if len(tokens) == 1:
                continue
            if tokens[1].endswith("*"):
                other.append((tokens, rule))
            else:
                self.by_second.setdefault(tokens[1], []).append((tokens, rule))
        self.other = tuple(other)


_UNSEEN = _Starting(())  # a marker: "not looked up yet" (None means "starts nothing")


def _compiled(pattern: str) -> re.Pattern[str]:
    """A rule's pattern without its leading \b, which the matcher checks itself: a pattern
    that starts with \b is tried at every position of a sentence, one that starts with its
    words is found by a fast scan for their first letters."""
    return re.compile(pattern[2:] if pattern.startswith("\\b") else pattern)


def _char_hit(rule: Rule, start: int, end: int, starts: Sequence[int]) -> Hit:
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    last = max(bisect.bisect_left(starts, end), first + 1)
    return Hit(rule, first, last, start, end)


def _non_overlapping(hits: list[Hit]) -> list[Hit]:
    """Longest hit first at each place, a pseudo-trigger or else the earlier rule winning a
    tie; left to right."""
    hits.sort(key=lambda h: (h.char_start, -(h.char_end - h.char_start),
                             h.rule.category != "pseudo", h.rule.order))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.char_start < kept[-1].char_end:
            continue
        kept.append(hit)
    return kept


# A colon glued to what follows ("(NYSE:ACME)", "10:30") joins, it does not end a clause; a
# comma next to CJK text does (NFKC made the full-width "，" a ",").
_BREAK = re.compile(rf";|:(?![a-z0-9])|\s-\s|(?<=[{_CJK_CLASS}]),|,(?=[{_CJK_CLASS}])|"
                    "，|；|：|但是|但|然而")
# A sentence that opens with a subordinate clause ends it at its first comma: "Until the
# questions are resolved, the IND is on partial clinical hold."
_OPENING_CLAUSE = re.compile(r"(?:until|unless|if|once|when|whenever|while|although|though|"
                             r"because|since|before|after|following|as)\b[^,;]{3,160}?,")


def _punctuation_breaks(low: str, starts: Sequence[int]) -> set[int]:
    """Token indices after a semicolon, colon, spaced dash, a CJK clause mark, or the comma
    that ends an opening subordinate clause."""
    found = set()
    if "," in low:
        m = _OPENING_CLAUSE.match(low)
        if m:
            found.add(bisect.bisect_left(starts, m.end()))
    if not (";" in low or ":" in low or " - " in low or "," in low
            or any(ch in low for ch in "，；：但然")):
        return found
    return found | {bisect.bisect_left(starts, m.end()) for m in _BREAK.finditer(low)}


Tree = dict[str, "Tree"]  # one letter -> the rest; "" marks the end of a word


def trie_pattern(words: Sequence[str]) -> str:
    """A regex matching any of `words` as a substring, as a trie: the engine branches on one
    character at a time instead of trying each word at each position."""
    tree: Tree = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: Tree) -> str:
        if "" in node:
            return ""  # a shorter word ends here: it already matches (a superset is enough)
        branches = [(_JOINER if ch == JOINER else re.escape(ch)) + render(child)
                    for ch, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(tree) or "(?!)"


# In a word of trie_pattern, JOINER stands for what may join two words of a phrase.
JOINER = "\x00"
_JOINER = r"[\s\-'./&]*"
