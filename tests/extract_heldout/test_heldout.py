"""Held-out extraction corpus: announcements written without sight of the extractor.

Run with ``pytest tests/extract_heldout -s`` to see the full report. The floors asserted here sit
a few points under what the extractor achieves today, so CI catches regressions; the report is
what tells the extractor's author where it fails to generalise.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from bot.extract import run_jsonl
from tests.extract_heldout.scoring import LABELS, Score, report, score_item

FIXTURES = Path(__file__).parent.parent / "fixtures" / "heldout"


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def _run() -> tuple[list[dict], list[dict]]:
    """Expected records and the extractor's records, one per input item, in input order."""
    lines = (FIXTURES / "items.jsonl").read_text(encoding="utf-8").splitlines()
    produced = [json.loads(line) for line in run_jsonl(lines)]
    return _read_jsonl(FIXTURES / "expected.jsonl"), produced


@cache
def _score() -> Score:
    expected, produced = _run()
    score = Score()
    for want, got in zip(expected, produced, strict=True):
        score_item(score, want, got)
    print("\n" + report(score))
    return score


def test_every_item_yields_one_record_in_order_without_errors():
    """run_jsonl answers every held-out item once, in order, and never with an error record."""
    expected, produced = _run()
    assert [r.get("id") for r in produced] == [r["id"] for r in expected]
    assert [r for r in produced if "error" in r] == []
    for record in produced:
        assert {"label", "company", "drugs", "targets", "nct_ids"} <= record.keys()


def test_fixture_files_describe_the_same_items():
    """items.jsonl and expected.jsonl list the same ids, all unique, with contract labels."""
    items = _read_jsonl(FIXTURES / "items.jsonl")
    expected = _read_jsonl(FIXTURES / "expected.jsonl")
    assert [i["id"] for i in items] == [e["id"] for e in expected]
    assert len({i["id"] for i in items}) == len(items) >= 100
    assert {e["label"] for e in expected} == set(LABELS)


def test_labels_stay_above_the_regression_floor():
    """Label accuracy, hold/lift swaps and false events on negatives stay within today's floors."""
    score = _score()
    assert score.ratio("label_ok", "n") >= LABEL_ACCURACY_FLOOR, report(score)
    assert len(score.hold_lift_swaps) <= MAX_HOLD_LIFT_SWAPS, score.hold_lift_swaps
    assert len(score.false_events) <= MAX_FALSE_EVENTS, score.false_events


def test_entities_stay_above_the_regression_floor():
    """Drug, target and company extraction on held-out events stay within today's floors."""
    score = _score()
    assert score.ratio("drugs_found", "drugs_expected") >= DRUG_RECALL_FLOOR, report(score)
    assert score.ratio("drugs_output_ok", "drugs_output") >= DRUG_PRECISION_FLOOR, report(score)
    assert score.ratio("targets_found", "targets_expected") >= TARGET_RECALL_FLOOR, report(score)
    assert score.ratio("companies_ok", "companies_expected") >= COMPANY_FLOOR, report(score)


# Floors a few points under the scores measured when they were set (label 99.1%, 0 hold/lift
# swaps, 0/46 false events, drug recall 95.2% / precision 98.8%, target recall 98.2%, company
# 97.1%): they catch regressions; the report, not these numbers, is the goal.
LABEL_ACCURACY_FLOOR = 0.97
MAX_HOLD_LIFT_SWAPS = 0
MAX_FALSE_EVENTS = 1
DRUG_RECALL_FLOOR = 0.93
DRUG_PRECISION_FLOOR = 0.96
TARGET_RECALL_FLOOR = 0.96
COMPANY_FLOOR = 0.96
