"""Find a feed's entries and their guids cheaply, so known entries are never parsed again.

feedparser costs about 0.1 ms per entry; expat, with no handler but element
starts and ends, about 1/50 of that. A feed that changed because one entry
was added (or only its `lastBuildDate` moved) is mostly entries we already
saw: this scan finds each top-level `<item>` / `<entry>` with a direct
`<guid>` / `<id>` child, and `without` cuts the known ones out of the
document before feedparser sees it (issue 15 item 5).

Only a well-formed document is scanned (any expat error: no spans, so the
whole feed is parsed as before), only unprefixed element names count, and an
entry is cut only when its guid is *known*: a mistake here can only make
feedparser parse an entry it could have skipped, never skip a new one. The
guid is read as feedparser reads it (expat decodes entities and CDATA the
same way) and keyed as `rss.item_key` keys it.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Collection
from dataclasses import dataclass

ENTRY_ELEMENTS = frozenset({"item", "entry"})  # RSS 0.9x/2.0, Atom
GUID_ELEMENTS = frozenset({"guid", "id"})


@dataclass(frozen=True)
class EntrySpan:
    """Bytes [start, end) of one top-level entry element, and its guid text (stripped)."""

    start: int
    end: int
    guid: str


def scan(data: bytes) -> list[EntrySpan]:
    """The entries of a UTF-8 feed document that carry a guid; [] if it is not well-formed."""
    spans: list[EntrySpan] = []
    parser = xml.parsers.expat.ParserCreate("utf-8")
    state = {"depth": 0, "entry_depth": -1, "start": 0, "guid_depth": -1}
    guid_text: list[str] = []

    def start(name: str, _attrs: object) -> None:
        depth = state["depth"] + 1
        state["depth"] = depth
        if state["entry_depth"] < 0:
            if name in ENTRY_ELEMENTS:
                state["entry_depth"] = depth
                state["start"] = parser.CurrentByteIndex
                guid_text.clear()
                state["guid_depth"] = -1
        elif depth == state["entry_depth"] + 1 and name in GUID_ELEMENTS:
            guid_text.clear()  # the last guid element wins, as in feedparser
            state["guid_depth"] = depth

    def end(_name: str) -> None:
        depth = state["depth"]
        state["depth"] = depth - 1
        if depth == state["guid_depth"]:
            state["guid_depth"] = -2  # closed: text collected
        if depth == state["entry_depth"]:
            state["entry_depth"] = -1
            tag = parser.CurrentByteIndex
            guid = "".join(guid_text).strip()
            if guid and tag > state["start"]:  # not an empty-element <item/>
                close = data.find(b">", tag)
                if close > 0:
                    spans.append(EntrySpan(state["start"], close + 1, guid))

    def text(chunk: str) -> None:
        if state["guid_depth"] == state["depth"] and state["guid_depth"] > 0:
            guid_text.append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return []
    return spans


def without(data: bytes, spans: Collection[EntrySpan]) -> bytes:
    """The document with these entries cut out (spans in document order, not overlapping)."""
    pieces = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(data[pos : span.start])
        pos = span.end
    pieces.append(data[pos:])
    return b"".join(pieces)
