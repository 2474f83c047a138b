"""Our retry policy for one Slack call (the SDK's handlers are off, see slack.py).

- 429: wait `Retry-After` (capped by `max_wait`, at most `max_rate_limited` times);
  nothing was processed, so just send again;
- 5xx / no answer: back off exponentially, at most `max_attempts` tries; the call
  may have been processed, so `look()` (find the message already posted) runs
  before sending again;
- anything else: raised at once.
When the budget is spent the last `NotifyError` is raised and the row stays pending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.errors import NotifyError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    sleep: Callable[[float], None]
    max_attempts: int = 4
    max_rate_limited: int = 5
    max_wait: float = 30.0
    backoff: float = 0.5

    def __call__(
        self,
        send: Callable[[], T],
        *,
        destination: str,
        look: Callable[[], T | None] | None = None,
        look_first: bool = False,
    ) -> T:
        """`send()` with our retry policy; `look()` before re-sending something ambiguous."""
        failures = limited = 0
        check = look is not None and look_first
        while True:
            try:
                if check and look is not None:
                    found = look()
                    check = False
                    if found is not None:
                        return found
                return send()
            except NotifyError as exc:
                if not exc.retryable:
                    raise
                if exc.retry_after is not None:
                    limited += 1
                    if limited > self.max_rate_limited or exc.retry_after > self.max_wait:
                        raise
                    log.info("Slack rate limit for %s: waiting %g s", destination, exc.retry_after)
                    self.sleep(exc.retry_after)
                    continue
                failures += 1
                if failures >= self.max_attempts:
                    raise
                wait = self.backoff * 2 ** (failures - 1)
                log.info("Slack trouble for %s (%s): retry in %g s", destination, exc.reason, wait)
                self.sleep(wait)
                check = look is not None
