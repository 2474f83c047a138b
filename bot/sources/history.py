"""Backfill: a source's history as batches of items, with progress.

EDGAR and ClinicalTrials.gov are searched by date range (one batch per result
page); a feed only holds what it holds now, so it is one batch. Resuming
after an interruption is the store's business: items already recorded are
skipped there by id, so running the same backfill again is harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from bot.errors import SourceError
from bot.models import Item, SourceConfig
from bot.sources.clinicaltrials import backfill_studies
from bot.sources.edgar import backfill_filings
from bot.sources.http import HttpClient
from bot.sources.sandbox import default_pool

Progress = Callable[[int, int | None], None]


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
    report = progress or (lambda _done, _total: None)
    if source.kind == "rss":
        resp = client.get(source.url, source=source.name)
        parsed = default_pool().parse(resp.body, source=source, url=resp.url,
                                      headers=resp.headers)
        items = [i for i in parsed.items if i.published is None or i.published >= since]
        yield items
        report(1, 1)
        return
    if source.kind == "clinicaltrials":
        pages = backfill_studies(source, client, since=since)
    elif source.kind == "edgar":
        pages = backfill_filings(source, client, sec_user_agent, since=since)
    else:
        raise SourceError(source.name, source.url, f"unknown source kind {source.kind!r}")
    for batch, done, total in pages:
        yield batch
        report(done, total)
