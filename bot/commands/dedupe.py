"""Events API retries handled once: de-duplicate by `event_id`, never by retry number.

Slack retries an unacknowledged event immediately, after ~1 min and after ~5 min
(`X-Slack-Retry-Num`). A retry may be the only copy (the bot was restarting when
the first one came), so retries are *not* dropped as such; an `event_id` already
handled within the TTL is. The TTL outlives the last retry
(docs/DEPENDENCIES.md, "Slack: Events API retries").
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt.middleware.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

EVENT_TTL_SECONDS = 15 * 60
MAX_REMEMBERED = 10_000


class SeenEvents:
    """Thread-safe memory of event ids with a time-to-live."""

    def __init__(
        self, *, ttl: float = EVENT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True the first time `event_id` is offered within the TTL; False for repeats."""
        now = self._clock()
        with self._lock:
            while self._seen and (
                next(iter(self._seen.values())) < now - self._ttl
                or len(self._seen) > MAX_REMEMBERED
            ):
                self._seen.popitem(last=False)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True


class DedupeEvents(Middleware):
    """Global Bolt middleware: a repeated `event_callback` is acknowledged and skipped."""

    def __init__(self, seen: SeenEvents | None = None) -> None:
        self.seen = seen or SeenEvents()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body or {}
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not self.seen.first_time(str(event_id)):
            return BoltResponse(status=200, body="")
        return next()
