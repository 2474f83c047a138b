"""The `python -m bot extract` engine: record schema and error lines."""

from __future__ import annotations

import json

from bot.extract import extraction_to_record, run_jsonl
from bot.models import DrugMention, Extraction, Trial

REQUIRED = ["id", "label", "company", "drugs", "targets", "nct_ids"]


def _run(*objs: object) -> list[dict]:
    lines = [o if isinstance(o, str) else json.dumps(o) for o in objs]
    return [json.loads(x) for x in run_jsonl(lines)]


def test_record_has_required_keys_first_and_optional_only_when_known() -> None:
    """The six required keys come first; optional keys appear only with a value; the evidence
    is always there (empty when nothing was asserted)."""
    record = extraction_to_record("a", Extraction(label="none"))
    assert list(record) == [*REQUIRED, "evidence"]
    assert record == {"id": "a", "label": "none", "company": None, "drugs": [], "targets": [],
                      "nct_ids": [], "evidence": []}


def test_record_carries_drugs_with_aliases_and_optional_fields() -> None:
    """Drugs are written as name + aliases; ticker, reason and scope when known."""
    ex = Extraction(label="lift", company="CARsgen Therapeutics",
                    drugs=(DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053")),),
                    targets=("BCMA",), ticker="2171.HK", reason="cmc", scope="program")
    record = extraction_to_record("x", ex)
    assert record["drugs"] == [{"name": "zevorcabtagene autoleucel",
                                "aliases": ["zevor-cel", "CT053"]}]
    assert record["ticker"] == "2171.HK" and record["scope"] == "program"
    assert "indications" not in record and "trials" not in record and "rules" not in record


def test_record_carries_trials_evidence_and_with_explain_the_rules() -> None:
    """Trials are name + NCT id objects; `explain` adds the names of the rules that fired."""
    ex = Extraction(label="hold", trials=(Trial("LUMMICAR-2", "NCT03915184"), Trial(None, "NCT1")),
                    evidence=("The FDA placed a clinical hold on the study.",),
                    rules=("decide.headline", "placed.verb"))
    record = extraction_to_record("x", ex, explain=True)
    assert record["trials"] == [{"name": "LUMMICAR-2", "nct_id": "NCT03915184"},
                                {"name": None, "nct_id": "NCT1"}]
    assert record["evidence"] == ["The FDA placed a clinical hold on the study."]
    assert record["rules"] == ["decide.headline", "placed.verb"]
    assert "rules" not in extraction_to_record("x", ex)


def test_explain_lists_the_rules_of_a_real_item() -> None:
    """run_jsonl(explain=True) names the trigger and polarity rules behind a hold."""
    line = json.dumps({"id": "1", "title": "FDA places clinical hold on Acme's AC-101 trial"})
    out = json.loads(next(run_jsonl([line], explain=True)))
    assert out["label"] == "hold"
    assert {"trigger.clinical_hold", "placed.verb"} <= set(out["rules"])
    assert out["evidence"] == ["FDA places clinical hold on Acme's AC-101 trial"]


def test_an_item_without_a_title_is_read_from_its_text() -> None:
    """A description-only item is extracted (its first sentence plays the headline)."""
    out = _run({"id": "1", "title": "", "text": "Acme said the FDA lifted the clinical hold on "
                "AC-101. Dosing resumes in May."}, {"id": "2", "text": "date 2024-01-02 Jan 2 "
                "The FDA placed a partial clinical hold on Acme's AC-7 study."})
    assert [o["label"] for o in out] == ["lift", "partial_hold"]
    assert out[0]["company"] == "Acme"


def test_one_output_line_per_input_line_in_order_with_errors_inline() -> None:
    """Malformed lines give error lines in place and the run goes on."""
    out = _run(
        {"id": "1", "title": "FDA Places Clinical Hold on Acme's AC-101 Trial"},
        "not json",
        [1, 2],
        {"title": "no id"},
        {"id": "  ", "title": "blank id"},
        {"id": "5"},
        {"id": "5b", "title": " ", "text": ""},
        {"id": "6", "title": "ok", "text": 7},
        {"id": "7", "title": "ok", "published": "31/10/2024"},
        {"id": "8", "title": "FDA lifts clinical hold on AC-101", "published": "2024-10-31"},
    )
    assert [o.get("id") for o in out] == ["1", None, None, None, None, "5", "5b", "6", "7", "8"]
    assert out[0]["label"] == "hold" and out[-1]["label"] == "lift"
    for o in out[1:9]:
        assert set(o) == {"id", "error"} and "expected" in o["error"]


def test_blank_lines_give_error_lines_so_counts_match() -> None:
    """A blank or whitespace-only line yields an 'empty line' error line in its place."""
    out = _run("", {"id": "1", "title": "Quarterly results"}, "   ")
    assert [o["id"] for o in out] == [None, "1", None]
    assert out[0] == out[2] == {"id": None, "error": out[0]["error"]}
    assert out[0]["error"].startswith("empty line")


def test_number_ids_are_echoed_as_given() -> None:
    """A numeric id is an id: the item is extracted and the number comes back unchanged."""
    out = _run({"id": 5, "title": "FDA lifts clinical hold on AC-101"}, {"id": 2.5, "title": "x"},
               {"id": True, "title": "x"})
    assert out[0]["id"] == 5 and out[0]["label"] == "lift"
    assert out[1]["id"] == 2.5 and "label" in out[1]
    assert out[2]["id"] is True and "error" in out[2]
