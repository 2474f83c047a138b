"""Second held-out corpus: how the extractor generalises to announcements it was not tuned on.

The corpus (tests/fixtures/heldout2) was written without reading the extractor or the
other corpora. Run with `-s` to see the full report; the floors below sit a few points
under today's scores so that a regression fails but the figures stay honest.
"""

import json
from pathlib import Path

import pytest

from bot.extract import run_jsonl
from tests.extract_heldout2.scorer import Report, render, score

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "heldout2"

# Today's scores (first run): labels 92.2%, drug recall 97.1%, drug precision 98.5%,
# target recall 96.6%, company 69.4%, false events 3.8%, hold<->lift swaps 0.
FLOORS = {
    "labels": 0.97,
    "drug_recall": 0.97,
    "drug_precision": 0.96,
    "target_recall": 0.97,
    "company": 0.93,
}
MAX_FALSE_EVENT_RATE = 0.04
MAX_HOLD_LIFT_SWAPS = 0


def _read(name: str) -> list[dict]:
    with open(CORPUS / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def run() -> tuple[list[dict], list[dict], Report]:
    items_path = CORPUS / "items.jsonl"
    with open(items_path, encoding="utf-8") as handle:
        outputs = [json.loads(line) for line in run_jsonl(handle.read().splitlines())]
    expected = _read("expected.jsonl")
    report = score(expected, outputs) if len(outputs) == len(expected) else Report()
    print("\n" + render(report))
    return expected, outputs, report


def test_corpus_is_well_formed() -> None:
    """Every item has an expectation with the same id, and the label mix matches the brief."""
    items, expected = _read("items.jsonl"), _read("expected.jsonl")
    assert [i["id"] for i in items] == [e["id"] for e in expected]
    assert len(items) >= 110
    first = [e["label"].split("|")[0] for e in expected]
    assert first.count("none") >= 0.4 * len(items)
    for label, least in (("hold", 15), ("lift", 15), ("partial_hold", 8), ("partial_lift", 8)):
        assert first.count(label) >= least, label


def test_one_line_per_item_without_errors(run) -> None:
    """The extractor answers every item, in order, with the six required keys and no error."""
    expected, outputs, _ = run
    assert [o.get("id") for o in outputs] == [e["id"] for e in expected]
    errors = [o for o in outputs if "error" in o]
    assert not errors, errors[:3]
    required = {"id", "label", "company", "drugs", "targets", "nct_ids"}
    assert all(required <= o.keys() for o in outputs)


def test_scores_stay_above_floors(run) -> None:
    """Label, drug, target and company scores do not fall below today's level."""
    _, _, report = run
    figures = {name: getattr(report, name).rate for name in FLOORS}
    below = {k: round(v, 3) for k, v in figures.items() if v < FLOORS[k]}
    assert not below, f"below floor: {below}\n{render(report)}"


def test_negatives_and_direction_errors_stay_rare(run) -> None:
    """Hard negatives rarely page anyone, and a hold is (almost) never reported as a lift."""
    _, _, report = run
    assert report.false_events.rate <= MAX_FALSE_EVENT_RATE, render(report)
    assert len(report.hold_lift_swaps) <= MAX_HOLD_LIFT_SWAPS, render(report)
