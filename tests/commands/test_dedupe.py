"""Event de-duplication memory: repeats within the TTL are caught, later ones are new."""

from __future__ import annotations

from bot.commands.dedupe import EVENT_TTL_SECONDS, SeenEvents


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_retry_after_five_minutes_is_still_a_repeat() -> None:
    """T10: Slack's last retry (~5 min 10 s later) is recognised; the TTL is at least 10 min."""
    clock = FakeClock()
    seen = SeenEvents(clock=clock)
    assert EVENT_TTL_SECONDS >= 600
    assert seen.first_time("Ev1")
    clock.now += 60
    assert not seen.first_time("Ev1")
    clock.now += 250
    assert not seen.first_time("Ev1")
    assert seen.first_time("Ev2")


def test_forgets_after_ttl() -> None:
    """Past the TTL an id is forgotten (memory stays bounded)."""
    clock = FakeClock()
    seen = SeenEvents(ttl=600, clock=clock)
    seen.first_time("Ev1")
    clock.now += 601
    assert seen.first_time("Ev1")
