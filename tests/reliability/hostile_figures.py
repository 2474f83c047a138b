"""RELIABILITY.md §4 figures for hostile input: `python -m tests.reliability.hostile_figures`.

A measuring script, not a test (speed is never asserted in tests). Each cost is
printed with a reference measured in the same run, because this machine's speed
drifts several-fold between runs.
"""

from __future__ import annotations

import hashlib
import resource
import socket
import threading
import time
from collections.abc import Callable

from bot.errors import SourceError
from bot.models import SourceConfig
from bot.sources import feedguard
from bot.sources.http import HttpClient
from bot.sources.rss import read_feed
from bot.sources.sandbox import ParserPool
from loopback.feed_server import FeedServer
from tests.e2e.conftest import rss
from tests.reliability.harness import closed_by_server, news_entries, proc_status
from tests.sources.hostile import ENCODED_BOMBS, bomb_document

SOURCE = SourceConfig(name="press", kind="rss", url="https://wire.example.org/feed")


def median(call: Callable[[], object], repeat: int = 5,
           clock: Callable[[], float] = time.process_time) -> float:
    """Median seconds of `call` by CLOCK: CPU of this process (default), or wall time."""
    times = []
    for _ in range(repeat):
        start = clock()
        call()
        times.append(clock() - start)
    return sorted(times)[len(times) // 2]


def cpu(call: Callable[[], object], repeat: int = 5) -> float:
    return median(call, repeat)


def wall(call: Callable[[], object], repeat: int = 5) -> float:
    return median(call, repeat, time.perf_counter)


def bombs(pool: ParserPool) -> None:
    print("## Encoded bombs (refused in the parser worker)")
    for name, build in ENCODED_BOMBS.items():
        body = build()
        took = wall(lambda body=body: _refused(pool, body), repeat=3)
        print(f"{name:18} {len(body) / 1024:6.0f} KB  refused in {took * 1000:6.1f} ms")
    big = b'<?xml version="1.0" encoding="utf-7"?>' + \
        bomb_document("utf-7", references=20_000).split("?>", 1)[1].encode("utf-7").replace(
            b"<", b"+ADw-")
    took = wall(lambda: _refused(pool, big), repeat=3)
    print(f"utf-7 (110 KB form) {len(big) / 1024:5.0f} KB  refused in {took * 1000:6.1f} ms")
    peak = max(proc_status(p, "VmHWM") for p in pool.pids())
    print(f"worker peak RSS after all bombs: {peak / 1024:.0f} MB")


def _refused(pool: ParserPool, body: bytes) -> None:
    try:
        pool.parse(body, source=SOURCE, url=SOURCE.url, headers={"content-type": "application/xml"})
    except SourceError as exc:
        assert "XML bomb guard" in exc.reason, exc.reason
        return
    raise AssertionError("a bomb was accepted")


def parsing(pool: ParserPool) -> None:
    print("\n## Parse costs (50-entry feed; 48 of them known)")
    body = rss(*news_entries(50, lift_every=0)).encode()
    known = {f"press:hold-{n}" for n in range(48)}

    def unseen(ids):
        return [i for i in ids if i not in known]

    sha1 = cpu(lambda: hashlib.sha1(body).hexdigest(), repeat=50)
    guard = cpu(lambda: feedguard.check(body, {}), repeat=20)
    full = cpu(lambda: read_feed(body, source=SOURCE, url=SOURCE.url), repeat=10)
    filtered = cpu(lambda: read_feed(body, source=SOURCE, url=SOURCE.url, unseen=unseen),
                   repeat=10)
    worker = wall(lambda: pool.parse(body, source=SOURCE, url=SOURCE.url, headers={}),
                  repeat=10)
    rows = [("sha1 of the body (reference)", sha1, ""),
            ("guard (decode + prolog check)", guard, f"{guard / sha1:.1f}x sha1"),
            ("full parse, in process", full, f"{full / sha1:.0f}x sha1"),
            ("48 known entries cut first", filtered, f"{filtered / full:.2f}x full parse"),
            ("full parse through the worker (wall)", worker, f"{worker / full:.2f}x in-process")]
    for label, seconds, ratio in rows:
        print(f"{label:38} {seconds * 1e3:8.3f} ms  {ratio}")


def drip() -> None:
    print("\n## Fetch deadline against a 1-byte-per-9-s drip (deadline 3 s, timeout 10 s)")
    with FeedServer() as server, HttpClient("figures/1.0", timeout=10) as client:
        server.add("/drip", b"<rss>" + b"x" * 100, drip=9)
        start = time.perf_counter()
        try:
            client.get(server.url("/drip"), deadline=3)
        except Exception as exc:
            reason = getattr(exc, "reason", str(exc))
        print(f"stopped after {time.perf_counter() - start:.2f} s: {reason}")


def slow_clients() -> None:
    print("\n## HTTP server against 50 stalled clients (in-process, as in run --http)")
    from bot import webserver

    app = webserver.SlackWsgiApp(bolt=None, health=lambda: {"ok": True})  # type: ignore[arg-type]
    handle = webserver.serve(app, port=0, host="127.0.0.1")
    threads_before = threading.active_count()
    socks = []
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", handle.port))
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
        socks.append(sock)
    start = time.perf_counter()
    open_socks = list(socks)
    while open_socks and time.perf_counter() - start < 60:
        time.sleep(0.2)
        open_socks = [s for s in open_socks if not closed_by_server(s)]
    print(f"threads {threads_before} -> {threading.active_count()}; all 50 closed by the "
          f"server after {time.perf_counter() - start:.1f} s" if not open_socks else
          f"{len(open_socks)} still open after 60 s")
    for sock in socks:
        sock.close()
    handle.shutdown()


def main() -> None:
    pool = ParserPool()
    try:
        pool.parse(rss(*news_entries(1)).encode(), source=SOURCE, url=SOURCE.url, headers={})
        bombs(pool)
        parsing(pool)
    finally:
        pool.close()
    drip()
    slow_clients()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthis process's peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
