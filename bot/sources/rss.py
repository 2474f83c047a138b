"""RSS/Atom feeds: Google News searches, press wires, trade press.

Order of defences (docs/DEPENDENCIES.md, "feedparser 6"): the HTTP client caps size and time;
here any DOCTYPE/ENTITY is refused before feedparser sees the bytes (its
loose-parser fallback re-expands entities expat refused); feedparser only
ever gets `io.BytesIO`; a garbage body (bozo, zero entries) is an error, so
it can never become an "empty feed" baseline.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from bot.errors import SourceError
from bot.models import FetchResult, Item, SourceConfig, SourceState
from bot.sources.http import HttpClient
from bot.sources.text import html_to_text, one_line

log = logging.getLogger(__name__)

PRESS_WIRE_DOMAINS = ("globenewswire.com", "prnewswire.com", "businesswire.com")
GOOGLE_NEWS_HOST = "news.google.com"
_FORBIDDEN = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_UNICODE_BOMS = {
    b"\xff\xfe\x00\x00": "utf-32-le",
    b"\x00\x00\xfe\xff": "utf-32-be",
    b"\xff\xfe": "utf-16-le",
    b"\xfe\xff": "utf-16-be",
}
_SOFT_BOZO = (
    feedparser.NonXMLContentType,
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
)
_TRACKING_PARAM = re.compile(r"^(utm_|oc$)", re.IGNORECASE)


def fetch_rss(
    source: SourceConfig, state: SourceState, client: HttpClient, *, now: datetime
) -> FetchResult:
    """One conditional GET of the feed; 304 means nothing new and no parse."""
    resp = client.get(
        source.url, etag=state.etag, last_modified=state.last_modified, source=source.name
    )
    if resp.status == 304:
        # A 304 may refresh validators; otherwise keep what we had.
        kept = replace(
            state,
            etag=resp.headers.get("etag", state.etag),
            last_modified=resp.headers.get("last-modified", state.last_modified),
        )
        return FetchResult(items=(), state=kept, not_modified=True)
    items = parse_feed(resp.body, source=source, url=resp.url, headers=resp.headers)
    log.debug("%s: %d entries at %s", source.name, len(items), now.isoformat())
    new_state = replace(
        state, etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified")
    )
    return FetchResult(items=tuple(items), state=new_state)


def refuse_entities(body: bytes, *, source: str, url: str) -> None:
    """Raise if the body declares a DOCTYPE or entities (XML bombs, external entities)."""
    text = body
    for bom, codec in _UNICODE_BOMS.items():
        if body.startswith(bom):
            text = body.decode(codec, errors="ignore").encode("utf-8")
            break
    else:
        if b"\x00" in body[:4]:  # UTF-16/32 without a BOM
            text = body.replace(b"\x00", b"")
    if _FORBIDDEN.search(text):
        raise SourceError(source, url, "feed declares a DOCTYPE/ENTITY; refused (XML bomb guard)")


def parse_feed(
    body: bytes, *, source: SourceConfig, url: str, headers: Mapping[str, str] | None = None
) -> list[Item]:
    """Items of a feed body, duplicates (same key) collapsed, first one kept."""
    refuse_entities(body, source=source.name, url=url)
    response_headers = {"content-location": url}
    if headers and headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    if not parsed.entries and (not parsed.version or _hard_bozo(parsed)):
        reason = parsed.get("bozo_exception") or "no RSS/Atom content"
        raise SourceError(source.name, url, f"not a valid feed: {reason}"[:300])
    feed_title = one_line(parsed.feed.get("title", ""), 200) or None
    press = _is_press_wire(source.url)
    items: dict[str, Item] = {}
    for entry in parsed.entries:
        item = entry_to_item(entry, source=source, feed_title=feed_title, press=press)
        if item is not None and item.key not in items:
            items[item.key] = item
    return list(items.values())


def _hard_bozo(parsed: Any) -> bool:
    """A real parse failure, not just a content-type/charset complaint."""
    return bool(parsed.bozo) and not isinstance(parsed.get("bozo_exception"), _SOFT_BOZO)


def entry_to_item(
    entry: dict[str, Any], *, source: SourceConfig, feed_title: str | None, press: bool
) -> Item | None:
    """One feed entry as an Item; None when it has neither title nor link."""
    title = _title(entry)
    link = (entry.get("link") or "").strip() or None
    if not title and not link:
        return None
    hints: dict[str, object] = {}
    outlet = source.outlet or feed_title
    gnews_source = entry.get("source") or {}
    outlet_name = one_line(gnews_source.get("title", ""), 200)
    if outlet_name and title.endswith(f" - {outlet_name}"):
        title = title[: -len(outlet_name) - 3].rstrip()
        outlet = outlet_name
    elif _host(source.url) == GOOGLE_NEWS_HOST and " - " in title:
        title, outlet = (part.strip() for part in title.rsplit(" - ", 1))
    if gnews_source.get("href"):
        hints["outlet_url"] = gnews_source["href"]
    is_press = press or _is_press_wire(link or "")
    if is_press:
        hints["primary"] = True
        hints.update(_press_hints(entry))
    published = _published(entry)
    return Item(
        source=source.name,
        key=_key(entry, link, title, published),
        title=title or link or "",
        text=html_to_text(_summary(entry)),
        url=link,
        published=published,
        outlet=outlet,
        kind="press_release" if is_press else "news",
        hints=hints,
    )


def _title(entry: Mapping[str, Any]) -> str:
    raw = entry.get("title") or ""
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or ""):
        return one_line(html_to_text(raw))
    return one_line(raw)


def _summary(entry: Mapping[str, Any]) -> str:
    for content in entry.get("content") or ():
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")


def _published(entry: dict[str, Any]) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        # dict.get: FeedParserDict.get maps updated<->published with a DeprecationWarning
        parsed = dict.get(entry, key)
        if parsed:
            try:
                return date(parsed[0], parsed[1], parsed[2])
            except (TypeError, ValueError, IndexError):
                continue
    return None


def _key(entry: dict[str, Any], link: str | None, title: str, published: date | None) -> str:
    guid = (entry.get("id") or "").strip()
    if guid:
        return guid[:500]
    if link:
        return normalise_link(link)[:500]
    stamp = dict.get(entry, "published") or dict.get(entry, "updated")
    if not stamp and published:
        stamp = published.isoformat()
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp or ''}".encode()).hexdigest()


def normalise_link(link: str) -> str:
    """Same article, same key: lower-case scheme/host, no fragment or tracking params."""
    parts = urlsplit(link.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _TRACKING_PARAM.match(k)]
    )  # fmt: skip
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _press_hints(entry: Mapping[str, Any]) -> dict[str, object]:
    """GlobeNewswire carries the ticker as a category "Nasdaq:EBIX" and the issuer
    as dc:contributor."""
    hints: dict[str, object] = {}
    for tag in entry.get("tags") or ():
        scheme, term = tag.get("scheme") or "", tag.get("term") or ""
        if scheme.rstrip("/").endswith("/stock") and ":" in term:
            hints["ticker"] = term.split(":", 1)[1].strip()
            break
    contributors: Iterable[Mapping[str, Any]] = entry.get("contributors") or ()
    for person in contributors:
        if person.get("name"):
            hints["company"] = one_line(person["name"], 200)
            break
    return hints


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_press_wire(url: str) -> bool:
    host = _host(url)
    return any(host == d or host.endswith("." + d) for d in PRESS_WIRE_DOMAINS)
