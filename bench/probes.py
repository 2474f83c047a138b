"""What a process did to the disk and to memory, counted from outside the code measured.

- `DurableWrites` counts fsync/fdatasync calls made from Python in this process
  (regular files apart from folders): a durable write ends in one file fsync
  whatever the storage's design (atomic replace, journal append), so this counts
  commits without asking the store how it commits.
- `written()` is the bytes this process handed to write() (Linux
  /proc/self/io `wchar`): file writes and pipes, not socket sends — so with the
  feed server in another process, it is what the store wrote (plus a few log
  lines; the bench logs warnings only).
- `peak_rss_kb(pid)` is VmHWM of a live process.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class DurableWrites:
    """Counts fsyncs of files and of folders while installed (a context manager)."""

    def __init__(self) -> None:
        self.files = 0
        self.folders = 0
        self._lock = threading.Lock()
        self._saved: dict[str, Callable[[Any], None]] = {}

    def _wrap(self, real: Callable[[Any], None]) -> Callable[[Any], None]:
        def counted(fd: Any) -> None:
            real(fd)
            try:
                number = fd if isinstance(fd, int) else fd.fileno()
                is_dir = stat.S_ISDIR(os.fstat(number).st_mode)
            except (OSError, AttributeError, ValueError):
                is_dir = False
            with self._lock:
                if is_dir:
                    self.folders += 1
                else:
                    self.files += 1
        return counted

    def __enter__(self) -> DurableWrites:
        for name in ("fsync", "fdatasync"):
            real = getattr(os, name, None)
            if real is not None:
                self._saved[name] = real
                setattr(os, name, self._wrap(real))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, real in self._saved.items():
            setattr(os, name, real)
        self._saved.clear()

    def snapshot(self) -> tuple[int, int]:
        with self._lock:
            return self.files, self.folders


def written() -> int | None:
    """Bytes this process has passed to write() so far, or None off Linux."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _status_kb(pid: int | str, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_kb(pid: int | str = "self") -> int | None:
    """VmHWM (peak resident set) of a live process, in KiB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child
    of a big benchmark process would report its parent's peak.
    """
    return _status_kb(pid, "VmHWM")


def rss_kb(pid: int | str = "self") -> int | None:
    return _status_kb(pid, "VmRSS")


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of a live process, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
