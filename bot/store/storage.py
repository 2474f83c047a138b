"""The journaled TinyDB storage: a snapshot in TinyDB's layout plus a journal of commits.

Files, for `BOT_DB_PATH=data/holdwatch.json`:

- `holdwatch.json` — the snapshot: TinyDB's JSON layout, one row per line
  (snapshot.py), so stock `TinyDB(path)` opens it. It is rewritten only by a
  compaction (atomicfile.py: temp file, fsync, atomic replace), which runs when
  the journal has grown to half the snapshot's size and at `close()`.
- `holdwatch.json.journal` — each commit since that snapshot, appended with one
  fsync (journal.py): a commit writes the rows it changed, not the store.
- `holdwatch.json.bak` + `.bak.journal` — the previous snapshot and the journal
  that leads from it to the current one: a second, independent copy.

Nothing is kept here between calls: `load(build)` streams the merged rows
(snapshot rows with the journal's changes applied) table by table to BUILD,
which keeps what it needs in its own form — so the rows are never held twice.
A writer's `load` also recovers: a snapshot that does not parse or whose rows
BUILD refuses (a `ValueError`) is replaced by `.bak` + journals, the damaged file
moved aside and `recovery` saying so; with no good copy it raises one-line
`StorageError` and touches nothing. A damaged journal keeps its good commits.

It is also a real `tinydb.storages.Storage`: `TinyDB(path, storage=JournaledStorage)`
reads snapshot + journal (`read()` materialises them) and writes by compacting.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tinydb.storages import Storage

from bot.errors import StorageError
from bot.store import dbpath, journal, snapshot
from bot.store.atomicfile import AtomicFile
from bot.store.loading import Bad, Plan
from bot.store.snapshot import Row, dumps

log = logging.getLogger(__name__)

M = TypeVar("M")
Tables = Iterator[tuple[str, Iterator[Row]]]
COMPACT_MIN_BYTES = 256 * 1024  # below this a journal is never worth a compaction


class JournaledStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], keys: Mapping[str, str] | None = None,
                 *, read_only: bool = False) -> None:
        """PATH as the user gave it; KEYS: table -> its key field (others kept verbatim)."""
        self.requested = Path(path)
        self.keys = dict(keys or {})
        self.read_only = read_only
        self.path = dbpath.resolve(self.requested, create=not read_only)
        if not read_only:
            reason = dbpath.not_ours(self.path, set(self.keys))
            if reason:
                raise StorageError(str(self.requested), f"{reason}; move it away or set "
                                   f"{dbpath.SETTING} to another file")
        self.file = AtomicFile(self.path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.bak_journal_path = self.path.with_name(self.path.name + ".bak.journal")
        self.generation = 0
        self.journal: journal.Journal | None = None
        self.recovery: str | None = None  # what load had to repair, None when all was well
        self.must_compact = False  # load repaired something: write a clean snapshot now
        self.appends = 0
        self.bytes_written = 0
        self._identity: tuple[int, int] | None = None
        self._repair = not read_only
        self._raw: frozenset[str] = frozenset()
        self._data: dict[str, dict[str, Row]] | None = None

    # ------------------------------------------------------------------ reading

    def load(self, build: Callable[[Tables], M], wanted: set[str] | None = None, *,
             repair: bool = True, raw: frozenset[str] = frozenset()) -> M:
        """BUILD's result over the database's tables (WANTED only, when given; `meta`
        always). Raises StorageError when no usable copy exists. Without REPAIR (a
        rollback after a failed write) nothing is moved or set aside."""
        self._repair = repair and not self.read_only
        self._raw = raw
        main = journal.read(self.journal_path, wanted)
        missing = not self.path.exists()
        plan = Plan(self.path, [main], keys=self.keys, wanted=wanted, raw=self._raw)
        if missing and main.generation is None:
            return self._done(build(plan.tables()), plan)  # a new database
        try:
            if missing:
                raise Bad("snapshot", "the file is missing but its journal is there")
            result = build(plan.tables())
        except Bad as bad:
            if bad.origin == "snapshot":
                return self._recover(build, wanted, main, bad.reason)
            return self._drop_commits(build, wanted, main, bad)
        except ValueError as exc:
            if plan.origin == "snapshot":
                return self._recover(build, wanted, main, str(exc))
            return self._drop_commits(build, wanted, main, Bad(plan.origin, str(exc)))
        if main.damage:
            self._note(f"its journal is damaged ({main.damage}); the {main.commits} commits "
                       "before that were kept, later changes are lost")
            self._set_aside(self.journal_path)
        return self._done(result, plan)

    def _drop_commits(self, build: Callable[[Tables], M], wanted: set[str] | None,
                      main: journal.Replay, bad: Bad) -> M:
        """A journal commit holds rows BUILD refused: keep the commits before it."""
        assert isinstance(bad.origin, tuple)
        commit = bad.origin[1]
        kept = journal.read(self.journal_path, wanted, upto=commit - 1)
        plan = Plan(self.path, [kept], keys=self.keys, wanted=wanted, raw=self._raw)
        try:
            result = build(plan.tables())
        except ValueError as exc:
            return self._recover(build, wanted, main, str(exc))
        self._note(f"commit {commit} of its journal is invalid ({bad.reason}); it and "
                   f"the {main.commits - commit} later commits were dropped")
        self._set_aside(self.journal_path)
        return self._done(result, plan)

    def _recover(self, build: Callable[[Tables], M], wanted: set[str] | None,
                 main: journal.Replay, problem: str) -> M:
        """The snapshot is unusable: try `.bak` with its journal (and the main journal,
        which continues the damaged snapshot), else refuse without touching anything."""
        bak_journal = journal.read(self.bak_journal_path, wanted)
        bak = self.file.bak_path
        for journals in ([bak_journal, main], [bak_journal], []):
            plan = Plan(bak, journals, keys=self.keys, wanted=wanted, strict_generations=True,
                        raw=self._raw)
            if not bak.exists() or not plan.applicable():
                continue
            try:
                result = build(plan.tables())
            except ValueError as exc:
                log.warning("database %s: the copy %s is unusable too: %s", self.path, bak.name,
                            exc)
                continue
            used = "" if main in journals else "; changes after it are lost"
            if not self._repair:
                log.warning("database %s is unusable (%s); reading %s instead", self.path,
                            problem, bak.name)
                return self._done(result, plan, recovered=True)
            aside = self.file.move_aside() if self.path.exists() else None
            if main not in journals and self.journal_path.exists():
                self.file.move_aside(self.journal_path)
            # else the journal is folded into the snapshot written next (must_compact)
            self._note(f"was unusable ({problem}); "
                       f"{f'moved it to {aside.name} and ' if aside else ''}loaded the last good "
                       f"copy {bak.name}{used}")
            return self._done(result, plan, recovered=True)
        raise StorageError(str(self.requested), f"is not a usable holdwatch database ({problem}) "
                           "and there is no good copy to restore; move it away or set "
                           f"{dbpath.SETTING} to another file")

    def _note(self, what: str) -> None:
        self.recovery = f"{self.path} {what}"
        self.must_compact = self._repair
        log.warning("database %s", self.recovery)

    def _set_aside(self, path: Path) -> None:
        if self._repair and path.exists():
            self.file.move_aside(path)

    def _done(self, result: M, plan: Plan, recovered: bool = False) -> M:
        if not self._repair:  # read-only, or a rollback: the files and our state stay
            return result
        self.generation = plan.generation
        last = plan.journals[-1] if plan.journals else journal.Replay()
        if self.journal is not None:
            self.journal.close()
        if recovered:  # appends wait for the snapshot `must_compact` asks for
            self.journal = journal.Journal(self.journal_path, self.generation, 0, 0)
        elif not self.journal_path.exists() or last.generation != self.generation:
            if self.journal_path.exists():  # a stale journal, folded into this snapshot
                os.replace(self.journal_path, self.bak_journal_path)
            self.journal = journal.Journal(self.journal_path, self.generation, 0, 0)
        else:
            self.journal = journal.Journal(self.journal_path, self.generation,
                                           last.good_bytes, last.commits)
        if not self.path.exists():
            self.must_compact = True  # a new database: write its first snapshot now
        self._identity = _identity(self.path)
        return result

    # ------------------------------------------------------------------ writing

    @property
    def writes(self) -> int:
        """Durable writes so far (journal appends and snapshots), for tests and bench."""
        return self.appends + self.file.writes

    @property
    def journal_bytes(self) -> int:
        return self.journal.size if self.journal else 0

    def compaction_due(self) -> bool:
        """The journal outgrew half the snapshot (or could not be repaired): compact."""
        if self.journal is None:
            return False
        if self.journal.broken:
            return True
        return self.journal.size > max(COMPACT_MIN_BYTES, self.file.bytes // 2 or
                                       _size(self.path) // 2)

    def append(self, changes: journal.Changes) -> None:
        """One commit, one durable write. StorageError (nothing written) on failure."""
        self._writable()
        assert self.journal is not None
        self.bytes_written += self.journal.append(changes)
        self.appends += 1
        self._data = None

    def compact(self, tables: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Write TABLES (name, row texts; `meta` first) as the next snapshot, then start a
        new journal. StorageError (old files intact) on failure."""
        self._writable(snapshot_write=True)
        generation = max(self.generation, journal.read(self.bak_journal_path, ()).generation or 0,
                         _bak_generation(self.file.bak_path)) + 1
        tables = list(tables)
        names = [name for name, _ in tables]
        meta_rows = [dumps({"key": "generation", "value": generation}),
                     dumps({"key": "tables", "value": names})]
        tables = [(name, itertools.chain(meta_rows, texts) if name == "meta" else texts)
                  for name, texts in tables]
        had_file = self.path.exists()
        self.bytes_written += self.file.replace(snapshot.chunks(tables))
        if self.journal is not None:
            if had_file:
                self.journal.set_aside(self.bak_journal_path)
            else:
                self.journal.close()
                self.journal_path.unlink(missing_ok=True)
        self.generation = generation
        self.journal = journal.Journal(self.journal_path, generation, 0, 0)
        self.must_compact = False
        self._identity = _identity(self.path)
        self._data = None

    def _writable(self, snapshot_write: bool = False) -> None:
        if self.read_only:
            raise StorageError(str(self.requested), "opened read-only")
        if self._identity is not None and _identity(self.path) != self._identity:
            raise StorageError(str(self.requested), "the file was replaced or removed by "
                               "something else while holdwatch ran; holdwatch stopped writing "
                               "to it: stop the other writer, then restart holdwatch")
        if not snapshot_write and (self.must_compact or self.journal is None
                                   or self.journal.broken):
            raise StorageError(str(self.requested), "the journal needs a fresh snapshot first")

    # ------------------------------------------------------------------ TinyDB API

    def read(self) -> dict[str, dict[str, Row]]:
        """The whole database as TinyDB's dict (built from the files; for tools and tests)."""
        if self._data is None:
            def collect(tables: Tables) -> dict[str, dict[str, Row]]:
                return {name: {str(n): row for n, row in enumerate(rows, 1)}
                        for name, rows in tables}
            self._data = self.load(collect)
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """TinyDB changed something: the whole database becomes the next snapshot."""
        ours = {"generation", "tables"}
        tables = [(name, [dumps(row) for row in rows.values()
                          if not (name == "meta" and row.get("key") in ours)])
                  for name, rows in sorted(data.items(), key=lambda kv: kv[0] != "meta")]
        if not tables or tables[0][0] != "meta":
            tables.insert(0, ("meta", []))
        self.compact(tables)
        self._data = data

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _bak_generation(bak: Path) -> int:
    try:
        with bak.open("rb") as fh, contextlib.closing(snapshot.tables(fh, wanted=())) as found:
            for table, rows in found:
                for row in rows:
                    if table == "meta" and isinstance(row, dict) and row.get("key") == "generation":
                        value = row.get("value")
                        return value if isinstance(value, int) else 0
    except (OSError, ValueError):
        pass
    return 0
