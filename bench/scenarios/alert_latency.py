"""Scenario 6: from a feed publishing a hold to FakeSlack receiving the alert.

The real scheduler (`bot.scheduler.build_scheduler`) polls one feed on the
loopback FeedServer every `interval` seconds through the real Poller, store
(empty, fresh) and SlackNotifier, whose Web API is FakeSlack. After the first
(baseline) poll, each trial waits a random fraction of the interval, publishes a
new hold report about a different drug, and times until FakeSlack has accepted
one more chat.postMessage. Expected: about interval/2 of waiting for the next
poll plus the poll itself.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime

from bench.corpus import Names, make_item, mixed_items
from bench.feeds import feed_source, rss
from bench.harness import Context, NotAvailable, Row, secs, stats, verdict
from bench.rig import pipeline_modules, poller
from bot.models import Item


def _notifier_factory(api_url: str):  # type: ignore[no-untyped-def]
    try:
        from slack_sdk import WebClient

        from bot.notify.admin import AdminNotices
        from bot.notify.slack import SlackNotifier
    except ImportError as exc:
        raise NotAvailable(f"the Slack notifier cannot be imported ({exc})") from exc

    def build(store: object) -> object:
        client = WebClient(token="xoxb-bench-token", base_url=api_url)
        return SlackNotifier(client, store, admin=AdminNotices(None, None))

    return build


def run(ctx: Context) -> list[Row]:
    pipeline_modules()
    try:
        from bot.scheduler import build_scheduler
    except ImportError as exc:
        raise NotAvailable(f"bot.scheduler cannot be imported ({exc})") from exc
    from loopback.fake_slack import FakeSlack
    from loopback.feed_server import FeedServer

    interval = 0.5 if ctx.smoke else 2.0
    trials = 1 if ctx.smoke else 15
    rng = random.Random(8)
    names = Names(trials + 5)
    # Old news about other drugs, a year back: nothing a new hold could cluster with.
    entries: list[Item] = mixed_items(20, Names(30, seed=99), rng, source="alerts",
                                      published=date(2024, 6, 1))
    latencies: list[float] = []
    with FeedServer() as server, FakeSlack() as slack:
        body = {"xml": rss("Alerts", entries)}
        server.handle("/alerts.xml", lambda _req: _reply(body["xml"]))
        source = feed_source("alerts", server.url("/alerts.xml"), interval=interval)
        path = ctx.work / "alerts.json"
        with poller(path, notifier=_notifier_factory(slack.url), real_clock=True) as p:
            scheduler = build_scheduler(p, [source], tz="UTC")
            scheduler.start()
            try:
                _wait(lambda: p.store.source_state("alerts").baselined, 10, "the first poll")
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
    s = stats(latencies)
    target = interval / 2 + 1
    return [Row("6 alert latency", f"publish → Slack post, poll every {interval:g} s",
                f"{trials} trials", secs(s.median), s.spread(secs), f"median ≤ {target:g} s",
                verdict(s.median <= target),
                f"p99 {secs(s.p99)}; the feed was fetched {polls} times in "
                f"{expected * interval:.0f} s, {expected:.0f} scheduled runs")]


def _reply(xml: bytes) -> object:
    from loopback.feed_server import Reply

    return Reply(body=xml, content_type="application/rss+xml")


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.02)
