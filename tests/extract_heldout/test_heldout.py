"""The first held-out corpus (tests/fixtures/heldout), scored by the one corpus scorer.

Written without sight of the extractor, then used to steer fixes: it is a development corpus
now (EXTRACTION.md). Run `python -m tests.extract.scoring --items tests/fixtures/heldout/
items.jsonl --labels tests/fixtures/heldout/expected.jsonl --failures` for the full report.
"""

from __future__ import annotations

from functools import cache

from bot.models import LABELS
from tests.extract.gold import load_pair, read_jsonl
from tests.extract.scoring import FIXTURES, Report, render, run_extractor, score

CORPUS = FIXTURES / "heldout"

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


@cache
def _run() -> tuple[list[dict], list[dict], Report]:
    items, golds = load_pair(CORPUS / "items.jsonl", CORPUS / "expected.jsonl")
    produced = run_extractor(items)
    return items, produced, score(items, golds, produced)


def test_every_item_yields_one_record_in_order_without_errors():
    """The extractor answers every held-out item once, in order, and never with an error record."""
    items, produced, _ = _run()
    assert [r.get("id") for r in produced] == [r["id"] for r in items]
    assert [r for r in produced if "error" in r] == []
    for record in produced:
        assert {"label", "company", "drugs", "targets", "nct_ids"} <= record.keys()


def test_fixture_files_describe_the_same_items():
    """items.jsonl and expected.jsonl list the same ids, all unique, with contract labels."""
    items = read_jsonl(CORPUS / "items.jsonl")
    expected = read_jsonl(CORPUS / "expected.jsonl")
    assert [i["id"] for i in items] == [e["id"] for e in expected]
    assert len({i["id"] for i in items}) == len(items) >= 100
    assert {e["label"] for e in expected} == set(LABELS)


def test_labels_stay_above_the_regression_floor():
    """Label accuracy, hold/lift swaps and false events on negatives stay within today's floors."""
    report = _run()[2]
    f, text = report.overall, render(report, failures=True)
    assert f.labels.rate >= LABEL_ACCURACY_FLOOR, text
    assert len(f.swaps) <= MAX_HOLD_LIFT_SWAPS, text
    assert f.false_events.hit <= MAX_FALSE_EVENTS, text


def test_entities_stay_above_the_regression_floor():
    """Drug, target and company extraction on held-out events stay within today's floors."""
    report = _run()[2]
    f, text = report.overall, render(report, failures=True)
    assert f.drug_recall.rate >= DRUG_RECALL_FLOOR, text
    assert f.drug_precision.rate >= DRUG_PRECISION_FLOOR, text
    assert f.target_recall.rate >= TARGET_RECALL_FLOOR, text
    assert f.company_all.rate >= COMPANY_FLOOR, text
