"""The CARsgen case of issue 5, end to end through the store."""

from __future__ import annotations

from datetime import date

import pytest

from bot.extract.targets import canonical_target
from tests.store.support import add, cand, drug, ids, item_sets, open_store

HOLD_DAY = date(2023, 12, 12)  # 2024-10-31 minus 324 days
LIFT_DAY = date(2024, 10, 31)


def carsgen_hold():
    return cand(
        "hold-pr", "hold", HOLD_DAY,
        drug("CT053", targets=["BCMA"]),
        drug("CT041", targets=["CLDN18.2"]),
        drug("CT071", targets=["GPRC5D"]),
        company="CARsgen Therapeutics Holdings Limited",
        primary=True,
    )


def carsgen_news():
    return [
        cand("news-1", "hold", date(2023, 12, 13), company="CARsgen"),
        cand("news-2", "hold", date(2023, 12, 15), company="CARsgen Therapeutics Co."),
    ]


def carsgen_lift():
    return cand(
        "lift-pr", "lift", LIFT_DAY,
        drug("zevorcabtagene autoleucel", "zevor-cel", "CT053"),
        drug("satricabtagene autoleucel", "satri-cel", "CT041"),
        drug("CT071"),
        company="CARsgen Therapeutics",
        primary=True,
    )


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "db.json")
    add(s, carsgen_hold(), *carsgen_news())
    add(s, carsgen_lift())
    yield s
    s.close()


def test_two_events_not_four(store):
    """A hold with two drug-less news stories and a later lift make two events."""
    assert item_sets(store) == {ids("hold-pr", "news-1", "news-2"), ids("lift-pr")}


def test_three_drugs_each_with_its_target_all_cleared(store):
    """Three drugs exist, each with its own target, and the lift cleared all three."""
    drugs = {
        m.drug.name: m.drug for m in map(store.find_drug, ["CT053", "CT041", "CT071"])
    }
    assert set(drugs) == {"zevorcabtagene autoleucel", "satricabtagene autoleucel", "CT071"}
    assert drugs["zevorcabtagene autoleucel"].targets == ("BCMA",)
    assert drugs["satricabtagene autoleucel"].targets == (canonical_target("CLDN18.2"),)
    assert drugs["CT071"].targets == ("GPRC5D",)
    assert {d.status for d in drugs.values()} == {"cleared"}
    assert store.stats()["drugs"] == 3
    assert store.held_drugs() == []


def test_lift_links_to_hold_with_324_days(store):
    """The lift links to the hold, records 324 days, and the hold points back to it."""
    lift, hold = store.recent_events(2)
    assert (lift.label, hold.label) == ("lift", "hold")
    assert lift.linked_hold_id == hold.id and lift.hold_days == 324
    assert hold.lifted_by_id == lift.id
    timeline = store.timeline(store.find_drug("CT071").drug.id)
    assert [(t.event.label, t.hold_days, t.ongoing_days) for t in timeline] == [
        ("hold", None, None),
        ("lift", 324, None),
    ]


def test_every_name_finds_the_same_drug_with_both_events(store):
    """CT053, zevor-cel and the INN (and spelling variants) answer with one drug."""
    answers = [
        store.find_drug(n).drug
        for n in ["CT053", "zevor-cel", "zevorcabtagene autoleucel", "Zevor cel", "CT-053"]
    ]
    assert all(a is not None for a in answers)
    assert {a.id for a in answers} == {answers[0].id}
    first = answers[0]
    assert first.name == "zevorcabtagene autoleucel"
    assert set(first.aliases) == {"zevor-cel", "CT053"}
    events = [store.event(e) for e in first.event_ids]
    assert [e.label for e in events] == ["hold", "lift"]


def test_lift_change_carries_linked_hold(tmp_path):
    """The EventChange of the lift is 'new' and carries the hold it ends."""
    s = open_store(tmp_path / "db.json")
    add(s, carsgen_hold(), *carsgen_news())
    (change,) = add(s, carsgen_lift())
    assert change.kind == "new"
    assert change.linked_hold is not None and change.linked_hold.lifted_by_id == change.event.id
    assert change.event.hold_days == 324
    s.close()


def test_survives_reopen(store, tmp_path):
    """Everything above is still true after closing and reopening the file."""
    before = (item_sets(store), store.find_drug("zevor-cel").drug)
    store.close()
    again = open_store(tmp_path / "db.json")
    assert (item_sets(again), again.find_drug("zevor-cel").drug) == before
    again.close()


def test_queries_by_target_and_company(store):
    """Target lookups are alias-aware and company lookups ignore legal suffixes."""
    assert [d.name for d in store.drugs_by_target("cldn18.2")] == ["satricabtagene autoleucel"]
    assert [d.name for d in store.drugs_by_target("BCMA")] == ["zevorcabtagene autoleucel"]
    assert len(store.drugs_by_company("CARsgen Therapeutics Co., Ltd.")) == 3
    assert store.drugs_by_company("Carsgenix") == []
