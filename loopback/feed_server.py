"""A real loopback HTTP server for source tests: feeds, APIs and hostile answers.

Usage::

    with FeedServer() as server:
        server.add("/feed.xml", Path("tests/fixtures/feeds/google_news.xml"),
                   content_type="application/rss+xml", etag='"v1"')
        server.script("/flaky", [Reply(status=500), Reply(status=429, retry_after="7"),
                                 Reply(body=b"<rss/>")])        # one per request, last repeats
        server.handle("/api", lambda req: Reply(body=...))      # computed from the request
        url = server.url("/feed.xml")
        ...
        server.requests            # every request: RecordedRequest(path, query, headers, time)
        server.requests_for("/feed.xml")

`Reply` fields: status, body, content_type, headers, etag / last_modified (a
matching If-None-Match / If-Modified-Since gets 304), retry_after, location
(redirect), gzip (compress body, send Content-Encoding: gzip), delay (sleep
before answering), drip (seconds between single body bytes), hang (seconds
to stall after the headers), endless (stream zeros until the client leaves).
Helpers: `gzip_bomb(size)`, `redirect_loop(path)`.

Binds 127.0.0.1 port 0; every handler thread ends when the server stops.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str | Path = b""
    content_type: str = "application/xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    location: str | None = None
    gzip: bool = False
    delay: float = 0.0
    drip: float = 0.0
    hang: float = 0.0
    endless: bool = False

    def payload(self) -> bytes:
        if isinstance(self.body, Path):
            return self.body.read_bytes()
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return self.body


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    time: float  # time.monotonic() when it arrived

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


def gzip_bomb(size: int = 50_000_000) -> Reply:
    """`size` zero bytes gzip-compressed (about 1000:1) with Content-Encoding: gzip."""
    return Reply(body=gzip.compress(b"\0" * size, compresslevel=9), headers={
        "Content-Encoding": "gzip"})  # fmt: skip


def redirect_loop(path: str) -> Reply:
    """A redirect to itself: followed naively it never ends."""
    return Reply(status=302, location=path)


Handler = Callable[[RecordedRequest], Reply]


class FeedServer:
    """Threaded loopback server with routes, scripts and a request log."""

    def __init__(self) -> None:
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        # A short poll interval makes stop() (server.shutdown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ routes
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def handle(self, path: str, handler: Handler) -> None:
        """Answer `path` (query ignored for routing) with `handler(request)`."""
        with self._lock:
            self._routes[path] = handler

    def add(self, path: str, body: bytes | str | Path, **reply: object) -> None:
        """Serve the same body on every request (Reply keyword arguments allowed)."""
        fixed = Reply(body=body, **reply)  # type: ignore[arg-type]
        self.handle(path, lambda _request: fixed)

    def script(self, path: str, replies: Sequence[Reply]) -> None:
        """Answer successive requests with `replies` in order; the last one repeats."""
        queue = list(replies)
        position = {"n": 0}

        def scripted(_request: RecordedRequest) -> Reply:
            with self._lock:
                index = min(position["n"], len(queue) - 1)
                position["n"] += 1
            return queue[index]

        self.handle(path, scripted)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _record(self, request: RecordedRequest) -> Handler | None:
        with self._lock:
            self.requests.append(request)
            return self._routes.get(request.path)


def _make_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet tests
            return

        def do_GET(self) -> None:
            try:
                self._answer()
            except (ConnectionError, OSError):
                self.close_connection = True  # the client left (deadline, size cap)

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                time=time.monotonic(),
            )
            handler = server._record(request)
            reply = handler(request) if handler else Reply(status=404, body=b"no route")
            if reply.delay and server.stopping.wait(reply.delay):
                return
            if not_modified(request, reply):
                self._head(Reply(status=304, etag=reply.etag,
                                 last_modified=reply.last_modified), None)  # fmt: skip
                return
            body = reply.payload()
            if reply.gzip:
                body = gzip.compress(body)
            length = None if (reply.endless or reply.drip) else len(body)
            self._head(reply, length)
            if reply.hang and server.stopping.wait(reply.hang):
                return
            if reply.endless:
                self._stream_forever()
            elif reply.drip:
                self._drip(body, reply.drip)
            else:
                self.wfile.write(body)
            self.close_connection = length is None

        def _head(self, reply: Reply, length: int | None) -> None:
            self.send_response(reply.status)
            headers = {"Content-Type": reply.content_type, **reply.headers}
            if reply.gzip:
                headers["Content-Encoding"] = "gzip"
            for name, value in (("ETag", reply.etag), ("Last-Modified", reply.last_modified),
                                ("Retry-After", reply.retry_after),
                                ("Location", reply.location)):  # fmt: skip
                if value is not None:
                    headers[name] = value
            headers["Content-Length" if length is not None else "Connection"] = (
                str(length) if length is not None else "close"
            )
            if reply.status == 304:
                headers.pop("Content-Type", None)
                headers["Content-Length"] = "0"
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()

        def _stream_forever(self) -> None:
            chunk = b"<!-- " + b"x" * 65_000 + b" -->"
            while not server.stopping.is_set():
                self.wfile.write(chunk)

        def _drip(self, body: bytes, every: float) -> None:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                if server.stopping.wait(every):
                    return

    return _Handler


def not_modified(request: RecordedRequest, reply: Reply) -> bool:
    if reply.status != 200:
        return False
    inm = request.headers.get("if-none-match")
    ims = request.headers.get("if-modified-since")
    if reply.etag is not None and inm is not None:
        return inm == reply.etag
    return reply.last_modified is not None and ims == reply.last_modified
