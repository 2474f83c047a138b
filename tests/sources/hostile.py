"""Hostile feed bodies, built from our own small templates (shared with tests/reliability).

The encoded bombs are the quadratic blow-up of docs/DEPENDENCIES.md (one long
entity referenced many times in an item title) written in an encoding that a
byte scan for ASCII `<!ENTITY` cannot read, but that feedparser decodes
before parsing: UTF-7 (declared in the XML declaration), EBCDIC cp037 and
UTF-16/UTF-32 without a byte-order mark (sniffed from the first four bytes),
and UTF-16/UTF-32 with one.
"""

from __future__ import annotations

from collections.abc import Callable

GUARD_REASON = "XML bomb guard"


def bomb_document(encoding: str, *, entity_chars: int = 50_000, references: int = 2_000,
                  title: str = "Hold") -> str:
    """An RSS document declaring one `entity_chars`-long entity used `references` times."""
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            f'<!DOCTYPE rss [\n<!ENTITY a "{"x" * entity_chars}">\n]>\n'
            f'<rss version="2.0"><channel><title>Wire</title><item><title>{title} '
            f'{"&a;" * references}</title><link>https://example.org/bomb</link>'
            f"<guid>bomb-1</guid></item></channel></rss>\n")


def _utf7(doc: str) -> bytes:
    """UTF-7 with every `<` written as the base64 run `+ADw-` (Python's encoder would
    leave it as is; an attacker does not have to)."""
    declaration, rest = doc.split("?>", 1)
    return (declaration + "?>").encode("ascii") + rest.encode("utf-7").replace(b"<", b"+ADw-")


# name -> body: every one declares the same entity; none of them contains ASCII "<!ENTITY".
ENCODED_BOMBS: dict[str, Callable[[], bytes]] = {
    "utf-7": lambda: _utf7(bomb_document("utf-7")),
    "cp037": lambda: bomb_document("cp037").encode("cp037"),
    "utf-16le-no-bom": lambda: bomb_document("utf-16").encode("utf-16-le"),
    "utf-16be-bom": lambda: b"\xfe\xff" + bomb_document("utf-16").encode("utf-16-be"),
    "utf-32be-no-bom": lambda: bomb_document("utf-32").encode("utf-32-be"),
    "utf-32le-bom": lambda: bomb_document("utf-32").encode("utf-32"),
}

# An RSS 0.91 feed as Netscape published them: the DOCTYPE has no internal subset.
NETSCAPE_RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
<title>Biotech Wire</title>
<link>https://wire.example.org/</link>
<description>Sponsor announcements</description>
<language>en-us</language>
<item>
<title>Orrin Bio Announces FDA Clinical Hold on Phase 1 Trial of ORR-415</title>
<link>https://wire.example.org/orrin-hold</link>
<description>Orrin Bio said the FDA placed a clinical hold on the trial of ORR-415.</description>
</item>
</channel>
</rss>
"""

# `<!DOCTYPE html>` (and an ENTITY line) quoted inside an item: text, not a declaration.
DOCTYPE_IN_CDATA = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Biotech Wire</title>
<item><guid isPermaLink="false">pallas-hold</guid>
<title>Pallas Oncology Announces FDA Clinical Hold on PAL-120</title>
<link>https://wire.example.org/pallas-hold</link>
<description><![CDATA[<!DOCTYPE html><html><body><p>Pallas Oncology said the FDA placed
a clinical hold on PAL-120.</p><pre><!ENTITY quoted "in an article"></pre></body></html>]]>
</description></item>
</channel></rss>
"""

# Not feeds, though feedparser finds an "entry" in some: each must fail, never baseline.
NOT_FEEDS: dict[str, bytes] = {
    "xml-with-items": b"<?xml version='1.0'?><root><item><name>x</name></item></root>",
    "rss-items-without-title-or-link": b"<rss version='2.0'><channel><item></item>"
                                       b"<item><foo>bar</foo></item></channel></rss>",
    "html-page": b"<html><head><title>Sign in</title></head><body><form></form></body></html>",
    "json": b'{"items": [{"title": "Hold"}]}',
    "empty": b"",
    "blank": b" \r\n\t ",
    "binary": b"\x00\xff\xfe\x01\x02junk",
}
