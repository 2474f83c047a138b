"""Backfill: history by date range (EDGAR, CT.gov) or what a feed holds, with progress."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig
from bot.sources import backfill
from loopback.feed_server import RecordedRequest, Reply
from tests.sources.fakes import FIXTURES, UA


def test_edgar_backfill_yields_filings_per_page_with_progress(server, client, edgar):
    """Two result pages -> two batches, one item per filing, progress (hits done, total)."""
    calls: list[tuple[int, int | None]] = []
    batches = list(backfill(edgar, since=date(2024, 1, 1), client=client, sec_user_agent=UA,
                            progress=lambda done, total: calls.append((done, total))))  # fmt: skip
    assert [[i.key for i in b] for b in batches] == [
        ["0009990001-25-000012"], ["0009990777-25-000003"]]  # fmt: skip
    assert calls == [(3, 4), (4, 4)]
    assert server.requests_for("/LATEST/search-index")[0].param("startdt") == "2024-01-01"


def test_edgar_backfill_without_user_agent_fails_clearly(client, edgar):
    """Backfill needs SEC_USER_AGENT too."""
    with pytest.raises(SourceError, match="SEC_USER_AGENT"):
        list(backfill(edgar, since=date(2024, 1, 1), client=client))


def test_ctgov_backfill_reports_studies_suspended_for_fda_hold(server, client):
    """Studies updated since the date and suspended for an FDA hold become hold items."""
    pages = {None: "poll2_page1", "ZVNj7o2Elu8o": "poll2_page2"}

    def api(request: RecordedRequest) -> Reply:
        return Reply(body=FIXTURES / "ctgov" / f"{pages[request.param('pageToken')]}.json")

    server.handle("/api/v2/studies", api)
    source = SourceConfig(name="ctgov", kind="clinicaltrials", url=server.url("/api/v2"))
    calls: list[tuple[int, int | None]] = []
    batches = backfill(source, since=date(2024, 6, 1), client=client,
                       progress=lambda d, t: calls.append((d, t)))  # fmt: skip
    items = [i for batch in batches for i in batch]
    assert [i.key for i in items] == ["NCT09990001:SUSPENDED:2025-01-10"]
    assert calls == [(0, None), (2, None)]
    first = server.requests_for("/api/v2/studies")[0]
    assert first.param("filter.advanced") == "AREA[LastUpdatePostDate]RANGE[2024-06-01,MAX]"
    assert first.param("countTotal") == "true"


def test_feed_backfill_is_what_the_feed_holds_since_the_date(server, client):
    """A feed gives one batch: its entries dated on/after `since` (undated ones kept)."""
    server.add("/gn", FIXTURES / "feeds" / "google_news.xml")
    source = SourceConfig(name="gn", kind="rss", url=server.url("/gn"))
    calls: list[tuple[int, int | None]] = []
    batches = list(backfill(source, since=date(2024, 10, 15), client=client,
                            progress=lambda d, t: calls.append((d, t))))  # fmt: skip
    assert len(batches) == 1 and calls == [(1, 1)]
    assert [i.published for i in batches[0]] == [date(2024, 10, 31), None]
