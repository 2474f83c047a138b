"""Keyed tables of JSON rows in TinyDB's file layout, with one-write commits.

Every table row carries its own key (an item id, an event id …). Rows are kept
as their JSON text (`layout`), not as dicts: the store holds the live objects
(events, drugs …) in its own indices, so keeping a second, dict copy of every
row would double the memory. `commit` applies any number of row upserts and
deletes across tables as a single atomic file write; only the changed rows are
serialised, the rest are joined as they are. Memory is updated only after the
write succeeded, so it never runs ahead of the disk and needs no rollback.

The file stays in TinyDB's layout (tables of doc id → row, doc ids are
integers), so `TinyDB(path)` still opens it. The schema version lives in
table `meta`; older files are migrated on open, newer ones are refused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, KeysView, Mapping
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from bot.errors import StorageError
from bot.store import layout
from bot.store.storage import AtomicFile

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
KEYS: dict[str, str] = {  # table -> the field that is its primary key
    "meta": "key",
    "items": "id",
    "events": "id",
    "drugs": "id",
    "deliveries": "id",
    "subscriptions": "id",
    "digest": "channel",
    "sources": "name",
}

ROWS_PER_CHUNK = 1000
Row = dict[str, Any]
Changes = Mapping[str, Mapping[str, Row | None]]  # table -> key -> row, or None to delete


def _migrate_0_to_1(tables: dict[str, list[Row]]) -> None:
    """Version 0 is a file without `meta` (an empty or pre-versioning file): nothing to move."""


MIGRATIONS: dict[int, Callable[[dict[str, list[Row]]], None]] = {0: _migrate_0_to_1}


class Db:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.storage: AtomicFile[layout.Tables] = AtomicFile(path, partial(layout.scan, keys=KEYS))
        self._tables = self.storage.content
        self.storage.content = {}  # ours now; do not keep a second reference
        self._next_id = {t: _next_doc_id(rows) for t, rows in self._tables.items()}
        self._check_schema()

    def close(self) -> None:
        """Nothing to release: the file is only open while being written."""

    # ------------------------------------------------------------------ reading

    def rows(self, table: str) -> Iterator[Row]:
        """The stored rows of a table, decoded afresh (callers keep their own objects)."""
        for text in (self._tables.get(table) or {}).values():
            yield json.loads(layout.split(text)[1])

    def keys(self, table: str) -> KeysView[str]:
        return (self._tables.get(table) or {}).keys()

    # ------------------------------------------------------------------ writing

    def commit(self, changes: Changes) -> None:
        """Apply all changes as ONE file write; on failure nothing changes, in memory or on
        disk, and StorageError says why."""
        staged: dict[str, dict[str, str]] = {}
        next_ids = dict(self._next_id)
        for table, rows in changes.items():
            if not rows:
                continue
            old = self._tables.get(table) or {}
            new = staged[table] = dict(old)
            for key, row in rows.items():
                if row is None:
                    new.pop(key, None)
                    continue
                if key in old:
                    doc_id: int | str = layout.split(old[key])[0]
                else:
                    doc_id = next_ids.get(table, 1)
                    next_ids[table] = doc_id + 1
                try:
                    new[key] = layout.member(doc_id, row)
                except (TypeError, ValueError) as exc:
                    raise StorageError(str(self.path), f"cannot serialise data: {exc}") from exc
        if not staged:
            return
        self.storage.write(_chunks({**self._tables, **staged}))
        self._tables.update(staged)
        self._next_id = next_ids

    # ------------------------------------------------------------------ housekeeping

    def _check_schema(self) -> None:
        meta = {row["key"]: row.get("value") for row in self.rows("meta")}
        empty = not any(self.keys(t) for t in KEYS)
        version = meta.get("schema_version", SCHEMA_VERSION if empty else 0)
        if not isinstance(version, int):
            raise StorageError(str(self.path), f"schema_version {version!r} is not a number")
        if version > SCHEMA_VERSION:
            raise StorageError(
                str(self.path),
                f"written by a newer holdwatch (schema {version}); this one knows schema "
                f"{SCHEMA_VERSION}: upgrade or point BOT_DB_PATH elsewhere",
            )
        if version == SCHEMA_VERSION and "schema_version" in meta:
            return
        tables = {t: list(self.rows(t)) for t in KEYS}
        for v in range(version, SCHEMA_VERSION):
            log.warning("database %s: migrating schema %d -> %d", self.path, v, v + 1)
            MIGRATIONS[v](tables)
        tables["meta"] = [r for r in tables["meta"] if r.get("key") != "schema_version"]
        tables["meta"].append({"key": "schema_version", "value": SCHEMA_VERSION})
        self.commit({t: {r[KEYS[t]]: r for r in rows} for t, rows in tables.items()})


def _next_doc_id(rows: Mapping[str, str]) -> int:
    ids = (layout.split(text)[0] for text in rows.values())
    return max((int(i) for i in ids if i.isdigit()), default=0) + 1


def _chunks(tables: Mapping[str, Mapping[str, str]]) -> Iterator[str]:
    """The file's text in blocks of rows: a whole table as one string would cost its size
    again in memory (four times over if one row holds a character beyond U+FFFF)."""
    yield "{"
    for n, (table, rows) in enumerate(tables.items()):
        yield f"{',' if n else ''}{layout.dumps(table)}:{{"
        values = iter(rows.values())
        sep = ""
        while block := list(islice(values, ROWS_PER_CHUNK)):
            yield sep + ",".join(block)
            sep = ","
        yield "}"
    yield "}"
