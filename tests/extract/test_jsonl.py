"""The `python -m bot extract` engine: record schema and error lines."""

from __future__ import annotations

import json

from bot.extract import extraction_to_record, run_jsonl
from bot.models import DrugMention, Extraction

REQUIRED = ["id", "label", "company", "drugs", "targets", "nct_ids"]


def _run(*objs: object) -> list[dict]:
    lines = [o if isinstance(o, str) else json.dumps(o) for o in objs]
    return [json.loads(x) for x in run_jsonl(lines)]


def test_record_has_required_keys_first_and_optional_only_when_known() -> None:
    """The six required keys come first; optional keys appear only with a value."""
    record = extraction_to_record("a", Extraction(label="none"))
    assert list(record) == REQUIRED
    assert record == {"id": "a", "label": "none", "company": None, "drugs": [], "targets": [],
                      "nct_ids": []}


def test_record_carries_drugs_with_aliases_and_optional_fields() -> None:
    """Drugs are written as name + aliases; ticker, reason and scope when known."""
    ex = Extraction(label="lift", company="CARsgen Therapeutics",
                    drugs=(DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053")),),
                    targets=("BCMA",), ticker="2171.HK", reason="cmc", scope="program")
    record = extraction_to_record("x", ex)
    assert record["drugs"] == [{"name": "zevorcabtagene autoleucel",
                                "aliases": ["zevor-cel", "CT053"]}]
    assert record["ticker"] == "2171.HK" and record["scope"] == "program"
    assert "indications" not in record


def test_one_output_line_per_input_line_in_order_with_errors_inline() -> None:
    """Malformed lines give error lines in place and the run goes on."""
    out = _run(
        {"id": "1", "title": "FDA Places Clinical Hold on Acme's AC-101 Trial"},
        "not json",
        [1, 2],
        {"title": "no id"},
        {"id": "  ", "title": "blank id"},
        {"id": "5"},
        {"id": "6", "title": "ok", "text": 7},
        {"id": "7", "title": "ok", "published": "31/10/2024"},
        {"id": "8", "title": "FDA lifts clinical hold on AC-101", "published": "2024-10-31"},
    )
    assert [o.get("id") for o in out] == ["1", None, None, None, None, "5", "6", "7", "8"]
    assert out[0]["label"] == "hold" and out[-1]["label"] == "lift"
    for o in out[1:8]:
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
