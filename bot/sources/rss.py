"""RSS/Atom feeds: Google News searches, press wires, trade press.

Order of defences (docs/DEPENDENCIES.md, "feedparser 6"):
1. the HTTP client caps size and time;
2. a body identical to the last one is not parsed at all (its hash is saved
   with the items, like an ETag);
3. the parse runs in a separate worker process with a deadline and an
   address-space limit (`sandbox`), so no feed can stall or exhaust the bot;
4. there, `feedguard` decodes the body the way feedparser will and refuses
   entity declarations and encodings no real feed uses before feedparser
   sees the text (its loose-parser fallback re-expands entities expat refused);
5. entries whose guid is already known are cut out before feedparser runs
   (`feedscan`); feedparser only ever gets `io.BytesIO`;
6. a body that is not a feed (not RSS/Atom, a parse error with no usable
   entry, entries without a title or link, empty) is an error, so it can never
   become an "empty feed" baseline.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from bot.errors import SourceError
from bot.models import FetchResult, Item, SourceConfig, SourceState
from bot.sources import feedguard, feedscan
from bot.sources.http import HttpClient
from bot.sources.text import html_to_text, one_line

log = logging.getLogger(__name__)

PRESS_WIRE_DOMAINS = ("globenewswire.com", "prnewswire.com", "businesswire.com")
GOOGLE_NEWS_HOST = "news.google.com"
BODY_HASH = "body_sha1"  # SourceState.cursor key: the last parsed body's hash
MAX_KEY_CHARS = 500
# What feedparser is told about the text it gets: `feedguard` already decoded it to
# UTF-8 (and rewrote the XML declaration to say so), so it must not decode it again.
_DECODED_CONTENT_TYPE = "application/xml; charset=utf-8"
_SOFT_BOZO = (
    feedparser.NonXMLContentType,
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
)
_TRACKING_PARAM = re.compile(r"^(utm_|oc$)", re.IGNORECASE)

Unseen = Callable[[Iterable[str]], Collection[str]]


class FeedParser(Protocol):
    """Where feeds are parsed: `sandbox.ParserPool` (a worker process) or in-process."""

    def parse(self, body: bytes, *, source: SourceConfig, url: str,
              headers: Mapping[str, str], unseen: Unseen | None = None) -> ParsedFeed: ...


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's new items, and how many entries were skipped as already seen."""

    items: tuple[Item, ...]
    known: int = 0


def fetch_rss(
    source: SourceConfig, state: SourceState, client: HttpClient, *, now: datetime,
    parser: FeedParser, unseen: Unseen | None = None,
) -> FetchResult:
    """One conditional GET of the feed; 304 or an unchanged body means nothing new, no parse."""
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
    etag, modified = resp.headers.get("etag"), resp.headers.get("last-modified")
    digest = body_hash(resp.body, resp.headers.get("content-type", ""))
    if state.baselined and state.cursor.get(BODY_HASH) == digest:
        # Byte-identical to the body whose items were saved: nothing can be new.
        return FetchResult(items=(), state=replace(state, etag=etag, last_modified=modified),
                           not_modified=True)
    parsed = parser.parse(resp.body, source=source, url=resp.url, headers=resp.headers,
                          unseen=unseen)
    log.debug("%s: %d new entries, %d known at %s", source.name, len(parsed.items),
              parsed.known, now.isoformat())
    new_state = replace(state, etag=etag, last_modified=modified,
                        cursor={**state.cursor, BODY_HASH: digest})
    return FetchResult(items=parsed.items, state=new_state, known=parsed.known)


def body_hash(body: bytes, content_type: str = "") -> str:
    """Identifies a body as parsed: the bytes and the charset that decides their decoding."""
    digest = hashlib.sha1(content_type.encode("utf-8", "replace") + b"\0", usedforsecurity=False)
    digest.update(body)
    return digest.hexdigest()


def parse_feed(
    body: bytes, *, source: SourceConfig, url: str, headers: Mapping[str, str] | None = None
) -> list[Item]:
    """Items of a feed body, duplicates (same key) collapsed, first one kept (in-process)."""
    return list(read_feed(body, source=source, url=url, headers=headers).items)


def read_feed(
    body: bytes, *, source: SourceConfig, url: str, headers: Mapping[str, str] | None = None,
    unseen: Unseen | None = None,
) -> ParsedFeed:
    """Parse a feed body in this process; raises SourceError for anything that is not a
    usable feed. `unseen(ids)` (the store's question) lets known entries be skipped."""
    if not body.strip():
        raise SourceError(source.name, url, "not a feed: the body is empty")
    response_headers = {"content-location": url}
    if headers and headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    try:
        decoded = feedguard.check(body, response_headers)
    except feedguard.Refused as exc:
        raise SourceError(source.name, url, exc.reason) from exc
    data, known = decoded.data, 0
    if unseen is not None:
        data, known = _without_known(data, source, unseen)
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": url, "content-type": _DECODED_CONTENT_TYPE},
        # Our own HTML-to-text runs on every field and Slack escaping comes after it, so
        # feedparser's sanitizer and URI rewriting are work whose result is thrown away.
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    feed_title = one_line(parsed.feed.get("title", ""), 200) or None
    press = _is_press_wire(source.url)
    items: dict[str, Item] = {}
    for entry in parsed.entries:
        item = entry_to_item(entry, source=source, feed_title=feed_title, press=press)
        if item is not None and item.key not in items:
            items[item.key] = item
    if not items and not known:
        problem = _not_a_feed(parsed, data)
        if problem:
            raise SourceError(source.name, url, problem[:300])
    return ParsedFeed(tuple(items.values()), known)


def _without_known(data: bytes, source: SourceConfig, unseen: Unseen) -> tuple[bytes, int]:
    """The document without the entries whose guid the store already has."""
    spans = feedscan.scan(data)
    if not spans:
        return data, 0
    ids = [f"{source.name}:{guid_key(span.guid)}" for span in spans]
    fresh = set(unseen(ids))
    known = [span for span, item_id in zip(spans, ids, strict=True) if item_id not in fresh]
    if not known:
        return data, 0
    return feedscan.without(data, known), len(known)


def _not_a_feed(parsed: Any, data: bytes) -> str | None:
    """Why a parse that produced no usable item is a failure, or None for a valid empty feed."""
    if parsed.entries:
        return f"not a feed: {len(parsed.entries)} entries, none with a title or link"
    if parsed.version and not _hard_bozo(parsed):
        return None
    if feedguard.looks_like_html(data):
        return "not a feed: the server sent an HTML page (check the URL)"
    reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
    return f"not a feed: {reason}"


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


def guid_key(guid: str) -> str:
    """An item's key from its guid (RSS `<guid>`, Atom `<id>`)."""
    return guid.strip()[:MAX_KEY_CHARS]


def _key(entry: dict[str, Any], link: str | None, title: str, published: date | None) -> str:
    guid = guid_key(entry.get("id") or "")
    if guid:
        return guid
    if link:
        return normalise_link(link)[:MAX_KEY_CHARS]
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
