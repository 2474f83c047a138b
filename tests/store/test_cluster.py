"""Clustering: what merges, what stays apart, and the reason given."""

from __future__ import annotations

from datetime import date

from bot.models import Event
from bot.store.cluster import Facts, same_event
from tests.store.support import add, cand, drug, ids, item_sets, open_store

D = date(2024, 3, 4)


def facts(id_: str, label: str, day: date, company: str | None, *drugs: str) -> Facts:
    return Facts(id_, label, day, company, frozenset(drugs))


def test_press_release_news_and_filing_are_one_event(tmp_path):
    """A release, news two days later and an 8-K a day after form one event."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("pr", "hold", D, drug("BNT326", "YL202"), company="BioNTech SE", primary=True))
    add(s, cand("news", "hold", date(2024, 3, 6), drug("YL202"), company="BioNTech"))
    (change,) = add(s, cand("8k", "hold", date(2024, 3, 7), drug("BNT-326"), company="BioNTech"))
    assert change.kind == "new_source"
    assert item_sets(s) == {ids("pr", "news", "8k")}
    s.close()


def test_two_companies_same_day_stay_apart(tmp_path):
    """Two companies' holds on the same day are two events, even with a drug-less report."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("a", "hold", D, drug("ABC-101"), company="Acme Bio Inc."))
    add(s, cand("b", "hold", D, drug("XYZ-7"), company="Zeta Therapeutics"))
    add(s, cand("c", "hold", D, company="Zeta Therapeutics, Inc."))
    assert item_sets(s) == {ids("a"), ids("b", "c")}
    s.close()


def test_two_drugs_of_one_company_same_week_stay_apart(tmp_path):
    """One company, two unrelated drugs on hold the same week: two events; a drug-less
    story that week is ambiguous and stays its own event."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("x", "hold", D, drug("CT041")))
    add(s, cand("y", "hold", date(2024, 3, 6), drug("CT071")))
    add(s, cand("z", "hold", date(2024, 3, 7)))
    assert item_sets(s) == {ids("x"), ids("y"), ids("z")}
    s.close()


def test_rehold_a_year_after_lift_is_a_new_event(tmp_path):
    """Hold, lift, and a new hold a year later: three events, the drug on hold again."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h1", "hold", date(2023, 1, 10), drug("CT053")))
    add(s, cand("l1", "lift", date(2023, 6, 1), drug("CT053")))
    (change,) = add(s, cand("h2", "hold", date(2024, 6, 1), drug("CT053")))
    assert change.kind == "new"
    assert item_sets(s) == {ids("h1"), ids("l1"), ids("h2")}
    found = s.find_drug("CT053").drug
    assert found.status == "on_hold" and found.status_event_id == change.event.id
    s.close()


def test_hold_and_its_lift_stay_apart_even_within_the_window(tmp_path):
    """A hold lifted five days later is two events, linked."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h", "hold", D, drug("CT053")))
    (lift,) = add(s, cand("l", "lift", date(2024, 3, 9), drug("CT053")))
    assert item_sets(s) == {ids("h"), ids("l")}
    assert lift.event.hold_days == 5
    s.close()


def test_round_up_outside_the_window_is_a_repeat_and_changes_nothing(tmp_path):
    """A round-up weeks later about a drug still on hold joins nothing and starts nothing:
    a report outside the window never joins an event (issue 12)."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h", "hold", D, drug("CT053")))
    before = s.recent_events(10)
    assert add(s, cand("roundup", "hold", date(2024, 4, 20), drug("zevor-cel", "CT053"))) == []
    assert s.recent_events(10) == before
    assert s.unseen(["news:roundup"]) == set()  # recorded as seen all the same
    s.close()


