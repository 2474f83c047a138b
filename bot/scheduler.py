"""APScheduler wiring: one tick job that polls the due sources, the outbox relay, the digest.

One tick, one write: every `tick_seconds` (the greatest common divisor of
the enabled sources' intervals), the `Ticker` fetches the sources that are
due, in parallel threads, and commits what they found in ONE store write
(`Poller.commit`), so a cycle of 20 feeds is one durable write instead of 20.
A source whose fetch is still running when the tick has waited `gather`
seconds does not hold the others back: it commits on its own when it ends,
and is not polled again until it has (one line in the log says so).

APScheduler's defaults are wrong for a poller (docs/DEPENDENCIES.md, "APScheduler 3.x"): a 1-second
misfire grace drops runs whenever the pool is briefly busy, and a job that
hangs with max_instances=1 stops every source forever. Every fetch has an
overall deadline (bot.sources.http), so a fetch always ends; the tick's grace
time is its whole period so a late tick still happens, and coalescing turns
a backlog (after a suspend or clock jump) into one tick, not a burst.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import messages
from bot.models import SourceConfig

log = logging.getLogger(__name__)

# Pending deliveries left by a Slack outage are retried on this period.
OUTBOX_RETRY_SECONDS = 30
# Source health from polls that brought nothing new is kept in memory (no file
# rewrite per 304) and saved on this period; a crash loses at most that much
# health history, never an item (see bot/store/store.py).
FLUSH_SECONDS = 300
# How long a tick waits for its slowest fetch before committing the others.
GATHER_SECONDS = 10.0
TICK_JOB = "tick"


class TickPoller(Protocol):
    """What the ticker needs of `bot.pipeline.Poller`."""

    wake: Callable[[datetime], object] | None  # set here: run the relay when a wait ends

    def fetch(self, source: SourceConfig, *, force: bool = ...) -> Any: ...

    def commit(self, fetched: Sequence[Any]) -> Any: ...

    def deliver(self) -> object: ...


def tick_seconds(sources: Sequence[SourceConfig]) -> float:
    """The tick period: every interval is a whole number of ticks (at least 1 s)."""
    whole = [max(1, round(s.interval_seconds)) for s in sources if s.enabled]
    return float(math.gcd(*whole)) if whole else 60.0


class Ticker:
    """Polls the due sources of a tick in parallel and commits them together."""

    def __init__(self, poller: TickPoller, sources: Sequence[SourceConfig], *,
                 gather: float | None = None, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.poller = poller
        self.sources = [s for s in sources if s.enabled]
        self.period = tick_seconds(self.sources)
        self.gather = min(self.period, GATHER_SECONDS) if gather is None else gather
        self.clock = clock
        start = clock()
        self._due = {s.name: start for s in self.sources}
        self._running: set[str] = set()
        self._overrun_told: set[str] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(self.sources)),
                                        thread_name_prefix="poll")

    def tick(self) -> None:
        """Fetch every due source, then commit what arrived within `gather` in one write."""
        due = self._take_due()
        if not due:
            return
        futures = {self._pool.submit(self.poller.fetch, s, force=False): s for s in due}
        done, late = wait(futures, timeout=self.gather)
        self._commit([f for f in futures if f in done], futures)
        for future in late:
            log.info("poll of %s is slow: committing it on its own when it ends",
                     futures[future].name)
            future.add_done_callback(lambda f: self._commit([f], futures))

    def shutdown(self, wait: bool = True) -> None:
        """Let running fetches finish and commit (SIGTERM waits for them)."""
        self._pool.shutdown(wait=wait)

    def _take_due(self) -> list[SourceConfig]:
        now = self.clock()
        due = []
        with self._lock:
            for source in self.sources:
                if self._due[source.name] > now:
                    continue
                if source.name in self._running:
                    if source.name not in self._overrun_told:
                        self._overrun_told.add(source.name)
                        log.warning("%s", messages.overrun(f"poll {source.name}",
                                                           source.interval_seconds))
                    continue
                nxt = self._due[source.name] + source.interval_seconds
                self._due[source.name] = nxt if nxt > now else now + source.interval_seconds
                self._running.add(source.name)
                due.append(source)
        return due

    def _commit(self, done: list[Future[Any]], names: dict[Future[Any], SourceConfig]) -> None:
        fetched = []
        for future in done:
            try:
                fetched.append(future.result())
            except Exception:  # a bug in one source's fetch must not stop the others
                log.exception("poll of %s failed; it will run again at its next time",
                              names[future].name)
        try:
            if fetched:
                self.poller.commit(fetched)
        except Exception:
            log.exception("committing the polls of %s failed; they run again next time",
                          ", ".join(names[f].name for f in done))
        finally:
            with self._lock:
                for future in done:
                    self._running.discard(names[future].name)
                    self._overrun_told.discard(names[future].name)


class PollScheduler(BackgroundScheduler):  # type: ignore[misc]  # APScheduler 3 is untyped
    """A BackgroundScheduler whose shutdown also waits for the ticker's running fetches."""

    ticker: Ticker | None = None

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait=wait)
        if self.ticker is not None:
            self.ticker.shutdown(wait=wait)


