"""The Slack side's composition root: the Bolt app, its HTTP transport, Socket Mode.

`build_app` wires every feature module (`register(app, ctx)`); nothing registers
at import time. `serve_http` is a small threaded HTTP server at the edge:
`POST /slack/events` (commands, interactivity and events, verified by
`SignedRequestsOnly`) and `GET /healthz`. `start_socket_mode` connects the same
app over a websocket. Tokens, the signing secret and request signatures are
never logged.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import Clock

from bot.commands import buttons, holds, home, lookup
from bot.commands.context import CommandContext, CommandStore, utc_now
from bot.commands.dedupe import DedupeEvents, SeenEvents
from bot.commands.signing import SignedRequestsOnly
from bot.models import SourceConfig

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1 << 20  # Slack payloads are a few KB; anything bigger is not Slack
DRAIN_LIMIT = 8 << 20  # a refused body is read away up to this much, then the socket closes
FEATURES = (lookup, holds, buttons, home)


class HoldwatchApp(App):
    """A Bolt App that also knows its command context (for /healthz)."""

    ctx: CommandContext


def build_app(
    *,
    store: CommandStore,
    sources: Sequence[SourceConfig],
    signing_secret: str | None,
    bot_token: str | None,
    api_url: str = "https://slack.com/api/",
    clock: Callable[[], datetime] = utc_now,
    web_client: WebClient | None = None,
    tz: str = "UTC",
    verification_clock: Clock | None = None,
    seen_events: SeenEvents | None = None,
    listener_executor: Executor | None = None,
) -> HoldwatchApp:
    """The Bolt app with every feature registered. Calls `auth.test` once to check the token."""
    client = web_client or WebClient(token=bot_token, base_url=api_url)
    app = HoldwatchApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=False,  # replaced by SignedRequestsOnly (same position)
        before_authorize=SignedRequestsOnly(signing_secret, clock=verification_clock),
        name="holdwatch",
        listener_executor=listener_executor,  # None: Bolt's own thread pool
    )
    app.use(DedupeEvents(seen_events))
    app.ctx = CommandContext(store=store, sources=tuple(sources), clock=clock, tz=tz)
    for feature in FEATURES:
        feature.register(app, app.ctx)
    return app


def health(ctx: CommandContext | None) -> dict[str, Any]:
    """`{"ok": true, "sources": {...}}` — cheap: the store's in-memory source states."""
    if ctx is None:
        return {"ok": True}
    states = ctx.store.source_states()
    enabled = [s for s in ctx.sources if s.enabled]
    failing = [s.name for s in enabled
               if s.name in states and states[s.name].consecutive_failures]
    return {"ok": True, "sources": {"configured": len(ctx.sources), "enabled": len(enabled),
                                    "failing": failing}}


@dataclass
class HttpServerHandle:
    """A running HTTP server: its port, and a way to stop it."""

    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    # The stdlib default backlog of 5 resets connections when a team fires
    # commands at once (a burst of 50 lost up to 27); Slack shows those users
    # an error. The kernel caps this at somaxconn anyway.
    request_queue_size = socket.SOMAXCONN


def serve_http(app: App, *, port: int, host: str = "0.0.0.0") -> HttpServerHandle:
    """Serve `POST /slack/events` and `GET /healthz` on a background thread."""

    class Handler(_SlackHandler):
        bolt = app

    server = _Server((host, port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                              name="slack-http", daemon=True)
    thread.start()
    return HttpServerHandle(server, thread)


class _SlackHandler(BaseHTTPRequestHandler):
    bolt: App
    server_version = "holdwatch"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines only (no headers, so no signatures), at debug level.
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            self._send(200, json.dumps(health(getattr(self.bolt, "ctx", None))),
                       "application/json")
        else:
            self._send(404, '{"error": "not found"}', "application/json")

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != EVENTS_PATH:
            self._send(404, '{"error": "not found"}', "application/json")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._discard(length)
            self._send(413, '{"error": "body too large or without length"}', "application/json")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        headers: dict[str, list[str]] = {}
        for key, value in self.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        try:
            request = BoltRequest(body=body, query=parts.query, headers={**headers})
        except Exception:  # a body Bolt cannot even parse is not from Slack
            log.warning("rejected a request whose body could not be parsed")
            self._send(400, '{"error": "malformed request"}', "application/json")
            return
        response = self.bolt.dispatch(request)
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() == "content-length":
                continue
            for value in values:
                self.send_header(name, value)
        data = (response.body or "").encode("utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _discard(self, length: int) -> None:
        """Drain a refused body (bounded) so the client reads our answer, not a reset."""
        left = min(length, DRAIN_LIMIT)
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                break
            left -= len(chunk)
        self.close_connection = True

    def _send(self, status: int, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """The Socket Mode adapter for `app` (not connected yet)."""
    return SocketModeHandler(app, app_token)


def start_socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Connect over Socket Mode in the background; call `.close()` on the result to stop."""
    handler = socket_mode_handler(app, app_token)
    handler.connect()
    return handler