def test_stale_report_from_another_year_never_moves_a_posted_date(tmp_path):
    """A 2023 report of an Arcellx hold arriving after a 2026 hold and lift: the 2026
    events keep their dates and the 41-day duration; no third event."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h26", "hold", date(2026, 1, 5), drug("anito-cel"), company="Arcellx"))
    (lift,) = add(s, cand("l26", "lift", date(2026, 2, 15), drug("anito-cel"), company="Arcellx"))
    assert lift.event.hold_days == 41
    assert add(s, cand("h23", "hold", date(2023, 6, 20), drug("anito-cel"),
                       company="Arcellx, Inc.")) == []
    assert item_sets(s) == {ids("h26"), ids("l26")}
    hold, new_lift = sorted(s.recent_events(10), key=lambda e: e.date)
    assert (hold.date, new_lift.date, new_lift.hold_days) == (
        date(2026, 1, 5), date(2026, 2, 15), 41)
    s.close()


def test_repeat_of_a_lift_months_later_changes_nothing(tmp_path):
    """A re-post of a lift months later, with no new hold since, is ignored as a repeat."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h", "hold", D, drug("CT053")))
    add(s, cand("l", "lift", date(2024, 5, 1), drug("CT053")))
    assert add(s, cand("l2", "lift", date(2024, 8, 1), drug("CT053"))) == []
    assert item_sets(s) == {ids("h"), ids("l")}
    s.close()


def test_drugless_repeat_outside_the_window_changes_nothing(tmp_path):
    """A company-only report a month after the company's hold, nothing between: a repeat."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("h", "hold", D, drug("CT053")))
    assert add(s, cand("again", "hold", date(2024, 4, 10))) == []
    assert item_sets(s) == {ids("h")}
    s.close()


def test_candidate_with_recorded_item_id_is_ignored(tmp_path):
    """A candidate whose item was already recorded changes nothing and reports nothing."""
    s = open_store(tmp_path / "db.json")
    first = cand("h", "hold", D, drug("CT053"))
    add(s, first)
    assert add(s, first) == []
    assert add(s, cand("h", "lift", D, drug("CT053"))) == []
    assert item_sets(s) == {ids("h")}
    s.close()


def test_lift_without_known_hold_is_still_an_event(tmp_path):
    """A lift for a drug the store never saw on hold is an unlinked event; status cleared."""
    s = open_store(tmp_path / "db.json")
    (change,) = add(s, cand("l", "lift", D, drug("obe-cel")))
    assert change.kind == "new" and change.linked_hold is None
    assert change.event.linked_hold_id is None and change.event.hold_days is None
    assert s.find_drug("obecel").drug.status == "cleared"
    s.close()


def test_verdicts_explain_themselves():
    """same_event gives a reason naming the rule that decided."""
    hold = facts("e", "hold", D, "CARsgen Therapeutics", "ct053")
    near = facts("c", "partial_hold", date(2024, 3, 8), "CARsgen", "ct053")
    assert same_event(near, hold, window_days=10).merge
    assert "shared drug ct053" in same_event(near, hold, window_days=10).reason
    lift = facts("c", "lift", D, "CARsgen", "ct053")
    assert "different kinds" in same_event(lift, hold).reason
    other = facts("c", "hold", D, "Acme", "ct053")
    assert "different companies" in same_event(other, hold).reason
    far = facts("c", "hold", date(2024, 6, 1), "CARsgen", "ct053")
    assert not same_event(far, hold).merge
    repeat = same_event(far, hold, unbroken=True)
    assert not repeat.merge and repeat.repeat and "repeat of" in repeat.reason
    bare = facts("c", "hold", D, "CARsgen")
    assert same_event(bare, hold).merge
    assert "ambiguous" in same_event(bare, hold, alone=False).reason


def test_same_event_accepts_models_directly():
    """same_event works on a Candidate and an Event, matching drug names alias-aware."""
    event = Event(
        id="ev-hold", label="hold", date=D, company="CARsgen Therapeutics Holdings Limited",
        ticker="2171.HK", drugs=(drug("zevorcabtagene autoleucel", "zevor-cel", "CT053"),),
        targets=("BCMA",), nct_ids=(),
    )
    story = cand("s", "hold", event.date, drug("Zevor cel"), company="CARsgen")
    assert same_event(story, event).merge
    stranger = cand("t", "hold", event.date, drug("XYZ-1"), company="CARsgen")
    assert same_event(stranger, event).reason == "no shared drug"
