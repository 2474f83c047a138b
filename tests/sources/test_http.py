"""HttpClient against a real loopback server: every fault ends in a bounded SourceError."""

from __future__ import annotations

import itertools
import socket
import threading
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.errors import SourceError
from bot.sources.http import HttpClient, parse_retry_after
from bot.sources.ratelimit import HostRateLimiter
from bot.sources.watchdog import Watchdog
from loopback.feed_server import FeedServer, gzip_bomb, redirect_loop
from tests.timing import FakeClock, wait_until


def _fails(client: HttpClient, url: str, **kwargs: object) -> SourceError:
    with pytest.raises(SourceError) as caught:
        client.get(url, source="broken", **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_ok_response_carries_status_body_and_lowercase_headers(server, client):
    """A 200 comes back whole, with lower-case header names and the final URL."""
    server.add("/ok", b"hello", etag='"abc"')
    resp = client.get(server.url("/ok"))
    assert (resp.status, resp.body, resp.headers["etag"]) == (200, b"hello", '"abc"')
    assert resp.url == server.url("/ok")


def test_user_agent_is_declared(server, client):
    """Every request carries the configured User-Agent; a per-call header overrides it."""
    server.add("/ua", b"x")
    client.get(server.url("/ua"))
    client.get(server.url("/ua"), headers={"User-Agent": "Acme Corp admin@acme.example"})
    agents = [r.headers["user-agent"] for r in server.requests_for("/ua")]
    assert agents == ["holdwatch-tests/1.0 (test@example.org)", "Acme Corp admin@acme.example"]


def test_conditional_get_sends_validators_verbatim_and_gets_304(server, client):
    """ETag/Last-Modified go back byte-for-byte; a 304 has an empty body."""
    etag, modified = 'W/"5f-a1 b"', "Fri, 01 Nov 2024 09:12:00 GMT"
    server.add("/feed", b"<rss/>", etag=etag, last_modified=modified)
    resp = client.get(server.url("/feed"), etag=etag, last_modified=modified)
    assert (resp.status, resp.body) == (304, b"")
    sent = server.requests_for("/feed")[0].headers
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == modified


def test_server_error_names_url_and_status(server, client):
    """HTTP 500 raises SourceError with the status and the URL."""
    server.add("/err", b"boom", status=500)
    error = _fails(client, server.url("/err"))
    assert error.status == 500 and "500" in error.reason and server.url("/err") in str(error)


def test_429_reports_retry_after_seconds(server, client):
    """429 with Retry-After: 7 gives retry_after=7."""
    server.add("/slow-down", b"", status=429, retry_after="7")
    error = _fails(client, server.url("/slow-down"))
    assert (error.status, error.retry_after) == (429, 7.0)


def test_503_reports_retry_after_http_date(server, client):
    """503 with an HTTP-date Retry-After gives the seconds until that date."""
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    server.add("/maint", b"", status=503, retry_after=when)
    error = _fails(client, server.url("/maint"))
    assert error.status == 503 and 100 < (error.retry_after or 0) <= 120


def test_parse_retry_after_rejects_garbage():
    """An unreadable Retry-After is ignored rather than guessed."""
    assert parse_retry_after("soon", datetime.now(UTC)) is None
    assert parse_retry_after(None, datetime.now(UTC)) is None


def test_hang_before_headers_times_out(server, client):
    """A server that answers only after 30 s is cut off by the timeout, not waited on
    (had the client waited, the answer would have come and nothing would be raised)."""
    server.add("/hang", b"late", delay=30)
    error = _fails(client, server.url("/hang"))
    assert "timed out" in error.reason


def test_hang_after_headers_times_out(server, client):
    """Headers then silence: the read timeout fires."""
    server.add("/stall", b"late", hang=30)
    error = _fails(client, server.url("/stall"))
    assert "timed out" in error.reason


def test_slow_drip_is_stopped_by_the_overall_deadline(server):
    """Bytes that keep coming never trip the inactivity timeout; the overall deadline
    stops the download. The client's clock is injected: it moves 4 s per look, so the
    10 s deadline passes on the third chunk whatever the machine's speed."""
    ticks = itertools.chain([0.0, 0.0], itertools.count(4.0, 4.0))
    server.add("/drip", b"x" * 1000, drip=0.02)
    with HttpClient("holdwatch-tests/1.0 (test@example.org)", timeout=30,
                    clock=lambda: next(ticks)) as client:
        error = _fails(client, server.url("/drip"), deadline=10.0)
    assert "10s deadline" in error.reason


def test_declared_huge_body_is_refused_before_reading(server, client):
    """A 20 MB body with Content-Length is refused at once."""
    server.add("/huge", b"a" * 20_000_000)
    error = _fails(client, server.url("/huge"))
    assert "larger than 5000000" in error.reason
    assert "Content-Length 20000000" in error.reason  # judged on the header, before the body


def test_endless_body_is_cut_at_the_cap(server, client):
    """A body without Content-Length that never ends is cut at max_bytes."""
    server.add("/endless", b"", endless=True)
    error = _fails(client, server.url("/endless"), max_bytes=1_000_000)
    assert "larger than 1000000" in error.reason
    assert "Content-Length" not in error.reason  # counted while streaming


def test_gzip_bomb_is_cut_without_inflating_it_in_memory(server, client):
    """20 MB of zeros gzipped to ~20 KB: aborted at the cap, memory stays near the cap."""
    bomb = gzip_bomb(20_000_000)
    server.handle("/bomb", lambda _req: bomb)
    tracemalloc.start()
    try:
        error = _fails(client, server.url("/bomb"), max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 2000000" in error.reason
    assert peak < 8_000_000


def test_gzip_body_within_the_cap_is_decoded(server, client):
    """A normal gzip-encoded feed arrives decoded."""
    server.add("/gz", b"<rss>" + b"a" * 5000 + b"</rss>", gzip=True)
    assert client.get(server.url("/gz")).body.startswith(b"<rss>aaa")


def test_endless_redirect_stops_after_five_hops(server, client):
    """A redirect loop raises after max_redirects hops; the server saw 6 requests."""
    server.handle("/loop", lambda _req: redirect_loop("/loop"))
    error = _fails(client, server.url("/loop"))
    assert "too many redirects" in error.reason
    assert len(server.requests_for("/loop")) == 6


def test_redirect_is_followed(server, client):
    """A 301 to another path is followed and the final URL reported."""
    server.add("/old", b"", status=301, location="/new")
    server.add("/new", b"moved here")
    resp = client.get(server.url("/old"))
    assert (resp.body, resp.url) == (b"moved here", server.url("/new"))


def test_connection_refused_is_a_source_error(client):
    """Nothing listening: a SourceError naming the URL, not an httpx exception."""
    with FeedServer() as gone:
        url = gone.url("/feed")
    error = _fails(client, url)
    assert url in str(error) and "request failed" in error.reason


def test_non_http_url_is_refused(client):
    """file: URLs are never fetched."""
    error = _fails(client, "file:///etc/passwd")
    assert "http" in error.reason


def test_per_host_limiter_spaces_requests(server, client):
    """With a 0.2 s interval, 6 back-to-back requests to one host wait 0.2 s before each
    request but the first (the limiter's clock is injected and moves only when it sleeps)."""
    server.add("/r", b"ok")
    clock = FakeClock()
    client.limiter = HostRateLimiter(clock=clock, sleep=clock.sleep)
    client.limit(["127.0.0.1"], 0.2)
    for _ in range(6):
        client.get(server.url("/r"))
    assert len(server.requests_for("/r")) == 6
    assert clock.sleeps == pytest.approx([0.2] * 5)


def _in_thread(call) -> tuple[threading.Thread, list[object]]:
    """Run `call` in a thread; its result or exception lands in the returned list."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_body_drip_slower_than_the_deadline_is_stopped_by_the_watchdog(server):
    """One byte every 30 s, a 60 s inactivity timeout, a 1 s deadline: without the watchdog
    the fetch would wait 30 s for its second byte (the deadline was only checked when a
    chunk arrived). The watchdog ends it first; 20 s is only a hang guard."""
    server.add("/drip", b"<rss>" + b"x" * 100, drip=30)
    with HttpClient("holdwatch-tests/1.0 (test@example.org)", timeout=60) as client:
        thread, outcome = _in_thread(lambda: client.get(server.url("/drip"), deadline=1.0))
        thread.join(timeout=20)
        assert not thread.is_alive(), "the drip was not stopped at the deadline"
    assert isinstance(outcome[0], SourceError) and "1s deadline" in outcome[0].reason


class _SlowHeaders:
    """A raw TCP server that reads the request, then sends its status line one byte per
    `every` seconds: httpx's read timeout never fires, the headers never end."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed"

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello":
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                if self.stop.wait(self.every):
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=5)


def test_header_drip_is_stopped_by_the_watchdog():
    """The status line arriving a byte at a time is cut off at the deadline too."""
    slow = _SlowHeaders()
    try:
        with HttpClient("holdwatch-tests/1.0 (test@example.org)", timeout=60) as client:
            thread, outcome = _in_thread(lambda: client.get(slow.url, deadline=1.0))
            thread.join(timeout=20)
            assert not thread.is_alive(), "the header drip was not stopped at the deadline"
    finally:
        slow.close()
    assert isinstance(outcome[0], SourceError) and "1s deadline" in outcome[0].reason


def test_watchdog_calls_back_only_blocks_still_running():
    """A disarmed deadline never fires; an armed one fires once its time has come."""
    clock = FakeClock()
    dog = Watchdog(clock=clock)
    fired: list[str] = []
    with dog.armed(5, lambda: fired.append("early")):
        pass
    with dog.armed(0, lambda: fired.append("due")):
        wait_until(lambda: fired, timeout=10, what="the due callback")
    clock.now += 10
    with dog.armed(1, lambda: fired.append("late")):
        pass
    assert fired == ["due"]
