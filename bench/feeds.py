"""RSS 2.0 documents built from generated items, and the SourceConfigs that read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from bot.models import Item, SourceConfig

_DEFAULT_DAY = date(2025, 5, 30)


def _pub_date(day: date | None) -> str:
    day = day or _DEFAULT_DAY
    return format_datetime(datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC),
                           usegmt=True)


def rss(title: str, items: Sequence[Item]) -> bytes:
    """An RSS 2.0 feed whose entries carry each item's key as guid."""
    entries = "".join(
        "<item>"
        f"<title>{escape(i.title)}</title>"
        f"<link>{escape(i.url or '')}</link>"
        f'<guid isPermaLink="false">{escape(i.key)}</guid>'
        f"<pubDate>{_pub_date(i.published)}</pubDate>"
        f"<description>{escape(i.text)}</description>"
        "</item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example.com/</link>"
        f"<description>bench feed</description>{entries}</channel></rss>"
    ).encode()


def feed_source(name: str, url: str, interval: float = 600.0) -> SourceConfig:
    return SourceConfig(name=name, kind="rss", url=url, interval_seconds=interval,
                        outlet="Bench News")
