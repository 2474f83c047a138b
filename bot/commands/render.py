"""Lines shared by the replies, App Home and the digest: events, drugs, times.

Each function takes a `Fmt`, so the same line serves the plain-text and the
Block Kit rendering. Stored strings are escaped here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot import messages
from bot.commands.kit import Fmt, truncate
from bot.models import DrugRecord, Event, SourceRef

MAX_SOURCES_PER_LINE = 4
MAX_NAME_CHARS = 120  # a drug or company name longer than this is feed noise


def label_text(fmt: Fmt, label: str) -> str:
    return fmt.emoji(messages.LABEL_EMOJI.get(label, "")) + messages.LABEL_WORDS.get(label, label)


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def name(fmt: Fmt, text: str) -> str:
    return fmt.esc(truncate(text, MAX_NAME_CHARS))


def names(fmt: Fmt, texts: Sequence[str]) -> str:
    return ", ".join(name(fmt, t) for t in texts)


def drug_title(fmt: Fmt, drug: DrugRecord) -> str:
    """`*zevorcabtagene autoleucel* (zevor-cel, CT053)`."""
    text = fmt.bold(name(fmt, drug.name))
    if drug.aliases:
        text += f" ({names(fmt, drug.aliases)})"
    return text


def status_text(fmt: Fmt, drug: DrugRecord, today: date) -> str:
    """Status in words, with days on hold for a held drug."""
    text = fmt.emoji(messages.STATUS_EMOJI.get(drug.status, "")) + messages.STATUS_WORDS.get(
        drug.status, drug.status
    )
    if drug.status_since is None:
        return text
    if drug.status in ("on_hold", "partial_hold"):
        held = max((today - drug.status_since).days, 0)
        return f"{text} for {days(held)} (since {drug.status_since.isoformat()})"
    return f"{text} since {drug.status_since.isoformat()}"


def drug_line(fmt: Fmt, drug: DrugRecord, today: date) -> str:
    """One bullet per drug: names, company, targets, status."""
    parts = [drug_title(fmt, drug)]
    if drug.company:
        parts.append(name(fmt, drug.company))
    if drug.targets:
        parts.append(names(fmt, drug.targets))
    parts.append(status_text(fmt, drug, today))
    return "• " + " — ".join(parts)


def source_links(fmt: Fmt, sources: Sequence[SourceRef]) -> str:
    shown = [
        fmt.link(ref.url, truncate(ref.outlet or ref.source or "source", MAX_NAME_CHARS))
        for ref in sources[:MAX_SOURCES_PER_LINE]
    ]
    if len(sources) > MAX_SOURCES_PER_LINE:
        shown.append(f"+{len(sources) - MAX_SOURCES_PER_LINE} more")
    return ", ".join(shown)


def event_line(
    fmt: Fmt,
    event: Event,
    *,
    hold_days: int | None = None,
    ongoing_days: int | None = None,
    with_drugs: bool = True,
) -> str:
    """`• 2024-10-31 · ✅ Hold lifted after 300 days · zevor-cel · CARsgen · sources`."""
    head = f"{event.date.isoformat()} · {label_text(fmt, event.label)}"
    duration = hold_days if hold_days is not None else event.hold_days
    if duration is not None and event.label in ("lift", "partial_lift"):
        head += f" after {days(duration)} on hold"
    if ongoing_days is not None:
        head += f" ({days(ongoing_days)} so far)"
    parts = [head]
    if with_drugs and event.drugs:
        parts.append(names(fmt, [d.name for d in event.drugs]))
    if with_drugs and event.company:
        company = name(fmt, event.company)
        if event.ticker:
            company += f" ({name(fmt, event.ticker)})"
        parts.append(company)
    if event.reason and event.reason != "unknown":
        parts.append(f"reason: {fmt.esc(event.reason)}")
    if event.sources:
        parts.append(source_links(fmt, event.sources))
    return "• " + " · ".join(parts)


def as_utc(moment: datetime) -> datetime:
    """Stored datetimes are UTC; a naive one is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ago(moment: datetime, now: datetime, tz: str = "UTC") -> str:
    """`2024-10-31 09:00 UTC (5 min ago)` or `(in 4 min)`, the clock time shown in `tz`."""
    moment, now = as_utc(moment), as_utc(now)
    seconds = int((now - moment).total_seconds())
    span = _span(abs(seconds))
    relative = "just now" if span == "0 s" else (f"{span} ago" if seconds >= 0 else f"in {span}")
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%Y-%m-%d %H:%M} {_zone_name(local, tz)} ({relative})"


def _zone_name(local: datetime, tz: str) -> str:
    """`UTC`, `CET`, `JST`…; the IANA name when the zone has no abbreviation (`+04`)."""
    abbreviation = local.tzname() or ""
    return abbreviation if abbreviation[:1].isalpha() else tz


def _span(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        hours, minutes = divmod(seconds // 60, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return days(seconds // 86400)


def interval(seconds: float) -> str:
    """600 → `10m`, the sources-file spelling."""
    whole = int(seconds)
    if whole % 3600 == 0 and whole >= 3600:
        return f"{whole // 3600}h"
    if whole % 60 == 0 and whole >= 60:
        return f"{whole // 60}m"
    return f"{whole}s"
