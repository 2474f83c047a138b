"""Where the database lives, checked before anything is created, locked or moved.

The file system is the user's: `BOT_DB_PATH` may point at a folder, at a
file of another program, into /proc, or at a folder we may not write. Every
such start-up problem is one `StorageError` line that names `BOT_DB_PATH`
and the fix (the CLI prints it and exits 2), and nothing of the user's is
renamed, moved or overwritten: only a file that is our own database (or
empty) is ever written, and a damaged one is moved aside only when a good
copy of ours is at hand (storage.py).

`resolve` follows symlinks once, at start: the store then writes the real
file (a symlink stays a symlink) and locks by that real path, so a second
process reaching the same file through another name is refused (lockfile.py).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from bot.errors import StorageError
from bot.store.journal import MAGIC
from bot.store.snapshot import SnapshotError, table_names

SETTING = "BOT_DB_PATH"


def resolve(path: Path, *, create: bool) -> Path:
    """The real path of the database file, its folder created when CREATE; StorageError
    (naming BOT_DB_PATH and the fix) when it cannot be a database file."""
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise StorageError(str(path), f"is a folder, not a file; set {SETTING} to a file "
                           f"inside it, e.g. {Path(path) / 'holdwatch.json'}")
    if os.path.lexists(real) and not real.is_file():
        raise StorageError(str(path), f"is not a regular file (a device, pipe or socket); "
                           f"set {SETTING} to a file path such as data/holdwatch.json")
    blocker = _file_among_ancestors(real.parent)
    if blocker is not None:
        raise StorageError(str(path), f"{blocker} is a file, not a folder; set {SETTING} to "
                           "a path inside a folder")
    if create:
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(str(path), problem(exc, real.parent)) from exc
    return real


def problem(exc: OSError, folder: Path) -> str:
    """An OSError met while creating or writing the database, as a reason and its fix."""
    fix = f"set {SETTING} to a path on a writable disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied in {folder}; make it writable for this user or {fix}"
    if exc.errno == errno.EROFS:
        return f"{folder} is on a read-only file system; {fix}"
    if exc.errno == errno.ENOENT:
        return (f"{folder} does not take new files (a pseudo file system such as /proc or "
                f"/sys?); {fix}")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"part of {folder} is a file, not a folder; {fix}"
    if exc.errno == errno.ENOSPC:
        return f"no space left in {folder}; free some or {fix}"
    return f"{exc.strerror or exc} in {folder}; {fix}"


def not_ours(real: Path, known_tables: set[str]) -> str | None:
    """Why the file at REAL must not be written (None: it is empty, ours, or damaged with a
    copy of ours beside it for the storage to recover from)."""
    reason = _sniff(real, known_tables)
    if reason is None or reason.startswith("holds only"):
        return reason
    bak = real.with_name(real.name + ".bak")
    journal = real.with_name(real.name + ".journal")
    if (_sniff(bak, known_tables) is None and bak.exists()) or _is_journal(journal):
        return None  # ours, damaged: the storage recovers it from the copy
    return reason


def _sniff(path: Path, known_tables: set[str]) -> str | None:
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    try:
        with fh:
            tables = table_names(fh)
    except SnapshotError as exc:
        return f"not a holdwatch database ({exc})"
    except OSError as exc:
        return f"cannot be read ({exc})"
    if tables and not known_tables & set(tables):
        return (f"holds only tables holdwatch does not use ({', '.join(map(str, tables[:5]))}), "
                "so it belongs to another program")
    return None


def _is_journal(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC.encode()
    except OSError:
        return False


def _file_among_ancestors(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None
