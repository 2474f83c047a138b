"""A watchdog that stops a fetch at its deadline, whatever the socket is waiting for.

httpx's timeouts bound inactivity, one read at a time: a server that sends a
byte every 9 s never trips a 10 s read timeout, and a deadline checked only
when a chunk arrives is passed by up to one read timeout (the attack run:
39 s against a 30 s deadline). One thread here holds every armed deadline;
when one passes it shuts down the request's sockets (`shutdown` wakes a
blocked `recv` at once, where `close` from another thread does not), and the
fetch ends with an error that says "deadline".
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Deadline:
    """The sockets of one request; `fire` shuts them down (once the deadline passed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.fired = False

    def watch(self, stream: Any) -> None:
        """Watch the socket under an httpcore network stream (or a socket)."""
        sock = stream if isinstance(stream, socket.socket) else _socket_of(stream)
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """An httpx `trace` extension: watch each connection as soon as it is made."""
        if event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            self.watch(info.get("return_value"))

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _socket_of(stream: Any) -> socket.socket | None:
    getter = getattr(stream, "get_extra_info", None)
    if getter is None:
        return None
    try:
        sock = getter("socket")
    except Exception:  # a stream that cannot say (a test transport): nothing to watch
        return None
    return sock if isinstance(sock, socket.socket) else None


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """One daemon thread calling each armed callback when its time comes, unless disarmed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._live: set[int] = set()  # armed and not yet disarmed
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    @contextmanager
    def armed(self, seconds: float, callback: Callable[[], None]) -> Iterator[None]:
        """Call `callback` if the block is still running `seconds` from now."""
        with self._cond:
            ident = next(self._ids)
            self._live.add(ident)
            heapq.heappush(self._heap, (self._clock() + seconds, ident, callback))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fetch-watchdog",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._live.discard(ident)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                when, _ident, callback = self._heap[0]
                wait = when - self._clock()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            callback()


WATCHDOG = Watchdog()
