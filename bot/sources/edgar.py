"""SEC EDGAR full-text search: 8-K/6-K filings mentioning a clinical hold.

Request: `GET {url}?q=<query>&forms=8-K,6-K&dateRange=custom&startdt=…&enddt=…&from=N`,
100 hits a page, at most MAX_PAGES pages. Hits are grouped by accession
number; for each new filing we fetch its press-release exhibit (else the main
document) from `archives_url` and keep its text for the extractor.

SEC fair access: every request carries SEC_USER_AGENT ("Name email"), and all
EDGAR hosts share one rate-limiter bucket of at most 4 requests a second.

`state.cursor`: `since` (ISO date; the next search starts there — one day of
overlap so filings indexed late are not missed) and `seen` (the most recent
MAX_SEEN accession numbers, so an overlapping search does not re-fetch exhibits).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.errors import SourceError
from bot.models import FetchResult, Item, SourceConfig, SourceState
from bot.sources.edgar_hits import Filing, best_document, group_hits
from bot.sources.http import HttpClient
from bot.sources.text import html_to_text, one_line

log = logging.getLogger(__name__)

EDGAR_MIN_INTERVAL = 0.25  # 4 req/s across all EDGAR hosts: well under SEC's limits
MAX_PAGES = 10
FIRST_POLL_DAYS = 7
MAX_SEEN = 2_000
DEFAULT_ARCHIVES = "https://www.sec.gov/Archives/edgar/data"
OUTLET = "SEC EDGAR"
NO_AGENT = "set SEC_USER_AGENT='Name email' to enable EDGAR sources"


def fetch_filings(
    source: SourceConfig,
    state: SourceState,
    client: HttpClient,
    *,
    now: datetime,
    sec_user_agent: str | None,
) -> FetchResult:
    """New filings since the cursor as items (one per accession number)."""
    headers = _prepare(source, client, sec_user_agent)
    cursor = state.cursor or {}
    since = _date(cursor.get("since")) or now.date() - timedelta(days=FIRST_POLL_DAYS)
    end = now.date()
    hits: list[dict[str, Any]] = []
    for page, _done, _total in search_pages(source, client, headers, start=since, end=end):
        hits.extend(page)
    seen = [str(a) for a in cursor.get("seen") or ()]
    known = set(seen)
    items = []
    for filing in group_hits(hits):
        if filing.adsh in known:
            continue
        items.append(filing_item(source, client, headers, filing))
        seen.append(filing.adsh)
        known.add(filing.adsh)
    new_cursor = {"since": (end - timedelta(days=1)).isoformat(), "seen": seen[-MAX_SEEN:]}
    return FetchResult(items=tuple(items), state=replace(state, cursor=new_cursor))


def backfill_filings(
    source: SourceConfig, client: HttpClient, sec_user_agent: str | None, *, since: date
) -> Iterator[tuple[list[Item], int, int | None]]:
    """History since `since`, one batch per search page: (items, hits done, total hits)."""
    headers = _prepare(source, client, sec_user_agent)
    known: set[str] = set()
    for page, done, total in search_pages(
        source, client, headers, start=since, end=date.today(), max_pages=None
    ):
        batch = []
        for filing in group_hits(page):
            if filing.adsh not in known:
                known.add(filing.adsh)
                batch.append(filing_item(source, client, headers, filing))
        yield batch, done, total


def search_pages(
    source: SourceConfig,
    client: HttpClient,
    headers: dict[str, str],
    *,
    start: date,
    end: date,
    max_pages: int | None = MAX_PAGES,
) -> Iterator[tuple[list[dict[str, Any]], int, int | None]]:
    """Raw hits page by page: (hits, hits so far, total or None)."""
    params = {
        "q": source.query or '"clinical hold"',
        "dateRange": "custom",
        "startdt": start.isoformat(),
        "enddt": end.isoformat(),
    }
    if source.forms:
        params["forms"] = ",".join(source.forms)
    offset, page = 0, 0
    while max_pages is None or page < max_pages:
        data = _json(_get(source, client, source.url, headers, {**params, "from": str(offset)}))
        block = data.get("hits")
        if not isinstance(block, dict) or not isinstance(block.get("hits"), list):
            raise SourceError(source.name, source.url, "EDGAR answer has no hits.hits list")
        hits = [h for h in block["hits"] if isinstance(h, dict)]
        total = (block.get("total") or {}).get("value")
        total = total if isinstance(total, int) else None
        offset += len(hits)
        page += 1
        yield hits, offset, total
        if not hits or (total is not None and offset >= total):
            return
    log.warning("%s: stopped after %d result pages", source.name, page)


def filing_item(
    source: SourceConfig, client: HttpClient, headers: dict[str, str], filing: Filing
) -> Item:
    """The filing as an Item, with its press-release exhibit text."""
    archives = source.archives_url or DEFAULT_ARCHIVES
    document = best_document(filing)
    document_url = filing.document_url(archives, document)
    try:
        body = _get(source, client, document_url, headers, None)
        text = html_to_text(body.decode("utf-8", errors="replace"))
    except SourceError as exc:
        if exc.status not in (404, 410):
            raise  # transient: retry the whole poll later rather than lose the text
        log.warning("%s: %s is gone; keeping the filing without its text", source.name, exc)
        text = ""
    company = filing.company or f"CIK {filing.cik}"
    hints: dict[str, object] = {"company": company, "form": filing.form, "primary": True,
                                "cik": filing.cik, "accession": filing.adsh,
                                "document_url": document_url}  # fmt: skip
    if filing.ticker:
        hints["ticker"] = filing.ticker
    headline = _headline(text)
    title = f"{company}: {headline}" if headline else f"{company} {filing.form} filing"
    return Item(
        source=source.name,
        key=filing.adsh,
        title=one_line(title),
        text=text,
        url=filing.index_url(archives),
        published=filing.file_date,
        outlet=OUTLET,
        kind="filing",
        hints=hints,
    )


def _prepare(source: SourceConfig, client: HttpClient, agent: str | None) -> dict[str, str]:
    if not agent or not agent.strip():
        raise SourceError(source.name, source.url, NO_AGENT)
    urls = (source.url, source.archives_url or DEFAULT_ARCHIVES)
    hosts = {urlsplit(u).hostname or "" for u in urls}
    client.limit(hosts, EDGAR_MIN_INTERVAL)
    return {"User-Agent": agent.strip(), "Accept": "application/json, text/html;q=0.9, */*;q=0.5"}


def _get(
    source: SourceConfig,
    client: HttpClient,
    url: str,
    headers: dict[str, str],
    params: dict[str, str] | None,
) -> bytes:
    try:
        return client.get(url, headers=headers, params=params, source=source.name).body
    except SourceError as exc:
        if exc.status == 403:
            raise SourceError(
                source.name, exc.url,
                "HTTP 403 Forbidden: SEC refuses undeclared traffic; set SEC_USER_AGENT to "
                f"'Company Name admin@company.example' (sent: {headers['User-Agent']!r})",
                status=403,
            ) from exc  # fmt: skip
        raise


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    return data if isinstance(data, dict) else {}


def _headline(text: str) -> str | None:
    """The press release's headline: its first line of at least four words that is
    not an exhibit label."""
    for line in text.splitlines()[:15]:
        line = line.strip()
        if len(line.split()) >= 4 and len(line) <= 300 and not line.lower().startswith("exhibit"):
            return line
    return None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
