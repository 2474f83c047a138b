"""The product assembled for measurement, through the product's own code.

`open_runtime` is `Runtime.open` — the composition root `python -m bot run`
uses — over a settings mapping, so the store, the HTTP client, the poller and
its alias book (seeded from the store's known drug groups) are exactly what the
bot builds. `Ticker` runs the real scheduler (`bot.scheduler.build_scheduler`,
called as `run` calls it) one tick at a time.

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
    """Runs the product's scheduler over a runtime one tick at a time.

    A tick is what a freshly started scheduler does first: every source is due
    at start, whatever the scheduler's design (a job per source, or one job
    polling the due sources). Each `tick()` builds the scheduler as `run` does
    (`build_scheduler`), starts it, waits until the jobs due at start have been
    submitted, and shuts it down with `wait=True`, which returns once every poll
    it started has finished and committed. The runtime — store, poller, alias
    book — lives on across ticks, warm, as in production.
    """

    PERIODIC_GRACE = timedelta(seconds=1)

    def __init__(self, rt: Any, *, timeout: float = 600.0) -> None:
        try:
            from apscheduler.events import EVENT_JOB_SUBMITTED

            from bot.scheduler import build_scheduler
        except ImportError as exc:
            raise NotAvailable(f"the scheduler cannot be imported ({exc})") from exc
        self.rt = rt
        self.timeout = timeout
        self._build = build_scheduler
        self._submitted_event = EVENT_JOB_SUBMITTED

    def tick(self) -> float:
        """One tick; returns its wall seconds (start → every poll finished and committed)."""
        scheduler = self._build(self.rt.poller, self.rt.sources, tz="UTC",
                                flush=self.rt.store.flush)
        submitted: set[str] = set()
        cond = threading.Condition()

        def on_submit(event: Any) -> None:
            with cond:
                submitted.add(event.job_id)
                cond.notify_all()

        scheduler.add_listener(on_submit, self._submitted_event)
        scheduler.start(paused=True)
        try:
            soon = datetime.now(UTC) + self.PERIODIC_GRACE
            # Due at start: the polls. Periodic jobs (outbox relay, flush) come later.
            due = {j.id for j in scheduler.get_jobs()
                   if j.next_run_time is not None and j.next_run_time <= soon}
            if not due:
                raise NotAvailable("build_scheduler scheduled no poll to run at start")
            started = time.perf_counter()
            scheduler.resume()
            deadline = time.monotonic() + self.timeout
            with cond:
                while not due <= submitted:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise RuntimeError(f"the scheduler started no poll in {self.timeout:g} s")
                    cond.wait(left)
        finally:
            scheduler.shutdown(wait=True)  # returns when every started poll has committed
        return time.perf_counter() - started
