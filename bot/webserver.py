"""HTTP mode's server: the Slack endpoint and /healthz, served by waitress.

Why waitress rather than our own `ThreadingHTTPServer` (issue 14 item 5): the
stdlib server gave every connection a thread that waited on the socket with
no timeout, so 50 stalled clients held 50 threads forever, a client reset
printed a traceback and a chunked body had no bound. waitress is a
production WSGI server in pure Python (no compiler, no C extension): its
event loop reads each request completely *before* a worker thread sees it,
so a slow client costs a socket, never a thread; it closes connections idle
for `channel_timeout`, stops accepting past `connection_limit`, bounds
headers and bodies (chunked ones included: 413), and drops client resets
quietly. What it lacks we add in a few lines: an overall deadline for
receiving one request (`_Server.maintenance`), so a client dripping a byte
now and then cannot hold a connection slot either.

The WSGI application is ours, not Bolt's `SlackRequestHandler`: it also
serves /healthz, keeps Slack's 1 MiB body limit, and answers 400 (not a 500
and a traceback) for a body Bolt cannot read.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from waitress.server import TcpWSGIServer

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1 << 20  # Slack payloads are a few KB; anything bigger is not Slack
MAX_HEADER_BYTES = 64 << 10
IDLE_TIMEOUT = 10  # seconds without a byte before a connection is closed
REQUEST_DEADLINE = 15.0  # seconds to receive one whole request, however it trickles in
CONNECTION_LIMIT = 200
THREADS = 8  # requests being answered at once; Bolt acks, then works on its own pool
JSON = [("Content-Type", "application/json")]

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


def _reason(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class SlackWsgiApp:
    """`POST /slack/events` to Bolt, `GET /healthz`, everything else 404."""

    def __init__(self, bolt: App, health: Callable[[], dict[str, Any]]) -> None:
        self.bolt = bolt
        self.health = health

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if method == "GET" and path == HEALTH_PATH:
            return _answer(start_response, 200, self.health())
        if method != "POST" or path != EVENTS_PATH:
            return _answer(start_response, 404, {"error": "not found"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _answer(start_response, 400, {"error": "bad Content-Length"})
        if length > MAX_BODY_BYTES:  # waitress already refuses bodies past its own limit
            return _answer(start_response, 413, {"error": "body too large"})
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            request = BoltRequest(body=raw.decode("utf-8"), query=environ.get("QUERY_STRING"),
                                  headers=_headers(environ))
        except Exception:  # not UTF-8, not JSON, not an object: not from Slack
            log.warning("rejected a request whose body could not be parsed")
            return _answer(start_response, 400, {"error": "malformed request"})
        response = self.bolt.dispatch(request)
        headers = [(name, value) for name, values in response.headers.items()
                   if name.lower() != "content-length" for value in values]
        data = (response.body or "").encode("utf-8")
        start_response(_reason(response.status),
                       [*headers, ("Content-Length", str(len(data)))])
        return [data]


def _headers(environ: Environ) -> dict[str, str | Sequence[str]]:
    headers: dict[str, list[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].lower().replace("_", "-")
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.lower().replace("_", "-")
        else:
            continue
        headers.setdefault(name, []).append(str(value))
    return dict(headers)


def _answer(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(_reason(status), [*JSON, ("Content-Length", str(len(data)))])
    return [data]


class _Server(TcpWSGIServer):  # type: ignore[misc]  # waitress ships no types
    """waitress, plus a deadline for receiving one request (idle_timeout alone restarts
    at every byte)."""

    request_deadline = REQUEST_DEADLINE

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        started: dict[int, tuple[object, float]] = getattr(self, "_receiving", {})
        current: dict[int, tuple[object, float]] = {}
        for fd, channel in list(self.active_channels.items()):
            partial = getattr(channel, "request", None)
            if partial is None:
                continue
            seen, since = started.get(fd, (None, now))
            if seen is not partial:
                since = now
            current[fd] = (partial, since)
            if now - since > self.request_deadline:
                log.info("closed a connection that took over %g s to send one request",
                         self.request_deadline)
                channel.will_close = True
        self._receiving = current


@dataclass
class HttpServerHandle:
    """A running HTTP server: its port, and a way to stop it."""

    server: TcpWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    def shutdown(self) -> None:
        server = self.server
        done = threading.Event()

        def close_everything() -> None:  # runs in the server's own loop thread
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
            for channel in list(server._map.values()):
                channel.close()
            done.set()

        server.trigger.pull_trigger(close_everything)
        done.wait(timeout=10)
        self.thread.join(timeout=5)


def serve(app: SlackWsgiApp, *, port: int, host: str = "0.0.0.0",
          request_deadline: float = REQUEST_DEADLINE, idle_timeout: int = IDLE_TIMEOUT,
          connection_limit: int = CONNECTION_LIMIT) -> HttpServerHandle:
    """Serve `app` on a background thread."""
    server = _Server(
        app, host=host, port=port, threads=THREADS, ident="holdwatch",
        channel_timeout=idle_timeout, cleanup_interval=1,
        connection_limit=connection_limit, backlog=1024,
        max_request_header_size=MAX_HEADER_BYTES, max_request_body_size=MAX_BODY_BYTES,
        log_socket_errors=False,  # a client that resets is not our error
        expose_tracebacks=False, clear_untrusted_proxy_headers=True,
    )
    server.request_deadline = request_deadline
    thread = threading.Thread(target=server.run, name="slack-http", daemon=True)
    thread.start()
    return HttpServerHandle(server, thread)
