"""Scenario 1: extraction throughput on one core, typical 1–2 KB items."""

from __future__ import annotations

import random
import time

from bench.corpus import Names, mixed_items
from bench.harness import Context, NotAvailable, Row, stats, verdict

TARGET = 2000.0  # items per second


def run(ctx: Context) -> list[Row]:
    try:
        from bot.extract import AliasBook, extract
    except ImportError as exc:
        raise NotAvailable(f"bot.extract.extract cannot be imported ({exc})") from exc
    n = 100 if ctx.smoke else 2000
    items = mixed_items(n, Names(200), random.Random(3))
    size_kb = sum(len(i.title) + len(i.text.encode()) for i in items) / n / 1024
    extract(items[0], AliasBook())  # warm the lexicons: start-up cost is scenario 7's
    rates = []
    labelled = 0
    for _ in range(ctx.repeat):
        book = AliasBook()
        start = time.thread_time()
        labelled = sum(1 for item in items if extract(item, book).label != "none")
        rates.append(n / max(time.thread_time() - start, 1e-9))
    s = stats(rates)
    return [Row("1 extraction", "items/s (CPU, one thread)", f"{n} items, {size_kb:.1f} KB avg",
                f"{s.median:,.0f}/s", s.spread(lambda v: f"{v:,.0f}"),
                f"≥ {TARGET:,.0f}/s", verdict(s.median >= TARGET),
                f"{labelled} of {n} labelled as events")]
