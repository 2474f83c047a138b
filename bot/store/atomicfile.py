"""The snapshot file: replaced atomically, never torn, the previous one kept.

Stock TinyDB `JSONStorage` rewrites the file in place, so a write that dies
half-way (disk full, kill -9) leaves an unreadable database — and a reset
database re-posts every feed's history. So `AtomicFile` (through which the
journaled storage writes each new snapshot):

- writes a temp file in the same folder, flush + fsync, `os.replace`, fsyncs
  the folder (the rename is atomic, and durable once the folder is synced);
- on any error deletes the temp file and raises `StorageError` naming the path
  and the reason; the file keeps its previous content;
- keeps `<db>.bak`: a hard link to the *previous* snapshot, taken just before
  the replace. Because we never write in place, that inode is never touched
  again, so the copy costs nothing and is independent of the current file;
- moves a damaged file aside (`<name>.corrupt-<UTC time>`) when the storage
  has a good copy to use instead (storage.py decides).

The content is written as a sequence of text chunks (blocks of rows), so a
write never holds the whole file as one string. The path is the resolved real
path (dbpath.py): a symlink to the database stays a symlink, and the file it
points at is what gets replaced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import StorageError

log = logging.getLogger(__name__)


class AtomicFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.bak_path = path.with_name(path.name + ".bak")
        self.writes = 0  # physical file writes, for tests and the benchmark
        self.bytes = 0  # size of the last snapshot written

    def replace(self, chunks: Iterable[str]) -> int:
        """Replace the file with the concatenated CHUNKS, atomically; returns its size.
        StorageError (the previous file intact) on failure."""
        try:
            self.bytes = self._replace(chunks)
        except OSError as exc:
            reason = f"write failed ({exc.strerror or exc}); the previous file is intact"
            log.error("database %s: %s", self.path, reason)
            raise StorageError(str(self.path), reason) from exc
        self.writes += 1
        return self.bytes

    def move_aside(self, path: Path | None = None) -> Path:
        """Rename PATH (default: the database) to `<name>.corrupt-<UTC time>`; returns it."""
        path = path or self.path
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        try:
            os.replace(path, aside)
        except OSError as exc:
            raise StorageError(str(path), f"damaged and could not be moved aside: {exc}") from exc
        return aside

    def _replace(self, chunks: Iterable[str]) -> int:
        """Write CHUNKS to a temp file and swap it in; returns the bytes written."""
        folder = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        bak_tmp = self.bak_path.with_name(self.bak_path.name + ".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
                size = os.fstat(fh.fileno()).st_size
            if self.path.exists():
                _link_or_copy(self.path, bak_tmp)
            os.replace(tmp, self.path)
        except BaseException:
            for leftover in (tmp, bak_tmp):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
            raise
        fsync_dir(folder)
        if bak_tmp.exists():
            try:
                os.replace(bak_tmp, self.bak_path)
            except OSError as exc:  # the new file is safe; only the spare copy is stale
                log.warning("database %s: could not update %s: %s", self.path, self.bak_path, exc)
        return size


def _link_or_copy(src: Path, dst: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links: pay for a copy
        shutil.copy2(src, dst)


def fsync_dir(folder: Path) -> None:
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
