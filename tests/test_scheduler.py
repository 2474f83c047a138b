"""The scheduler: one guarded job per enabled source with poll-friendly settings."""

from __future__ import annotations

import threading
import time

from bot.models import SourceConfig
from bot.scheduler import build_scheduler, source_job_id


class RecordingPoller:
    """Stands in for Poller: records which sources were polled; one always raises."""

    def __init__(self) -> None:
        self.polled: list[str] = []
        self.delivered = threading.Event()

    def poll(self, source: SourceConfig) -> None:
        self.polled.append(source.name)
        if source.name == "broken":
            raise RuntimeError("boom")

    def deliver(self) -> None:
        self.delivered.set()


def _sources() -> list[SourceConfig]:
    return [
        SourceConfig("news", "rss", "http://127.0.0.1/a", interval_seconds=1),
        SourceConfig("broken", "rss", "http://127.0.0.1/b", interval_seconds=1),
        SourceConfig("off", "rss", "http://127.0.0.1/c", enabled=False, note="needs a key"),
    ]


def test_jobs_have_poll_friendly_settings() -> None:
    """Each enabled source gets a job with max_instances=1, coalesce and a long grace."""
    sources = [SourceConfig("news", "rss", "http://127.0.0.1/a", interval_seconds=600),
               *_sources()[1:]]
    scheduler = build_scheduler(RecordingPoller(), sources, tz="UTC",  # type: ignore[arg-type]
                                digest_cron="0 9 * * MON", digest=lambda: None,
                                flush=lambda: None)
    ids = {job.id for job in scheduler.get_jobs()}
    assert ids == {source_job_id("news"), source_job_id("broken"), "outbox", "digest", "flush"}
    job = scheduler.get_job(source_job_id("news"))
    assert job.max_instances == 1 and job.coalesce is True
    assert job.misfire_grace_time == 600  # a late run still happens within its interval
    assert scheduler.get_job(source_job_id("off")) is None


def test_failing_job_does_not_stop_the_others() -> None:
    """A source whose job raises keeps being scheduled, and the others still run."""
    poller = RecordingPoller()
    scheduler = build_scheduler(poller, _sources(), tz="UTC")  # type: ignore[arg-type]
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if poller.polled.count("broken") >= 2 and poller.polled.count("news") >= 2:
                break
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert poller.polled.count("broken") >= 2
    assert poller.polled.count("news") >= 2
