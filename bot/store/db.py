"""One TinyDB instance over the atomic storage, with keyed tables and one-write commits.

Every table row carries its own key (an item id, an event id …); `Db` keeps a
key -> doc id index per table, so a change never searches a table. `commit`
applies any number of row upserts and deletes across tables as a single file
write: it runs TinyDB's table operations inside `storage.batch()`, each table
touched at most three times (update, insert, remove) whatever the number of
rows, and the storage serialises only the rows those operations changed.

Reads (`rows`, `keys`) come from TinyDB's in-memory documents: callers must
not mutate what they get, and copy what they keep and change later.

The schema version lives in table `meta`; older files are migrated on open,
newer ones are refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, KeysView, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from bot.errors import StorageError
from bot.store.storage import AtomicJSONStorage

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

Row = dict[str, Any]
Changes = Mapping[str, Mapping[str, Row | None]]  # table -> key -> row, or None to delete


def _migrate_0_to_1(tables: dict[str, list[Row]]) -> None:
    """Version 0 is a file without `meta` (an empty or pre-versioning file): nothing to move."""


MIGRATIONS: dict[int, Callable[[dict[str, list[Row]]], None]] = {0: _migrate_0_to_1}


class Db:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tiny = TinyDB(str(path), storage=AtomicJSONStorage, keys=KEYS)
        self.storage: AtomicJSONStorage = self.tiny.storage  # type: ignore[assignment]
        self._doc_ids: dict[str, dict[str, int]] = {}
        self._index()
        self._check_schema()

    def close(self) -> None:
        self.tiny.close()

    # ------------------------------------------------------------------ reading

    def rows(self, table: str) -> Iterable[Row]:
        """The stored rows of a table, straight from memory (do not mutate them)."""
        return (self.storage.read().get(table) or {}).values()

    def keys(self, table: str) -> KeysView[str]:
        return self._doc_ids.get(table, {}).keys()

    # ------------------------------------------------------------------ writing

    def commit(self, changes: Changes) -> None:
        """Apply all changes as ONE file write; on failure memory stays as the file is,
        and StorageError says why."""
        if not any(changes.values()):
            return
        try:
            with self.storage.batch():
                for table, rows in changes.items():
                    if rows:
                        self._apply(table, rows)
        except BaseException:
            self._index()  # memory was reloaded from the file; doc ids handed out are void
            raise

    def _apply(self, table: str, rows: Mapping[str, Row | None]) -> None:
        t = self.tiny.table(table)
        ids = self._doc_ids.setdefault(table, {})
        updates = {ids[k]: row for k, row in rows.items() if row is not None and k in ids}
        inserts = [(k, row) for k, row in rows.items() if row is not None and k not in ids]
        deletes = [ids.pop(k) for k, row in rows.items() if row is None and k in ids]
        if updates:

            def replace(doc: MutableMapping[str, Any]) -> None:
                new = by_key[doc[key]]
                doc.clear()
                doc.update(new)

            key = KEYS[table]
            by_key = {row[key]: row for row in updates.values()}
            t.update(replace, doc_ids=list(updates))
            self.storage.changed(table, updates)  # TinyDB updates documents in place
        if inserts:
            new_ids = t.insert_multiple(row for _, row in inserts)
            ids.update(zip((k for k, _ in inserts), new_ids, strict=True))
        if deletes:
            t.remove(doc_ids=deletes)
            self.storage.changed(table, deletes)

    # ------------------------------------------------------------------ housekeeping

    def _index(self) -> None:
        """Key -> doc id for every known table, from the rows in memory."""
        self._doc_ids = {}
        for table, docs in self.storage.read().items():
            key = KEYS.get(table)
            if key is None:
                continue  # a table we do not know (written by someone else): left alone
            # every row has its key: storage.parse checked it
            self._doc_ids[table] = {doc[key]: int(doc_id) for doc_id, doc in docs.items()}
        for table in self.tiny.tables():
            self.tiny.table(table).clear_cache()

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
        tables = {t: [dict(r) for r in self.rows(t)] for t in KEYS}
        for v in range(version, SCHEMA_VERSION):
            log.warning("database %s: migrating schema %d -> %d", self.path, v, v + 1)
            MIGRATIONS[v](tables)
        tables["meta"] = [r for r in tables["meta"] if r.get("key") != "schema_version"]
        tables["meta"].append({"key": "schema_version", "value": SCHEMA_VERSION})
        self.commit({t: {r[KEYS[t]]: r for r in rows} for t, rows in tables.items()})
