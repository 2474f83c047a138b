"""Every rule of bot/data/rules/*.toml, by name: its examples fire it, its counter-examples do not.

A rule "fires" on a sentence when it qualifies an act there (a trigger, polarity, scope,
object, agent or modifier named in an act's rules) or, for rules that act on the matcher
itself (pseudo-triggers, termination terms) and for item gates, when the matcher keeps its
hit. A new phrasing is a new word or record in the data file and one more example here.
"""

from __future__ import annotations

import re

import pytest

from bot.extract.frames import sentence_acts
from bot.extract.rulebook import all_rules, gate_matcher, prefilter, sentence_matcher
from bot.extract.rules import CATEGORIES, Rule, lower

RULES = all_rules()
_BY_MATCHER = ("block", "pseudo", "termination", "gate")


def _fired(rule: Rule, sentence: str) -> bool:
    headline = rule.where == "headline"
    if rule.category == "gate":
        hits = gate_matcher(headline).match(lower(sentence)).context
        return rule.name in {h.rule.name for h in hits}
    if rule.category in _BY_MATCHER:
        matched = sentence_matcher(headline).match(lower(sentence))
        return rule.name in {h.rule.name for h in (*matched.core, *matched.context)}
    return any(rule.name in act.rules for act in sentence_acts(sentence, headline=headline))


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_rule_fires_on_its_examples_and_not_on_its_counter_examples(rule: Rule) -> None:
    """Each `must` example fires the rule; no `must_not` example does."""
    assert rule.must, f"{rule.name} has no example: add one to `must`"
    for example in rule.must:
        assert _fired(rule, example), f"{rule.name} does not fire on {example!r}"
    for example in rule.must_not:
        assert not _fired(rule, example), f"{rule.name} fires on {example!r}"


def test_rule_names_are_unique_and_well_formed() -> None:
    """Names are category-prefixed (or language-prefixed) and unique; categories are known."""
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.category in CATEGORIES
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", rule.name), rule.name
        assert rule.words or rule.pattern, rule.name


def test_triggers_are_words_so_the_prefilter_sees_them() -> None:
    """The sentence prefilter is built from trigger words: a trigger must not be a pattern."""
    for rule in RULES:
        if rule.category == "trigger":
            assert rule.words and not rule.pattern, rule.name
    assert prefilter().search("the fda placed a clinical hold")
    assert prefilter().search("an ordinary sentence about revenue") is None


@pytest.mark.parametrize("rule", [r for r in RULES if r.pattern and r.needs],
                         ids=[r.name for r in RULES if r.pattern and r.needs])
def test_a_pattern_with_needs_holds_one_in_every_match(rule: Rule) -> None:
    """`needs` only skips sentences the pattern cannot match: each example match holds one."""
    pattern = re.compile(rule.pattern or "")
    for example in rule.must:
        for m in pattern.finditer(lower(example)):
            assert any(need in m.group() for need in rule.needs), (rule.name, m.group())
