"""Property tests: extraction never raises, whatever the input.

`extract` turns any internal exception into label 'none' (the pipeline must not stop on one
odd item), so a property "the label is one of LABELS" checked through it could never fail.
These tests call `read_item`, the same work without the safety net, and the JSON-lines
test fails on any error the extractor logs.
"""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.extract import run_jsonl
from bot.extract.engine import default_book, read_item
from bot.models import LABELS, Extraction, Item


def extract(item: Item) -> Extraction:
    return read_item(item, default_book())

_WORDS = st.sampled_from([
    "FDA", "clinical hold", "partial", "lifted", "placed", "not", "may", "CT053", "(Nasdaq:",
    "zevor-cel", "临床暂停", "解除", "levée", "suspension clinique", "(", ")", ",", ".", "-",
    "also known as", "BCMA", "CLDN18.2", "NCT01234567", "\u202e", "\u200b", "®", "/", "\n",
])
_TEXTISH = st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(title=st.text(), text=st.text())
def test_arbitrary_unicode_never_raises(title: str, text: str) -> None:
    """Any unicode title/text yields one of the five labels."""
    result = extract(Item(source="t", key="k", title=title, text=text))
    assert result.label in LABELS


@settings(max_examples=150, deadline=None)
@given(title=_TEXTISH, text=_TEXTISH)
def test_cue_soup_never_raises(title: str, text: str) -> None:
    """Fragments of real cues in random order still give a valid extraction."""
    result = extract(Item(source="t", key="k", title=title, text=text))
    assert result.label in LABELS
    assert all(d.name for d in result.drugs)


def test_very_long_and_empty_fields() -> None:
    """Megabyte text and empty fields are handled without error."""
    long_text = "The FDA placed a clinical hold on AB-101. " * 40_000
    assert extract(Item(source="t", key="k", title="", text=long_text)).label in LABELS
    assert extract(Item(source="t", key="k", title="", text="")).label == "none"
    assert extract(Item(source="t", key="k", title="x" * 100_000)).label in LABELS


_ITEM_LINES = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=8), st.integers())},
    optional={"title": _TEXTISH, "text": _TEXTISH, "published": st.text(max_size=12)},
).map(json.dumps)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.one_of(st.text(), _ITEM_LINES, st.dictionaries(st.text(max_size=8), st.one_of(
    st.none(), st.integers(), st.text(), st.lists(st.integers(), max_size=3)), max_size=6).map(
    json.dumps)))
def test_run_jsonl_one_object_per_line(line: str, caplog: pytest.LogCaptureFixture) -> None:
    """Every line, blank, well-formed or not, yields exactly one JSON object, and the
    extractor logs no failure on the way (a swallowed exception would be logged)."""
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="bot.extract"):
        out = list(run_jsonl([line]))
    assert len(out) == 1
    for o in out:
        assert isinstance(json.loads(o), dict)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
