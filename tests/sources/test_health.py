"""Source health: backoff, due times, and one notice per outage."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from bot.errors import SourceError
from bot.models import SourceState
from bot.sources.health import (
    MAX_BACKOFF_SECONDS,
    after_failure,
    after_success,
    apply_notice,
    due,
    notice,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ERROR = SourceError("gnews", "https://news.google.com/rss", "HTTP 500 Internal Server Error",
                    status=500)  # fmt: skip


def _fail(state: SourceState, n: int = 1, error: SourceError = ERROR, seed: int = 1):
    rng = random.Random(seed)
    for _ in range(n):
        state = after_failure(state, now=NOW, interval=60, error=error, rng=rng)
    return state


def _delay(state: SourceState) -> float:
    assert state.next_poll is not None
    return (state.next_poll - NOW).total_seconds()


def test_backoff_grows_with_each_failure_and_is_capped():
    """Each consecutive failure waits longer, never more than the cap (+jitter)."""
    delays = [_delay(_fail(SourceState(name="s"), n)) for n in range(1, 12)]
    assert all(b > a for a, b in itertools.pairwise(delays[:7]))
    assert max(delays) <= MAX_BACKOFF_SECONDS * 1.2
    assert delays[0] >= 60  # never sooner than the normal interval


def test_backoff_is_jittered():
    """Two sources failing together do not retry at the same instant."""
    assert _delay(_fail(SourceState(name="a"), 3, seed=1)) != _delay(
        _fail(SourceState(name="b"), 3, seed=2)
    )


def test_retry_after_is_honoured():
    """A 429 asking for 2 hours is not retried after one minute."""
    error = SourceError("gnews", "https://x", "HTTP 429", status=429, retry_after=7200)
    state = _fail(SourceState(name="s"), 1, error)
    assert _delay(state) >= 7200 and state.backoff_until == state.next_poll


def test_failure_records_reason_url_and_count():
    """last_error is '<reason> (<url>)' and the streak is counted."""
    state = _fail(SourceState(name="s"), 2)
    assert state.last_error == "HTTP 500 Internal Server Error (https://news.google.com/rss)"
    assert state.consecutive_failures == 2 and state.last_error_at == NOW


def test_success_resets_the_streak_and_schedules_next_poll():
    """After success: no failures, items counted, next poll one interval later."""
    state = after_success(_fail(SourceState(name="s"), 3), now=NOW, interval=600, items=4)
    assert (state.consecutive_failures, state.items_last_time) == (0, 4)
    assert state.next_poll == NOW + timedelta(seconds=600) and state.backoff_until is None
    assert state.last_success == NOW and state.last_error is not None  # history kept for status


def test_due():
    """Never polled → due; in backoff → not due until it ends; success → due at once."""
    assert due(SourceState(name="s"), NOW)
    state = _fail(SourceState(name="s"))
    assert not due(state, NOW + timedelta(seconds=1))
    assert state.backoff_until is not None and due(state, state.backoff_until)


def test_scheduled_run_just_before_next_poll_is_not_skipped():
    """A run firing a few ms before next_poll (the scheduler's own rhythm) still polls."""
    state = after_success(SourceState(name="s"), now=NOW, interval=2, items=0)
    assert due(state, state.next_poll - timedelta(milliseconds=5))


def test_one_failing_notice_at_threshold_and_one_recovery():
    """Five failures with threshold 3: one 'failing' notice; then one 'recovered'."""
    state, messages = SourceState(name="gnews", last_success=NOW), []
    for _ in range(5):
        new = _fail(state)
        messages.append(notice(state, new, 3))
        state = new
    assert [m is not None for m in messages] == [False, False, True, False, False]
    assert "gnews" in messages[2] and "failing since" in messages[2] and "HTTP 500" in messages[2]
    recovered = after_success(state, now=NOW, interval=60, items=0)
    message = notice(state, recovered, 3)
    assert message is not None and "recovered" in message
    again = after_success(recovered, now=NOW, interval=60, items=0)
    assert notice(recovered, again, 3) is None


def test_no_recovery_notice_for_a_short_blip():
    """A failure below the threshold then a success says nothing."""
    failed = _fail(SourceState(name="s"))
    assert notice(failed, after_success(failed, now=NOW, interval=60, items=1), 3) is None


def test_apply_notice_records_failure_notified():
    """apply_notice marks the outage as reported and a success clears it."""
    state = _fail(SourceState(name="s"), 2)
    state, message = apply_notice(state, _fail(state), 3)
    assert message is not None and state.failure_notified
    state, message = apply_notice(state, _fail(state), 3)
    assert message is None and state.failure_notified
    state, message = apply_notice(state, after_success(state, now=NOW, interval=60), 3)
    assert message is not None and "recovered" in message and not state.failure_notified
