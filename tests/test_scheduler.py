"""The scheduler: one tick job polls the due sources and commits them in one write."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import SourceConfig
from bot.scheduler import TICK_JOB, Ticker, build_scheduler, tick_seconds
from tests.timing import FakeClock, wait_until


@dataclass(frozen=True)
class Fetched:
    name: str


class RecordingPoller:
    """Stands in for Poller: records fetches and commits; 'broken' raises, 'slow' blocks
    until released."""

    def __init__(self) -> None:
        self.fetched: list[str] = []
        self.commits: list[list[str]] = []
        self.release = threading.Event()
        self.delivered = threading.Event()
        self._lock = threading.Lock()

    def fetch(self, source: SourceConfig, *, force: bool = False) -> Fetched:
        with self._lock:
            self.fetched.append(source.name)
        if source.name == "broken":
            raise RuntimeError("boom")
        if source.name == "slow":
            self.release.wait(30)
        return Fetched(source.name)

    def commit(self, fetched: Sequence[Fetched]) -> None:
        with self._lock:
            self.commits.append(sorted(f.name for f in fetched))

    def deliver(self) -> None:
        self.delivered.set()


def feed(name: str, interval: float = 60) -> SourceConfig:
    return SourceConfig(name, "rss", f"http://127.0.0.1/{name}", interval_seconds=interval)


def test_tick_job_has_poll_friendly_settings() -> None:
    """One tick job (max_instances=1, coalesce, grace = its period) every gcd of the
    intervals; disabled sources are not polled."""
    sources = [feed("a", 600), feed("b", 900),
               SourceConfig("off", "rss", "http://127.0.0.1/c", enabled=False, note="key")]
    scheduler = build_scheduler(RecordingPoller(), sources, tz="UTC",
                                digest_cron="0 9 * * MON", digest=lambda: None,
                                flush=lambda: None)
    assert {job.id for job in scheduler.get_jobs()} == {TICK_JOB, "outbox", "digest", "flush"}
    job = scheduler.get_job(TICK_JOB)
    assert job.max_instances == 1 and job.coalesce is True
    assert job.trigger.interval.total_seconds() == 300 == tick_seconds(sources)
    assert job.misfire_grace_time == 300
    assert [s.name for s in scheduler.ticker.sources] == ["a", "b"]


def test_due_sources_of_a_tick_are_committed_together() -> None:
    """Three due sources: fetched once each, ONE commit holding all three; a source is
    polled again only when its own interval has passed."""
    poller, clock = RecordingPoller(), FakeClock()
    ticker = Ticker(poller, [feed("a", 60), feed("b", 60), feed("c", 120)], clock=clock)
    ticker.tick()
    assert poller.commits == [["a", "b", "c"]]
    clock.now += 30
    ticker.tick()  # nothing due yet
    clock.now += 30
    ticker.tick()
    assert poller.commits == [["a", "b", "c"], ["a", "b"]]
    clock.now += 60
    ticker.tick()
    assert poller.commits[-1] == ["a", "b", "c"] and len(poller.fetched) == 8
    ticker.shutdown()


def test_failing_fetch_does_not_stop_the_others() -> None:
    """A source whose fetch raises is logged; the others of its tick are still committed,
    and it runs again at its next time."""
    poller, clock = RecordingPoller(), FakeClock()
    ticker = Ticker(poller, [feed("news"), feed("broken")], clock=clock)
    ticker.tick()
    clock.now += 60
    ticker.tick()
    assert poller.commits == [["news"], ["news"]]
    assert poller.fetched.count("broken") == 2
    ticker.shutdown()


def test_slow_source_commits_alone_and_is_not_polled_twice_at_once(caplog) -> None:
    """The tick commits the fast sources without waiting for a slow one; the slow one is
    skipped while it runs (said once) and commits on its own when it ends."""
    poller, clock = RecordingPoller(), FakeClock()
    ticker = Ticker(poller, [feed("fast"), feed("slow")], gather=0.2, clock=clock)
    ticker.tick()
    assert poller.commits == [["fast"]]
    clock.now += 60
    ticker.tick()
    clock.now += 60
    ticker.tick()
    assert poller.fetched.count("slow") == 1
    assert caplog.text.count("poll slow is still running at its next due time (60 s)") == 1
    poller.release.set()
    wait_until(lambda: ["slow"] in poller.commits, timeout=10, what="the slow commit")
    ticker.shutdown()
    assert poller.commits.count(["fast"]) == 3


def test_running_scheduler_polls_and_shutdown_waits_for_fetches() -> None:
    """Started for real: ticks happen; shutdown returns only once running fetches ended."""
    poller = RecordingPoller()
    poller.release.set()
    scheduler = build_scheduler(poller, [feed("news", 1), feed("slow", 1)], tz="UTC")
    scheduler.start()
    try:
        wait_until(lambda: len(poller.commits) >= 2, timeout=10, what="two ticks")
    finally:
        scheduler.shutdown(wait=True)
    assert poller.fetched.count("news") >= 2
