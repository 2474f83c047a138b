"""The Socket Mode watchdog: reconnects a dead connection, gives up loudly after a limit."""

from __future__ import annotations

from bot.socket_watchdog import SocketWatchdog


class Link:
    """A connection whose state the test controls; reconnect works only when allowed."""

    def __init__(self) -> None:
        self.up = True
        self.reconnect_works = True
        self.reconnects = 0

    def reconnect(self) -> None:
        self.reconnects += 1
        if not self.reconnect_works:
            raise ConnectionError("apps.connections.open failed")
        self.up = True


def _watchdog(link: Link, now: list[float], notices: list[str], stops: list[bool]):
    return SocketWatchdog(
        is_connected=lambda: link.up, reconnect=link.reconnect, notice=notices.append,
        give_up=lambda: stops.append(True), give_up_after=600, clock=lambda: now[0],
    )


def test_healthy_connection_is_left_alone() -> None:
    """A live connection is never reconnected."""
    link, now, notices, stops = Link(), [0.0], [], []
    dog = _watchdog(link, now, notices, stops)
    assert [dog.check() for _ in range(3)] == ["ok", "ok", "ok"]
    assert link.reconnects == 0 and not notices and not stops


def test_dead_connection_is_reconnected() -> None:
    """A connection found down is replaced at once, without bothering the admin."""
    link, now, notices, stops = Link(), [0.0], [], []
    dog = _watchdog(link, now, notices, stops)
    link.up = False
    assert dog.check() == "reconnected"
    assert link.reconnects == 1 and link.up and not notices and not stops


def test_reconnect_failing_past_the_limit_exits_once_with_a_notice() -> None:
    """Ten minutes of failed reconnects: one admin notice, then the process is stopped."""
    link, now, notices, stops = Link(), [0.0], [], []
    dog = _watchdog(link, now, notices, stops)
    link.up, link.reconnect_works = False, False
    states = []
    for minute in range(11):
        now[0] = minute * 60.0
        states.append(dog.check())
    assert states[:10] == ["retrying"] * 10 and states[10] == "gave_up"
    assert len(notices) == 1 and "10 minutes" in notices[0]
    assert stops == [True]


def test_recovery_by_the_sdk_resets_the_clock() -> None:
    """If the SDK reconnects by itself, a later outage starts a fresh ten minutes."""
    link, now, notices, stops = Link(), [0.0], [], []
    dog = _watchdog(link, now, notices, stops)
    link.up, link.reconnect_works = False, False
    now[0] = 0.0
    assert dog.check() == "retrying"
    link.up = True
    now[0] = 500.0
    assert dog.check() == "recovered"
    link.up = False
    now[0] = 700.0
    assert dog.check() == "retrying"  # not 'gave_up': this outage is new
    assert not stops
