"""How a date, a moment, a hold reason and a source's outlet are shown — one way,
everywhere: alerts, slash-command answers, App Home, the digest, `status` and the CLI.

Pure functions; no Slack escaping here (callers escape what came from a feed).
Dates are calendar dates as sources report them; moments (a poll, a failure) are
shown in the TZ setting with the zone named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.models import SourceRef

UNKNOWN_DATE = "date unknown"

# Hold reasons as the extractor codes them (Extraction.reason), in words.
REASONS: dict[str, str] = {
    "cmc": "CMC (manufacturing)",
    "clinical": "clinical / safety",
    "preclinical": "preclinical",
}

# Hosts that carry other outlets' stories: their domain says nothing about the outlet.
AGGREGATOR_HOSTS = frozenset({"news.google.com", "feeds.feedburner.com"})
MAX_OUTLET_CHARS = 80


def day(value: date | None) -> str:
    """`1 Nov 2024`: unambiguous in every locale, short enough for a list line."""
    if value is None:
        return UNKNOWN_DATE
    return f"{value.day} {value:%b %Y}"


def day_span(start: date, end: date) -> str:
    """`28 Oct – 3 Nov 2024`, or `28 Dec 2024 – 3 Jan 2025` across a year."""
    if start.year == end.year:
        return f"{start.day} {start:%b} – {day(end)}"
    return f"{day(start)} – {day(end)}"


def as_utc(moment: datetime) -> datetime:
    """Stored datetimes are UTC; a naive one is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def moment(value: datetime, tz: str = "UTC") -> str:
    """`1 Nov 2024 09:00 CET`: the clock time in `tz`, with the zone named."""
    local = as_utc(value).astimezone(ZoneInfo(tz))
    return f"{day(local.date())} {local:%H:%M} {zone_name(local, tz)}"


def zone_name(local: datetime, tz: str) -> str:
    """`UTC`, `CET`, `JST`…; the IANA name when the zone has no abbreviation (`+04`)."""
    abbreviation = local.tzname() or ""
    return abbreviation if abbreviation[:1].isalpha() else tz


def reason(code: str | None) -> str | None:
    """`cmc` → `CMC (manufacturing)`; None when there is nothing worth showing."""
    if not code or code == "unknown":
        return None
    return REASONS.get(code, code)


def domain(url: str | None) -> str | None:
    """`https://www.fiercebiotech.com/x` → `fiercebiotech.com`."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().removeprefix("www.")
    return host or None


def outlet_label(ref: SourceRef) -> str:
    """Who published a report: the outlet the source named, else the link's domain."""
    host = domain(ref.url)
    label = ref.outlet or (host if host not in AGGREGATOR_HOSTS else None) or ref.source
    return (label or "source").strip()[:MAX_OUTLET_CHARS] or "source"


def outlet_labels(refs: Sequence[SourceRef]) -> list[str]:
    """One label per report, telling different outlets apart.

    A feed that names no outlet per entry gives every entry its own title, so three
    outlets' stories could all read "Biotech news": where one label covers links to
    different sites, each of those shows its site's domain instead.
    """
    labels = [outlet_label(ref) for ref in refs]
    sites: dict[str, set[str | None]] = {}
    for label, ref in zip(labels, refs, strict=True):
        sites.setdefault(label, set()).add(domain(ref.url))
    counts = Counter(labels)
    out = []
    for label, ref in zip(labels, refs, strict=True):
        host = domain(ref.url)
        shared = counts[label] > 1 and len(sites[label]) > 1
        out.append(host if shared and host and host not in AGGREGATOR_HOSTS else label)
    return out
