"""SEC EDGAR source over loopback: grouping by accession, User-Agent, rate, paging."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig, SourceState
from bot.sources import fetch
from bot.sources.edgar import EDGAR_MIN_INTERVAL
from bot.sources.edgar_hits import parse_display_name
from bot.sources.ratelimit import HostRateLimiter
from tests.sources.fakes import ARCHIVES, NWBT_FOLDER, SEARCH, UA
from tests.sources.fakes import EDGAR_NOW as NOW
from tests.timing import FakeClock


def test_several_documents_of_one_filing_make_one_item(server, client, edgar):
    """Three hits of one 8-K (EX-99.1, main, EX-99.2) -> one item from the EX-99.1 text."""
    result = fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=UA)
    assert [i.key for i in result.items] == ["0009990001-25-000012", "0009990777-25-000003"]
    item = result.items[0]
    assert item.title == (
        "Northwind Biotherapeutics, Inc.: Northwind Biotherapeutics Announces FDA Clinical Hold"
        " on Phase 2 Study of NWB-101 in Relapsed Multiple Myeloma"
    )
    assert "placed a clinical hold" in item.text and "tracking" not in item.text
    assert item.url == server.url(f"{NWBT_FOLDER}/0009990001-25-000012-index.htm")
    assert (item.kind, item.outlet, item.published) == ("filing", "SEC EDGAR", date(2025, 1, 13))
    assert {k: item.hints[k] for k in ("company", "ticker", "form", "primary")} == {
        "company": "Northwind Biotherapeutics, Inc.", "ticker": "NWBT", "form": "8-K",
        "primary": True}  # fmt: skip
    assert server.requests_for(f"{NWBT_FOLDER}/nwbt-ex991.htm")  # the exhibit, not the 8-K body
    foreign = result.items[1]
    assert foreign.hints["form"] == "6-K" and "partial clinical hold" in foreign.text


def test_search_parameters_paging_and_user_agent(server, client, edgar):
    """q/forms/date range are sent, `from` pages on, and every request carries SEC_USER_AGENT."""
    fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=UA)
    searches = server.requests_for(SEARCH)
    assert [r.param("from") for r in searches] == ["0", "3"]
    first = searches[0]
    assert (first.param("q"), first.param("forms"), first.param("dateRange")) == (
        '"clinical hold"', "8-K,6-K", "custom")  # fmt: skip
    assert (first.param("startdt"), first.param("enddt")) == ("2025-01-08", "2025-01-15")
    assert {r.headers["user-agent"] for r in server.requests} == {UA}


def test_second_poll_does_not_refetch_known_filings(server, client, edgar):
    """The cursor remembers accession numbers: no items and no document fetches again."""
    first = fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=UA)
    before = len(server.requests)
    second = fetch(edgar, first.state, client, now=NOW, sec_user_agent=UA)
    assert second.items == ()
    assert all(r.path == SEARCH for r in server.requests[before:])
    assert second.state.cursor["since"] == "2025-01-14"
    assert server.requests[before].param("startdt") == "2025-01-14"


def test_missing_user_agent_is_a_clear_error_without_any_request(server, client, edgar):
    """No SEC_USER_AGENT: one clear SourceError telling what to set; nothing is sent."""
    with pytest.raises(SourceError, match="set SEC_USER_AGENT='Name email'"):
        fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=None)
    assert server.requests == []


def test_sec_403_for_a_bad_user_agent_names_the_fix(server, client, edgar):
    """SEC's 403 becomes an error that mentions the User-Agent and SEC_USER_AGENT."""
    with pytest.raises(SourceError) as caught:
        fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent="holdwatch")
    error = caught.value
    assert error.status == 403 and "SEC_USER_AGENT" in error.reason
    assert "'holdwatch'" in error.reason  # shows what was sent