def build_scheduler(
    poller: TickPoller,
    sources: Sequence[SourceConfig],
    *,
    tz: str,
    digest_cron: str | None = None,
    digest: Callable[[], object] | None = None,
    flush: Callable[[], object] | None = None,
) -> PollScheduler:
    """A scheduler with every job added, not yet started."""
    scheduler = PollScheduler(timezone=tz)
    for source in sources:
        if not source.enabled:
            log.info("source %s is disabled%s", source.name,
                     f": {source.note}" if source.note else "")
    ticker = Ticker(poller, sources)
    if ticker.sources:
        scheduler.ticker = ticker
        scheduler.add_job(
            _guarded(ticker.tick, TICK_JOB),
            IntervalTrigger(seconds=ticker.period, timezone=tz),
            id=TICK_JOB, name="poll the due sources",
            next_run_time=datetime.now(UTC),
            max_instances=1, coalesce=True, misfire_grace_time=max(1, int(ticker.period)),
        )
    add_periodic(scheduler, poller.deliver, OUTBOX_RETRY_SECONDS, "outbox",
                 "deliver pending alerts")
    poller.wake = _waker(scheduler, poller.deliver)  # GROUP_WAIT: run when a wait ends
    if flush is not None:
        add_periodic(scheduler, flush, FLUSH_SECONDS, "flush", "save source health")
    if digest is not None and digest_cron:
        scheduler.add_job(
            _guarded(digest, "digest"),
            CronTrigger.from_crontab(digest_cron, timezone=tz),
            id="digest", name="weekly digest",
            max_instances=1, coalesce=True, misfire_grace_time=3600,
        )
    return scheduler


def add_periodic(
    scheduler: BackgroundScheduler, func: Callable[[], object], seconds: float, job_id: str,
    name: str,
) -> None:
    """A guarded job every `seconds`; a late run still happens, a backlog runs once."""
    scheduler.add_job(
        _guarded(func, job_id),
        IntervalTrigger(seconds=seconds, timezone=scheduler.timezone),
        id=job_id, name=name,
        max_instances=1, coalesce=True, misfire_grace_time=max(1, int(seconds)),
    )


def _waker(scheduler: BackgroundScheduler, deliver: Callable[[], object]
            ) -> Callable[[datetime], None]:
    """wake(when): one extra relay run at WHEN (the earliest asked for wins).

    Called from inside jobs, it schedules from a short-lived thread: `shutdown(wait=True)`
    holds the scheduler's job-store lock while it waits for running jobs, so a job that
    took that lock itself would never finish."""
    lock = threading.Lock()

    def schedule(when: datetime) -> None:
        with lock:
            job = scheduler.get_job("outbox-due")
            if job is not None and job.next_run_time is not None and job.next_run_time <= when:
                return
            scheduler.add_job(_guarded(deliver, "outbox-due"), DateTrigger(run_date=when),
                              id="outbox-due", name="deliver alerts whose group wait ended",
                              replace_existing=True, misfire_grace_time=None, coalesce=True)

    def wake(when: datetime) -> None:
        if scheduler.running:
            threading.Thread(target=schedule, args=(when,), name="outbox-wake",
                             daemon=True).start()

    return wake


def _guarded(func: Callable[..., object], what: str) -> Callable[..., None]:
    """A job that logs instead of dying: an exception must not end the schedule."""

    def run(*args: object) -> None:
        try:
            func(*args)
        except Exception:
            log.exception("job %s failed; it will run again at its next time", what)

    run.__name__ = f"job_{what}"
    return run
