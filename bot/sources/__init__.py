"""Sources: fetch raw items from feeds, ClinicalTrials.gov and SEC EDGAR.

`fetch` does one poll of one source and returns a `FetchResult` (items plus
the state to save with them); `backfill` walks a source's history. Both
raise `SourceError` for anything that went wrong; they know nothing of the
store or Slack. Health bookkeeping (backoff, notices) is in `health`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

from bot.errors import SourceError
from bot.models import FetchResult, Item, SourceConfig, SourceState
from bot.sources.clinicaltrials import fetch_studies
from bot.sources.edgar import fetch_filings
from bot.sources.history import backfill_batches
from bot.sources.http import HttpClient, Response
from bot.sources.rss import fetch_rss

__all__ = ["FetchResult", "HttpClient", "Response", "SourceError", "backfill", "fetch"]

Progress = Callable[[int, int | None], None]


def fetch(
    source: SourceConfig,
    state: SourceState,
    client: HttpClient,
    *,
    now: datetime,
    sec_user_agent: str | None = None,
) -> FetchResult:
    """One poll of `source`. Raises SourceError on any failure."""
    if source.kind == "rss":
        return fetch_rss(source, state, client, now=now)
    if source.kind == "clinicaltrials":
        return fetch_studies(source, state, client, now=now)
    if source.kind == "edgar":
        return fetch_filings(source, state, client, now=now, sec_user_agent=sec_user_agent)
    raise SourceError(source.name, source.url, f"unknown source kind {source.kind!r}")


def backfill(
    source: SourceConfig,
    *,
    since: date,
    client: HttpClient,
    sec_user_agent: str | None = None,
    progress: Progress | None = None,
) -> Iterator[list[Item]]:
    """History of `source` since `since`, in batches (one batch per page fetched).

    EDGAR and ClinicalTrials.gov are searched by date range; a feed yields
    what it holds now. `progress(done, total_or_None)` is called after each batch.
    """
    return backfill_batches(
        source, since=since, client=client, sec_user_agent=sec_user_agent, progress=progress
    )
