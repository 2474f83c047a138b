"""Socket Mode staleness: reconnect a dead connection, or exit for a restart.

slack_sdk's own monitor reconnects after a missed ping-pong, but reported
cases (python-slack-sdk #1379, #1462, #1701; docs/DEPENDENCIES.md, "Slack:
Socket Mode staleness") leave the client believing it is fine or failing to
reconnect forever, while the bot looks healthy and commands silently time out.
This watchdog asks the client every minute; when the connection is down it
forces a new endpoint, and when that keeps failing past a limit it tells the
admin and stops the process with a non-zero status so the supervisor (Procfile
worker, systemd) restarts it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bot import messages

log = logging.getLogger(__name__)

CHECK_SECONDS = 60
GIVE_UP_SECONDS = 600  # ten minutes without a connection: a restart is better

State = Literal["ok", "recovered", "reconnected", "retrying", "gave_up"]


@dataclass
class SocketWatchdog:
    is_connected: Callable[[], bool]
    reconnect: Callable[[], None]
    notice: Callable[[str], None]
    give_up: Callable[[], None]
    give_up_after: float = GIVE_UP_SECONDS
    clock: Callable[[], float] = time.monotonic
    _down_since: float | None = field(default=None, init=False)

    def check(self) -> State:
        if self.is_connected():
            if self._down_since is None:
                return "ok"
            self._down_since = None
            return "recovered"
        now = self.clock()
        if self._down_since is None:
            self._down_since = now
            log.warning("Socket Mode connection is down; reconnecting")
        try:
            self.reconnect()
        except Exception as exc:  # the SDK raises many kinds; all mean "still down"
            log.warning("Socket Mode reconnect failed: %s: %s", type(exc).__name__, exc)
        if self.is_connected():
            log.info("Socket Mode reconnected")
            self._down_since = None
            return "reconnected"
        if now - self._down_since >= self.give_up_after:
            minutes = int((now - self._down_since) // 60)
            self.notice(messages.SOCKET_GIVE_UP.format(minutes=minutes))
            self.give_up()
            return "gave_up"
        return "retrying"
