"""Issue 12 through the store: the CARsgen story comes out as two events however the
extraction misses and however the reports arrive.

The reports (tests/e2e/carsgen_story.py, two wordings) go through the real extractor;
then the extraction is made worse on purpose — the company dropped from reports, as
the issue saw it — and the reports are added in several orders, in one poll or one
poll each. The event layer must still give one hold (CARsgen, 3 drugs with their
targets, 12 Dec 2023) and one lift (31 Oct 2024, after 324 days), no study as a
drug, and nothing from the stale report.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.extract import extract
from bot.models import Candidate, Item, SourceState
from bot.store import Store
from tests.e2e.carsgen_story import (
    FIRST,
    HOLD_DATE,
    HOLD_DAYS,
    LIFT_DATE,
    SECOND,
    STORIES,
    Report,
    Story,
)

NOW = datetime(2024, 11, 20, 9, 0, tzinfo=UTC)
Degrade = Callable[[Report, Candidate], Candidate]


def candidate(report: Report) -> Candidate:
    item = Item(source=report.feed, key=report.guid, title=report.title, text=report.text,
                url=report.link, published=report.day, outlet=report.feed,
                kind="press_release" if report.feed == "press" else "news",
                hints={"primary": report.feed == "press"})
    extraction = extract(item)
    assert extraction.label in ("hold", "lift"), (report.guid, extraction.label)
    return Candidate(item, extraction)


def as_extracted(_report: Report, cand: Candidate) -> Candidate:
    return cand


def company_missed(*guids: str) -> Degrade:
    """The extractor read no company from these reports (issue 12: from all three holds)."""
    def degrade(report: Report, cand: Candidate) -> Candidate:
        if report.guid not in guids:
            return cand
        return replace(cand, extraction=replace(cand.extraction, company=None, ticker=None))
    return degrade


def replay(story: Story, degrade: Degrade, order: Sequence[Report], *, one_poll: bool,
           path, group_wait: float = 60.0) -> Store:
    store = Store(path, clock=lambda: NOW, group_wait=group_wait)
    cands = [degrade(r, candidate(r)) for r in order if r is not story.stale]
    batches = [cands] if one_poll else [[c] for c in cands]
    batches.append([degrade(story.stale, candidate(story.stale))])  # stale: it comes last
    for batch in batches:
        store.commit_poll(SourceState(name="feeds"), [c.item for c in batch], batch)
    return store


def orders(story: Story) -> list[tuple[str, list[Report]]]:
    """Arrival orders of the story's reports (the stale one always comes last)."""
    reports = [r for r in story.reports if r is not story.stale]
    shuffled = reports[:]
    random.Random(12).shuffle(shuffled)
    return [("in order", reports), ("reversed", reports[::-1]), ("shuffled", shuffled)]


def check_story(store: Store, story: Story) -> None:
    events = store.recent_events(100)
    assert [e.label for e in events] == ["lift", "hold"], [
        (e.label, e.date, [s.item_id for s in e.sources]) for e in events]
    lift, hold = events
    assert {s.item_id.split(":")[1] for s in hold.sources} == {r.guid for r in story.holds}
    assert {r.guid for r in story.lifts} <= {s.item_id.split(":")[1] for s in lift.sources}
    assert story.stale.guid not in {s.item_id.split(":")[1] for e in events for s in e.sources}
    shown = hold.company  # one name for the company everywhere
    assert shown and shown.startswith("CARsgen") and lift.company == shown
    assert (hold.date, lift.date) == (HOLD_DATE, LIFT_DATE)
    assert lift.linked_hold_id == hold.id and lift.hold_days == HOLD_DAYS
    assert hold.lifted_by_id == lift.id
    assert {d.name for d in hold.drugs} == {"satricabtagene autoleucel",
                                           "zevorcabtagene autoleucel", "CT071"}
    assert set(hold.targets) >= {"BCMA", "Claudin18.2", "GPRC5D"}
    assert store.find_drug("ELIMYN18").drug is None
    assert store.find_drug("ELIMYN18.2").drug is None
    assert store.drugs_by_target("CLDN18.2")[0].name == "satricabtagene autoleucel"
    assert len(store.drugs_by_target("CLDN18.2")) == 1
    assert {d.company for d in store.drugs_by_company("CARsgen")} == {shown}
    assert store.known_names("company") == [shown]
    assert store.release_held(everything=True) == []  # nothing left waiting


