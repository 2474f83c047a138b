"""`python -m bot run`: scheduler + Slack transport until SIGTERM/SIGINT.

Console mode without a bot token, Socket Mode with an app token (watched by
the Socket Mode watchdog), HTTP mode with --http, and post-only mode with a
bot token alone. Shutdown waits for running jobs, then closes the database.
"""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt import App
from slack_bolt.error import BoltError

from bot import messages
from bot.app import HttpServerHandle, build_app, serve_http, start_socket_mode
from bot.clock import utc_now
from bot.config import Settings
from bot.digest import digest_reply, digest_window, send_digest
from bot.errors import ConfigError
from bot.logs import OverrunLog, quiet_libraries
from bot.poll_rounds import RoundLog
from bot.runtime import Runtime
from bot.scheduler import add_periodic, build_scheduler
from bot.socket_watchdog import CHECK_SECONDS as WATCHDOG_SECONDS
from bot.socket_watchdog import SocketWatchdog

log = logging.getLogger("holdwatch")


def run_command(settings: Settings, *, http: bool) -> int:
    if http:
        settings.require_http()
    quiet_libraries()  # Bolt and APScheduler log only here
    rt = Runtime.open(settings, exclusive=True)
    stop = threading.Event()
    exit_code = [0]

    def on_signal(signum: int, _frame: object) -> None:
        log.info("received %s; finishing the running jobs and stopping",
                 signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = handler = None
    scheduler = None
    started = False
    try:
        rt.poller.deliver()  # recover deliveries a crash left pending
        web_client = rt.web_client

        def digest() -> None:
            if web_client is None:  # console mode: the digest is printed like alerts
                start, end = digest_window(utc_now(), settings.tz)
                reply = digest_reply(rt.store, start=start, end=end, tz=settings.tz)
                if reply is not None:
                    print(reply.text, flush=True)
                return
            send_digest(rt.store, web_client, channels=[settings.alert_channel],
                        now=utc_now(), tz=settings.tz)

        scheduler = build_scheduler(rt.poller, rt.sources, tz=settings.tz,
                                    digest_cron=settings.digest_cron, digest=digest,
                                    flush=rt.store.flush)
        scheduler.add_listener(OverrunLog(scheduler), OverrunLog.MASK)
        rt.poller.on_report = RoundLog(s.name for s in rt.sources if s.enabled)
        if rt.web_client is None:
            log.info(messages.CONSOLE_MODE_BANNER)
        else:
            try:
                app = build_app(store=rt.store, sources=rt.sources,
                                signing_secret=settings.slack_signing_secret,
                                bot_token=settings.slack_bot_token,
                                api_url=settings.slack_api_url,
                                web_client=rt.web_client, tz=settings.tz)
            except BoltError as exc:  # auth.test refused the token
                raise ConfigError("SLACK_BOT_TOKEN", f"Slack refused it ({exc}); copy the "
                                  "Bot User OAuth Token (xoxb-…) again") from exc
            except OSError as exc:  # URLError and friends: Slack not reachable
                raise ConfigError("SLACK_API_URL", f"Slack at {settings.slack_api_url} cannot "
                                  f"be reached ({exc}); check the network or the URL") from exc
            if http:
                server = _serve(app, settings.port)
                log.info("HTTP mode: POST /slack/events and GET /healthz on port %s",
                         server.port)
            elif settings.slack_app_token:
                handler = start_socket_mode(app, settings.slack_app_token)
                log.info("Socket Mode connected")
                socket_client = handler.client

                def give_up() -> None:
                    exit_code[0] = 3  # non-zero: the supervisor restarts the process
                    stop.set()

                watchdog = SocketWatchdog(
                    is_connected=socket_client.is_connected,
                    reconnect=socket_client.connect_to_new_endpoint,
                    notice=rt.admin.notice, give_up=give_up,
                )
                add_periodic(scheduler, watchdog.check, WATCHDOG_SECONDS, "socket-watchdog",
                             "Socket Mode watchdog")
            else:
                log.warning(messages.POST_ONLY_WARNING)
        # Polling starts once every local check passed: a taken PORT stops the start
        # before any source is fetched.
        scheduler.start()
        started = True
        while not stop.wait(1.0):
            pass
    finally:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=True)
        if server is not None:
            server.shutdown()
        if handler is not None:
            handler.close()
        rt.close()
        if started:
            log.info("stopped")
    return exit_code[0]


def _serve(app: App, port: int) -> HttpServerHandle:
    """The HTTP server on PORT; a port that cannot be taken is one line naming PORT."""
    try:
        return serve_http(app, port=port)
    except OSError as exc:
        raise ConfigError("PORT", messages.port_problem(port, exc.errno, exc.strerror)) from exc
