"""ClinicalTrials.gov source: paged polling over loopback and status-change items."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig, SourceState
from bot.sources import fetch
from bot.sources.clinicaltrials import MAX_PAGES
from bot.sources.ctgov_changes import diff_study, study_from_json
from tests.sources.fakes import CTGOV
from tests.sources.fakes import CTGOV_NOW as NOW


def test_recruiting_suspended_recruiting_gives_one_hold_then_one_lift(server, client, ctgov):
    """Across paged responses with empty pages: poll 1 records, poll 2 holds, poll 3 lifts."""
    api, source = ctgov
    first = fetch(source, SourceState(name="ctgov"), client, now=NOW)
    assert first.items == ()
    assert first.state.cursor["statuses"] == {
        "NCT09990001": "RECRUITING",
        "NCT09990002": "COMPLETED",
        "NCT09990003": "SUSPENDED",
    }

    api.poll = 2
    second = fetch(source, first.state, client, now=NOW)
    assert [i.key for i in second.items] == ["NCT09990001:SUSPENDED:2025-01-10"]
    hold = second.items[0]
    assert (hold.kind, hold.outlet) == ("registry", "ClinicalTrials.gov")
    assert hold.url == "https://clinicaltrials.gov/study/NCT09990001"
    assert hold.published == date(2025, 1, 10)
    assert dict(hold.hints) == {
        "label": "hold",
        "company": "Northwind Biotherapeutics, Inc.",
        "drugs": [{"name": "NWB-101", "aliases": ["examplimab", "NWB101"]}],
        "nct_ids": ["NCT09990001"],
        "why_stopped": "FDA clinical hold",
        "primary": True,
    }
    assert "FDA clinical hold" in hold.title and "NWB-101" in hold.text

    api.poll = 3
    third = fetch(source, second.state, client, now=NOW)
    assert [i.key for i in third.items] == ["NCT09990001:RECRUITING:2025-03-03"]
    lift = third.items[0]
    assert lift.hints["label"] == "lift" and lift.hints["inferred"] is True
    assert lift.hints["company"] == "Northwind Biotherapeutics, Inc."
    assert third.state.cursor["holds"] == {}

    assert fetch(source, third.state, client, now=NOW).items == ()  # same data again: nothing


def test_requests_repeat_parameters_and_follow_page_tokens(server, client, ctgov):
    """Every page repeats query/filter/sort/fields; the window starts at the cursor date."""
    api, source = ctgov
    first = fetch(source, SourceState(name="ctgov"), client, now=NOW)
    api.poll = 2
    fetch(source, first.state, client, now=NOW)
    requests = server.requests_for("/api/v2/studies")
    assert [r.param("pageToken") for r in requests] == [
        None, "NF0g5JGBlPMu", "NF0g5JGBlPMv", None, "ZVNj7o2Elu8o"]  # fmt: skip
    for request in requests:
        assert request.param("query.term") == "AREA[LeadSponsorClass]INDUSTRY"
        assert request.param("sort") == "LastUpdatePostDate:desc"
        assert "WhyStopped" in (request.param("fields") or "")
    advanced = [r.param("filter.advanced") for r in requests]
    assert advanced[0] == "AREA[LastUpdatePostDate]RANGE[2024-12-03,MAX]"  # first poll: 30 days
    assert advanced[3] == "AREA[LastUpdatePostDate]RANGE[2024-12-30,MAX]"  # newest seen in poll 1


def test_study_already_suspended_for_fda_hold_on_first_poll_is_reported():
    """No history: a study first seen suspended for an FDA hold gives a hold item."""
    raw = json.loads((CTGOV / "poll2_page2.json").read_text())["studies"][0]
    study = study_from_json(raw)
    assert study is not None
    item, hold = diff_study("ctgov", study, None, None)
    assert item is not None and item.hints["label"] == "hold"
    assert hold == {"why_stopped": "FDA clinical hold", "since": "2025-01-10"}


def _study(status: str, why: str = "", updated: str = "2025-02-01"):
    raw = {"protocolSection": {
        "identificationModule": {"nctId": "NCT09990009", "briefTitle": "T"},
        "statusModule": {"overallStatus": status, "whyStopped": why,
                         "lastUpdatePostDateStruct": {"date": updated}}}}  # fmt: skip
    study = study_from_json(raw)
    assert study is not None
    return study


def test_sponsor_pause_is_not_a_hold():
    """SUSPENDED for a business reason gives no item."""
    assert diff_study("c", _study("SUSPENDED", "Sponsor decision"), "RECRUITING", None) == (
        None, None)  # fmt: skip


def test_partial_clinical_hold_is_labelled_partial():
    """whyStopped 'FDA partial clinical hold' gives label partial_hold."""
    item, _ = diff_study("c", _study("SUSPENDED", "FDA partial clinical hold"), "RECRUITING", None)
    assert item is not None and item.hints["label"] == "partial_hold"


def test_terminated_after_hold_is_not_a_lift():
    """A held study that is terminated is forgotten without a lift item."""
    hold = {"why_stopped": "Clinical hold", "since": "2025-01-01"}
    assert diff_study("c", _study("TERMINATED", "Clinical hold"), "SUSPENDED", hold) == (None, None)


def test_text_plain_400_is_a_source_error(server, client):
    """CT.gov's text/plain 400 becomes a SourceError naming the status and URL."""
    server.add("/api/v2/studies", "Invalid filter.advanced", status=400, content_type="text/plain")
    source = SourceConfig(name="ctgov", kind="clinicaltrials", url=server.url("/api/v2"))
    with pytest.raises(SourceError, match="HTTP 400"):
        fetch(source, SourceState(name="ctgov"), client, now=NOW)


@pytest.mark.parametrize("body", [b"<html>oops</html>", b'{"data": []}', b"[1, 2]"])
def test_unexpected_body_is_a_source_error(server, client, body):
    """Non-JSON or JSON without 'studies' raises instead of recording nothing."""
    server.add("/api/v2/studies", body, content_type="application/json")
    source = SourceConfig(name="ctgov", kind="clinicaltrials", url=server.url("/api/v2"))
    with pytest.raises(SourceError):
        fetch(source, SourceState(name="ctgov"), client, now=NOW)


def test_page_count_is_bounded(server, client):
    """An API that always returns a nextPageToken is read for MAX_PAGES pages only."""
    server.add("/api/v2/studies", b'{"studies": [], "nextPageToken": "again"}')
    source = SourceConfig(name="ctgov", kind="clinicaltrials", url=server.url("/api/v2"))
    result = fetch(source, SourceState(name="ctgov"), client, now=NOW)
    assert result.items == () and len(server.requests_for("/api/v2/studies")) == MAX_PAGES