def test_request_rate_stays_under_five_per_second(server, client):
    """Twelve filings (one search + twelve documents): every request after the first waits
    its 0.25 s slot, i.e. at most 4 a second. The limiter's clock is injected and moves only
    when it sleeps, so the count is exact however busy the machine is."""
    names = ["Acme Bio Inc  (ACME)  (CIK 0000000042)"]
    hits = [
        {"_id": f"0000000042-25-{n:06d}:ex{n}.htm", "_source": {
            "adsh": f"0000000042-25-{n:06d}", "ciks": ["0000000042"], "display_names": names,
            "form": "8-K", "file_type": "EX-99.1", "file_date": "2025-01-10"}}
        for n in range(12)
    ]  # fmt: skip
    body = json.dumps({"hits": {"total": {"value": 12, "relation": "eq"}, "hits": hits}})
    server.add(SEARCH, body, content_type="application/json")
    for n in range(12):
        server.add(f"{ARCHIVES}/42/000000004225{n:06d}/ex{n}.htm", "<p>Acme press release</p>")
    source = SourceConfig(name="edgar", kind="edgar", url=server.url(SEARCH),
                          archives_url=server.url(ARCHIVES), forms=("8-K",))  # fmt: skip
    clock = FakeClock()
    client.limiter = HostRateLimiter(clock=clock, sleep=clock.sleep)
    result = fetch(source, SourceState(name="edgar"), client, now=NOW, sec_user_agent=UA)
    assert len(result.items) == 12
    assert len(server.requests) == 13
    assert clock.sleeps == pytest.approx([EDGAR_MIN_INTERVAL] * 12)
    assert EDGAR_MIN_INTERVAL >= 0.2  # 5 a second at most, SEC's full-text search limit


def test_gone_exhibit_keeps_the_filing_without_text(server, client):
    """A 404 on the exhibit still yields the filing (title from company and form)."""
    hits = [{"_id": "0000000042-25-000001:gone.htm", "_source": {
        "adsh": "0000000042-25-000001", "ciks": ["0000000042"], "form": "8-K",
        "display_names": ["Acme Bio Inc (CIK 0000000042)"], "file_type": "EX-99.1"}}]  # fmt: skip
    server.add(SEARCH, json.dumps({"hits": {"total": {"value": 1}, "hits": hits}}))
    source = SourceConfig(name="edgar", kind="edgar", url=server.url(SEARCH),
                          archives_url=server.url(ARCHIVES))  # fmt: skip
    item = fetch(source, SourceState(name="edgar"), client, now=NOW, sec_user_agent=UA).items[0]
    assert (item.title, item.text) == ("Acme Bio Inc 8-K filing", "")
    assert "ticker" not in item.hints


def test_exhibit_server_error_fails_the_poll(server, client, edgar):
    """A 500 on an exhibit raises, so the poll is retried rather than the text lost."""
    server.add(f"{NWBT_FOLDER}/nwbt-ex991.htm", b"", status=500)
    with pytest.raises(SourceError, match="HTTP 500"):
        fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=UA)


def test_non_json_search_answer_is_an_error(server, client, edgar):
    """An HTML page instead of JSON raises SourceError."""
    server.add(SEARCH, "<html>maintenance</html>", content_type="text/html")
    with pytest.raises(SourceError, match="no hits"):
        fetch(edgar, SourceState(name="edgar-8k"), client, now=NOW, sec_user_agent=UA)


@pytest.mark.parametrize(
    "display, expected",
    [
        ("Eliem Therapeutics, Inc.  (ELYM)  (CIK 0001768446)",
         ("Eliem Therapeutics, Inc.", "ELYM", "1768446")),
        ("Eliem Therapeutics, Inc. (ELYM) (CIK 0001768446)",
         ("Eliem Therapeutics, Inc.", "ELYM", "1768446")),
        ("Foo Holdings (FOO, FOOW)  (CIK 0000000007)", ("Foo Holdings", "FOO", "7")),
        ("Private Filer LLC  (CIK 0000123456)", ("Private Filer LLC", None, "123456")),
    ],
)  # fmt: skip
def test_display_names_parse_with_any_spacing(display, expected):
    """Company, first ticker and CIK without zeros, whatever the spacing."""
    assert parse_display_name(display) == expected
