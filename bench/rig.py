"""The product assembled for measurement, through the product's own code.

`open_runtime` is `Runtime.open` — the composition root `python -m bot run`
uses — over a settings mapping, so the store, the HTTP client, the poller and
its alias book (seeded from the store's known drug groups) are exactly what the
bot builds. `Ticker` drives the real scheduler (`bot.scheduler.build_scheduler`,
called as `run` calls it) one tick at a time: every job due at start is one
tick, and later ticks make those same jobs due at the same moment again.

The one stand-in is `NullNotifier`: poll-cost figures leave deliveries pending
in the outbox (they are decided and written in the poll's commit as always);
posting is measured by the alert-latency scenario against FakeSlack.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import NotAvailable

log = logging.getLogger(__name__)


class NullNotifier:
    """Leaves deliveries pending: posting is not part of the poll-cost figures."""

    def deliver_pending(self) -> None:
        return None


def write_sources(path: Path, feeds: Sequence[tuple[str, str]], interval: str = "1h") -> Path:
    """A sources file (DESIGN.md format) with one RSS source per (name, url)."""
    blocks = [f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{url}"\n'
              f'interval = "{interval}"\n' for name, url in feeds]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def settings_env(db: Path, sources: Path, **extra: str) -> dict[str, str]:
    """The environment a bot started with these files would read (nothing else)."""
    return {"BOT_DB_PATH": str(db), "SOURCES_FILE": str(sources), "LOG_LEVEL": "WARNING",
            **extra}


def open_runtime(db: Path, sources: Path, *, env: Mapping[str, str] | None = None) -> Any:
    """`Runtime.open` over DB and SOURCES; console mode unless ENV names a bot token."""
    try:
        from bot.config import load_settings
        from bot.runtime import Runtime
    except ImportError as exc:
        raise NotAvailable(f"the runtime cannot be imported ({exc})") from exc
    settings = load_settings(settings_env(db, sources, **(env or {})), dotenv_path=None)
    return Runtime.open(settings, exclusive=True, console=io.StringIO())


def known_groups(book: object) -> int | None:
    groups = getattr(book, "groups", None)
    try:
        return len(groups()) if callable(groups) else None
    except Exception:  # only a figure for a note
        return None


class Ticker:
    """The real scheduler of a runtime, run one tick at a time (a context manager)."""

    PERIODIC_GRACE = timedelta(seconds=1)

    def __init__(self, rt: Any, *, timeout: float = 600.0) -> None:
        try:
            from apscheduler.events import (
                EVENT_JOB_ERROR,
                EVENT_JOB_EXECUTED,
                EVENT_JOB_MAX_INSTANCES,
                EVENT_JOB_MISSED,
            )

            from bot.scheduler import build_scheduler
        except ImportError as exc:
            raise NotAvailable(f"the scheduler cannot be imported ({exc})") from exc
        self.timeout = timeout
        self.scheduler = build_scheduler(rt.poller, rt.sources, tz="UTC", flush=rt.store.flush)
        self._cond = threading.Condition()
        self._done: dict[str, int] = {}
        self.skipped = 0
        self.scheduler.add_listener(
            self._event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
            | EVENT_JOB_MAX_INSTANCES)
        self._executed = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        self.scheduler.start(paused=True)
        soon = datetime.now(UTC) + self.PERIODIC_GRACE
        # The jobs due at start are the tick (one per source today; whatever polls the
        # sources tomorrow); periodic jobs (outbox relay, flush) are due later.
        self.tick_jobs = [j.id for j in self.scheduler.get_jobs()
                          if j.next_run_time is not None and j.next_run_time <= soon]
        if not self.tick_jobs:
            self.close()
            raise NotAvailable("build_scheduler scheduled no poll to run at start")
        self._ticks = 0

    def _event(self, event: Any) -> None:
        with self._cond:
            if not event.code & self._executed:
                self.skipped += 1
            self._done[event.job_id] = self._done.get(event.job_id, 0) + 1
            self._cond.notify_all()

    def tick(self) -> float:
        """Run one tick; returns its wall seconds (first job due → last job finished)."""
        with self._cond:
            goal = {job: self._done.get(job, 0) + 1 for job in self.tick_jobs}
        started = time.perf_counter()
        if self._ticks:
            self.scheduler.pause()
            now = datetime.now(UTC)
            for job in self.tick_jobs:
                self.scheduler.modify_job(job, next_run_time=now)
        self.scheduler.resume()
        self._ticks += 1
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while any(self._done.get(job, 0) < n for job, n in goal.items()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"a scheduler tick did not finish in {self.timeout:g} s")
                self._cond.wait(left)
        return time.perf_counter() - started

    def close(self) -> None:
        self.scheduler.shutdown(wait=True)

    def __enter__(self) -> Ticker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
