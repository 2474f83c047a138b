"""ClinicalTrials.gov API v2: studies updated since the last poll, diffed by status.

Request: `GET {url}/studies` with `query.term` = the source's query,
`filter.advanced=AREA[LastUpdatePostDate]RANGE[<since>,MAX]`,
`sort=LastUpdatePostDate:desc` (newest first, so if the page bound is ever
reached we have the most recent changes), `pageSize`, `fields`, following
`nextPageToken` with the same parameters (pages may be empty) for at most
MAX_PAGES pages.

`state.cursor` holds:
- `since`: the newest LastUpdatePostDate seen (ISO date). The range is
  inclusive, so that day is fetched again next time; the status diff makes the
  overlap harmless.
- `statuses`: NCT id -> last overallStatus (the most recent MAX_REMEMBERED).
- `holds`: NCT id -> {why_stopped, since} for studies we saw suspended for an
  FDA hold: needed to infer the lift later; never trimmed.

First poll (no cursor): looks back FIRST_POLL_DAYS and emits hold items for
studies already suspended for an FDA hold. The pipeline's first-run baseline
records them as seen without posting, and they become the `holds` that let
a later resumption be reported as a lift.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.errors import SourceError
from bot.models import FetchResult, Item, SourceConfig, SourceState
from bot.sources.ctgov_changes import Study, diff_study, study_from_json
from bot.sources.http import HttpClient

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 20
FIRST_POLL_DAYS = 30
MAX_REMEMBERED = 5_000
FIELDS = ",".join(
    ("NCTId", "BriefTitle", "OverallStatus", "WhyStopped", "LastUpdatePostDate",
     "LeadSponsorName", "InterventionName", "InterventionOtherName", "InterventionType")
)  # fmt: skip


def studies_url(source: SourceConfig) -> str:
    return source.url.rstrip("/") + "/studies"


def study_pages(
    source: SourceConfig, client: HttpClient, *, since: date, count_total: bool = False
) -> Iterator[tuple[list[Study], int | None]]:
    """Yield (studies, totalCount-or-None) per page, newest updates first."""
    params = {
        "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]",
        "sort": "LastUpdatePostDate:desc",
        "pageSize": str(PAGE_SIZE),
        "fields": FIELDS,
        "format": "json",
    }
    if source.query:
        params["query.term"] = source.query
    if count_total:
        params["countTotal"] = "true"
    url, token = studies_url(source), None
    for _page in range(MAX_PAGES):
        page_params = {**params, "pageToken": token} if token else params
        data = _json(
            client.get(url, params=page_params, source=source.name,
                       headers={"Accept": "application/json"}).body,
            source.name, url,
        )  # fmt: skip
        raw = data.get("studies")
        if not isinstance(raw, list):
            raise SourceError(source.name, url, "response has no 'studies' list")
        total = data.get("totalCount")
        studies = [s for s in (study_from_json(r) for r in raw if isinstance(r, dict)) if s]
        yield studies, total if isinstance(total, int) else None
        token = data.get("nextPageToken")
        if not token:
            return
    log.warning("%s: stopped after %d pages; older updates skipped this time", source.name,
                MAX_PAGES)  # fmt: skip


def fetch_studies(
    source: SourceConfig, state: SourceState, client: HttpClient, *, now: datetime
) -> FetchResult:
    """One poll: studies updated since the cursor, turned into hold/lift items."""
    cursor = state.cursor or {}
    since = _cursor_date(cursor.get("since")) or (now.date() - timedelta(days=FIRST_POLL_DAYS))
    statuses: dict[str, str] = dict(cursor.get("statuses") or {})
    holds: dict[str, Mapping[str, Any]] = dict(cursor.get("holds") or {})
    items: dict[str, Item] = {}
    newest = since
    for studies, _total in study_pages(source, client, since=since):
        for study in studies:
            item, hold = diff_study(
                source.name, study, statuses.get(study.nct_id), holds.get(study.nct_id)
            )
            if item is not None:
                items.setdefault(item.key, item)
            if hold is None:
                holds.pop(study.nct_id, None)
            else:
                holds[study.nct_id] = hold
            statuses.pop(study.nct_id, None)  # re-insert: dict order = recency
            statuses[study.nct_id] = study.status
            if study.updated and study.updated > newest:
                newest = min(study.updated, now.date())
    new_cursor = {
        "since": newest.isoformat(),
        "statuses": dict(list(statuses.items())[-MAX_REMEMBERED:]),
        "holds": holds,
    }
    return FetchResult(items=tuple(items.values()), state=replace(state, cursor=new_cursor))


def backfill_studies(
    source: SourceConfig, client: HttpClient, *, since: date
) -> Iterator[tuple[list[Item], int, int | None]]:
    """History: hold items for studies updated since `since` that are suspended
    for an FDA hold now (past transitions are not in the public API).
    Yields (items, studies done, total)."""
    done = 0
    total: int | None = None
    for studies, page_total in study_pages(source, client, since=since, count_total=True):
        total = page_total if page_total is not None else total
        done += len(studies)
        batch = [item for s in studies if (item := diff_study(source.name, s, None, None)[0])]
        yield batch, done, total


def _json(body: bytes, source: str, url: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(source, url, f"response is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SourceError(source, url, "response is not a JSON object")
    return data


def _cursor_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
