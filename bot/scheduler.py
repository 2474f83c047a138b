"""APScheduler wiring: one job per enabled source, the outbox relay, the digest.

APScheduler's defaults are wrong for a poller (docs/DEPENDENCIES.md, "APScheduler 3.x"): a 1-second
misfire grace drops runs whenever the pool is briefly busy, and a job that
hangs with max_instances=1 stops that source forever. Every fetch has an
overall deadline (bot.sources.http), so a job always ends; the grace time is
the whole interval so a late run still happens, and coalescing turns a
backlog (after a suspend or clock jump) into one run, not a burst.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.models import SourceConfig
from bot.pipeline import Poller

log = logging.getLogger(__name__)

# Pending deliveries left by a Slack outage are retried on this period.
OUTBOX_RETRY_SECONDS = 30
# Source health from polls that brought nothing new is kept in memory (no file
# rewrite per 304) and saved on this period; a crash loses at most that much
# health history, never an item (see bot/store/store.py).
FLUSH_SECONDS = 300


def source_job_id(name: str) -> str:
    return f"poll:{name}"


def build_scheduler(
    poller: Poller,
    sources: Sequence[SourceConfig],
    *,
    tz: str,
    digest_cron: str | None = None,
    digest: Callable[[], object] | None = None,
    flush: Callable[[], object] | None = None,
) -> BackgroundScheduler:
    """A scheduler with every job added, not yet started."""
    enabled = [s for s in sources if s.enabled]
    # One thread per source plus the relay and the digest: one slow source
    # never waits for a pool slot behind another.
    scheduler = BackgroundScheduler(
        timezone=tz,
        executors={"default": ThreadPoolExecutor(max_workers=len(enabled) + 2)},
    )
    now = datetime.now(UTC)
    for source in enabled:
        scheduler.add_job(
            _guarded(poller.poll, source.name),
            IntervalTrigger(seconds=source.interval_seconds, timezone=tz),
            args=[source],
            id=source_job_id(source.name),
            name=f"poll {source.name}",
            next_run_time=now,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(source.interval_seconds)),
        )
    for source in sources:
        if not source.enabled:
            log.info("source %s is disabled%s", source.name,
                     f": {source.note}" if source.note else "")
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
