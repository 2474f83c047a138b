"""Sources: fetch raw items from feeds, ClinicalTrials.gov and SEC EDGAR.

`fetch` does one poll of one source and returns a `FetchResult` (items plus
the state to save with them); `backfill` walks a source's history. Both
raise `SourceError` for anything that went wrong; they know nothing of the
store or Slack. Health bookkeeping (backoff, notices) is in `health`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from datetime import datetime

from bot.errors import SourceError
from bot.models import FetchResult, SourceConfig, SourceState
from bot.sources.clinicaltrials import fetch_studies
from bot.sources.edgar import fetch_filings
from bot.sources.history import backfill
from bot.sources.http import HttpClient, Response
from bot.sources.rss import FeedParser, fetch_rss
from bot.sources.sandbox import default_pool

__all__ = ["FetchResult", "HttpClient", "Response", "SourceError", "backfill", "fetch"]

log = logging.getLogger(__name__)


def fetch(
    source: SourceConfig,
    state: SourceState,
    client: HttpClient,
    *,
    now: datetime,
    sec_user_agent: str | None = None,
    unseen: Callable[[Iterable[str]], Collection[str]] | None = None,
    parser: FeedParser | None = None,
) -> FetchResult:
    """One poll of `source`. Raises SourceError on any failure, including our own bugs
    and running out of memory on one source's answer: one source must never end a poll
    of the others. `unseen(ids)` lets a feed skip entries the store already has; feeds
    are parsed by PARSER (default: the process-wide worker pool, sandbox.py)."""
    try:
        return _fetch(source, state, client, now=now, sec_user_agent=sec_user_agent,
                      unseen=unseen, parser=parser or default_pool())
    except SourceError:
        raise
    except MemoryError as exc:
        raise SourceError(source.name, source.url, "ran out of memory reading the answer") \
            from exc
    except Exception as exc:
        log.exception("source %s: unexpected error", source.name)
        raise SourceError(source.name, source.url,
                          f"internal error: {type(exc).__name__}: {exc}"[:300]) from exc


def _fetch(
    source: SourceConfig,
    state: SourceState,
    client: HttpClient,
    *,
    now: datetime,
    sec_user_agent: str | None,
    unseen: Callable[[Iterable[str]], Collection[str]] | None,
    parser: FeedParser,
) -> FetchResult:
    if source.kind == "rss":
        return fetch_rss(source, state, client, now=now, unseen=unseen, parser=parser)
    if source.kind == "clinicaltrials":
        return fetch_studies(source, state, client, now=now)
    if source.kind == "edgar":
        return fetch_filings(source, state, client, now=now, sec_user_agent=sec_user_agent)
    raise SourceError(source.name, source.url, f"unknown source kind {source.kind!r}")
