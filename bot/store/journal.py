"""The journal: every commit since the last snapshot, appended with one fsync.

A commit writes only the rows it changed, so its cost follows the change, not
the store's size. The file (`<db>.journal`) is text:

    holdwatch journal 1 generation 7
    items<TAB>{"news:a":{"id":"news:a","seen_at":"2024-11-05"}}
    sources<TAB>{"news":{…}}
    commit 1 2 5f1c3a9e

one line per table a commit touched (its changed rows by key, `null` for a
removed row), then a `commit <n> <lines> <crc32>` line over those lines. A
commit counts only once its commit line is complete and its checksum matches,
so a write cut off by a crash or a full disk is simply not there. `append`
writes a commit in one `write` and fsyncs; if anything fails it cuts the file
back to where it was and raises `StorageError` (the caller rolls memory back).

The generation ties the journal to the snapshot it continues: compaction writes
snapshot generation g+1 and sets the old journal aside (`<db>.bak.journal`, the
changes from `<db>.bak` to the new snapshot), so a journal whose generation
is not its snapshot's is never applied to it.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import StorageError
from bot.store.atomicfile import fsync_dir
from bot.store.snapshot import SnapshotError, dumps, loads

log = logging.getLogger(__name__)

MAGIC = "holdwatch journal 1 generation "
Row = dict[str, Any]
Changes = Mapping[str, Mapping[str, Row | None]]  # table -> key -> row, None to delete


@dataclass
class Replay:
    """What a journal holds: the changes of its complete commits, latest per key."""

    generation: int | None = None  # None: no journal (or not one of ours)
    changes: dict[str, dict[str, Row | None]] = field(default_factory=dict)
    commit_of: dict[tuple[str, str], int] = field(default_factory=dict)  # last change's commit
    commits: int = 0
    good_bytes: int = 0  # where the last complete commit ends
    damage: str | None = None  # a bad record with complete ones after it: outside damage
    torn: bool = False  # an incomplete last record (a crash mid-append): harmless


def read(path: Path, wanted: Container[str] | None = None,
         upto: int | None = None) -> Replay:
    """Replay PATH: the changes of WANTED tables (None: all) in its first UPTO commits
    (None: all). Never raises for bad content: it says so in `damage`/`torn`."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return Replay()
    with fh:
        header = fh.readline()
        if not header.startswith(MAGIC.encode()) or not header.endswith(b"\n"):
            torn = not header.endswith(b"\n") and MAGIC.encode().startswith(header[:len(MAGIC)])
            return Replay(torn=torn, damage=None if torn else "not a holdwatch journal")
        try:
            generation = int(header[len(MAGIC):])
        except ValueError:
            return Replay(damage="a journal header without a generation number")
        replay = Replay(generation=generation, good_bytes=len(header))
        pending: list[bytes] = []
        offset = len(header)
        for raw in fh:
            offset += len(raw)
            if not raw.endswith(b"\n"):
                replay.torn = True
                break
            if not raw.startswith(b"commit "):
                pending.append(raw)
                continue
            problem = _apply(replay, raw, pending, wanted)
            if problem:
                if fh.read().strip(b"\0\n "):
                    replay.damage = problem
                else:  # the last record, cut off by a crash: as if never written
                    replay.torn = True
                break
            pending = []
            replay.good_bytes = offset
            if upto is not None and replay.commits >= upto:
                return replay
        if pending and replay.damage is None:
            replay.torn = True  # table lines without their commit line: cut off
        return replay


def _apply(replay: Replay, commit_line: bytes, lines: list[bytes],
           wanted: Container[str] | None) -> str | None:
    parts = commit_line.split()
    try:
        count, crc = int(parts[2]), int(parts[3], 16)
    except (IndexError, ValueError):
        return f"commit {replay.commits + 1}: a malformed commit line"
    mine = lines[-count:] if count else []
    if len(mine) != count or zlib.crc32(b"".join(mine)) != crc:
        return f"commit {replay.commits + 1}: its checksum does not match its records"
    for line in mine:
        table, _, body = line.rstrip(b"\n").partition(b"\t")
        name = table.decode("utf-8", "replace")
        if wanted is not None and name not in wanted:
            continue
        try:
            rows = loads(body)
        except SnapshotError as exc:
            return f"commit {replay.commits + 1}, table {name!r}: {exc}"
        if type(rows) is not dict or any(r is not None and type(r) is not dict
                                         for r in rows.values()):
            return f"commit {replay.commits + 1}, table {name!r}: rows are not objects"
        replay.changes.setdefault(name, {}).update(rows)
        replay.commit_of.update(((name, key), replay.commits + 1) for key in rows)
    replay.commits += 1
    return None


def encode(changes: Changes, number: int) -> bytes:
    """The records of one commit (its table lines, then the commit line)."""
    lines = [f"{table}\t{dumps(rows)}\n".encode() for table, rows in changes.items() if rows]
    body = b"".join(lines)
    return body + f"commit {number} {len(lines)} {zlib.crc32(body):08x}\n".encode()


class Journal:
    """The append side, for the one process that owns the database (see lockfile.py)."""

    def __init__(self, path: Path, generation: int, size: int, commits: int) -> None:
        """Continue the journal at PATH whose good part is SIZE bytes (0: none yet)."""
        self.path = path
        self.generation = generation
        self.size = size
        self.commits = commits
        self._fd: int | None = None
        self.broken = False  # a failed record could not be cut off: start a new journal
        if size:
            self._open()
            if os.fstat(self._fd).st_size != size:  # type: ignore[arg-type]
                os.ftruncate(self._fd, size)  # type: ignore[arg-type]  # a torn tail
                os.fsync(self._fd)  # type: ignore[arg-type]

    def append(self, changes: Changes) -> int:
        """Write one commit durably; returns the bytes written. StorageError on failure,
        with the file cut back to its previous end."""
        record = encode(changes, self.commits + 1)
        try:
            if self._fd is None:
                record = f"{MAGIC}{self.generation}\n".encode() + record
                self._open()
            written = 0
            while written < len(record):
                written += os.write(self._fd, record[written:])  # type: ignore[arg-type]
            os.fsync(self._fd)  # type: ignore[arg-type]
        except OSError as exc:
            self._cut_back()
            reason = f"write failed ({exc.strerror or exc}); the previous file is intact"
            log.error("database %s: %s", self.path, reason)
            raise StorageError(str(self.path), reason) from exc
        self.size += len(record)
        self.commits += 1
        return len(record)

    def set_aside(self, to: Path) -> None:
        """Compaction folded this journal into a new snapshot: keep it as TO."""
        self.close()
        if self.path.exists():
            os.replace(self.path, to)
        else:  # nothing was appended since: an older set-aside journal must not pair up
            to.unlink(missing_ok=True)
        self.size = self.commits = 0
        self.broken = False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> None:
        created = not self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if created:  # the new name must survive a crash too
            fsync_dir(self.path.parent)

    def _cut_back(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, self.size)
            if self.size == 0:
                self.close()
                os.unlink(self.path)
        except OSError as exc:  # the partial record has no commit line: replay skips it
            self.broken = True
            log.error("database %s: could not cut the failed record off: %s", self.path, exc)

