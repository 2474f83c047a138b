"""Source health bookkeeping: backoff after failures, when to poll, admin notices.

Pure functions over `SourceState`; the pipeline saves what they return.

Notices: `notice(previous, current, threshold)` says "failing" once, when the
consecutive-failure count crosses the threshold, and "recovered" once, on the
first success after that. It works from the counts alone, so a caller that
never touches `failure_notified` still gets one message per outage.
`apply_notice` does the same and also records `failure_notified` in the
state (shown by `status`; it keeps the recovery notice right even if the
threshold setting changes during an outage). `after_success` clears it;
`after_failure` keeps it.
"""

from __future__ import annotations

import random
from collections.abc import Sized
from dataclasses import replace
from datetime import datetime, timedelta

from bot.errors import SourceError
from bot.models import SourceState

MAX_BACKOFF_SECONDS = 3600.0
JITTER = 0.2  # +-20 %: spreads retries of sources that failed together
MAX_ERROR_CHARS = 300


def after_success(
    state: SourceState, *, now: datetime, interval: float, items: int | Sized = 0
) -> SourceState:
    """A good fetch: clear the failure streak, next poll one interval later.

    `items` is the number of items fetched (a sized collection is counted).
    """
    count = items if isinstance(items, int) else len(items)
    return replace(
        state,
        last_success=now,
        last_attempt=now,
        consecutive_failures=0,
        items_last_time=count,
        next_poll=now + timedelta(seconds=interval),
        backoff_until=None,
        failure_notified=False,
    )


def backoff_seconds(
    failures: int, interval: float, rng: random.Random, retry_after: float | None = None
) -> float:
    """Delay before the next try after `failures` consecutive failures.

    Doubles from one interval (capped at MAX_BACKOFF_SECONDS, but never below
    the normal interval), +-JITTER, and never sooner than the server's Retry-After.
    """
    exponent = min(max(failures - 1, 0), 30)
    base = min(MAX_BACKOFF_SECONDS, interval * 2.0**exponent)
    delay = max(interval, base * rng.uniform(1 - JITTER, 1 + JITTER))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def after_failure(
    state: SourceState,
    *,
    now: datetime,
    interval: float,
    error: SourceError,
    rng: random.Random,
) -> SourceState:
    """A failed fetch: record the reason, back off exponentially (jittered)."""
    failures = state.consecutive_failures + 1
    delay = backoff_seconds(failures, interval, rng, error.retry_after)
    until = now + timedelta(seconds=delay)
    return replace(
        state,
        last_attempt=now,
        last_error=describe(error),
        last_error_at=now,
        consecutive_failures=failures,
        next_poll=until,
        backoff_until=until,
    )


def describe(error: SourceError) -> str:
    """'<status/reason> (<url>)', short enough for a status table."""
    return f"{error.reason} ({error.url})"[:MAX_ERROR_CHARS]


def due(state: SourceState, now: datetime) -> bool:
    """May the source be polled now? Only a failure's backoff holds a poll back.

    The scheduler already fires once per interval; `next_poll` is what status
    shows. Gating on it too skipped every other run, because a run fires a few
    milliseconds before the `next_poll` its predecessor computed from its own
    finishing time — doubling the real interval.
    """
    return state.backoff_until is None or now >= state.backoff_until


def notice(previous: SourceState, current: SourceState, threshold: int) -> str | None:
    """One 'failing' message per outage, one 'recovered' message after it; else None."""
    threshold = max(1, threshold)
    if current.consecutive_failures > previous.consecutive_failures:
        crossed = previous.consecutive_failures < threshold <= current.consecutive_failures
        if crossed and not previous.failure_notified:
            since = _when(previous.last_success) if previous.last_success else "its first poll"
            return (
                f"source {current.name!r} failing since {since} "
                f"({current.consecutive_failures} failures in a row): {current.last_error}"
            )
        return None
    was_reported = previous.failure_notified or previous.consecutive_failures >= threshold
    if current.consecutive_failures == 0 and previous.consecutive_failures > 0 and was_reported:
        return (
            f"source {current.name!r} recovered after "
            f"{previous.consecutive_failures} failures in a row"
        )
    return None


def apply_notice(
    previous: SourceState, current: SourceState, threshold: int
) -> tuple[SourceState, str | None]:
    """`notice`, plus `failure_notified` recorded in the returned state."""
    message = notice(previous, current, threshold)
    if message is None:
        return current, None
    return replace(current, failure_notified=current.consecutive_failures > 0), message


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()
