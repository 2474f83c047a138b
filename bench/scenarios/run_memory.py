"""Scenario 7: `python -m bot run` itself — start-up time and peak memory over an N-item store.

The real command in console mode (no Slack token) in a fresh process, over a
copy of the store (10 % of its items are event reports), with five feeds of 100
entries on a loopback server in this process:

- **start-up** = spawning the process → the first feed request reaching the
  server (interpreter, imports, settings, lock, `Runtime.open`, scheduler
  started, first fetch on its way). Same-run references: a bare
  `python -c pass`, and `python` loading the same file with `json.load`.
  Target < 2 s on the reference core at 100k (wall scaled by the loop's wall).
- **peak RSS** = the process's VmHWM once the first poll of every feed is done
  (every feed fetched, then the process idle for a second). Reference:
  `json.load` of the same file in a bare interpreter. Target < 150 MB at 100k.
- **bytes per stored item**: the RSS slope between sizes (10 % events), and per
  *seen-only* item: the largest store plus as many seen-only items again
  (bench/stores.py `with_seen_only`), target ≤ 300 B. The slope extrapolates
  peak RSS and start-up to 1M items when 1M was not measured.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bench import probes, stores
from bench.corpus import Names, mixed_items
from bench.feeds import rss
from bench.harness import (
    Context,
    NotAvailable,
    Row,
    extrapolated_row,
    secs,
    size_label,
    stats,
    times,
    verdict,
)
from bench.procs import bot_env
from bench.rig import write_sources
from bench.speed import Loop, python_start

SCENARIO = "7 run: start-up, memory"
FEEDS = 5
TARGET_RSS_MB = 150.0
TARGET_READY = 2.0
TARGET_SEEN_ONLY_BYTES = 300.0
# A Python set of N 20-byte sha1 digests: the least memory "seen" can take in this language.
_SEEN_SET = ("import hashlib, re, sys\n"
             "def rss():\n"
             "    return int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())"
             ".group(1))\n"
             "n = int(sys.argv[1]); before = rss()\n"
             "seen = {hashlib.sha1(b'%d' % i).digest() for i in range(n)}\n"
             "print((rss() - before) * 1024 / n)")
_JSON_LOAD = ("import json, re, sys; json.load(open(sys.argv[1], 'rb')); "
              "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")


@dataclass(frozen=True)
class Run:
    ready: float  # spawn -> first feed request, wall seconds
    peak_mb: float
    note: str


def _run_once(ctx: Context, db: Path, sources: Path, server: object, paths: list[str]) -> Run:
    """Start `python -m bot run`, wait for the first poll to finish, read VmHWM, stop it."""
    logs = ctx.work / "run.log"
    env = bot_env({"BOT_DB_PATH": str(db), "SOURCES_FILE": str(sources), "LOG_LEVEL": "INFO"})
    seen_before = {p: len(server.requests_for(p)) for p in paths}  # type: ignore[attr-defined]
    with logs.open("w") as log_file:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ctx.work, env=env,
                                 stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file)
        try:
            first = _wait_polled(child, server, paths, seen_before)
            peak = probes.peak_rss_kb(child.pid)
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    if peak is None:
        raise NotAvailable("cannot read the bot's /proc status (not Linux?)")
    problem = "" if child.returncode == 0 else f"exit status {child.returncode} after SIGTERM"
    return Run(first - started, peak / 1024, problem)


def _wait_polled(child: subprocess.Popen[bytes], server: object, paths: list[str],
                 before: dict[str, int], deadline: float = 300.0) -> float:
    """Monotonic time of the first feed request, once every feed was fetched and the
    process then stayed idle (its first poll is over)."""
    end = time.monotonic() + deadline
    while True:
        if child.poll() is not None:
            raise NotAvailable(f"`python -m bot run` exited with status {child.returncode}")
        fresh = [server.requests_for(p)[before[p]:] for p in paths]  # type: ignore[attr-defined]
        if all(fresh):
            break
        if time.monotonic() > end:
            raise NotAvailable(f"`python -m bot run` fetched no feed within {deadline:g} s")
        time.sleep(0.02)
    first = min(r[0].time for r in fresh)
    last = probes.cpu_ticks(child.pid)
    quiet_since = time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.25)
        ticks = probes.cpu_ticks(child.pid)
        if ticks is None or last is None:
            break
        if ticks - last > 2:  # still working (a tick is 10 ms)
            quiet_since = time.monotonic()
        last = ticks
        if time.monotonic() - quiet_since >= 1.0:
            break
    return first


def _json_reference(db: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of a bare interpreter json.load-ing the same file."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _JSON_LOAD, str(db)], capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - started, int(done.stdout.split()[-1]) / 1024


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    from loopback.feed_server import FeedServer

    out: list[Row] = []
    measured: dict[int, Run] = {}
    with FeedServer() as server:
        rng = random.Random(4)
        paths = [f"/start{f}.xml" for f in range(FEEDS)]
        for path in paths:
            entries = mixed_items(20 if ctx.smoke else 100, Names(50), rng)
            server.add(path, rss("start", entries), content_type="application/rss+xml")
        sources = write_sources(ctx.work / "run-sources.toml",
                                [(f"start{f}", server.url(p)) for f, p in enumerate(paths)])
        for size in ctx.sizes:
            repeats = min(ctx.repeats_for(size), 2 if size >= 100_000 else 3)
            loop = ctx.loop()
            runs, bare, refs = [], [], []
            for _ in range(repeats):  # interleaved, so all see the same machine
                bare += python_start(1)
                refs.append(_json_reference(stores.built(ctx, size).path))
                runs.append(_run_once(ctx, stores.copy_of(ctx, size, "run"), sources, server,
                                      paths))
            out += _rows(size, runs, stats(bare).median, refs, loop)
            measured[size] = _median_run(runs)
            ctx.log(f"run at {size:,}: ready {measured[size].ready:.2f} s, "
                    f"peak {measured[size].peak_mb:.0f} MB")
        out += _slopes(ctx, measured, sources, server, paths)
    return out


def _median_run(runs: list[Run]) -> Run:
    return Run(stats([r.ready for r in runs]).median, stats([r.peak_mb for r in runs]).median,
               "; ".join(sorted({r.note for r in runs if r.note})))


def _rows(size: int, runs: list[Run], bare: float, refs: list[tuple[float, float]],
          loop: Loop) -> list[Row]:
    ready = stats([r.ready for r in runs])
    peak = stats([r.peak_mb for r in runs])
    json_wall = stats([r[0] for r in refs]).median
    json_peak = stats([r[1] for r in refs]).median
    on_ref = loop.on_ref_wall(ready.median)
    judged = size >= 100_000
    problem = "; ".join(sorted({r.note for r in runs if r.note}))
    extra = f"; {problem}" if problem else ""
    return [
        Row(SCENARIO, "start-up (spawn → first feed request)", size_label(size),
            secs(ready.median), ready.spread(secs),
            f"python -c pass {secs(bare)}; python + json.load(db) {secs(json_wall)}",
            f"{times(ready.median / bare)} bare python, {times(ready.median / json_wall)} "
            f"json.load; {on_ref:.2f} s on ref core", f"< {TARGET_READY:g} s on ref core at 100k",
            verdict(on_ref < TARGET_READY and not problem) if judged else "",
            f"`python -m bot run`, console mode; {loop.describe()}{extra}"),
        Row(SCENARIO, "peak RSS after the first poll", size_label(size),
            f"{peak.median:.0f} MB", peak.spread(lambda v: f"{v:.0f} MB"),
            f"json.load(db) alone {json_peak:.0f} MB", times(peak.median / json_peak),
            f"< {TARGET_RSS_MB:g} MB at 100k",
            verdict(peak.median < TARGET_RSS_MB and not problem) if judged else "",
            f"VmHWM after {FEEDS} feeds' first poll{extra}"),
    ]


def _slopes(ctx: Context, measured: dict[int, Run], sources: Path, server: object,
            paths: list[str]) -> list[Row]:
    out: list[Row] = []
    sizes = sorted(measured)
    for a, b in pairwise(sizes):
        per_item = (measured[b].peak_mb - measured[a].peak_mb) * 2**20 / (b - a)
        out.append(Row(SCENARIO, "peak RSS per stored item (10 % events)",
                       f"{size_label(a)} → {size_label(b)}", f"{per_item:,.0f} B", "",
                       "", "", "", "", "slope of peak RSS between the two sizes"))
    largest = sizes[-1]
    extra = largest
    ext = stores.with_seen_only(ctx, largest, extra)
    runs = [_run_once(ctx, stores.copy_file(ctx, ext, "run-seen.json"), sources, server, paths)
            for _ in range(min(ctx.repeats_for(largest), 2))]
    grown = _median_run(runs)
    per_seen = (grown.peak_mb - measured[largest].peak_mb) * 2**20 / extra
    floor = float(subprocess.run([sys.executable, "-c", _SEEN_SET, str(extra)],
                                 capture_output=True, text=True, check=True).stdout.split()[-1])
    out.append(Row(SCENARIO, "peak RSS per stored seen-only item",
                   f"{size_label(largest)} + {size_label(extra)} seen-only",
                   f"{per_seen:,.0f} B", stats([r.peak_mb for r in runs]).spread(
                       lambda v: f"{v:.0f} MB"),
                   f"a Python set of 20-byte sha1 digests: {floor:,.0f} B per id",
                   times(per_seen / max(floor, 1.0)), f"≤ {TARGET_SEEN_ONLY_BYTES:g} B",
                   verdict(per_seen <= TARGET_SEEN_ONLY_BYTES and not grown.note),
                   f"peak {grown.peak_mb:.0f} MB with the extra items, "
                   f"{measured[largest].peak_mb:.0f} MB without" + (
                       f"; {grown.note}" if grown.note else "")))
    for metric, value, fmt in (
            ("peak RSS after the first poll", lambda r: r.peak_mb, lambda v: f"{v:,.0f} MB"),
            ("start-up (spawn → first feed request)", lambda r: r.ready, secs)):
        row = extrapolated_row(SCENARIO, metric, {size: value(r) for size, r in measured.items()},
                               fmt, note=" (10 % events)")
        if row is not None:
            out.append(row)
    return out