DEGRADATIONS: list[tuple[str, Degrade]] = [("as extracted", as_extracted)]
for kept in range(3):
    missed = [r.guid for i, r in enumerate(FIRST.holds) if i != kept]
    DEGRADATIONS.append((f"company read only from hold report {kept}", company_missed(*missed)))


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name)
@pytest.mark.parametrize("degradation", DEGRADATIONS, ids=lambda d: d[0])
@pytest.mark.parametrize("one_poll", [True, False], ids=["one poll", "a poll each"])
def test_two_events_whatever_the_extraction_missed_and_the_order(tmp_path, story, degradation,
                                                                 one_poll):
    """Any order, one poll or many, company read from one hold report only: 2 events."""
    name, degrade = degradation
    if story is not FIRST:  # the same reports' positions in the second wording
        guids = {a.guid: b.guid for a, b in zip(FIRST.reports, story.reports, strict=True)}
        base = degrade
        degrade = lambda r, c: base(replace(r, guid=next(  # noqa: E731
            (a for a, b in guids.items() if b == r.guid), r.guid)), c)
    for label, order in orders(story):
        store = replay(story, degrade, order, one_poll=one_poll,
                       path=tmp_path / f"{label}.json")
        try:
            check_story(store, story)
        except AssertionError as exc:
            raise AssertionError(f"{name}, {label}: {exc}") from exc
        finally:
            store.close()


def test_no_company_read_from_any_hold_report_still_one_hold(tmp_path):
    """The issue's worst case: no hold report's company read. The codes report's event and
    the two company-only reports are one hold (they share the name CARsgen), and the hold
    takes its company from its drugs once the lift names it."""
    degrade = company_missed(*(r.guid for r in FIRST.holds))
    for label, order in orders(FIRST):
        store = replay(FIRST, degrade, order, one_poll=False, path=tmp_path / f"{label}.json")
        check_story(store, FIRST)
        store.close()


def test_unattributed_report_waits_then_is_posted_once_as_such(tmp_path):
    """A report naming no company and no drug, matching nothing, is held back (no event),
    its story's second report (the same study name) waits with it, and after the wait
    they are one event; a report of another story waits apart."""
    clock = {"now": NOW}
    store = Store(tmp_path / "db.json", clock=lambda: clock["now"], group_wait=60)
    reports = [
        Item("news", "u1", "FDA halts a cell therapy trial after a patient death",
             "The agency placed the NOVA-1 study of an autologous CAR-T on clinical hold.",
             published=HOLD_DATE),
        Item("news", "u2", "Cell therapy trial halted by FDA after patient death",
             "The NOVA-1 CAR-T study was placed on clinical hold, the sponsor said.",
             published=HOLD_DATE),
        Item("news", "u3", "FDA places a gene therapy study on clinical hold",
             "The agency placed the ORCA-7 gene therapy study on clinical hold.",
             published=HOLD_DATE),
    ]
    cands = [Candidate(i, replace(extract(i), company=None, drugs=())) for i in reports]
    assert [c.label for c in cands] == ["hold", "hold", "hold"]
    for cand in cands:
        assert store.commit_poll(SourceState(name="news"), [cand.item], [cand]) == []
    assert store.recent_events(10) == []
    assert store.next_release() == NOW + timedelta(seconds=60)
    clock["now"] = NOW + timedelta(seconds=61)
    changes = store.release_held()
    assert [c.kind for c in changes] == ["new", "new"]
    assert {frozenset(s.item_id for s in c.event.sources) for c in changes} == {
        frozenset({"news:u1", "news:u2"}), frozenset({"news:u3"})}
    assert all(c.event.company is None for c in changes)
    assert store.release_held() == [] and store.next_release() is None
    store.close()


def test_held_report_joins_the_event_whose_company_it_names(tmp_path):
    """Held back for naming no company the extractor read, a report joins the event of
    the company its words name when that event's first report arrives."""
    store = Store(tmp_path / "db.json", clock=lambda: NOW, group_wait=60)
    first, codes = candidate(FIRST.holds[1]), candidate(FIRST.holds[0])
    first = replace(first, extraction=replace(first.extraction, company=None))
    store.commit_poll(SourceState(name="news"), [first.item], [first])
    assert store.recent_events(10) == []
    (change,) = store.commit_poll(SourceState(name="news"), [codes.item], [codes])
    assert change.kind == "new" and len(change.event.sources) == 2
    assert store.next_release() is None
    store.close()


