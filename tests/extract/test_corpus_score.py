"""The extractor scored on the development corpus against the issue's quality bar."""

from __future__ import annotations

from tests.extract.scoring import load_corpus, score


def test_corpus_is_big_and_balanced() -> None:
    """The corpus has >=120 items, all four event labels and about half negatives."""
    rows = load_corpus()
    labels = [r["expected"]["label"] for r in rows]
    assert len(rows) >= 120
    assert {"hold", "partial_hold", "lift", "partial_lift", "none"} <= set(labels)
    assert 0.35 <= labels.count("none") / len(rows) <= 0.65


def test_corpus_meets_quality_bar() -> None:
    """Label accuracy, hold/lift safety, drug and target recall, false events, issuers named."""
    s = score(load_corpus())
    report = s.report()
    assert s.accuracy >= 0.97, report
    assert not s.hold_lift_swaps, report
    assert s.drug_recall >= 0.95, report
    assert s.drug_precision >= 0.95, report
    assert s.target_recall >= 0.95, report
    assert s.false_event_rate <= 0.02, report
    assert s.company_accuracy >= 0.95, report
