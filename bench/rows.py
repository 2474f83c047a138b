"""The rows a commit changed, and SQLite writing the same rows.

"The size of the changed rows" is the yardstick for bytes written: the compact
JSON of every row the store handed its database to commit (table -> key ->
row; the key alone for a deleted row), captured by wrapping the store's
database object's `commit(changes, …)` — the one place the bench looks inside
the store. A store without it makes these figures "not available" rather than
wrong. Several commits in one window (a tick of 20 polls today) are merged,
the last version of a row counting once.

`SqliteReference` is the obvious alternative measured on the same rows: stdlib
sqlite3 in WAL mode with synchronous=FULL (an fsync per commit, like ours),
holding the store's rows (every row its commits wrote while it was built),
writing a change in one transaction.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Key = tuple[str, str]


def dumps(row: object) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


class Change:
    """Rows changed by one or more commits: (table, key) -> row, or None when deleted."""

    def __init__(self) -> None:
        self.rows: dict[Key, dict[str, Any] | None] = {}
        self.commits = 0

    def add(self, changes: Mapping[str, Mapping[str, Any]]) -> None:
        self.commits += 1
        for table, rows in changes.items():
            for key, row in (rows or {}).items():
                self.rows[(table, str(key))] = dict(row) if row is not None else None

    @property
    def bytes(self) -> int:
        return sum(len(dumps(row).encode()) if row is not None else len(key.encode())
                   for (_, key), row in self.rows.items())

    def describe(self) -> str:
        by_table: dict[str, int] = {}
        for table, _ in self.rows:
            by_table[table] = by_table.get(table, 0) + 1
        parts = ", ".join(f"{n} {t}" for t, n in sorted(by_table.items()))
        return f"{parts or 'no rows'} in {self.commits} commit(s)"


class CommitLog:
    """Records what the store's database commits while installed (a context manager).

    `available` is False when the store has no database object with `commit`.
    """

    def __init__(self, store: object) -> None:
        self.db = getattr(store, "_db", None)
        self.available = callable(getattr(self.db, "commit", None))
        self.change = Change()
        self._real: Callable[..., Any] | None = None

    def __enter__(self) -> CommitLog:
        if self.available:
            real = self.db.commit  # type: ignore[union-attr]

            def commit(changes: Mapping[str, Mapping[str, Any]], *args: Any,
                       **kwargs: Any) -> Any:
                result = real(changes, *args, **kwargs)
                self.change.add(changes)  # only what was committed
                return result

            self._real = real
            self.db.commit = commit  # type: ignore[union-attr]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._real is not None:
            del self.db.commit  # type: ignore[union-attr]  # the class's method again
            self._real = None

    def take(self) -> Change | None:
        """What was committed since the last take (None when unavailable)."""
        if not self.available:
            return None
        change, self.change = self.change, Change()
        return change


class SqliteReference:
    """A SQLite file holding a store's rows; times writing a change into it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")

    @classmethod
    def create(cls, path: Path, rows: Change) -> SqliteReference:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        ref = cls(path)
        ref.conn.execute("CREATE TABLE rows (tbl TEXT, key TEXT, doc TEXT, "
                         "PRIMARY KEY (tbl, key)) WITHOUT ROWID")
        ref.conn.execute("BEGIN")
        ref.conn.executemany("INSERT INTO rows VALUES (?, ?, ?)",
                             ((t, k, dumps(r)) for (t, k), r in rows.rows.items()
                              if r is not None))
        ref.conn.execute("COMMIT")
        ref.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return ref

    @classmethod
    def copy(cls, source: Path, dest: Path) -> SqliteReference:
        for leftover in dest.parent.glob(dest.name + "*"):
            leftover.unlink()
        shutil.copyfile(source, dest)
        return cls(dest)

    def write(self, change: Change) -> tuple[float, float]:
        """(CPU, wall) seconds to write CHANGE in one transaction, serialising included."""
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)",
                              ((t, k, dumps(r)) for (t, k), r in change.rows.items()
                               if r is not None))
        self.conn.executemany("DELETE FROM rows WHERE tbl = ? AND key = ?",
                              [k for k, r in change.rows.items() if r is None])
        self.conn.execute("COMMIT")
        return time.thread_time() - cpu0, time.perf_counter() - wall0

    def close(self) -> None:
        self.conn.close()
