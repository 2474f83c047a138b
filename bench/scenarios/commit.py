"""Scenario 3: one store commit with 1 and with 1,000 new items, against SQLite on the same rows.

A copy of the N-item store is opened in this process; `Store.commit_poll` records
new items (no event reports: the storage's cost, not event assembly, which the
poll tick carries). Per commit: CPU of this thread, durable writes (file fsyncs),
bytes handed to write(), and the rows that changed (bench/rows.py). The same-run
reference is SQLite (stdlib sqlite3, WAL, synchronous=FULL) pre-loaded with the
same store's rows, writing exactly the changed rows in one transaction.

Commit cost must not grow with the store: the 1-new-item commit at 100k is
compared with the same commit at 1k (target ≤ 1.5×). The slope between the two
largest sizes extrapolates the commit to 1M items when 1M was not measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from bench import probes, rows, stores
from bench.harness import (
    Context,
    Row,
    extrapolate,
    human_bytes,
    ms,
    size_label,
    stats,
    times,
    verdict,
)
from bench.speed import Loop
from bot.models import Item, SourceState

SCENARIO = "3 commit"
NEW = (1, 1000)
TARGET_GROWTH = 1.5  # commit CPU with 1 new item at 100k vs at 1k


@dataclass(frozen=True)
class Commit:
    cpu: float
    wall: float
    files: int
    written: int | None
    change: rows.Change | None
    sqlite_cpu: float | None = None


def _commit(store: object, items: list[Item], fsyncs: probes.DurableWrites,
            log: rows.CommitLog) -> Commit:
    log.take()
    files0, _ = fsyncs.snapshot()
    written0 = probes.written()
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    store.commit_poll(SourceState("bench-commit", baselined=True), items, [])  # type: ignore[attr-defined]
    cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
    written1 = probes.written()
    files1, _ = fsyncs.snapshot()
    change = log.take()
    return Commit(cpu, wall, files1 - files0,
                  None if written0 is None or written1 is None else written1 - written0, change)


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    out: list[Row] = []
    one_new: dict[int, float] = {}
    loop = ctx.loop()
    for size in ctx.sizes:
        repeats = ctx.repeats_for(size) + (2 if not ctx.smoke else 0)
        for n, commits in _measure(ctx, size, repeats).items():
            out += _rows(size, n, commits, loop)
            if n == 1:
                one_new[size] = stats([c.cpu for c in commits]).median
        ctx.log(f"commits at {size:,} done")
    out += _growth(ctx, one_new, loop)
    return out


def _new(tag: str, n: int) -> list[Item]:
    """N items never seen (only their ids are stored: no event reports here)."""
    return [Item(source="commit", key=f"{tag}-{i}", title="new item") for i in range(n)]


def _measure(ctx: Context, size: int, repeats: int) -> dict[int, list[Commit]]:
    """Commits of 1 and of 1,000 new items into a copy of the SIZE store, each also written
    into SQLite holding the same rows."""
    built = stores.built(ctx, size)
    path = stores.copy_of(ctx, size, "commit")
    sqlite = (rows.SqliteReference.copy(built.sqlite, ctx.work / f"reference-{size}.sqlite")
              if built.sqlite is not None else None)
    measured: dict[int, list[Commit]] = {}
    store = stores.open_as_bot(path, clock=stores.fixed_clock)
    try:
        with probes.DurableWrites() as fsyncs, rows.CommitLog(store) as log:
            _commit(store, _new("warm-up", 1), fsyncs, log)
            for n in NEW:
                measured[n] = []
                for r in range(repeats):
                    done = _commit(store, _new(f"{n}-{r}", n), fsyncs, log)
                    if sqlite is not None and done.change is not None:
                        done = replace(done, sqlite_cpu=sqlite.write(done.change)[0])
                    measured[n].append(done)
    finally:
        store.close()
        if sqlite is not None:
            sqlite.close()
    return measured


def _rows(size: int, n: int, commits: list[Commit], loop: Loop) -> list[Row]:
    cpu = stats([c.cpu for c in commits])
    wall = stats([c.wall for c in commits])
    files = "/".join(str(v) for v in sorted({c.files for c in commits}))
    written = [c.written for c in commits if c.written is not None]
    changed = [c.change.bytes for c in commits if c.change is not None]
    wrote = (f"{human_bytes(stats(written).median)} written" if written else "bytes unknown")
    if changed and written:
        wrote += (f" for {human_bytes(stats(changed).median)} of changed rows "
                  f"({times(stats(written).median / max(stats(changed).median, 1))})")
    sqlite = [c.sqlite_cpu for c in commits if c.sqlite_cpu is not None]
    if sqlite:
        ref = stats(sqlite).median
        reference, ratio = f"SQLite, same rows {ms(ref)} CPU", times(cpu.median / max(ref, 1e-9))
    else:
        reference, ratio = "SQLite: the store's commits cannot be read", ""
    return [Row(SCENARIO, f"commit, {n:,} new item{'s' if n > 1 else ''}: CPU", size_label(size),
                ms(cpu.median), cpu.spread(ms), reference, ratio, "", "",
                f"wall {ms(wall.median)}; {files} durable write(s); {wrote}; "
                f"{loop.on_ref_cpu(cpu.median) * 1000:.1f} ms on ref core")]


def _growth(ctx: Context, one_new: dict[int, float], loop: Loop) -> list[Row]:
    """Commit CPU (1 new item) at each larger size vs the smallest, and 1M by the slope."""
    if len(one_new) < 2:
        return []
    small = min(one_new)
    out = []
    for size in sorted(one_new)[1:]:
        ratio = one_new[size] / max(one_new[small], 1e-9)
        judged = size >= 100_000 and small <= 1000
        out.append(Row(SCENARIO, f"commit CPU growth, 1 new item, {size_label(small)} → "
                       f"{size_label(size)}", size_label(size), ms(one_new[size]), "",
                       f"same commit at {size_label(small)}: {ms(one_new[small])}", times(ratio),
                       f"≤ {TARGET_GROWTH:g}× (100k vs 1k)",
                       verdict(ratio <= TARGET_GROWTH) if judged else "",
                       "O(changes) when ≈1×; O(store) when it grows with the size"))
    guess = extrapolate(one_new)
    if guess is not None:
        out.append(Row(SCENARIO, "commit CPU, 1 new item", "1,000,000 (extrapolated)",
                       ms(guess[0]), "", f"same commit at {size_label(small)}: "
                       f"{ms(one_new[small])}", times(guess[0] / max(one_new[small], 1e-9)),
                       "", "", f"{guess[1]}; {loop.on_ref_cpu(guess[0]) * 1000:.0f} ms on ref "
                       "core"))
    return out
