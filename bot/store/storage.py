"""A TinyDB storage that never tears the file and serves reads from memory.

Stock `JSONStorage` rewrites the file in place, so a write that dies half-way
(disk full, kill -9) leaves an unreadable database — and a reset database
re-posts every feed's history. This storage:

- serialises first (a bad value fails before the disk is touched),
- writes a temp file in the same folder, flush + fsync, `os.replace`, fsyncs
  the folder (the rename is atomic, and durable once the folder is synced),
- on any error deletes the temp file, restores the in-memory data to what is
  on disk, and raises `StorageError` naming the path and the reason,
- keeps `<db>.bak`: a hard link to the *previous* generation of the file,
  taken just before the replace. Because we never write in place, that inode
  is never touched again, so the copy costs nothing and is independent of the
  current file (a hard link to the current file would share its fate),
- on open, moves an unparseable file aside as `<name>.corrupt-<UTC time>` and
  loads `.bak` if it parses, else starts empty with a loud warning
  (`recovery` says which happened, so the app can tell an admin),
- batches: inside `with storage.batch():` TinyDB's many small writes only
  update memory, and the batch ends in exactly one file write.

One process owns the file, so `read()` returns the in-memory data and never
re-reads the disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bot.errors import StorageError

log = logging.getLogger(__name__)

Data = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.bak_path = self.path.with_name(self.path.name + ".bak")
        self.writes = 0  # physical file writes, for tests and the benchmark
        self.bytes = 0
        self.recovery: str | None = None  # what open had to do, None when all was well
        self._batch_depth = 0
        self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._last_good = self._open()
        self._data: Data = json.loads(self._last_good)

    # ------------------------------------------------------------------ TinyDB API

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def close(self) -> None:
        """Nothing to release: the file is only open while being written."""

    # ------------------------------------------------------------------ batching

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect every write inside the block into one file write at its end.

        If the block raises, or the final write fails, memory is restored to
        the file's content, so memory is never ahead of the disk.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if not self._batch_depth:
                self.rollback()
            raise
        self._batch_depth -= 1
        if not self._batch_depth and self._dirty:
            self._flush()

    def rollback(self) -> None:
        """Forget unwritten changes: memory becomes the last good file content."""
        self._dirty = False
        self._data = json.loads(self._last_good)

    # ------------------------------------------------------------------ writing

    def _flush(self) -> None:
        self._dirty = False
        try:
            text = json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            self.rollback()
            raise StorageError(str(self.path), f"cannot serialise data: {exc}") from exc
        try:
            self._replace(text)
        except OSError as exc:
            self.rollback()
            reason = f"write failed ({exc.strerror or exc}); the previous file is intact"
            log.error("database %s: %s", self.path, reason)
            raise StorageError(str(self.path), reason) from exc
        self._last_good = text
        self.writes += 1
        self.bytes = len(text.encode())

    def _replace(self, text: str) -> None:
        folder = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        bak_tmp = self.bak_path.with_name(self.bak_path.name + ".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            if self.path.exists():
                _link_or_copy(self.path, bak_tmp)
            os.replace(tmp, self.path)
        except BaseException:
            for leftover in (tmp, bak_tmp):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
            raise
        _fsync_dir(folder)
        if bak_tmp.exists():
            try:
                os.replace(bak_tmp, self.bak_path)
            except OSError as exc:  # the new file is safe; only the spare copy is stale
                log.warning("database %s: could not update %s: %s", self.path, self.bak_path, exc)

    # ------------------------------------------------------------------ opening

    def _open(self) -> str:
        if not self.path.exists():
            return "{}"
        text, problem = _read_valid(self.path)
        if problem is None:
            return text
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise StorageError(
                str(self.path), f"unreadable ({problem}) and could not be moved aside: {exc}"
            ) from exc
        bak_text, bak_problem = _read_valid(self.bak_path)
        if bak_problem is None:
            self.recovery = (
                f"{self.path} was unreadable ({problem}); moved it to {aside.name} and "
                f"loaded the last good copy {self.bak_path.name}"
            )
            log.warning("database %s", self.recovery)
            try:
                self._replace(bak_text)
            except OSError as exc:  # memory holds it; the next successful write saves it
                log.warning("database %s: could not restore the copy yet: %s", self.path, exc)
            return bak_text
        self.recovery = (
            f"{self.path} was unreadable ({problem}); moved it to {aside.name}; the last good "
            f"copy {self.bak_path.name} is unusable too ({bak_problem}); STARTING EMPTY — "
            "every item sources serve now will be treated as a first run"
        )
        log.error("database %s", self.recovery)
        return "{}"


def _read_valid(path: Path) -> tuple[str, str | None]:
    """The file's text and None, or ("", why it cannot be used)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", "missing"
    except (OSError, UnicodeDecodeError) as exc:
        return "", f"cannot read: {exc}"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return "", f"not JSON: {exc}"
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        return "", "not a TinyDB database (expected an object of tables)"
    return text, None


def _link_or_copy(src: Path, dst: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links: pay for a copy
        shutil.copy2(src, dst)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the replace is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
