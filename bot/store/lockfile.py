"""One process owns the database file: a second `run` is refused, not raced.

TinyDB keeps the whole file in memory and rewrites it; two processes would
silently overwrite each other's records (docs/DEPENDENCIES.md, "TinyDB 4.9"). An
advisory `flock` on `<db>.lock` is released by the kernel when the process
dies, so a crash never leaves a stale lock behind.

The lock is keyed by the database's *real* path (symlinks resolved): a second
process that reaches the same file through a symlink, or a relative path,
takes the same lock file and is refused. The lock file records the holder's
pid and the database file's inode; the storage re-checks that inode before
each write and stops writing if the file was replaced behind its back. Before
the lock file is created, the path is checked (dbpath.py): a folder, a file
of another program or an unwritable place is one line naming `BOT_DB_PATH`,
and nothing is created next to a file that is not ours.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from bot.errors import StorageError
from bot.store import dbpath
from bot.store.db import KEYS


class DatabaseLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = Path(os.path.realpath(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        real = dbpath.resolve(self.db_path, create=True)
        reason = dbpath.not_ours(real, set(KEYS))
        if reason:
            raise StorageError(str(self.db_path), f"{reason}; move it away or set "
                               f"{dbpath.SETTING} to another file")
        self.path = Path(f"{real}.lock")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(str(self.db_path), dbpath.problem(exc, real.parent)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").split()
            os.close(fd)
            raise StorageError(
                str(self.db_path),
                f"already in use by holdwatch pid {holder[0] if holder else '(unknown)'}; "
                f"one process must own the file (stop the other one, or point "
                f"{dbpath.SETTING} elsewhere)",
            ) from None
        try:
            st = real.stat()
            inode = f" {st.st_dev}:{st.st_ino}"
        except FileNotFoundError:
            inode = ""
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}{inode} {real}\n".encode())
        self._fd = fd
        return self

    def holder(self) -> str | None:
        """The pid of the process holding the lock, or None when no process does.

        Probes with a shared lock released at once, so it never holds the file longer
        than the probe itself (a bot starting in that instant is refused, not raced).
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None  # no lock file: no bot ever ran here, or it cannot be read
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            fields = os.read(fd, 64).decode(errors="replace").split()
            return fields[0] if fields else "unknown"  # the pid; then the inode and path
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
