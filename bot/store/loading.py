"""Reading the database: snapshot rows with the journal's changes applied, table by table.

A `Plan` is one way to read the database: a snapshot file plus the journals to
replay over it (normally `<db>` + `<db>.journal`; when recovering, `.bak` +
`.bak.journal` + `<db>.journal`). `Plan.tables()` yields `(table, rows)` in
the snapshot's order, each table's rows as an iterator (journal inserts after
the snapshot's rows, tables only the journal has at the end), so a builder can
turn each row into its own objects and drop it. It remembers where the last
row came from (`origin`), so that when the builder refuses a row the storage
knows whether the snapshot or a journal commit is to blame.

Meta rows `generation` and `tables` belong to the storage: they are read here
and not passed on.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from bot.store import journal, snapshot
from bot.store.snapshot import Row, SnapshotError

STORAGE_META = ("generation", "tables")
Origin = str | tuple[int, int]  # "snapshot", or (journal index, commit number)


class Bad(ValueError):
    """A row or file the builder cannot use, and where it came from."""

    def __init__(self, origin: Origin, reason: str) -> None:
        super().__init__(reason)
        self.origin = origin
        self.reason = reason


class Plan:
    def __init__(self, path: Path, journals: list[journal.Replay], *, keys: Mapping[str, str],
                 wanted: set[str] | None, strict_generations: bool = False,
                 raw: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.journals = journals
        self.keys = keys
        self.wanted = None if wanted is None else {*wanted, "meta"}
        self.strict = strict_generations
        self.raw = raw  # tables whose snapshot rows stay JSON text (snapshot.tables)
        self.generation = 0
        self.origin: Origin = "snapshot"

    def applicable(self) -> bool:
        """Recovery plans need each journal present (a missing one breaks the chain)."""
        return all(j.generation is not None and not j.damage for j in self.journals)

    def tables(self) -> Iterator[tuple[str, Iterator[Row]]]:
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            yield from self._tables(iter(()))
            return
        except OSError as exc:
            raise Bad("snapshot", f"cannot be read ({exc.strerror or exc})") from exc
        with fh:
            try:
                yield from self._tables(snapshot.tables(fh, self.wanted, list(self.keys),
                                                        self.raw))
            except SnapshotError as exc:
                raise Bad("snapshot", str(exc)) from None
            except OSError as exc:
                raise Bad("snapshot", f"cannot be read ({exc})") from None

    def _tables(self, tables: Iterator[tuple[str, Iterator[Row | str]]]
                ) -> Iterator[tuple[str, Iterator[Row]]]:
        first = next(tables, None)
        meta: list[Row] = []
        if first is not None and first[0] == "meta":
            meta = [r for r in first[1] if isinstance(r, dict)]
            first = None
        self.generation = _meta_int(meta, "generation")
        changes = self._changes()
        yield "meta", self._merge("meta", (r for r in meta if r.get("key") not in STORAGE_META),
                                  changes)
        for name, rows in itertools.chain([first] if first else [], tables):
            yield name, self._merge(name, rows, changes)
        rank = {name: n for n, name in enumerate(self.keys)}
        for name in sorted(changes, key=lambda n: rank.get(n, len(rank))):
            if self.wanted is None or name in self.wanted:
                yield name, self._merge(name, iter(()), changes)

    def _changes(self) -> dict[str, dict[str, tuple[Row | None, Origin]]]:
        """The journals' changes, latest per key, each with the commit it came from."""
        merged: dict[str, dict[str, tuple[Row | None, Origin]]] = {}
        expected = self.generation
        for n, replay in enumerate(self.journals):
            if replay.generation is None:
                continue
            if replay.generation < expected and not self.strict:
                continue  # stale: compaction folded it into this snapshot already
            if replay.generation != expected:
                raise Bad("snapshot", f"generation {self.generation} does not continue into "
                          f"its journal's generation {replay.generation}")
            for table, rows in replay.changes.items():
                slot = merged.setdefault(table, {})
                for key, row in rows.items():
                    slot[key] = (row, (n, replay.commit_of.get((table, key), 0)))
            expected += 1
        return merged

    def _merge(self, table: str, rows: Iterator[Any],
               changes: dict[str, dict[str, tuple[Row | None, Origin]]]) -> Iterator[Row]:
        self.origin = "snapshot"
        mine = changes.pop(table, None)
        if not mine:  # the common case: nothing of this table in the journal
            yield from rows
            return
        field = self.keys.get(table) or ("key" if table == "meta" else None)
        for row in rows:
            self.origin = "snapshot"
            if field is not None:
                key = raw_key(row, field) if type(row) is str else row.get(field)
                if type(key) is not str:
                    raise Bad("snapshot", f"a row of table {table!r} has no {field!r}")
                if key in mine:
                    row, self.origin = mine.pop(key)
                    if row is None:
                        continue
            yield row
        for row, origin in mine.values():
            if row is not None:
                self.origin = origin
                yield row


def raw_key(text: str, field: str) -> Any:
    """FIELD of the row whose JSON TEXT this is; our rows start with their key field, so
    this seldom parses more than that."""
    head = f'{{"{field}":"'
    if text.startswith(head):
        with contextlib.suppress(ValueError):
            return scanstring(text, len(head))[0]
    try:
        row = snapshot.loads(text)
    except SnapshotError as exc:
        raise Bad("snapshot", str(exc)) from None
    return row.get(field) if type(row) is dict else None


def _meta_int(meta: list[Row], key: str) -> int:
    for row in meta:
        if row.get("key") == key and type(row.get("value")) is int:
            return int(row["value"])
    return 0
