"""Scenario 2: the cost of one poll cycle — 20 feeds × 100 entries on a loopback server.

A *cycle* here is one poll of each of the 20 feeds, one after the other, as the
scheduler would run them (it runs them in parallel threads; sequential is the
honest CPU figure). Three cases: nothing new and the server sends the whole
feed (no validators), nothing new and the server answers 304 (ETag), and 1,000
new entries (50 per feed). Wall time includes the local server; CPU time is the
polling thread's only. Writes are the store's physical file writes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from bench import stores
from bench.corpus import Names, mixed_items
from bench.feeds import feed_source, rss
from bench.harness import Context, Row, Timing, human_bytes, secs, stats, timed, verdict
from bench.rig import pipeline_modules, poller
from bot.models import Item

FULL = (20, 100, 50)  # feeds, entries per feed, new entries per feed
SMOKE = (4, 25, 10)
TARGET_IDLE = 0.2
TARGET_BUSY = 1.0


class Feeds:
    """20 feeds whose content the scenario swaps between cycles."""

    def __init__(self, server: object, names: Names, feeds: int) -> None:
        from loopback.feed_server import Reply

        self.reply = Reply
        self.server = server
        self.names = names
        self.bodies: dict[int, bytes] = {}
        self.etag: str | None = None
        self.version = 0
        for f in range(feeds):
            server.handle(f"/feed{f}.xml", self._handler(f))  # type: ignore[attr-defined]

    def _handler(self, f: int) -> Callable[[object], object]:
        def answer(_request: object) -> object:
            etag = f'"{self.version}-{f}"' if self.etag else None
            return self.reply(body=self.bodies[f], content_type="application/rss+xml",
                              etag=etag)
        return answer

    def publish(self, items_per_feed: dict[int, list[Item]]) -> None:
        self.version += 1
        for f, items in items_per_feed.items():
            self.bodies[f] = rss(f"Bench feed {f}", items)


def _cycle(p: object, sources: list, store: object) -> tuple[Timing, int, int]:
    before = store.writes  # type: ignore[attr-defined]
    # force: a cycle polls every feed now, whatever next_poll the last cycle set
    timing, _ = timed(lambda: [p.poll(s, force=True) for s in sources])  # type: ignore
    writes = store.writes - before  # type: ignore[attr-defined]
    size = store.path.stat().st_size  # type: ignore[attr-defined]
    return timing, writes, size * writes


def _rows(size: int, case: str, cycles: list[tuple[Timing, int, int]],
          target: float | None, feeds: int) -> list[Row]:
    wall = stats([c[0].wall for c in cycles])
    cpu = stats([c[0].cpu for c in cycles])
    writes = sorted({c[1] for c in cycles})
    written = stats([c[2] for c in cycles]).median
    goal = f"≤ {target} s at 100k" if target else ""
    met = verdict(cpu.median <= target) if target and size >= 100_000 else ""
    note = (f"{'/'.join(map(str, writes))} file writes per cycle = "
            f"{writes[-1] / feeds:g} per source poll; {human_bytes(written)} written per cycle")
    return [Row("2 poll cycle", f"{case}: CPU", f"{size:,}", secs(cpu.median), cpu.spread(secs),
                goal, met, note),
            Row("2 poll cycle", f"{case}: wall", f"{size:,}", secs(wall.median),
                wall.spread(secs), goal, verdict(wall.median <= target)
                if target and size >= 100_000 else "")]


def run(ctx: Context) -> list[Row]:
    pipeline_modules()
    from loopback.feed_server import FeedServer

    rows: list[Row] = []
    n_feeds, entries, new_per_feed = SMOKE if ctx.smoke else FULL
    shape = f"{n_feeds}×{entries}"
    for size in ctx.sizes:
        path = stores.copy_of(ctx, size, "poll")
        repeats = min(ctx.repeats_for(size), 2) if size >= 100_000 else ctx.repeats_for(size)
        rng = random.Random(5)
        names = Names(100)
        with FeedServer() as server, poller(path) as p:
            feeds = Feeds(server, names, n_feeds)
            sources = [feed_source(f"feed{f}", server.url(f"/feed{f}.xml"))
                       for f in range(n_feeds)]
            current = {f: mixed_items(entries, names, rng, source=f"f{f}")
                       for f in range(n_feeds)}
            feeds.publish(current)
            _cycle(p, sources, p.store)  # first poll of each feed: the baseline
            idle = [_cycle(p, sources, p.store) for _ in range(repeats)]
            rows += _rows(size, f"{shape}, nothing new, full body", idle, TARGET_IDLE, n_feeds)
            feeds.etag = "on"
            _cycle(p, sources, p.store)  # first answer carrying the ETag
            cond = [_cycle(p, sources, p.store) for _ in range(repeats)]
            rows += _rows(size, f"{shape}, nothing new, 304", cond, TARGET_IDLE, n_feeds)
            feeds.etag = None
            busy = []
            for r in range(repeats):
                for f in range(n_feeds):
                    fresh = mixed_items(new_per_feed, names, rng, source=f"f{f}",
                                        published=date(2025, 5, 31))
                    fresh = [replace(i, key=f"r{r}-{i.key}") for i in fresh]
                    current[f] = fresh + current[f][: entries - new_per_feed]
                feeds.publish(current)
                busy.append(_cycle(p, sources, p.store))
            rows += _rows(size, f"{shape}, {n_feeds * new_per_feed:,} new", busy, TARGET_BUSY,
                          n_feeds)
        ctx.log(f"poll cycle at {size:,} done")
    return rows
