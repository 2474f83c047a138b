"""The XML-bomb guard decodes like feedparser: encoded bombs are refused, valid feeds are not."""

from __future__ import annotations

import io

import feedparser
import pytest

from bot.errors import SourceError
from bot.models import SourceConfig
from bot.sources import feedguard
from bot.sources import rss as rss_module
from bot.sources.rss import parse_feed
from tests.sources.hostile import (
    DOCTYPE_IN_CDATA,
    ENCODED_BOMBS,
    GUARD_REASON,
    NETSCAPE_RSS_091,
    NOT_FEEDS,
    bomb_document,
)

SOURCE = SourceConfig(name="feed", kind="rss", url="https://x.example/feed")
RSS_TYPE = {"content-type": "application/rss+xml"}


def _parse(body: bytes, headers: dict[str, str] | None = None):
    return parse_feed(body, source=SOURCE, url=SOURCE.url, headers=headers or RSS_TYPE)


@pytest.fixture
def parser_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every feedparser.parse call made by the rss module (and still parses)."""
    calls: list[object] = []
    real = feedparser.parse

    def spy(*args: object, **kwargs: object):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(rss_module.feedparser, "parse", spy)
    return calls


@pytest.mark.parametrize("name", sorted(ENCODED_BOMBS))
def test_encoded_bombs_are_refused_before_feedparser(name: str, parser_calls) -> None:
    """UTF-7, cp037, UTF-16/32 with and without BOM: refused, feedparser never called."""
    body = ENCODED_BOMBS[name]()
    assert b"<!ENTITY" not in body  # a scan of raw bytes would let it through
    with pytest.raises(SourceError, match=GUARD_REASON):
        _parse(body)
    assert parser_calls == []


@pytest.mark.parametrize("name", sorted(ENCODED_BOMBS))
def test_decoding_reveals_the_entity_as_feedparser_would_see_it(name: str) -> None:
    """feedguard.decode gives the text feedparser parses: the declaration is visible there,
    so the entity check does not depend on refusing the encoding."""
    decoded = feedguard.decode(ENCODED_BOMBS[name](), RSS_TYPE)
    assert b"<!ENTITY a" in decoded.data
    assert decoded.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


@pytest.mark.parametrize("encoding", ["utf-7", "cp037", "cp500", "unicode-escape"])
def test_encodings_no_feed_uses_are_refused_even_without_entities(encoding: str) -> None:
    """A harmless document in UTF-7 or EBCDIC is still refused, naming the encoding."""
    doc = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
           "<title>Hold</title><link>https://x.example/1</link></item></channel></rss>")
    if encoding == "unicode-escape":
        headers = {"content-type": "application/xml; charset=unicode_escape"}
        body = doc.replace("<", "\\x3c").encode()
    else:
        headers = RSS_TYPE
        body = doc.replace("<?xml version='1.0'?>",
                           f"<?xml version='1.0' encoding='{encoding}'?>").encode(encoding)
        if encoding == "utf-7":
            body = f"<?xml version='1.0' encoding='{encoding}'?>".encode() + \
                doc.split("?>", 1)[1].encode("utf-7").replace(b"<", b"+ADw-")
    with pytest.raises(SourceError, match=f"encoded in .*{GUARD_REASON}"):
        _parse(body, headers)


def test_charset_from_the_http_header_is_honoured_like_feedparser() -> None:
    """The header says UTF-16, the body has no BOM and no declaration: decoded, refused."""
    body = '<!DOCTYPE r [<!ENTITY a "b">]><rss/>'.encode("utf-16-le")
    with pytest.raises(SourceError, match=GUARD_REASON):
        _parse(body, {"content-type": "application/xml; charset=utf-16le"})


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!-- <a --><!DOCTYPE r [<!ENTITY a "x">]><rss/>',
    b'<?pi <a ?><!DOCTYPE r SYSTEM "x>y" [<!ATTLIST r a CDATA "x">]><rss/>',
    b"<!doctype r [ ]><rss/>",
    b'<!ENTITY a "x"><rss/>',
    b'\xef\xbb\xbf<!DOCTYPE r [<!ENTITY % p "x">]><rss/>',
], ids=["after-comment-hiding-a-tag", "quoted-gt-then-subset", "empty-subset", "bare-entity",
        "bom-parameter-entity"])
def test_prolog_tricks_are_refused(body: bytes) -> None:
    """Comments, PIs and quoted `>` cannot hide a declaration from the guard."""
    with pytest.raises(feedguard.Refused):
        feedguard.check(body, {})


def test_netscape_rss_091_doctype_is_accepted() -> None:
    """A DOCTYPE without internal subset (RSS 0.91) parses, and its hold item is read."""
    items = _parse(NETSCAPE_RSS_091)
    assert [i.title for i in items] == [
        "Orrin Bio Announces FDA Clinical Hold on Phase 1 Trial of ORR-415"]


def test_doctype_text_inside_cdata_is_accepted() -> None:
    """`<!DOCTYPE html>` and an ENTITY line quoted inside CDATA are text, not declarations."""
    items = _parse(DOCTYPE_IN_CDATA)
    assert [i.key for i in items] == ["pallas-hold"]
    assert "placed a clinical hold on PAL-120" in " ".join(items[0].text.split())


def test_doctype_after_the_root_element_is_accepted() -> None:
    """A DOCTYPE line inside an item body (malformed, but no declaration) does not fail
    the whole feed; the item is read by feedparser's tolerant parser."""
    body = (b"<rss version='2.0'><channel><title>t</title><item><title>Hold on X</title>"
            b"<link>https://x.example/1</link><description>a <!DOCTYPE html> b</description>"
            b"</item></channel></rss>")
    assert [i.url for i in _parse(body)] == ["https://x.example/1"]


@pytest.mark.parametrize("name", sorted(NOT_FEEDS))
def test_bodies_that_are_not_feeds_fail(name: str) -> None:
    """A body that is not a feed is an error naming why, never an empty success."""
    with pytest.raises(SourceError, match="not a feed"):
        _parse(NOT_FEEDS[name])


def test_entries_without_title_or_link_are_named_in_the_reason() -> None:
    """feedparser's entries=[{}] of a non-feed is reported as such."""
    with pytest.raises(SourceError, match="2 entries, none with a title or link"):
        _parse(NOT_FEEDS["rss-items-without-title-or-link"])


def test_html_page_reason_says_so() -> None:
    with pytest.raises(SourceError, match="HTML page"):
        _parse(NOT_FEEDS["html-page"], {"content-type": "text/html"})


def test_feed_text_stays_raw_without_feedparser_sanitizer() -> None:
    """With sanitize_html off, our own html_to_text still reduces markup to words:
    scripts and styles are dropped, tags removed, entities decoded once."""
    body = (b"<rss version='2.0'><channel><title>t</title><item><title>Hold</title>"
            b"<link>https://x.example/1</link><description>&lt;script&gt;alert(1)&lt;/script"
            b"&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;p onclick='x'&gt;FDA &amp;amp; sponsor"
            b"&lt;/p&gt;&lt;img src='javascript:x'&gt;</description></item></channel></rss>")
    item = _parse(body)[0]
    assert item.text == "FDA & sponsor"


def test_bomb_document_without_guard_would_expand() -> None:
    """The fixture is a real bomb: feedparser itself expands it (a small one here)."""
    body = bomb_document("utf-8", entity_chars=1_000, references=50).encode()
    parsed = feedparser.parse(io.BytesIO(body))
    assert len(parsed.entries[0].title) > 40_000
