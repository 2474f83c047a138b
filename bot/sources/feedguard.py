"""The XML-bomb guard: refuse entity declarations whatever the document's encoding.

feedparser decodes a body before it parses it (a BOM, the `<?xml encoding?>`
declaration, the HTTP charset, or the first four bytes sniffed as EBCDIC,
UTF-16 or UTF-32), and its loose-parser fallback re-expands the entities expat
refused (docs/DEPENDENCIES.md, "feedparser 6"). A byte scan for ASCII `<!ENTITY` misses a
declaration written in UTF-7 (`+ADw-!ENTITY`) or cp037, so the guard decodes
the body with feedparser's *own* function, `encodings.convert_to_utf8`, and
looks at exactly the text the parsers will get.

What is refused, each with the reason shown to the operator:
- an encoding no real feed uses (UTF-7, EBCDIC code pages, escape codecs);
- any `<!ENTITY` declaration in the prolog;
- a DOCTYPE with an internal subset (`<!DOCTYPE rss [ … ]>`).

What is accepted: a DOCTYPE without an internal subset (RSS 0.91's Netscape
DOCTYPE: feedparser strips it and reads the version from it), and DOCTYPE or
ENTITY text after the root element starts (inside CDATA or an item body),
which neither parser treats as a declaration: expat only reads declarations
in the prolog, and feedparser collects entities only before the first element.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

from feedparser.encodings import convert_to_utf8

# Encodings that only ever carry a feed to hide markup from byte scanners. The
# example is how `<!ENTITY` looks in each, which is why a scan of raw bytes fails.
REFUSED_ENCODINGS: Mapping[str, str] = {
    "utf-7": "UTF-7 (`<!ENTITY` is `+ADw-!ENTITY`)",
    "cp037": "EBCDIC cp037 (`<` is byte 0x4C)",
    "cp273": "EBCDIC cp273",
    "cp424": "EBCDIC cp424",
    "cp500": "EBCDIC cp500",
    "cp875": "EBCDIC cp875",
    "cp1026": "EBCDIC cp1026",
    "cp1140": "EBCDIC cp1140",
    "unicode-escape": "Python's unicode-escape (`<` is `\\x3c`)",
    "raw-unicode-escape": "Python's raw-unicode-escape (`<` is `\\u003c`)",
    "punycode": "punycode",
    "idna": "IDNA",
}

_SPACE = re.compile(rb"[ \t\r\n]*")
_FIRST_TAG = re.compile(rb"<\w")  # feedparser's own "first element" test (replace_doctype)
_DOCTYPE = re.compile(rb"<!\s*doctype", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*entity", re.IGNORECASE)
# A declaration's text up to its `>` or `[`, quoted strings skipped whole (they may hold `>`).
_DECLARATION_BODY = re.compile(rb"""(?:[^"'\[\]>]+|"[^"]*"|'[^']*')*""")
_HTML = re.compile(rb"<\s*(html|head|body)[\s>]", re.IGNORECASE)


class Refused(Exception):
    """The body must not reach the parser; `reason` says why, for the source's health."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """The body as the parsers will see it: UTF-8 bytes, and the encoding it came in."""

    data: bytes
    encoding: str


def decode(body: bytes, response_headers: Mapping[str, str]) -> Decoded:
    """Decode `body` exactly as `feedparser.parse(..., response_headers=...)` will."""
    result: dict[str, object] = {}
    data = convert_to_utf8(dict(response_headers), body, result)
    return Decoded(data, str(result.get("encoding") or ""))


def check(body: bytes, response_headers: Mapping[str, str]) -> Decoded:
    """The decoded body if it is safe to parse; raises Refused otherwise."""
    decoded = decode(body, response_headers)
    _check_encoding(decoded.encoding)
    data = decoded.data
    prolog = data[: prolog_end(data)]
    if _ENTITY.search(prolog):
        raise Refused("feed declares an ENTITY; refused (XML bomb guard)")
    for match in _DOCTYPE.finditer(prolog):
        if has_internal_subset(data, match.end()):
            raise Refused("feed has a DOCTYPE with an internal subset; refused (XML bomb guard)")
    return decoded


def _check_encoding(encoding: str) -> None:
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        return  # feedparser could not use it either; it fell back to another one
    if name in REFUSED_ENCODINGS:
        raise Refused(f"feed is encoded in {REFUSED_ENCODINGS[name]}, which no real feed "
                      "uses; refused (XML bomb guard)")


def prolog_end(data: bytes) -> int:
    """Where the prolog ends for *either* parser.

    expat reads declarations up to the root element, past comments and
    processing instructions; feedparser takes everything before the first
    `<` followed by a word character (which may sit inside a comment). The
    later of the two bounds the text where a declaration can take effect.
    """
    first = _FIRST_TAG.search(data)
    feedparser_end = first.start() if first else len(data)
    pos = 0
    while True:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if data.startswith(b"\xef\xbb\xbf", pos):
            pos += 3
            continue
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            pos = len(data) if end < 0 else end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            pos = len(data) if end < 0 else end + 3
        elif _DOCTYPE.match(data, pos):
            pos = _declaration_end(data, pos)
        else:
            break
        if pos >= len(data):
            return len(data)
    return max(pos, feedparser_end)


def _declaration_end(data: bytes, pos: int) -> int:
    """Just past the `>` closing the DOCTYPE at `pos`. One with an internal subset (or
    an unterminated one) is treated as running to the end, so the checks see all of it."""
    body = _DECLARATION_BODY.match(data, pos + 2).end()  # type: ignore[union-attr]
    return body + 1 if data[body : body + 1] == b">" else len(data)


def has_internal_subset(data: bytes, pos: int) -> bool:
    """Does the DOCTYPE whose keyword ends at `pos` open a `[` before its closing `>`?"""
    body = _DECLARATION_BODY.match(data, pos).end()  # type: ignore[union-attr]
    return data[body : body + 1] == b"["


def looks_like_html(data: bytes) -> bool:
    """An HTML page (an error or login page where a feed should be)."""
    return bool(_HTML.search(data[:4096]))
