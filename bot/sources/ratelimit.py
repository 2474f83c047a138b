"""A per-host minimum interval between requests, shared by every caller.

SEC asks for at most 10 requests a second from one user and its full-text
search misbehaves above 5; ClinicalTrials.gov's robots.txt asks for one a
second. Several scheduler threads may hit the same host at once, so the
limiter reserves time slots under a lock and sleeps outside it.

Hosts can share one bucket (`efts.sec.gov` and `www.sec.gov` count as one
SEC user), and a rule for `sec.gov` also covers its sub-domains.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping

# Defaults for the public services holdwatch reads; loopback tests add their own.
DEFAULT_MIN_INTERVALS: Mapping[str, float] = {
    "sec.gov": 0.25,  # 4 req/s: "well under" SEC's fair-access limit
    "clinicaltrials.gov": 1.0,  # robots.txt Crawl-delay: 1
}


class HostRateLimiter:
    """Spaces requests to each host (or group of hosts) by a minimum interval."""

    def __init__(
        self,
        min_intervals: Mapping[str, float] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._rules: dict[str, tuple[str, float]] = {}  # host suffix -> (bucket, interval)
        self._next_free: dict[str, float] = {}  # bucket -> earliest next request
        for host, interval in (min_intervals or {}).items():
            self.limit((host,), interval)

    def limit(self, hosts: Iterable[str], min_interval: float) -> None:
        """Make all `hosts` share one bucket spaced by `min_interval` seconds.

        A stricter existing rule for a host is kept (the limiter only ever
        slows down), so a test or a source cannot loosen SEC's limit.
        """
        hosts = [h.lower() for h in hosts if h]
        if not hosts:
            return
        with self._lock:
            bucket = "|".join(sorted(hosts))
            for host in hosts:
                existing = self._rules.get(host)
                if existing is None or existing[1] <= min_interval:
                    self._rules[host] = (bucket, min_interval)

    def _rule_for(self, host: str) -> tuple[str, float] | None:
        host = host.lower()
        while host:
            if host in self._rules:
                return self._rules[host]
            _, _, host = host.partition(".")
        return None

    def wait(self, host: str) -> float:
        """Block until a request to `host` may go out; returns the seconds slept."""
        with self._lock:
            rule = self._rule_for(host)
            if rule is None:
                return 0.0
            bucket, interval = rule
            now = self._clock()
            slot = max(now, self._next_free.get(bucket, now))
            self._next_free[bucket] = slot + interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)
