"""RSS/Atom parsing from fixture files, and polling a feed over loopback HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig, SourceState
from bot.sources import fetch
from bot.sources import rss as rss_module
from bot.sources.rss import normalise_link, parse_feed
from bot.sources.text import MAX_TEXT_CHARS
from loopback.feed_server import Reply, gzip_bomb, redirect_loop
from tests.sources.fakes import FIXTURES

FEEDS = FIXTURES / "feeds"
NOW = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
GNEWS_URL = "https://news.google.com/rss/search?q=%22clinical+hold%22&hl=en-US&gl=US&ceid=US:en"
GNW_URL = "https://www.globenewswire.com/RssFeed/industry/4573-Biotechnology"


def _parse(name: str, url: str, content_type: str = "application/rss+xml; charset=utf-8"):
    source = SourceConfig(name="feed", kind="rss", url=url)
    body = (FEEDS / name).read_bytes()
    return parse_feed(body, source=source, url=url, headers={"content-type": content_type})


def test_google_news_titles_lose_the_outlet_suffix():
    """' - Fierce Biotech' moves from the title into `outlet`; the <source url> is kept."""
    first = _parse("google_news.xml", GNEWS_URL)[0]
    assert first.title == "CARsgen says FDA lifted clinical holds on three CAR-T programs"
    assert first.outlet == "Fierce Biotech"
    assert first.hints["outlet_url"] == "https://www.fiercebiotech.com"
    assert first.kind == "news" and first.published == date(2024, 10, 31)


def test_google_news_duplicates_collapse_and_bad_dates_are_none():
    """A repeated guid yields one item; an unreadable pubDate gives published=None."""
    items = _parse("google_news.xml", GNEWS_URL)
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys)) == 3
    assert items[2].published is None


def test_entity_encoded_html_becomes_text():
    """Escaped HTML in a description is reduced to its words; decoded text stays raw for notify."""
    items = _parse("google_news.xml", GNEWS_URL)
    assert items[2].text == "Shares fell 12% & more"
    assert "<!channel>" in items[2].title  # escaping for Slack is the notifier's job


def test_atom_html_title_and_missing_id():
    """An html-typed Atom title loses its tags; an entry without id is keyed by its link."""
    items = _parse("atom.xml", "https://example.org/feed", "application/atom+xml")
    assert items[0].title == "Intellia pauses MAGNITUDE trials after FDA clinical hold"
    assert items[0].key == "tag:example.org,2025:intellia-magnitude-hold"
    assert items[1].key == "https://example.org/holds/carsgen-lift"
    assert items[1].published is None and "FDA lifted" in items[1].text


def test_press_wire_items_are_primary_press_releases():
    """GlobeNewswire entries are press releases with primary, ticker and company hints."""
    items = _parse("globenewswire.xml", GNW_URL)
    kezar = items[0]
    assert kezar.kind == "press_release"
    assert dict(kezar.hints) == {"primary": True, "ticker": "KZR",
                                 "company": "Kezar Life Sciences, Inc."}  # fmt: skip
    assert kezar.published == date(2024, 10, 4)  # pubDate without seconds


def test_edited_entry_keeps_its_key():
    """Same guid with a new title: same key, so it is not a new item."""
    source = SourceConfig(name="feed", kind="rss", url=GNW_URL)
    body = (FEEDS / "globenewswire.xml").read_bytes()
    edited = body.replace(b"Announces FDA Clinical Hold on PALIZADE", b"Provides PALIZADE Update")
    before = parse_feed(body, source=source, url=GNW_URL)[0]
    after = parse_feed(edited, source=source, url=GNW_URL)[0]
    assert before.key == after.key and before.title != after.title


def test_entry_without_guid_or_link_is_keyed_by_title_and_date():
    """No guid, no link: a stable sha1 of title+date."""
    body = (b"<rss version='2.0'><channel><title>t</title><item><title>Hold news</title>"
            b"<pubDate>Mon, 04 Nov 2024 10:00:00 GMT</pubDate></item></channel></rss>")  # fmt: skip
    source = SourceConfig(name="feed", kind="rss", url="https://x.example/feed")
    first = parse_feed(body, source=source, url=source.url)
    second = parse_feed(body, source=source, url=source.url)
    assert first[0].key.startswith("sha1:") and first[0].key == second[0].key


def test_link_normalisation_ignores_case_fragment_and_tracking():
    """Trivial URL variations map to one key."""
    assert normalise_link("HTTPS://Example.org/a/?utm_source=x&id=3#frag") == (
        "https://example.org/a?id=3"
    )


def test_wrong_charset_is_tolerated():
    """A latin-1 body declared as UTF-8 still parses (accents intact)."""
    items = _parse("wrong_charset.xml", "https://example.fr/feed")
    assert items[0].title == "La FDA lève la suspension clinique de l'essai"


def test_garbage_body_is_an_error_not_an_empty_feed():
    """An HTML error page (bozo, no entries) raises, so it can never set a baseline."""
    with pytest.raises(SourceError, match="not a feed"):
        _parse("malformed.xml", "https://x.example/feed")


def test_empty_but_valid_feed_is_fine():
    """A well-formed feed with no items is not an error."""
    source = SourceConfig(name="feed", kind="rss", url="https://x.example/feed")
    body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
    assert parse_feed(body, source=source, url=source.url) == []


@pytest.mark.parametrize(
    "body",
    [
        (FEEDS / "billion_laughs.xml").read_bytes(),
        # quadratic blowup: one 50,000-char entity referenced 20,000 times
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]><rss><channel>'
        b"<item><title>" + b"&a;" * 20_000 + b"</title></item></channel></rss>",
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><rss><channel><title>&x;'
        b"</title></channel></rss>",
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>'.encode(
            "utf-16"
        ),
    ],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "utf16-doctype"],
)
def test_entity_declarations_are_refused_before_parsing(body, monkeypatch):
    """Entity declarations are refused before feedparser can expand them: the parser is
    never called (so no entity is ever expanded, however large the bomb). The encoded
    variants are in test_feedguard.py."""
    parsed: list[object] = []
    monkeypatch.setattr(rss_module.feedparser, "parse", lambda *a, **k: parsed.append(a))
    with pytest.raises(SourceError, match="XML bomb guard"):
        _parse_bytes(body)
    assert parsed == []


def _parse_bytes(body: bytes):
    source = SourceConfig(name="feed", kind="rss", url="https://x.example/feed")
    return parse_feed(body, source=source, url=source.url)


def test_second_poll_of_unchanged_feed_is_a_304(server, client):
    """Poll 1 stores validators; poll 2 sends them back and gets 304, no items, no parse."""
    etag, modified = '"gn-42"', "Fri, 01 Nov 2024 09:12:00 GMT"
    server.add("/gnews", FEEDS / "google_news.xml", etag=etag, last_modified=modified,
               content_type="application/rss+xml; charset=UTF-8")  # fmt: skip
    source = SourceConfig(name="gnews", kind="rss", url=server.url("/gnews"))
    first = fetch(source, SourceState(name="gnews"), client, now=NOW)
    assert len(first.items) == 3 and not first.not_modified
    assert (first.state.etag, first.state.last_modified) == (etag, modified)
    second = fetch(source, first.state, client, now=NOW)
    assert second.not_modified and second.items == ()
    assert second.state.etag == etag
    sent = server.requests_for("/gnews")[1].headers
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == modified


def test_feed_that_drops_validators_clears_them(server, client):
    """A 200 without ETag replaces the stored one, so a stale value is never sent again."""
    server.script("/f", [Reply(body=FEEDS / "atom.xml")])
    source = SourceConfig(name="f", kind="rss", url=server.url("/f"))
    result = fetch(source, SourceState(name="f", etag='"old"'), client, now=NOW)
    assert result.state.etag is None and len(result.items) == 2


@pytest.mark.parametrize(
    "reply, reason",
    [
        (Reply(status=500), "HTTP 500"),
        (Reply(status=429, retry_after="30"), "HTTP 429"),
        (Reply(body=b"<rss/>", delay=30), "timed out"),
        (Reply(body=b"a" * 20_000_000), "larger than"),
        (gzip_bomb(20_000_000), "larger than"),
        (Reply(body=FEEDS / "malformed.xml", content_type="text/html"), "not a feed"),
        (redirect_loop("/broken"), "too many redirects"),
        (Reply(body=FEEDS / "billion_laughs.xml"), "XML bomb guard"),
    ],
    ids=["500", "429", "hang", "20MB", "gzip-bomb", "malformed", "redirect-loop", "laughs"],
)
def test_each_fault_fails_alone_while_a_healthy_feed_works(server, client, reply, reason):
    """A broken feed raises SourceError naming its URL; the healthy feed still works.

    The hang case proves the timeout (the server would answer after 30 s, so an error
    saying "timed out" was cut off by the client); sizes are bounded by the byte caps."""
    server.script("/broken", [reply])
    server.add("/healthy", FEEDS / "globenewswire.xml")
    broken = SourceConfig(name="broken", kind="rss", url=server.url("/broken"))
    healthy = SourceConfig(name="healthy", kind="rss", url=server.url("/healthy"))
    with pytest.raises(SourceError, match=reason) as caught:
        fetch(broken, SourceState(name="broken"), client, now=NOW)
    assert caught.value.source == "broken" and "/broken" in caught.value.url
    assert len(fetch(healthy, SourceState(name="healthy"), client, now=NOW).items) == 2


def test_wrong_charset_feed_parses_over_http(server, client):
    """Header says UTF-8, body is latin-1: parsed, not failed."""
    declared_utf8 = "application/rss+xml; charset=utf-8"
    server.add("/fr", FEEDS / "wrong_charset.xml", content_type=declared_utf8)
    source = SourceConfig(name="fr", kind="rss", url=server.url("/fr"))
    items = fetch(source, SourceState(name="fr"), client, now=NOW).items
    assert [i.title for i in items] == ["La FDA lève la suspension clinique de l'essai"]


@pytest.mark.parametrize(
    "markup",
    [b"&lt;div&gt;" * 20_000 + b"deep text" + b"&lt;/div&gt;" * 20_000,
     b"<x>" * 20_000 + b"deep text" + b"</x>" * 20_000],
    ids=["escaped-html", "raw-xml"],
)  # fmt: skip
def test_deeply_nested_markup_is_bounded(markup):
    """20,000 levels of nesting in a description parse without a recursion error, keep the
    words and yield one item whose text stays within the cap. (How fast is a bench/
    question, not a test's: a wall-clock limit here failed on a busy 2-core machine.)"""
    body = (b"<rss version='2.0'><channel><title>t</title><item><title>Deep</title>"
            b"<link>https://x.example/1</link><description>" + markup +
            b"</description></item></channel></rss>")  # fmt: skip
    items = _parse_bytes(body)
    assert len(items) == 1
    assert "deep text" in items[0].text
    assert len(items[0].text) <= MAX_TEXT_CHARS


def test_invalid_utf8_is_parsed_not_crashed():
    """Undecodable bytes in a UTF-8 feed still yield the entry."""
    body = (b"<rss version='2.0'><channel><title>t</title><item><title>Hold \xff\xfe news"
            b"</title><link>https://x.example/2</link></item></channel></rss>")  # fmt: skip
    items = _parse_bytes(body)
    assert len(items) == 1 and items[0].title.startswith("Hold ")
