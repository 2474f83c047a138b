"""The phrasing grammar (tests/extract/grammar.py): accuracy overall and per construction.

Run with `-s` to see every construction below the bar with one failing sentence each.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from bot.extract.decide import decide
from bot.extract.text import MAX_TITLE_CHARS, clean, sentences
from tests.extract.grammar import CASES, Case

OVERALL = 0.98
PER_CONSTRUCTION = 0.9


def _label(case: Case) -> str:
    # decide() is the labelling step itself: extract() would turn an exception into 'none'.
    return decide(clean(case.title, MAX_TITLE_CHARS), sentences(clean(case.text))).label


@cache
def _results() -> dict[str, list[tuple[Case, str]]]:
    by_construction: dict[str, list[tuple[Case, str]]] = defaultdict(list)
    for case in CASES:
        by_construction[case.construction].append((case, _label(case)))
    return by_construction


def _report(below: dict[str, float]) -> str:
    lines = []
    for name, rate in sorted(below.items()):
        case, got = next((c, g) for c, g in _results()[name] if g != c.label)
        lines.append(f"{name}: {rate:.2f}  e.g. {case.title!r} / {case.text!r} -> {got} "
                     f"(expected {case.label})")
    return "\n".join(lines)


def test_the_grammar_is_large_and_covers_every_label() -> None:
    """At least 2,000 sentences, every label, headline/body/no-title and eight languages."""
    assert len(CASES) >= 2000
    assert {c.label for c in CASES} == {"hold", "partial_hold", "lift", "partial_lift", "none"}
    positions = {c.construction.rsplit("/", 1)[-1] for c in CASES}
    assert {"headline", "body", "no-title"} <= positions
    assert len({c.construction.split("-")[0] for c in CASES if c.construction[2] == "-"}) >= 8


def test_accuracy_overall_and_per_construction() -> None:
    """Overall accuracy and each construction's accuracy stay above the bar."""
    results = _results()
    right = sum(got == case.label for rows in results.values() for case, got in rows)
    rates = {name: sum(g == c.label for c, g in rows) / len(rows)
             for name, rows in results.items()}
    below = {name: rate for name, rate in rates.items() if rate < PER_CONSTRUCTION}
    print(f"\ngrammar: {right}/{len(CASES)} right, {len(rates)} constructions\n" + _report(
        {n: r for n, r in rates.items() if r < 1.0}))
    assert right / len(CASES) >= OVERALL, _report(below)
    assert not below, _report(below)
