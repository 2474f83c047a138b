"""Scenario 2: one scheduler tick of 20 feeds × 100 entries, as `python -m bot run` runs it.

The bot is built by `Runtime.open` over a copy of the N-item store (so the
alias book is seeded with the store's drug groups, as in production) and
polled by the real scheduler one tick at a time (bench/rig.py `Ticker`: the
first tick of a freshly started scheduler, until every poll has committed).
The feeds are served by a
child process (`bench.child serve-feeds`), so the CPU figure is this whole
process — every scheduler thread, the fetches, feedparser, the extractor, the
store — and nothing else. Deliveries are decided and written but not posted
(`NullNotifier`; scenario 6 posts).

Ticks, after a first one that records every entry as seen (the baseline):
- nothing new, full body (no validators): CPU vs the same-run reference
  **sha1 of the same 20 bodies** (target ≤ 10×), and, for scale, a bare
  httpx download of them;
- nothing new, 304 (ETag);
- 1,000 new entries (50 per feed; ~25 % hold reports): CPU on the reference
  core (target ≤ 1 s), **durable writes** (file fsyncs, bench/probes.py; target
  1 per tick), and **bytes written** (this process's write() bytes) vs **the size
  of the rows that changed** (bench/rows.py; target ≤ 10×).
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import probes, rows, stores
from bench.corpus import Names, mixed_items
from bench.feeds import rss
from bench.harness import (
    Context,
    Row,
    human_bytes,
    secs,
    size_label,
    stats,
    times,
    verdict,
)
from bench.logs import ErrorCount
from bench.procs import helper
from bench.rig import NullNotifier, Ticker, known_groups, open_runtime, write_sources
from bench.speed import Loop
from bot.models import Item

SCENARIO = "2 poll tick"
FULL = (20, 100, 50)  # feeds, entries per feed, new entries per feed
SMOKE = (4, 25, 10)
TARGET_IDLE_VS_SHA1 = 10.0
TARGET_BUSY_REF_CPU = 1.0
TARGET_WRITES = 1
TARGET_BYTES_VS_ROWS = 10.0


@dataclass(frozen=True)
class Tick:
    cpu: float  # this process, every thread
    wall: float
    file_fsyncs: int
    folder_fsyncs: int
    written: int | None
    change: rows.Change | None = None
    missing: int = 0  # new entries the store did not record


class Feeds:
    """The feed files the child server reads on every request."""

    def __init__(self, folder: Path, n: int) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.n = n
        self.bodies: dict[int, bytes] = {}

    def publish(self, entries: dict[int, list[Item]]) -> None:
        for f, items in entries.items():
            body = rss(f"Bench feed {f}", items)
            tmp = self.folder / f".feed{f}.tmp"
            tmp.write_bytes(body)
            os.replace(tmp, self.folder / f"feed{f}.xml")
            self.bodies[f] = body

    def etag(self, on: bool) -> None:
        marker = self.folder / "ETAG"
        if on:
            marker.touch()
        else:
            marker.unlink(missing_ok=True)


def _tick(ticker: Ticker, fsyncs: probes.DurableWrites, log: rows.CommitLog,
          store: object | None = None, new_ids: list[str] | None = None) -> Tick:
    log.take()
    files0, folders0 = fsyncs.snapshot()
    written0 = probes.written()
    cpu0 = time.process_time()
    wall = ticker.tick()
    cpu = time.process_time() - cpu0
    written1 = probes.written()
    files1, folders1 = fsyncs.snapshot()
    change = log.take()
    missing = len(store.unseen(new_ids)) if store is not None and new_ids else 0  # type: ignore[attr-defined]
    return Tick(cpu, wall, files1 - files0, folders1 - folders0,
                None if written0 is None or written1 is None else written1 - written0,
                change, missing)


def _sha1_cpu(bodies: list[bytes], repeat: int) -> float:
    samples = []
    for _ in range(max(3, repeat)):
        start = time.thread_time()
        for body in bodies:
            hashlib.sha1(body).digest()
        samples.append(time.thread_time() - start)
    return stats(samples).median


def _download_cpu(urls: list[str], repeat: int) -> float:
    import httpx

    samples = []
    with httpx.Client() as client:
        for _ in range(max(3, repeat)):
            start = time.process_time()
            for url in urls:
                client.get(url).read()
            samples.append(time.process_time() - start)
    return stats(samples).median


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    out: list[Row] = []
    n_feeds, entries, new_per_feed = SMOKE if ctx.smoke else FULL
    shape = f"{n_feeds}×{entries}"
    for size in ctx.sizes:
        out += _size(ctx, size, n_feeds, entries, new_per_feed, shape)
        ctx.log(f"poll tick at {size:,} done")
    return out


def _size(ctx: Context, size: int, n_feeds: int, entries: int, new_per_feed: int,
          shape: str) -> list[Row]:
    db = stores.copy_of(ctx, size, "tick")
    feeds = Feeds(ctx.work / f"feeds-{size}", n_feeds)
    rng = random.Random(5)
    names = Names(100)
    today = datetime.now(UTC).date()
    current = {f: mixed_items(entries, names, rng, source=f"f{f}",
                              published=today - timedelta(days=2)) for f in range(n_feeds)}
    feeds.publish(current)
    repeats = ctx.repeats_for(size)
    busy_repeats = min(repeats, 2) if size >= 100_000 else min(repeats, 3)
    errors = ErrorCount("bot")
    with helper(["serve-feeds", "--dir", str(feeds.folder), "--feeds", str(n_feeds)]) as (
            _, line), probes.DurableWrites() as fsyncs, errors:
        base = f"http://127.0.0.1:{line.split()[1]}"
        urls = [f"{base}/feed{f}.xml" for f in range(n_feeds)]
        sources = write_sources(ctx.work / f"tick-sources-{size}.toml",
                                [(f"feed{f}", urls[f]) for f in range(n_feeds)])
        rt = open_runtime(db, sources)
        try:
            rt.poller.notifier = NullNotifier()
            groups = known_groups(rt.poller.aliases)
            ticker = Ticker(rt)
            with rows.CommitLog(rt.store) as log:
                _tick(ticker, fsyncs, log)  # baseline: every entry recorded as seen
                idle_loop = ctx.loop()
                idle = [_tick(ticker, fsyncs, log) for _ in range(repeats)]
                sha1 = _sha1_cpu(list(feeds.bodies.values()), repeats)
                download = _download_cpu(urls, repeats)
                feeds.etag(True)
                _tick(ticker, fsyncs, log)  # the first answers carrying the ETag
                cond = [_tick(ticker, fsyncs, log) for _ in range(repeats)]
                feeds.etag(False)
                busy_loop = ctx.loop()
                busy = []
                for r in range(busy_repeats):
                    new_ids = []
                    for f in range(n_feeds):
                        fresh = mixed_items(new_per_feed, names, rng, source=f"f{f}",
                                            published=today)
                        fresh = [replace(i, key=f"r{r}-{i.key}") for i in fresh]
                        # the poller keys an entry by its source's name and its guid
                        new_ids += [f"feed{f}:{i.key}" for i in fresh]
                        current[f] = fresh + current[f][: entries - new_per_feed]
                    feeds.publish(current)
                    busy.append(_tick(ticker, fsyncs, log, rt.store, new_ids))
        finally:
            rt.close()
    label = size_label(size)
    book = f"book seeded by Runtime.open ({groups:,} name groups)" if groups is not None else ""
    return [
        *_idle_rows(label, shape, idle, sha1, download, idle_loop, size),
        _cpu_row(label, f"{shape}, nothing new, 304", cond, idle_loop, None, size, ""),
        *_busy_rows(label, f"{shape}, {n_feeds * new_per_feed:,} new", busy, busy_loop, size,
                    book, errors.count),
    ]


def _judged(size: int) -> bool:
    return size >= 100_000


def _cpu_row(label: str, case: str, ticks: list[Tick], loop: Loop, target: float | None,
             size: int, note: str) -> Row:
    cpu = stats([t.cpu for t in ticks])
    wall = stats([t.wall for t in ticks])
    on_ref = loop.on_ref_cpu(cpu.median)
    return Row(SCENARIO, f"{case}: CPU", label, secs(cpu.median), cpu.spread(secs),
               loop.describe(), f"{cpu.median / loop.cpu:.2f} loops = {on_ref:.3f} s on ref core",
               f"≤ {target:g} s on ref core at 100k" if target else "",
               verdict(on_ref <= target) if target and _judged(size) else "",
               f"wall {secs(wall.median)}; {_writes(ticks)}" + (f"; {note}" if note else ""))


def _writes(ticks: list[Tick]) -> str:
    files = "/".join(str(n) for n in sorted({t.file_fsyncs for t in ticks}))
    written = [t.written for t in ticks if t.written is not None]
    return (f"{files} durable write(s) per tick, "
            + (f"{human_bytes(stats(written).median)} written" if written else "bytes unknown"))


def _idle_rows(label: str, shape: str, idle: list[Tick], sha1: float, download: float,
               loop: Loop, size: int) -> list[Row]:
    cpu = stats([t.cpu for t in idle])
    ratio = cpu.median / max(sha1, 1e-9)
    return [
        _cpu_row(label, f"{shape}, nothing new, full body", idle, loop, None, size,
                 f"a bare httpx download of the same bodies costs {secs(download)} CPU"),
        Row(SCENARIO, f"{shape}, nothing new, full body: vs hashing the bodies", label,
            secs(cpu.median), cpu.spread(secs), f"sha1 of the same bodies {sha1 * 1000:.2f} ms",
            times(ratio), f"≤ {TARGET_IDLE_VS_SHA1:g}× at 100k",
            verdict(ratio <= TARGET_IDLE_VS_SHA1) if _judged(size) else "",
            f"download alone is {download / max(sha1, 1e-9):,.0f}× the hashing"),
    ]


def _busy_rows(label: str, case: str, busy: list[Tick], loop: Loop, size: int, book: str,
               errors: int) -> list[Row]:
    missing = max(t.missing for t in busy)
    broken = (f"; {missing} new entries NOT STORED" if missing else "") + (
        f"; {errors} errors logged" if errors else "")
    rows_out = [_cpu_row(label, case, busy, loop, TARGET_BUSY_REF_CPU, size, book + broken)]
    files = max(t.file_fsyncs for t in busy)
    folders = max(t.folder_fsyncs for t in busy)
    rows_out.append(Row(
        SCENARIO, f"{case}: durable writes per tick", label, str(files), "", "1 (one commit)",
        times(files / TARGET_WRITES), f"{TARGET_WRITES} per tick",
        verdict(files <= TARGET_WRITES and not missing),
        f"file fsyncs; plus {folders} folder fsync(s)"))
    changes = [t.change for t in busy if t.change is not None]
    written = [t.written for t in busy if t.written is not None]
    if changes and written:
        changed = stats([c.bytes for c in changes]).median
        wrote = stats(written).median
        ratio = wrote / max(changed, 1)
        rows_out.append(Row(
            SCENARIO, f"{case}: bytes written per tick", label, human_bytes(wrote),
            stats(written).spread(human_bytes), f"changed rows {human_bytes(changed)}",
            times(ratio), f"≤ {TARGET_BYTES_VS_ROWS:g}× the changed rows",
            verdict(ratio <= TARGET_BYTES_VS_ROWS and not missing),
            f"changed rows as committed: {changes[-1].describe()}"))
    else:
        rows_out.append(Row(SCENARIO, f"{case}: bytes written per tick", label, "—",
                            verdict="not available",
                            note="the store's commits or /proc/self/io cannot be read"))
    return rows_out

