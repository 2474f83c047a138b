"""Skipping work on known entries and unchanged bodies (issue 15 item 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig, SourceState
from bot.sources import feedguard, feedscan
from bot.sources import fetch as fetch_source
from bot.sources.rss import BODY_HASH, ParsedFeed, fetch_rss, read_feed
from tests.e2e.conftest import rss
from tests.reliability.harness import hold_entry
from tests.sources.fakes import FIXTURES

FEEDS = FIXTURES / "feeds"
NOW = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
SOURCE = SourceConfig(name="press", kind="rss", url="https://wire.example.org/feed")


def _decoded(body: bytes) -> bytes:
    return feedguard.decode(body, {}).data


@pytest.mark.parametrize("name", ["google_news.xml", "globenewswire.xml", "atom.xml"])
def test_scan_reads_guids_as_feedparser_keys_them(name: str) -> None:
    """Every guid the scan finds is the key feedparser's parse gives that entry."""
    body = (FEEDS / name).read_bytes()
    source = SourceConfig(name="f", kind="rss", url="https://news.google.com/rss/search?q=x")
    keys = {item.key for item in read_feed(body, source=source, url=source.url).items}
    guids = [span.guid for span in feedscan.scan(_decoded(body))]
    assert guids and set(guids) <= keys


def test_known_entries_are_cut_before_parsing() -> None:
    """Of 5 entries, the 3 known ones never reach feedparser; the 2 new ones do."""
    entries = [hold_entry(n) for n in range(5)]
    body = rss(*entries).encode()
    known = {f"press:{e[0]}" for e in entries[:3]}
    asked: list[list[str]] = []

    def unseen(ids):
        asked.append(list(ids))
        return [i for i in ids if i not in known]

    parsed = read_feed(body, source=SOURCE, url=SOURCE.url, unseen=unseen)
    assert [i.key for i in parsed.items] == ["hold-3", "hold-4"]
    assert parsed.known == 3
    assert asked == [[f"press:hold-{n}" for n in range(5)]]  # one question per body


def test_all_known_is_a_successful_poll_not_an_empty_feed_error() -> None:
    """Every entry known: no items, but not 'not a feed' either."""
    body = rss(hold_entry(1)).encode()
    parsed = read_feed(body, source=SOURCE, url=SOURCE.url, unseen=lambda ids: [])
    assert parsed == ParsedFeed((), known=1)


def test_malformed_document_is_parsed_whole() -> None:
    """A document expat cannot read yields no spans: nothing is cut, feedparser reads all."""
    body = rss(hold_entry(1), hold_entry(2)).encode().replace(b"</channel>", b"<br></channel>")
    assert feedscan.scan(_decoded(body)) == []
    parsed = read_feed(body, source=SOURCE, url=SOURCE.url, unseen=lambda ids: [])
    assert len(parsed.items) == 2 and parsed.known == 0


def test_nested_and_empty_entries_are_not_cut() -> None:
    """Only top-level entries with a direct guid child are candidates."""
    doc = (b"<rss><channel><item/><item><source><guid>inner</guid></source><title>a</title>"
           b"</item><item><guid> spaced </guid><title>b</title></item></channel></rss>")
    spans = feedscan.scan(doc)
    assert [s.guid for s in spans] == ["spaced"]
    assert feedscan.without(doc, spans).count(b"<item") == 2


class CountingParser:
    """A FeedParser that parses in-process and counts how often it was asked to."""

    def __init__(self) -> None:
        self.calls = 0

    def parse(self, body, *, source, url, headers, unseen=None):
        self.calls += 1
        return read_feed(body, source=source, url=url, headers=headers, unseen=unseen)


def test_unchanged_body_is_not_parsed_again(server, client) -> None:
    """Same bytes and no ETag: the second poll is 'not modified' without a parse; a changed
    body is parsed again."""
    server.add("/f", rss(hold_entry(1)), content_type="application/rss+xml")
    source = SourceConfig(name="press", kind="rss", url=server.url("/f"))
    parser = CountingParser()
    first = fetch_rss(source, SourceState(name="press"), client, now=NOW, parser=parser)
    assert len(first.items) == 1 and first.state.cursor[BODY_HASH]
    saved = replace(first.state, baselined=True)
    second = fetch_rss(source, saved, client, now=NOW, parser=parser)
    assert second.not_modified and second.items == () and parser.calls == 1
    server.add("/f", rss(hold_entry(2), hold_entry(1)), content_type="application/rss+xml")
    third = fetch_rss(source, saved, client, now=NOW, parser=parser,
                      unseen=lambda ids: [i for i in ids if i != "press:hold-1"])
    assert [i.key for i in third.items] == ["hold-2"] and third.known == 1
    assert third.fetched == 2 and parser.calls == 2


@pytest.mark.parametrize("error, reason", [
    (MemoryError(), "ran out of memory"),
    (KeyError("x"), "internal error: KeyError"),
])
def test_fetch_turns_memory_errors_and_bugs_into_source_errors(
    server, client, error, reason,
) -> None:
    """A MemoryError or an unexpected exception while reading fails this source only."""
    server.add("/f", rss(hold_entry(1)), content_type="application/rss+xml")
    source = SourceConfig(name="press", kind="rss", url=server.url("/f"))

    class Exploding:
        def parse(self, *args, **kwargs):
            raise error

    with pytest.raises(SourceError, match=reason):
        fetch_source(source, SourceState(name="press"), client, now=NOW, parser=Exploding())
