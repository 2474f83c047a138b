"""The wall clock, in UTC: the one default every clock parameter falls back to.

Everything that needs the time takes a clock (tests inject theirs); stored and
compared moments are UTC, shown ones are converted to TZ (bot/display.py).
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
