"""The snapshot file's text: TinyDB's JSON layout, written one row per line.

Stock TinyDB reads `{"<table>": {"<doc id>": {row}, …}, …}`; JSON does not care
about the newlines, so we put one row on each line:

    {
    "meta":{
    "1":{"key":"schema_version","value":2},
    "2":{"key":"tables","value":["meta","sources",…]}
    },
    "items":{
    "1":{"id":"news:a","seen_at":"2024-11-05"}
    }
    }

That lets a reader stream the file (`rows`): each row is parsed alone and can
be dropped at once, so opening a 100k-item store never holds the whole
document as Python objects, and a reader that needs only some tables skips the
others' lines without parsing them and stops once it has passed them (the
`tables` row in `meta` lists the file's tables in order). A file in any other
JSON layout (written by stock TinyDB, pretty-printed, hand-edited) is parsed
whole instead.

Both readers raise `SnapshotError` (a ValueError) for anything that is not a
TinyDB document: not JSON, nested too deeply, a table that is not an object of
rows, a row that is not an object, a doc id that is not a number.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Container, Generator, Iterable, Iterator
from typing import IO, Any

Row = dict[str, Any]
ROWS_PER_CHUNK = 1000
_DOC_ID = re.compile(r'"(\d+)":')
_TABLE = re.compile(r'"((?:[^"\\]|\\.)*)":\{\n')
_DECODER = json.JSONDecoder()


class SnapshotError(ValueError):
    """The text is not a TinyDB database."""


def dumps(value: object) -> str:
    """Compact JSON, non-ASCII kept as is (the file is UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """json.loads that reports absurd nesting as SnapshotError, not RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise SnapshotError("JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise SnapshotError(f"not JSON ({exc})") from None


# ---------------------------------------------------------------------- writing


def chunks(content: Iterable[tuple[str, Iterable[str]]]) -> Iterator[str]:
    """The file's text in blocks: CONTENT is (table, row texts) in file order, where a
    row text is the compact JSON of one row; doc ids are numbered from 1."""
    yield "{"
    for n, (name, texts) in enumerate(content):
        yield f"{',' if n else ''}\n{dumps(name)}:{{"
        block: list[str] = []
        doc_id = 0
        for text in texts:
            doc_id += 1
            block.append(f'\n"{doc_id}":{text}')
            if len(block) >= ROWS_PER_CHUNK:
                yield ("," if doc_id > len(block) else "") + ",".join(block)
                block = []
        if block:
            yield ("," if doc_id > len(block) else "") + ",".join(block)
        yield "\n}"
    yield "\n}\n"


# ---------------------------------------------------------------------- reading


def tables(fh: IO[bytes], wanted: Container[str] | None = None,
           order: list[str] | None = None, raw: Container[str] = ()
           ) -> Generator[tuple[str, Iterator[Row | str]], None, None]:
    """(table, its rows) for each table of the file at FH that is WANTED (None: all;
    `meta` always), in file order. In our line layout the other tables' lines are skipped
    unparsed, and reading stops after the last wanted table (the `tables` row of `meta`,
    the first table, names them); rows of RAW tables come as their JSON text, unparsed
    (a reader that decodes only the few it needs). A file parsed whole gives its tables
    in ORDER (others after, `meta` first) and every row parsed. Raises SnapshotError."""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
    try:
        head = text.readline()
        second = text.readline() if head == "{\n" else ""
        if second != '"meta":{\n':  # not our layout (stock TinyDB, pretty-printed …)
            rest = head + second + text.read()
            if rest.strip():  # else an empty file: an empty database, as TinyDB treats it
                yield from _whole(rest, wanted, order)
            return
        yield from _line_tables(text, wanted, second, raw)
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    finally:
        with contextlib.suppress(ValueError):  # FH may be closed already
            text.detach()


def table_names(fh: IO[bytes]) -> list[str]:
    """The file's tables: the `tables` row of `meta` when there is one (cheap), else every
    table's name (the whole file parsed). Raises SnapshotError."""
    with contextlib.closing(tables(fh, wanted=())) as found:
        for name, rows in found:
            for row in rows:
                if name != "meta" or not isinstance(row, dict):
                    continue
                listed = row.get("value")
                if row.get("key") == "tables" and type(listed) is list:
                    return [str(n) for n in listed]
    fh.seek(0)
    return [name for name, _ in tables(fh)]


class _Reading:
    """Where the line reader is: what the previous table's end said, what is still wanted."""

    def __init__(self) -> None:
        self.more = True  # the last table ended with a comma: another table follows
        self.remaining: list[str] | None = None  # wanted tables still ahead, once meta said


def _line_tables(fh: IO[str], wanted: Container[str] | None, header: str,
                 raw: Container[str]) -> Iterator[tuple[str, Iterator[Row | str]]]:
    state = _Reading()
    while True:
        found = _TABLE.fullmatch(header)
        if found is None or not state.more:
            raise SnapshotError("the file breaks off or has a line out of place")
        table = loads(found.group(1).join('""'))
        if state.remaining is not None and not state.remaining:
            return  # every wanted table has been read
        if wanted is None or table in wanted or table == "meta":
            rows = _texts(fh, table, state) if table in raw else _rows(fh, table, wanted, state)
            yield table, rows
            for _ in rows:  # what the caller left unread
                pass
        else:
            _skip(fh, table, state)
        if state.remaining is not None and table in state.remaining:
            state.remaining.remove(table)
        header = fh.readline()
        if header in ("}\n", "}"):
            if state.more:
                raise SnapshotError("a comma before the end of the database")
            if fh.read().strip():
                raise SnapshotError("text after the end of the database")
            return


def _rows(fh: IO[str], table: str, wanted: Container[str] | None, state: _Reading
          ) -> Iterator[Row]:
    """One table's rows, one per line, in a tight loop."""
    decode = _DECODER.raw_decode
    doc_id_at = _DOC_ID.match
    meta = table == "meta" and wanted is not None
    comma = None  # after the header: a row or the table's end may follow
    for line in fh:
        found = doc_id_at(line)
        if found is None:
            _end(line, table, comma, state)
            return
        if comma is False:
            raise SnapshotError(f"table {table!r}: a row follows a row without a comma")
        try:
            row, end = decode(line, found.end())
        except RecursionError:
            raise SnapshotError("JSON nested too deeply") from None
        except ValueError as exc:
            raise SnapshotError(f"table {table!r}: not JSON ({exc})") from None
        rest = len(line) - end  # what follows the row: "\n", ",\n", or nothing at the end
        comma = rest == 2 and line[end] == ","
        if not (comma or rest == 1 or rest == 0) or (rest == 1 and line[end] != "\n"):
            raise SnapshotError(f"table {table!r}: text after a row")
        if type(row) is not dict:
            raise SnapshotError(f"row {found.group(1)} of table {table!r} is not an object")
        if meta and row.get("key") == "tables":
            listed = row.get("value")
            if type(listed) is list:
                state.remaining = [t for t in listed if t in wanted]  # type: ignore[operator]
        yield row
    raise SnapshotError(f"the file breaks off inside table {table!r}")


def _texts(fh: IO[str], table: str, state: _Reading) -> Iterator[Row | str]:
    """One table's rows as their JSON text (checked only for their doc id)."""
    doc_id_at = _DOC_ID.match
    comma = None
    for line in fh:
        found = doc_id_at(line)
        if found is None:
            _end(line, table, comma, state)
            return
        comma = line.endswith(",\n")
        yield line[found.end():len(line) - 1 - comma]
    raise SnapshotError(f"the file breaks off inside table {table!r}")


def _skip(fh: IO[str], table: str, state: _Reading) -> None:
    comma = None
    for line in fh:
        if line.startswith('"'):
            comma = line.endswith(",\n")
            continue
        _end(line, table, comma, state)
        return
    raise SnapshotError(f"the file breaks off inside table {table!r}")


def _end(line: str, table: str, comma: bool | None, state: _Reading) -> None:
    if line.startswith('"'):
        raise SnapshotError(f"a row of table {table!r} has a doc id that is not a number")
    if line not in ("}\n", "},\n") or comma:
        raise SnapshotError(f"table {table!r}: a line out of place")
    state.more = line == "},\n"


def _whole(text: str, wanted: Container[str] | None, order: list[str] | None
           ) -> Iterator[tuple[str, Iterator[Row]]]:
    data = loads(text)
    if type(data) is not dict:
        raise SnapshotError("expected an object of tables")
    rank = {name: n for n, name in enumerate(["meta", *(order or ())])}
    names = sorted(data, key=lambda name: rank.get(name, len(rank)))
    for name in names:
        table = data.pop(name)  # let each table go once it has been read
        if type(table) is not dict:
            raise SnapshotError(f"table {name!r} is not an object of rows")
        for doc_id, row in table.items():
            if not doc_id.isdigit():
                raise SnapshotError(f"row {doc_id!r} of table {name!r}: a doc id must be a "
                                    "number")
            if type(row) is not dict:
                raise SnapshotError(f"row {doc_id} of table {name!r} is not an object")
        if wanted is None or name in wanted or name == "meta":
            yield name, iter(table.values())