def test_report_that_names_a_competitor_in_passing_is_not_pulled_in(tmp_path):
    """A report of another company's hold that mentions CARsgen's codes in passing keeps
    its own drug and stays its own event."""
    store = Store(tmp_path / "db.json", clock=lambda: NOW)
    codes = candidate(FIRST.holds[0])
    other = Item("news", "other", "FDA places clinical hold on Acme Bio's AB-101",
                 "The hold on AB-101 comes days after the FDA paused CARsgen's CT041, CT053 "
                 "and CT071 studies.", published=HOLD_DATE)
    rival = Candidate(other, replace(extract(other), company=None))
    store.commit_poll(SourceState(name="news"), [codes.item, other], [codes, rival])
    assert len(store.recent_events(10)) == 2
    store.close()


def test_survives_reopen_with_held_and_repeated_reports(tmp_path):
    """Held-back and repeated reports are stored: after a reopen nothing is lost or shown."""
    path = tmp_path / "db.json"
    store = replay(FIRST, as_extracted, list(FIRST.reports), one_poll=False, path=path)
    held = Item("news", "held", "FDA hold for a cell therapy developer",
                "The Phase 1 CAR-T study was placed on clinical hold.", published=HOLD_DATE)
    cand = Candidate(held, replace(extract(held), company=None, drugs=()))
    store.commit_poll(SourceState(name="news"), [held], [cand])
    before = store.recent_events(10)
    store.close()
    again = Store(path, clock=lambda: NOW, group_wait=60)
    assert again.recent_events(10) == before
    assert again.next_release() is not None
    (released,) = again.release_held(everything=True)
    assert {s.item_id for s in released.event.sources} == {"news:held"}
    again.close()


def test_a_fuller_company_name_renames_what_is_stored(tmp_path):
    """'CARsgen' first, 'CARsgen Therapeutics Holdings Limited' later: every event and
    drug of the company then carries the fuller name, and /drug, /holds and the digest
    see one company."""
    from tests.store.support import add, cand, drug

    store = Store(tmp_path / "db.json", clock=lambda: NOW)
    add(store, cand("h", "hold", HOLD_DATE, drug("CT041"), company="CARsgen"))
    add(store, cand("l", "lift", LIFT_DATE, drug("CT041"),
                    company="CARsgen Therapeutics Holdings Limited"))
    full = "CARsgen Therapeutics Holdings Limited"
    assert {e.company for e in store.recent_events(10)} == {full}
    assert store.find_drug("CT041").drug.company == full
    assert store.known_names("company") == [full]
    store.close()


def test_a_lift_naming_only_the_company_ends_its_one_open_hold_at_once(tmp_path):
    """'CARsgen says the FDA lifted the holds on its three candidates', first of the lift
    reports: already linked to the hold (so it goes out as a reply in the hold's thread)."""
    store = Store(tmp_path / "db.json", clock=lambda: NOW)
    for report in FIRST.holds:
        cand = candidate(report)
        store.commit_poll(SourceState(name="news"), [cand.item], [cand])
    (hold,) = store.recent_events(10)
    first = candidate(SECOND.lifts[0])
    assert first.extraction.drugs == ()  # the premise: the report names no drug
    (change,) = store.commit_poll(SourceState(name="news"), [first.item], [first])
    assert change.kind == "new" and change.linked_hold is not None
    assert change.linked_hold.id == hold.id and change.event.hold_days == HOLD_DAYS
    store.close()


def test_trials_and_evidence_reach_the_event_and_its_alert(tmp_path):
    """Named studies become the event's trials with their NCT ids (never drugs), and the
    sentence the extractor says the label rests on is what the alert quotes."""
    from bot.models import Trial
    from bot.notify import blocks

    store = Store(tmp_path / "db.json", clock=lambda: NOW)
    hold = candidate(FIRST.holds[2])
    said = "Shares fell after the company disclosed that the FDA placed clinical holds."
    hold = replace(hold, extraction=replace(hold.extraction, evidence=(said,)))
    (change,) = store.commit_poll(SourceState(name="news"), [hold.item], [hold])
    assert change.event.trials == (Trial("ELIMYN18.2", "NCT04404595"),)
    assert change.event.drugs == ()
    summary = blocks.alert_message(change.event).blocks[1]["text"]["text"]
    assert f">{said}" in summary and "*Scope:* 1 trial" in summary
    lift = candidate(FIRST.lifts[0])
    (change,) = store.commit_poll(SourceState(name="news"), [lift.item], [lift])
    assert set(change.event.trials) == {Trial("ELIMYN18.2", "NCT04404595"),
                                        Trial("LUMMICAR-2", "NCT03915184")}
    store.close()
