"""The database file's layout, row by row, as text (pure).

The file is TinyDB's layout: `{"<table>": {"<doc id>": {row}, ...}, ...}`, so
TinyDB itself can still open it. We keep each row as its JSON *member text*
(`"<doc id>":{row}`) rather than as a dict: a write then only joins strings
(no re-serialising 100k unchanged rows), and a string costs a fraction of the
memory of the dict it encodes.

`scan` reads a file one row at a time with the stdlib decoder (`raw_decode`
gives each row's end), so loading never builds the whole file as Python
objects at once. Any syntax or shape problem raises `ValueError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

Tables = dict[str, dict[str, str]]  # table -> row key -> member text

_WS = re.compile(r"[ \t\n\r]*")
_decoder = json.JSONDecoder()
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def dumps(value: object) -> str:
    """Compact JSON, non-ASCII kept as is (the file is UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def member(doc_id: int | str, row: Mapping[str, object]) -> str:
    return f"{dumps(str(doc_id))}:{dumps(row)}"


def split(text: str) -> tuple[str, str]:
    """(doc id, row JSON) of a member text."""
    doc_id, end = _scanstring(text, 1)
    return doc_id, text[end + 1 :]


def scan(text: str, keys: Mapping[str, str]) -> Tables:
    """Every row of TEXT as member text, keyed by its table's key field (KEYS), or by
    doc id for a table we do not know (kept and written back untouched)."""
    tables: Tables = {}

    def table(name: str, start: int) -> int:
        rows = tables.setdefault(name, {})
        field = keys.get(name)

        def row(doc_id: str, start: int) -> int:
            value, end = _decoder.raw_decode(text, start)
            if not isinstance(value, dict):
                raise ValueError(f"row {doc_id} of table {name!r} is not an object")
            key = value.get(field) if field else doc_id
            if not isinstance(key, str):
                raise ValueError(f"row {doc_id} of table {name!r} has no {field!r}")
            rows[key] = f"{dumps(doc_id)}:{text[start:end]}"
            return end

        return _members(text, start, row)

    end = _members(text, _skip(text, 0), table)
    if _skip(text, end) != len(text):
        raise ValueError(f"extra data after character {end}")
    return tables


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # always matches


def _expect(text: str, pos: int, char: str) -> int:
    pos = _skip(text, pos)
    if text[pos : pos + 1] != char:
        raise ValueError(f"expected {char!r} at character {pos}")
    return pos + 1


def _members(text: str, pos: int, value: Callable[[str, int], int]) -> int:
    """Walk the object at POS: `value(key, start)` reads each value and returns its end."""
    pos = _skip(text, _expect(text, pos, "{"))
    if text[pos : pos + 1] == "}":
        return pos + 1
    while True:
        key, pos = _scanstring(text, _expect(text, pos, '"'))
        pos = value(key, _skip(text, _expect(text, pos, ":")))
        pos = _skip(text, pos)
        if text[pos : pos + 1] != ",":
            return _expect(text, pos, "}")
        pos += 1
