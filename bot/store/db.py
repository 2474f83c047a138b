"""The database as the store sees it: keyed tables in one TinyDB over the journaled storage.

`Db` owns a `tinydb.TinyDB` whose storage is `storage.JournaledStorage`, so the
file is a TinyDB database and TinyDB's own API works on it (for tools: its
reads materialise the whole database, its writes rewrite it). The store does
not go through TinyDB's `Table` for its traffic: a table operation copies the
whole table (`Table._update_table`), which made a commit's cost grow with the
store. Instead:

- `load(build)` streams the tables to the store's builder (`meta` and tables
  holdwatch does not know are handled here: the schema version is checked,
  unknown tables are kept verbatim and written back by every compaction);
- `commit(changes, snapshot)` appends the changed rows (table -> key -> row, or
  None to delete) to the journal: one durable write. When the journal has
  grown to half the snapshot, the store's current state (`snapshot()`: every
  table's rows) is written as a fresh snapshot; if that fails, the commit
  still stands and compaction is tried again later.

Schema versions: 1 kept every seen item as a row with a timestamp; 2 keeps a
day per recent item and packs older ones into the `seen` table (seen.py). Rows
of both read the same way, so an older file is simply rewritten at open; a
newer one is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB

from bot.errors import StorageError
from bot.store.loading import Bad
from bot.store.snapshot import dumps
from bot.store.storage import JournaledStorage, Tables

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# table -> the field that is its primary key, in the order tables are written: small
# tables first, so a reader that needs only some of them stops early (snapshot.py)
KEYS: dict[str, str] = {
    "meta": "key",
    "sources": "name",
    "subscriptions": "id",
    "digest": "channel",
    "drugs": "id",
    "events": "id",
    "deliveries": "id",
    "seen": "id",
    "items": "id",
}

Row = dict[str, Any]
Changes = Mapping[str, Mapping[str, Row | None]]  # table -> key -> row, or None to delete
Snapshot = Callable[[], Iterable[tuple[str, Iterable[str]]]]  # table -> its rows' JSON texts
M = TypeVar("M")


class Db:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.tiny = TinyDB(path, storage=JournaledStorage, keys=KEYS, read_only=read_only)
        self.storage: JournaledStorage = self.tiny.storage  # type: ignore[assignment]
        self.path = self.storage.path  # the real path (symlinks resolved)
        self.meta: dict[str, Row] = {}  # meta rows by key (schema_version and any others)
        self.foreign: dict[str, list[Row]] = {}  # tables we do not know: kept as they are
        self.migrating = False

    def close(self) -> None:
        self.tiny.close()

    @property
    def writes(self) -> int:
        return self.storage.writes

    # ------------------------------------------------------------------ reading

    def load(self, build: Callable[[Tables], M], wanted: set[str] | None = None, *,
             repair: bool = True, raw: frozenset[str] = frozenset()) -> M:
        """BUILD over the known tables (WANTED only, when given), after the schema check;
        REPAIR and RAW as in `JournaledStorage.load`."""

        def known(tables: Tables) -> M:
            return build(self._known(tables))

        return self.storage.load(known, wanted, repair=repair, raw=raw)

    def _known(self, tables: Tables) -> Tables:
        self.meta, self.foreign = {}, {}
        for name, rows in tables:
            if name == "meta":
                self.meta = {row["key"]: row for row in rows}
                self._check_schema()
            elif name in KEYS:
                yield name, rows
            else:
                self.foreign[name] = list(rows)

    def _check_schema(self) -> None:
        stamp = self.meta.get("schema_version")
        if stamp is not None:
            version = stamp.get("value")
        else:  # written before versions were stamped, or a new database
            version = 0 if self.storage.path.exists() else SCHEMA_VERSION
        if type(version) is not int:
            raise Bad("snapshot", f"schema_version {version!r} is not a number")
        if version > SCHEMA_VERSION:
            raise StorageError(
                str(self.storage.requested),
                f"written by a newer holdwatch (schema {version}); this one knows schema "
                f"{SCHEMA_VERSION}: upgrade or point BOT_DB_PATH elsewhere",
            )
        self.migrating = version < SCHEMA_VERSION
        if self.migrating:
            log.warning("database %s: schema %d -> %d: rewriting it", self.path, version,
                        SCHEMA_VERSION)

    # ------------------------------------------------------------------ writing

    def commit(self, changes: Changes, snapshot: Snapshot) -> None:
        """CHANGES as one durable write; compacts when the journal is due (or must)."""
        if not any(changes.values()):
            return
        if self.storage.must_compact or self.migrating:
            self.compact(snapshot)
            return
        self.storage.append({t: rows for t, rows in changes.items() if rows})
        if self.storage.compaction_due():
            try:
                self.compact(snapshot)
            except StorageError as exc:  # the commit is safe in the journal; retry later
                log.warning("database %s: compaction postponed: %s", self.path, exc)

    def compact(self, snapshot: Snapshot) -> None:
        """Write the current state (SNAPSHOT's tables, plus meta and foreign tables) as the
        next snapshot and start an empty journal."""
        meta = {**self.meta, "schema_version": {"key": "schema_version",
                                                "value": SCHEMA_VERSION}}
        tables: list[tuple[str, Iterable[str]]] = [("meta", [dumps(r) for r in meta.values()])]
        tables += [(name, texts) for name, texts in snapshot() if name != "meta"]
        tables += [(name, (dumps(r) for r in rows)) for name, rows in self.foreign.items()]
        self.storage.compact(tables)
        self.meta = meta
        self.migrating = False

    def needs_compaction(self) -> bool:
        """Load repaired or migrated the file: write a clean snapshot before anything else."""
        return self.storage.must_compact or self.migrating


def rows_of(tables: Tables) -> Iterator[tuple[str, Row]]:
    """(table, row) pairs, for builders that do not care about grouping."""
    for name, rows in tables:
        for row in rows:
            yield name, row
