"""Feed parsing in worker processes that can be stopped: a deadline and a memory cap.

feedparser is pure Python: a hostile body it cannot refuse early (an encoding
trick, a pathological regex, a document we did not foresee) would hold the
GIL for minutes or grow to gigabytes inside the bot, stalling slash-command
acks and every other source, or raise MemoryError. So bodies are parsed in
`parse_worker` processes. Each has an address-space limit (RLIMIT_AS) and a
CPU budget per parse (RLIMIT_CPU); the pool gives each parse a wall-clock
deadline and kills the worker that misses it. Workers are persistent (a
parse costs one pipe round trip, not a Python start-up) and started on
demand, at most `workers` at a time; parsing also leaves the bot's own
interpreter (and its GIL) free for Slack.

Messages are length-prefixed pickles. The parent unpickles a worker's answer
with an allow-list of the classes an answer holds, so even a worker that was
somehow subverted by its input cannot make the bot run code.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from bot.errors import SourceError
from bot.models import SourceConfig
from bot.sources.rss import ParsedFeed, Unseen, read_feed

log = logging.getLogger(__name__)

PARSE_DEADLINE = 20.0  # seconds of wall-clock time for one parse (a 5 MB feed takes < 2 s)
MEMORY_LIMIT_MB = 256  # address space of a worker; a 4 MB, 8,000-entry feed peaks near 75 MB
CPU_BUDGET = 30.0  # CPU seconds per parse; ends a worker nobody is waiting for any more
DEFAULT_WORKERS = 2
_HEADER = struct.Struct(">I")
MAX_MESSAGE = 256 << 20
# What a worker's answer may contain (`find_class` refuses everything else).
_ANSWER_CLASSES = frozenset({
    ("bot.sources.rss", "ParsedFeed"),
    ("bot.models", "Item"),
    ("datetime", "date"),
})


# ----------------------------------------------------------------- framing


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message, or None at end of stream (trusted side: the worker reading)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


class _AnswerUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ANSWER_CLASSES:
            raise pickle.UnpicklingError(f"a parser answer may not contain {module}.{name}")
        return super().find_class(module, name)


class _Lost(Exception):
    """The worker is gone or had to be killed; `reason` says what it was doing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ------------------------------------------------------------------ worker


