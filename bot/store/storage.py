"""TinyDB's storage for our database file: atomic, batched, and cheap to serialise.

TinyDB's core reads and writes the whole database through a `Storage`
(`read()` -> dict of tables, `write(dict)`). `AtomicJSONStorage` is that
storage, in TinyDB's JSON layout (`{"<table>": {"<doc id>": {row}}}`), so
stock `TinyDB(path)` opens our file and we open files stock TinyDB wrote:

- `read()` serves the data from memory: it is parsed once, at open (one
  process owns the file; docs/DEPENDENCIES.md, "TinyDB 4.9" — and why not CachingMiddleware:
  it flushes in place, non-atomically, and only every N writes);
- every physical write goes through `atomicfile.AtomicFile` (temp file in the
  same folder, fsync, `os.replace`, fsync the folder, `.bak` = the previous
  generation; a corrupt file is moved aside on open and `.bak` loaded, with
  `recovery` saying so);
- `with storage.batch():` makes any number of TinyDB table operations one
  physical write, at the end of the batch. If the block or the write fails,
  memory is reloaded from the file (which the failed write left intact), so
  memory is never ahead of the disk, and `StorageError` says why;
- serialisation is incremental: each row's JSON text is kept from the last
  write, and only new or changed rows are serialised; the file is the join of
  the texts (in blocks). This relies on how TinyDB's core writes: a table
  operation replaces that table's dict (so untouched tables are the very dicts
  of the last write), inserts append new doc ids, and `update` changes
  documents *in place* — so whoever updates or removes rows tells the storage
  with `changed()` (db.Db does). A table changed behind our back is caught by
  its row count and compared key by key.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from itertools import islice, takewhile
from typing import Any

from tinydb.storages import Storage

from bot.errors import StorageError
from bot.store.atomicfile import AtomicFile

log = logging.getLogger(__name__)

Data = dict[str, dict[str, dict[str, Any]]]  # table -> doc id -> row
# table -> (the table's dict the texts were made from, doc id -> '"<doc id>":{row}')
Texts = dict[str, tuple[dict[str, Any], dict[str, str]]]

ROWS_PER_CHUNK = 1000


def dumps(value: object) -> str:
    """Compact JSON, non-ASCII kept as is (the file is UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parse(text: str, keys: Mapping[str, str]) -> Data:
    """The file's tables, or ValueError when it is not a TinyDB database whose rows carry
    their table's key field (KEYS: table -> field; other tables are not checked)."""
    data = json.loads(text)  # JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("expected an object of tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object of rows")
        field = keys.get(name)
        for doc_id, row in table.items():
            if not isinstance(row, dict):
                raise ValueError(f"row {doc_id} of table {name!r} is not an object")
            if field and not isinstance(row.get(field), str):
                raise ValueError(f"row {doc_id} of table {name!r} has no {field!r}")
    return data


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], keys: Mapping[str, str] | None = None) -> None:
        """Open PATH; KEYS (table -> key field) lets open reject a file of foreign rows."""
        self.file = AtomicFile(path, partial(parse, keys=keys or {}))
        self._data: Data = self.file.content
        self.file.content = {}  # ours now; do not keep a second reference
        self._texts: Texts = {}  # what the file holds, row by row (filled by each write)
        self._stale: dict[str, set[str]] = {}  # table -> doc ids changed since the last write
        self._depth = 0
        self._dirty = False

    @property
    def writes(self) -> int:
        """Physical file writes so far, for tests and the benchmark."""
        return self.file.writes

    @property
    def recovery(self) -> str | None:
        """What open had to do to a damaged file, None when all was well."""
        return self.file.recovery

    # ------------------------------------------------------------------ TinyDB API

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
        if self._depth:
            self._dirty = True
        else:
            self._save()

    def close(self) -> None:
        """Nothing to release: the file is only open while being written."""

    # ------------------------------------------------------------------ batching

    def changed(self, table: str, doc_ids: Iterable[int | str]) -> None:
        """These documents were updated in place or removed: their cached text is stale."""
        self._stale.setdefault(table, set()).update(str(i) for i in doc_ids)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect every write inside the block into one file write at its end; if the
        block raises or the write fails, memory goes back to what the file holds."""
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if not self._depth:
                self.rollback()
            raise
        self._depth -= 1
        if not self._depth and self._dirty:
            self._save()

    def rollback(self) -> None:
        """Forget unwritten changes: memory becomes the file's content again."""
        self._dirty = False
        self._texts = {}  # texts may be half brought up to date: start afresh
        self._stale = {}
        try:
            self._data = self.file.load()
        except StorageError as exc:  # cannot happen unless someone damaged the file under us
            log.error("database %s: memory may hold unwritten changes: %s", self.file.path, exc)

    # ------------------------------------------------------------------ writing

    def _save(self) -> None:
        self._dirty = False
        try:
            self.file.write(self._chunks())
        except (TypeError, ValueError) as exc:
            self.rollback()
            raise StorageError(str(self.file.path), f"cannot serialise data: {exc}") from exc
        except BaseException:
            self.rollback()
            raise

    def _chunks(self) -> Iterator[str]:
        """The file's text in blocks of rows (a table as one string could cost its size
        again in memory, four times over if a row holds a character beyond U+FFFF)."""
        yield "{"
        for n, (table, rows) in enumerate(self._data.items()):
            yield f"{',' if n else ''}{dumps(table)}:{{"
            values = iter(self._texts_of(table, rows).values())
            sep = ""
            while block := list(islice(values, ROWS_PER_CHUNK)):
                yield sep + ",".join(block)
                sep = ","
            yield "}"
        yield "}"

    def _texts_of(self, table: str, rows: dict[str, Any]) -> dict[str, str]:
        """Doc id -> member text of ROWS, brought up to date from the last write's.

        TinyDB gives a table a new dict whenever one of its operations touched it, so an
        untouched table is the same dict as last time and its texts are reused whole.
        Otherwise only the difference is serialised, without a Python loop over every
        row: rows `changed()` (updated in place, or removed) are redone or dropped, and
        new rows are the ones TinyDB appended at the end of the table. If the counts then
        disagree, someone changed the table without telling us: compare all keys."""
        made_from, texts = self._texts.get(table) or (None, {})
        stale = self._stale.pop(table, set())
        if made_from is rows and not stale:
            return texts
        for doc_id in stale & texts.keys():
            if doc_id in rows:
                texts[doc_id] = _member(doc_id, rows[doc_id])
            else:
                del texts[doc_id]
        new = list(takewhile(lambda doc_id: doc_id not in texts, reversed(rows)))
        texts.update((doc_id, _member(doc_id, rows[doc_id])) for doc_id in reversed(new))
        if len(texts) != len(rows):
            for doc_id in texts.keys() - rows.keys():
                del texts[doc_id]
            for doc_id in sorted(rows.keys() - texts.keys(), key=_doc_order):
                texts[doc_id] = _member(doc_id, rows[doc_id])
        self._texts[table] = (rows, texts)
        return texts


def _member(doc_id: str, row: object) -> str:
    return f"{dumps(doc_id)}:{dumps(row)}"


def _doc_order(doc_id: str) -> tuple[int, str]:
    """Numeric doc ids in numeric order ("9" before "10"), without parsing them."""
    return len(doc_id), doc_id
