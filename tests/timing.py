"""Time in tests without wall-clock assertions: injected clocks and bounded waits.

A test never asserts how long something took (machine speed varies several-fold on a
busy 2-core box; speed is measured in bench/) and never sleeps to prove that nothing
happened. It injects a clock, or waits for observable state with a deadline that only
turns a hang into a failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class FakeClock:
    """A monotonic clock that moves only when the code under test sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def wait_until(check: Callable[[], object], *, timeout: float, what: str,
               every: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy and return that; fail naming `what`
    after `timeout` seconds. The timeout is a hang guard, never the thing tested."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)
