"""The database file: written atomically, never torn, recovered when damaged.

Stock TinyDB `JSONStorage` rewrites the file in place, so a write that dies
half-way (disk full, kill -9) leaves an unreadable database — and a reset
database re-posts every feed's history. So `AtomicFile` (which our TinyDB
storage, `storage.AtomicJSONStorage`, writes through):

- writes a temp file in the same folder, flush + fsync, `os.replace`, fsyncs
  the folder (the rename is atomic, and durable once the folder is synced);
- on any error deletes the temp file and raises `StorageError` naming the path
  and the reason; the file keeps its previous content, and `load()` gives it
  back to a caller that must roll its memory back;
- keeps `<db>.bak`: a hard link to the *previous* generation of the file,
  taken just before the replace. Because we never write in place, that inode
  is never touched again, so the copy costs nothing and is independent of the
  current file (a hard link to the current file would share its fate);
- on open, moves an unparseable file aside as `<name>.corrupt-<UTC time>` and
  loads `.bak` if it parses, else starts empty with a loud warning
  (`recovery` says which happened, so the app can tell an admin).

The content is written as a sequence of text chunks (blocks of rows), so a
write never holds the whole file as one string.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from bot.errors import StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")


class AtomicFile(Generic[T]):
    def __init__(self, path: str | os.PathLike[str], parse: Callable[[str], T]) -> None:
        """Open PATH; PARSE turns its text into content or raises ValueError (corrupt)."""
        self.path = Path(path)
        self.bak_path = self.path.with_name(self.path.name + ".bak")
        self.writes = 0  # physical file writes, for tests and the benchmark
        self.bytes = 0
        self.recovery: str | None = None  # what open had to do, None when all was well
        self._parse = parse
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.content: T = self._open()

    def write(self, chunks: Iterable[str]) -> None:
        """Replace the file with the concatenated CHUNKS, atomically, or raise StorageError."""
        try:
            self.bytes = self._replace(chunks)
        except OSError as exc:
            reason = f"write failed ({exc.strerror or exc}); the previous file is intact"
            log.error("database %s: %s", self.path, reason)
            raise StorageError(str(self.path), reason) from exc
        self.writes += 1

    def load(self) -> T:
        """The file's content as it is now (after a failed write: the previous content)."""
        content, _, problem = self._read_valid(self.path)
        if problem == "missing":
            return self._parse("{}")
        if problem is not None:
            raise StorageError(str(self.path), f"cannot reload: {problem}")
        return content  # type: ignore[return-value]

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
        _fsync_dir(folder)
        if bak_tmp.exists():
            try:
                os.replace(bak_tmp, self.bak_path)
            except OSError as exc:  # the new file is safe; only the spare copy is stale
                log.warning("database %s: could not update %s: %s", self.path, self.bak_path, exc)
        return size

    # ------------------------------------------------------------------ opening

    def _open(self) -> T:
        if not self.path.exists():
            return self._parse("{}")
        content, _, problem = self._read_valid(self.path)
        if problem is None:
            return content  # type: ignore[return-value]
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise StorageError(
                str(self.path), f"unreadable ({problem}) and could not be moved aside: {exc}"
            ) from exc
        bak_content, bak_text, bak_problem = self._read_valid(self.bak_path)
        if bak_problem is None:
            self.recovery = (
                f"{self.path} was unreadable ({problem}); moved it to {aside.name} and "
                f"loaded the last good copy {self.bak_path.name}"
            )
            log.warning("database %s", self.recovery)
            try:
                self._replace([bak_text])
            except OSError as exc:  # memory holds it; the next successful write saves it
                log.warning("database %s: could not restore the copy yet: %s", self.path, exc)
            return bak_content  # type: ignore[return-value]
        self.recovery = (
            f"{self.path} was unreadable ({problem}); moved it to {aside.name}; the last good "
            f"copy {self.bak_path.name} is unusable too ({bak_problem}); STARTING EMPTY — "
            "every item sources serve now will be treated as a first run"
        )
        log.error("database %s", self.recovery)
        return self._parse("{}")

    def _read_valid(self, path: Path) -> tuple[T | None, str, str | None]:
        """(content, text, None), or (None, "", why the file cannot be used)."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, "", "missing"
        except (OSError, UnicodeDecodeError) as exc:
            return None, "", f"cannot read: {exc}"
        try:
            return self._parse(text), text, None
        except ValueError as exc:
            return None, "", f"not a holdwatch database: {exc}"


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
