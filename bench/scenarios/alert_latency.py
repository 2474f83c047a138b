"""Scenario 6: from a feed publishing a hold to FakeSlack receiving the alert.

The bot as `python -m bot run` builds it in Slack mode: `Runtime.open` with a bot
token and `SLACK_API_URL` pointing at FakeSlack (so the real SlackNotifier and
outbox relay post), and the real scheduler (`build_scheduler`) polling one feed
on the loopback FeedServer every `interval` seconds over a fresh store. After
the first (baseline) poll, each trial waits a random fraction of the interval,
publishes a new hold report about a different drug, and times until FakeSlack
has accepted one more chat.postMessage. Expected: about interval/2 of waiting
for the next poll plus the poll itself; the same-run reference is the interval.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime

from bench.corpus import Names, make_item, mixed_items
from bench.feeds import rss
from bench.harness import Context, NotAvailable, Row, secs, stats, times, verdict
from bench.rig import open_runtime, write_sources
from bot.models import Item


def run(ctx: Context) -> list[Row]:
    try:
        from bot.scheduler import build_scheduler
    except ImportError as exc:
        raise NotAvailable(f"bot.scheduler cannot be imported ({exc})") from exc
    from loopback.fake_slack import FakeSlack
    from loopback.feed_server import FeedServer, Reply

    interval = 1.0 if ctx.smoke else 2.0
    trials = 1 if ctx.smoke else 15
    rng = random.Random(8)
    names = Names(trials + 5)
    # Old news about other drugs, a year back: nothing a new hold could cluster with.
    entries: list[Item] = mixed_items(20, Names(30, seed=99), rng, source="alerts",
                                      published=date(2024, 6, 1))
    latencies: list[float] = []
    with FeedServer() as server, FakeSlack() as slack:
        body = {"xml": rss("Alerts", entries)}
        server.handle("/alerts.xml", lambda _req: Reply(body=body["xml"],
                                                        content_type="application/rss+xml"))
        sources = write_sources(ctx.work / "alert-sources.toml",
                                [("alerts", server.url("/alerts.xml"))],
                                interval=f"{interval:g}s")
        rt = open_runtime(ctx.work / "alerts.json", sources, env={
            "SLACK_BOT_TOKEN": "xoxb-bench-token", "SLACK_API_URL": slack.url,
            "ALERT_CHANNEL": "C0BENCH01",
            "GROUP_WAIT": "0"})  # the pipeline's own latency; GROUP_WAIT adds a fixed wait
        try:
            scheduler = build_scheduler(rt.poller, rt.sources, tz="UTC", flush=rt.store.flush)
            scheduler.start()
            try:
                _wait(lambda: rt.store.source_state("alerts").baselined, 10, "the first poll")
                first = len(server.requests_for("/alerts.xml"))
                began = time.perf_counter()
                for trial in range(trials):
                    time.sleep(rng.uniform(0, interval))
                    item, _ = make_item("alerts", f"hold-{trial}", "hold", names.drugs[trial],
                                        rng, datetime.now(UTC).date())
                    entries.insert(0, item)
                    body["xml"] = rss("Alerts", entries)
                    published = time.perf_counter()
                    if not slack.wait_for("chat.postMessage", trial + 1,
                                          timeout=interval * 3 + 10):
                        raise RuntimeError(f"trial {trial}: no alert reached FakeSlack")
                    latencies.append(time.perf_counter() - published)
                polls = len(server.requests_for("/alerts.xml")) - first
                expected = (time.perf_counter() - began) / interval
            finally:
                scheduler.shutdown(wait=True)
        finally:
            rt.close()
    s = stats(latencies)
    target = interval / 2 + 1
    return [Row("6 alert latency", f"publish → Slack post, poll every {interval:g} s",
                f"{trials} trials", secs(s.median), s.spread(secs),
                f"the poll interval {interval:g} s", times(s.median / interval),
                f"median ≤ {target:g} s", verdict(s.median <= target),
                f"p99 {secs(s.p99)}; the feed was fetched {polls} times in "
                f"{expected * interval:.0f} s, {expected:.0f} scheduled runs")]


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.02)
