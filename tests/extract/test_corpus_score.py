"""The extractor scored on the development corpus (tests/fixtures/corpus) by the one scorer.

A development corpus measures the tuning, not generalisation (EXTRACTION.md): these floors
catch regressions; first-sight samples measure the real thing.
"""

from __future__ import annotations

from functools import cache

from tests.extract.gold import load_embedded
from tests.extract.scoring import CORPUS_DIR, Report, render, score


@cache
def _report() -> Report:
    items, golds = load_embedded(CORPUS_DIR.glob("*.jsonl"))
    return score(items, golds)


def test_corpus_is_big_and_balanced() -> None:
    """The corpus has >=120 items, all four event labels and about half negatives."""
    _, golds = load_embedded(CORPUS_DIR.glob("*.jsonl"))
    labels = [g.label for g in golds]
    assert len(golds) >= 120
    assert {"hold", "partial_hold", "lift", "partial_lift", "none"} <= set(labels)
    assert 0.35 <= labels.count("none") / len(golds) <= 0.65


def test_corpus_meets_quality_bar() -> None:
    """Label accuracy, hold/lift safety, drug and target recall, false events, issuers named."""
    f = _report().overall
    text = render(_report(), failures=True)
    assert f.labels.rate >= 0.97, text
    assert not f.swaps and not f.refused, text
    assert f.drug_recall.rate >= 0.95, text
    assert f.drug_precision.rate >= 0.95, text
    assert f.target_recall.rate >= 0.95, text
    assert f.false_events.rate <= 0.02, text
    assert f.company_all.rate >= 0.95, text