class _Worker:
    """One `parse_worker` process and its pipes."""

    def __init__(self, memory_mb: int, cpu_seconds: float) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.sources.parse_worker", str(memory_mb), str(cpu_seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in: IO[bytes] = self.proc.stdin
        self._out_fd = self.proc.stdout.fileno()
        self._buffer = bytearray()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, request: dict[str, Any], unseen: Unseen | None, expires: float,
            deadline: float) -> tuple[str, Any]:
        """Send one request and answer its questions until the final answer."""
        try:
            send(self._in, request)
            while True:
                kind, value = self._read(expires, deadline)
                if kind != "unseen?":
                    return kind, value
                send(self._in, list(unseen(value)) if unseen else list(value))
        except (BrokenPipeError, ConnectionError) as exc:
            raise _Lost(self._death()) from exc

    def _read(self, expires: float, deadline: float) -> tuple[str, Any]:
        need = _HEADER.size
        size = None
        with selectors.DefaultSelector() as selector:
            selector.register(self._out_fd, selectors.EVENT_READ)
            while True:
                if size is None and len(self._buffer) >= need:
                    (size,) = _HEADER.unpack(self._buffer[:need])
                    if size > MAX_MESSAGE:
                        self.kill()
                        raise _Lost(f"the parser sent a {size}-byte answer")
                    need += size
                if size is not None and len(self._buffer) >= need:
                    data = bytes(self._buffer[_HEADER.size : need])
                    del self._buffer[:need]
                    try:
                        answer = _AnswerUnpickler(io.BytesIO(data)).load()
                    except Exception as exc:
                        self.kill()
                        raise _Lost(f"the parser's answer was unreadable ({exc})") from exc
                    return answer[0], answer[1]
                remaining = expires - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    raise _Lost(f"parsing took longer than {deadline:g} s; stopped")
                if not selector.select(remaining):
                    continue
                chunk = os.read(self._out_fd, 1 << 20)
                if not chunk:
                    raise _Lost(self._death())
                self._buffer += chunk

    def _death(self) -> str:
        """Why the worker is gone, in words."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "the parser stopped answering"
        if code == -signal.SIGXCPU:
            return "parsing used more than its CPU budget; stopped"
        if code == -signal.SIGKILL:
            return "the parser was killed (out of memory?)"
        return f"the parser exited unexpectedly (status {code})"

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        self.close()

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def stop(self, timeout: float = 2.0) -> None:
        """Close stdin (the worker exits by itself), kill it if it does not."""
        with contextlib.suppress(OSError):
            self._in.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.close()


# -------------------------------------------------------------------- pool


class ParserPool:
    """Parses feeds in at most `workers` worker processes (a `rss.FeedParser`)."""

    def __init__(self, *, workers: int = DEFAULT_WORKERS, deadline: float = PARSE_DEADLINE,
                 memory_mb: int = MEMORY_LIMIT_MB, cpu_seconds: float = CPU_BUDGET) -> None:
        self.workers = max(1, workers)
        self.deadline = deadline
        self.memory_mb = memory_mb
        self.cpu_seconds = cpu_seconds
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._cond = threading.Condition()
        self._closed = False
        self._spawn_failed = False

    def pids(self) -> list[int]:
        """Process ids of the running workers (tests measure their memory)."""
        with self._cond:
            return [w.pid for w in (*self._idle, *self._busy) if w.alive()]

    def parse(self, body: bytes, *, source: SourceConfig, url: str,
              headers: Mapping[str, str], unseen: Unseen | None = None) -> ParsedFeed:
        expires = time.monotonic() + self.deadline
        request = {"body": body, "headers": dict(headers), "source": source, "url": url,
                   "filter": unseen is not None}
        for _attempt in range(2):  # an idle worker may have died since its last parse
            worker = self._acquire(source, url, expires)
            if worker is None:  # no worker process can be started here: parse in-process
                return read_feed(body, source=source, url=url, headers=headers, unseen=unseen)
            healthy = False
            try:
                kind, value = worker.run(request, unseen, expires, self.deadline)
                healthy = True
            except _Lost as exc:
                if "unexpectedly" in exc.reason and _attempt == 0 and not worker.alive():
                    continue
                raise SourceError(source.name, url, exc.reason) from exc
            finally:
                self._release(worker, healthy)
            if kind == "ok":
                return value  # type: ignore[no-any-return]
            raise SourceError(source.name, url, str(value))
        raise SourceError(source.name, url, "the parser could not be started")

    def _acquire(self, source: SourceConfig, url: str, expires: float) -> _Worker | None:
        with self._cond:
            while True:
                if self._closed:
                    raise SourceError(source.name, url, "shutting down")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._busy.add(worker)
                        return worker
                    worker.close()
                if self._spawn_failed:
                    return None
                if len(self._busy) < self.workers:
                    try:
                        worker = _Worker(self.memory_mb, self.cpu_seconds)
                    except OSError as exc:
                        log.error("cannot start a feed parser process (%s); parsing feeds "
                                  "in-process, without its deadline and memory cap", exc)
                        self._spawn_failed = True
                        return None
                    self._busy.add(worker)
                    return worker
                remaining = expires - time.monotonic()
                if remaining <= 0:
                    raise SourceError(source.name, url, "every feed parser stayed busy for "
                                      f"{self.deadline:g} s; will retry")
                self._cond.wait(remaining)

    def _release(self, worker: _Worker, healthy: bool) -> None:
        with self._cond:
            self._busy.discard(worker)
            if healthy and worker.alive() and not self._closed:
                self._idle.append(worker)
            else:
                worker.kill()
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()


_default: ParserPool | None = None
_default_lock = threading.Lock()


def default_pool() -> ParserPool:
    """The process-wide pool, started on first use and stopped at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ParserPool()
            atexit.register(_default.close)
        return _default
