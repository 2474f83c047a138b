"""Scenario 7: peak memory and start-up time with an N-item store, in a fresh process.

`bench.child startup` starts the bot the way `python -m bot` does (settings,
database lock, store, runtime, scheduler) over a copy of the store, with five
feeds on the loopback FeedServer. Start-up is the wall time from spawning the
process (interpreter start and imports included) to its READY line. Peak RSS
(the child's VmHWM; bench.child says why not ru_maxrss) is read after the first
poll of every feed, the command queries and one full write.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

from bench import stores
from bench.corpus import Names, mixed_items
from bench.feeds import rss
from bench.harness import ROOT, Context, NotAvailable, Row, secs, stats, verdict

TARGET_RSS_MB = 150.0
TARGET_READY = 2.0
FEEDS = 5


def _sources_file(ctx: Context, server: object) -> object:
    path = ctx.work / "startup-sources.toml"
    blocks = [f'[[source]]\nname = "start{f}"\nkind = "rss"\n'
              f'url = "{server.url(f"/start{f}.xml")}"\ninterval = "1h"\n'  # type: ignore[attr-defined]
              for f in range(FEEDS)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _once(db: object, sources: object) -> tuple[float, float, str]:
    """(seconds to READY, peak RSS in MB, mode note)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.child", "startup", "--db", str(db),
                              "--sources", str(sources)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    ready, rss_kb, mode = None, None, ""
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("READY") and ready is None:
            ready = time.perf_counter() - started
        elif line.startswith("RSS "):
            rss_kb = int(line.split()[1])
        elif line.startswith("MODE "):
            mode = line[5:].strip()
    _, err = child.communicate(timeout=120)
    if ready is None or rss_kb is None:
        raise NotAvailable(f"start-up failed: {err.strip().splitlines()[-1:]}")
    return ready, rss_kb / 1024, mode


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    from loopback.feed_server import FeedServer

    rows: list[Row] = []
    with FeedServer() as server:
        rng = random.Random(4)
        for f in range(FEEDS):
            entries = mixed_items(20 if ctx.smoke else 100, Names(50), rng)
            server.add(f"/start{f}.xml", rss("start", entries),
                       content_type="application/rss+xml")
        sources = _sources_file(ctx, server)
        for size in ctx.sizes:
            runs = [_once(stores.copy_of(ctx, size, "startup"), sources)
                    for _ in range(ctx.repeats_for(size))]
            ready, peak = stats([r[0] for r in runs]), stats([r[1] for r in runs])
            mode = runs[0][2]
            judged = size >= 100_000 and not mode  # a partial start is not the target
            rows += [
                Row("7 memory/start-up", "start → ready", f"{size:,}", secs(ready.median),
                    ready.spread(secs), f"< {TARGET_READY:.0f} s at 100k",
                    verdict(ready.median < TARGET_READY) if judged else "",
                    mode or "process spawn to store opened + scheduler started"),
                Row("7 memory/start-up", "peak RSS", f"{size:,}", f"{peak.median:.0f} MB",
                    peak.spread(lambda v: f"{v:.0f} MB"), f"< {TARGET_RSS_MB:.0f} MB at 100k",
                    verdict(peak.median < TARGET_RSS_MB) if judged else "",
                    mode or f"after the first poll of {FEEDS} feeds, queries and one write"),
            ]
            ctx.log(f"start-up at {size:,}: {ready.median:.2f} s, {peak.median:.0f} MB")
    return rows
