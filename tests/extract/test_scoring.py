"""The corpus scorer itself, on tiny hand-made files: each figure moves when it should."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.gold import company_key, gold_of
from tests.extract.scoring import headline_rule, main, score

ITEMS = [
    {"id": "a", "title": "Acme says FDA placed hold on AC-1", "text": "More."},
    {"id": "b", "title": "", "text": "The FDA lifted the hold on BX-2. Later text."},
    {"id": "c", "title": "Acme quarterly results", "text": "Numbers."},
    {"id": "d", "title": "Delta pauses study", "text": "Nothing."},
]
LABELS = [
    {"id": "a", "label": "hold", "company": "Acme Therapeutics Holdings Limited",
     "drugs": [["AC-1", "acmetinib"]], "targets": ["CLDN18.2"], "trials": ["ACE-1"],
     "lang": "en", "form": "press release", "note": "FDA placed a hold"},
    {"id": "b", "label": "lift", "company": "Bexo", "drugs": [["BX-2"]], "targets": [],
     "lang": "fr", "form": "wire brief"},
    {"id": "c", "label": "none", "company": None, "drugs": [], "targets": [], "lang": "en",
     "form": "press release"},
    {"id": "d", "label": "none", "company": None, "drugs": [], "targets": [], "lang": "en",
     "form": "trade press"},
]
RIGHT = [
    {"id": "a", "label": "hold", "company": "Acme", "targets": ["Claudin 18.2"],
     "drugs": [{"name": "acmetinib", "aliases": ["ac 1"]}], "nct_ids": [],
     "trials": [{"name": "ACE-1", "nct_id": None}]},
    {"id": "b", "label": "lift", "company": "Bexo Inc.", "drugs": [{"name": "BX2", "aliases": []}],
     "targets": [], "nct_ids": []},
    {"id": "c", "label": "none", "company": None, "drugs": [], "targets": [], "nct_ids": []},
    {"id": "d", "label": "none", "company": None, "drugs": [], "targets": [], "nct_ids": []},
]


def _golds():
    return [gold_of(row) for row in LABELS]


def _with(index: int, **changes) -> list[dict]:
    outputs = [dict(o) for o in RIGHT]
    outputs[index].update(changes)
    return outputs


def test_all_right_scores_one_everywhere() -> None:
    """Matching output gives 1.0 on every figure and no failures (spelling differences ignored)."""
    r = score(ITEMS, _golds(), RIGHT)
    f = r.overall
    assert (f.labels.hit, f.labels.total) == (4, 4)
    assert f.false_events.hit == 0 and f.false_events.total == 2
    assert f.drug_recall.rate == 1.0 and f.drug_precision.rate == 1.0
    assert f.target_recall.rate == 1.0  # "Claudin 18.2" canonicalised to the gold's CLDN18.2
    assert f.company.rate == 1.0  # "Acme" == "Acme Therapeutics Holdings Limited"
    assert f.trial_recall.rate == 1.0
    assert r.failures == []


def test_wrong_label_counts_and_is_listed() -> None:
    """A wrong label lowers accuracy and appears in the failures with gold and got."""
    r = score(ITEMS, _golds(), _with(0, label="partial_hold"))
    assert r.overall.labels.hit == 3
    assert [(x.id, x.gold, x.got) for x in r.failures] == [("a", "hold", "partial_hold")]
    assert r.overall.swaps == []


def test_false_event_on_a_gold_none_item() -> None:
    """An event on a gold-none item is a false event (count and rate)."""
    f = score(ITEMS, _golds(), _with(2, label="hold")).overall
    assert (f.false_events.hit, f.false_events.total) == (1, 2)
    assert f.false_events.rate == 0.5


def test_hold_read_as_lift_is_a_family_confusion() -> None:
    """hold -> partial_lift crosses the hold/lift line; hold -> partial_hold does not."""
    assert score(ITEMS, _golds(), _with(0, label="partial_lift")).overall.swaps == ["a"]
    assert score(ITEMS, _golds(), _with(0, label="partial_hold")).overall.swaps == []


def test_error_lines_are_refused_items() -> None:
    """An error line is a refused item, wrong whatever the gold, and named in the failures."""
    outputs = _with(1)
    outputs[1] = {"id": "b", "error": '"title" is missing'}
    r = score(ITEMS, _golds(), outputs)
    assert r.overall.refused == ["b"]
    assert r.overall.labels.hit == 3
    assert "refused" in r.failures[0].reasons[0]


def test_drug_recall_and_precision() -> None:
    """A missed drug lowers recall, an extra one precision; a trial given as a drug is named."""
    f = score(ITEMS, _golds(), _with(0, drugs=[{"name": "ACE-1", "aliases": []}])).overall
    assert (f.drug_recall.hit, f.drug_recall.total) == (1, 2)
    assert (f.drug_precision.hit, f.drug_precision.total) == (1, 2)
    assert f.trials_as_drugs == ["a: ACE-1"]


def test_target_recall() -> None:
    """A gold target not extracted (under any lexicon spelling) is missed."""
    f = score(ITEMS, _golds(), _with(0, targets=["BCMA"])).overall
    assert (f.target_recall.hit, f.target_recall.total) == (0, 1)


def test_company_on_event_items() -> None:
    """A wrong or missing company on an event item counts; names differ only in legal words."""
    f = score(ITEMS, _golds(), _with(1, company="Monday")).overall
    assert (f.company.hit, f.company.total) == (1, 2)
    assert company_key("CARsgen") == company_key("CARsgen Therapeutics Holdings Limited")
    assert company_key("uniQure N.V.") == company_key("uniQure")
    assert company_key("Innate") == company_key("Innate Pharma")
    assert company_key("Allogene") != company_key("Allakos")


def test_groups_by_language_title_and_form() -> None:
    """Figures are broken down by language, title/no title and form."""
    r = score(ITEMS, _golds(), _with(1, label="none"))
    assert r.groups["language"]["fr"].labels.rate == 0.0
    assert r.groups["language"]["en"].labels.rate == 1.0
    assert r.groups["title"]["no title"].labels.total == 1
    assert r.groups["title"]["title"].labels.rate == 1.0
    assert r.groups["form"]["wire brief"].labels.rate == 0.0


def test_headline_rule_baseline() -> None:
    """The 3-line rule reads the title, or the first sentence when there is none."""
    assert headline_rule("FDA lifts hold") == "lift"
    assert headline_rule("Removal of clinical hold") == "lift"
    assert headline_rule("FDA places hold") == "hold"
    assert headline_rule("Quarterly results") == "none"
    f = score(ITEMS, _golds(), RIGHT).overall
    # a: hold (right), b: first sentence "lifted the hold" -> lift (right), c: none, d: none
    assert (f.baseline.hit, f.baseline.total) == (4, 4)


def test_alternatives_and_optional_entries() -> None:
    """'A|B' accepts either; '?' entries are not required but not wrong either."""
    gold = gold_of({"id": "a", "label": "hold|partial_hold", "company": "X|Acme",
                    "drugs": [{"name": "?ZZ-9", "aliases": []}, ["AC-1"]],
                    "targets": ["?BCMA", "CLDN18.2"]})
    out = _with(0, label="partial_hold", drugs=[{"name": "AC-1", "aliases": []},
                                                {"name": "ZZ-9", "aliases": []}])
    f = score(ITEMS[:1], [gold], out[:1]).overall
    assert f.labels.rate == 1.0
    assert (f.drug_recall.hit, f.drug_recall.total) == (1, 1)
    assert f.drug_precision.rate == 1.0


def test_bad_gold_label_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="not one of"):
        gold_of({"id": "x", "label": "held"})


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_command_scores_a_saved_output_as_json(tmp_path: Path, capsys) -> None:
    """--extracted scores the given output (not the extractor); --json prints the figures."""
    items = _write(tmp_path / "items.jsonl", ITEMS)
    labels = _write(tmp_path / "labels.jsonl", LABELS)
    out = _write(tmp_path / "out.jsonl", _with(2, label="lift"))
    assert main(["--items", str(items), "--labels", str(labels), "--extracted", str(out),
                 "--json", "--failures"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["label_accuracy"] == 0.75
    assert data["false_events"] == {"count": 1, "of": 2, "rate": 0.5}
    assert [f["id"] for f in data["failures"]] == ["c"]
    assert set(data["groups"]) == {"language", "title", "form"}


def test_command_runs_the_extractor_and_prints_text(tmp_path: Path, capsys) -> None:
    """Without --extracted the extractor runs; the text report lists failures on request."""
    items = _write(tmp_path / "items.jsonl", ITEMS[:1])
    labels = _write(tmp_path / "labels.jsonl", [{**LABELS[0], "label": "lift"}])
    assert main(["--items", str(items), "--labels", str(labels), "--failures"]) == 0
    text = capsys.readouterr().out
    assert "label accuracy" in text and "0.000 (0/1)" in text
    assert "- a  gold lift  got hold" in text


def test_command_names_an_unlabelled_item(tmp_path: Path, capsys) -> None:
    """An item without gold stops the run with a message naming it (exit 2)."""
    items = _write(tmp_path / "items.jsonl", ITEMS)
    labels = _write(tmp_path / "labels.jsonl", LABELS[:3])
    assert main(["--items", str(items), "--labels", str(labels)]) == 2
    assert "['d']" in capsys.readouterr().err
