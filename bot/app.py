"""The Slack side's composition root: the Bolt app, its HTTP transport, Socket Mode.

`build_app` wires every feature module (`register(app, ctx)`); nothing registers
at import time. `serve_http` serves, through waitress (bot/webserver.py),
`POST /slack/events` (commands, interactivity and events, verified by
`SignedRequestsOnly`) and `GET /healthz`. `start_socket_mode` connects the same
app over a websocket. Tokens, the signing secret and request signatures are
never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.signature import Clock

from bot import webserver
from bot.clock import utc_now
from bot.commands import buttons, holds, home, lookup
from bot.commands.context import CommandContext, CommandStore
from bot.commands.dedupe import DedupeEvents, SeenEvents
from bot.commands.signing import MalformedRequests, SignedRequestsOnly
from bot.models import SourceConfig
from bot.webserver import EVENTS_PATH, HEALTH_PATH, HttpServerHandle, SlackWsgiApp

log = logging.getLogger(__name__)

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "HoldwatchApp", "HttpServerHandle", "build_app",
           "health", "serve_http", "socket_mode_handler", "start_socket_mode"]
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
    # A signed body Bolt's middleware cannot read (an event_callback whose `event` is a
    # string) is the sender's mistake: 400 and one log line, not a 500 and a traceback.
    # Bolt's private attribute, on purpose: the public `app.error(func)` wraps FUNC in
    # CustomMiddlewareErrorHandler, which first builds every argument FUNC could ask for
    # from the unreadable body (kwargs_injection.build_required_kwargs: `to_message(body)`
    # indexes body["event"]["type"]), so a body like {"event": "a type b"} fails again
    # inside the error handler: 500 and two tracebacks (slack_bolt 1.30.0). It would also
    # take over listener errors, which Bolt's default handler logs with their traceback.
    # tests/slack/test_signing.py fails if Bolt renames the attribute.
    app._middleware_error_handler = MalformedRequests()
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


def serve_http(app: App, *, port: int, host: str = "0.0.0.0") -> HttpServerHandle:
    """Serve `POST /slack/events` and `GET /healthz` on a background thread (waitress:
    read timeouts, a connection cap, bounded bodies; see bot/webserver.py)."""
    ctx = getattr(app, "ctx", None)
    return webserver.serve(SlackWsgiApp(app, lambda: health(ctx)), port=port, host=host)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """The Socket Mode adapter for `app` (not connected yet)."""
    return SocketModeHandler(app, app_token)


def start_socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Connect over Socket Mode in the background; call `.close()` on the result to stop."""
    handler = socket_mode_handler(app, app_token)
    handler.connect()
    return handler
