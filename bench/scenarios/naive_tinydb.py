"""Scenario 3: our store's one commit versus stock TinyDB inserting one item at a time.

Both start from the same file (a TinyDB file holding the N-item store) and add the
same 1,000 new items. Stock `TinyDB(JSONStorage)` re-reads and rewrites the whole
file (with an fsync) on every `insert`; our store writes once per poll. From 10k up
(and in smoke runs) the naive side is measured on its first 50 inserts and extrapolated linearly to
1,000 (each insert costs the same within 1%: the file grows by 0.1 KB per item), and run once.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from bench import stores
from bench.corpus import Names, mixed_items
from bench.harness import Context, Row, human_bytes, secs, stats, verdict
from bot.models import SourceState

NEW = 1000
SAMPLE = 50  # inserts actually run from 10k up (and in smoke runs)
EXPECT = 50.0


def _naive(path: Path, rows: list[dict], sample: int) -> tuple[float, int]:
    """Seconds and bytes for inserting `rows` one at a time (extrapolated from `sample`)."""
    from tinydb import TinyDB

    written = 0
    db = TinyDB(str(path))  # stock JSONStorage: rewrite in place on every write
    try:
        table = db.table("items")
        start = time.perf_counter()
        for row in rows[:sample]:
            table.insert(row)
            written += os.path.getsize(path)
        seconds = time.perf_counter() - start
    finally:
        db.close()
    scale = len(rows) / sample
    return seconds * scale, int(written * scale)


def _ours(path: Path, items: list) -> tuple[float, int, int]:
    store = stores.store_class()(path, clock=stores.fixed_clock)
    try:
        before = store.writes
        start = time.perf_counter()
        store.commit_poll(SourceState("naive-vs-ours", baselined=True), items, [])
        seconds = time.perf_counter() - start
        writes = store.writes - before
    finally:
        store.close()
    return seconds, os.path.getsize(path) * writes, writes


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    rows: list[Row] = []
    for size in ctx.sizes:
        items = mixed_items(NEW, Names(50), random.Random(9), source="naive")
        docs = [{"id": i.id, "seen_at": stores.FIXED_NOW.isoformat()} for i in items]
        sample = NEW if size < 10_000 and not ctx.smoke else SAMPLE
        naive_runs = ctx.repeats_for(size) if sample == NEW else 1
        naive = [_naive(stores.copy_of(ctx, size, "naive"), docs, sample)
                 for _ in range(naive_runs)]
        ours = [_ours(stores.copy_of(ctx, size, "ours"), items)
                for _ in range(ctx.repeats_for(size))]
        n, o = stats([x[0] for x in naive]), stats([x[0] for x in ours])
        naive_b, ours_b, writes = naive[0][1], ours[0][1], ours[0][2]
        r = stats([a[0] / b[0] for a in naive for b in ours])
        how = "all inserts" if sample >= NEW else f"{sample} inserts, extrapolated"
        rows += [
            Row("3 store vs TinyDB", "naive TinyDB, 1,000 inserts", f"{size:,}", secs(n.median),
                n.spread(secs), "", "", f"{how}; {human_bytes(naive_b)} written"),
            Row("3 store vs TinyDB", "our store, one commit", f"{size:,}", secs(o.median),
                o.spread(secs), "", "", f"{writes} write(s), {human_bytes(ours_b)} written"),
            Row("3 store vs TinyDB", "speed-up (naive / ours)", f"{size:,}", f"{r.median:,.0f}×",
                r.spread(lambda v: f"{v:,.0f}×"), f"≫ {EXPECT:.0f}× at 100k",
                verdict(r.median > EXPECT) if size >= 100_000 else "",
                f"bytes written: {naive_b / max(ours_b, 1):,.0f}× fewer"),
        ]
        ctx.log(f"naive vs ours at {size:,}: {r.median:,.0f}×")
    return rows
