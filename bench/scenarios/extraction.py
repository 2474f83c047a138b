"""Scenario 1: extraction throughput on one core, against the fixed Python loop.

`bot.extract.extract` over n items (2,000; 100 in smoke runs), CPU time of this
thread, after a warm-up call (building lexicons is start-up cost, scenario 7):

- real-length items, each 600–1,200 characters (bench/workload.py: the
  development corpus's headlines and leads padded with press-release
  boilerplate) — issue 11's speed criterion — with the curated alias book;
- the bench's own generated items (1–2 KB, bench/corpus.py), same book;
- real-length items with the alias book the product uses at the largest store
  size: the one `Runtime.open` builds, seeded with the store's known drug groups.

`--size N` replaces the first two by items of about N characters. Errors the
extractor swallowed (it logs them and answers "none") are counted: a failing
extractor is fast, and must not pass.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from bench import stores, workload
from bench.corpus import Names, mixed_items
from bench.harness import Context, NotAvailable, Row, stats, verdict
from bench.logs import ErrorCount
from bench.rig import known_groups, open_runtime, write_sources
from bench.speed import Loop
from bot.models import Item

TARGET = 2000.0  # items per second on one reference core (issue 11)
SCENARIO = "1 extraction"


def _rates(items: Sequence[Item], book: object, repeat: int) -> tuple[list[float], int, int]:
    """(items per CPU second per pass, items labelled as events, extractor errors)."""
    from bot.extract import extract

    with ErrorCount("bot.extract") as errors:
        extract(items[0], book)  # type: ignore[arg-type]  # warm the lexicons
        rates, labelled = [], 0
        for _ in range(repeat):
            start = time.thread_time()
            labelled = sum(1 for item in items
                           if extract(item, book).label != "none")  # type: ignore[arg-type]
            rates.append(len(items) / max(time.thread_time() - start, 1e-9))
    return rates, labelled, errors.count


def _row(metric: str, items: Sequence[Item], rates: list[float], labelled: int, errors: int,
         loop: Loop, note: str) -> Row:
    s = stats(rates)
    on_ref = s.median * loop.factor
    per_loop = s.median * loop.cpu
    failed = f"; {errors} EXTRACTOR ERRORS (logged, answered none)" if errors else ""
    return Row(SCENARIO, metric, f"{len(items):,} items, {workload.average_chars(items):,.0f} "
               "chars avg", f"{s.median:,.0f}/s", s.spread(lambda v: f"{v:,.0f}"),
               loop.describe(), f"{per_loop:,.0f} items/loop = {on_ref:,.0f}/s on ref core",
               f"≥ {TARGET:,.0f}/s on ref core", verdict(on_ref >= TARGET and not errors),
               f"{labelled} of {len(items)} labelled as events; {note}{failed}")


def _seeded_book(ctx: Context, size: int) -> tuple[object, str]:
    """The alias book `Runtime.open` builds over the SIZE store, and a note about it."""
    db = stores.copy_of(ctx, size, "seed")
    sources = write_sources(ctx.work / "seed-sources.toml",
                            [("seed", "http://127.0.0.1:9/unused.xml")])
    rt = open_runtime(db, sources)
    try:
        book = rt.poller.aliases
    finally:
        rt.close()
    groups = known_groups(book)
    return book, (f"book from Runtime.open over the {size:,}-item store"
                  + (f" ({groups:,} name groups)" if groups is not None else ""))


def run(ctx: Context) -> list[Row]:
    try:
        from bot.extract import AliasBook
    except ImportError as exc:
        raise NotAvailable(f"bot.extract cannot be imported ({exc})") from exc
    n = ctx.items or (100 if ctx.smoke else 2000)
    book = AliasBook.default()
    _, source = workload.leads()
    if ctx.item_size:
        cases = [(f"items/s, ~{ctx.item_size:,}-char items",
                  workload.make_items(n, ctx.item_size), f"leads from {source}")]
    else:
        cases = [
            ("items/s, real-length (600–1,200 chars)", workload.make_items(n),
             f"leads from {source}"),
            ("items/s, bench items (1–2 KB)", mixed_items(n, Names(200), random.Random(3)),
             "bench/corpus.py"),
        ]
    rows = []
    for metric, items, note in cases:
        loop = ctx.loop()
        rates, labelled, errors = _rates(items, book, ctx.repeat)
        rows.append(_row(metric, items, rates, labelled, errors, loop,
                         f"curated book (AliasBook.default()); {note}"))
        ctx.log(f"{metric}: {stats(rates).median:,.0f}/s")
    if not ctx.item_size:
        seeded, note = _seeded_book(ctx, ctx.largest)
        items = workload.make_items(n, seed=1)
        loop = ctx.loop()
        rates, labelled, errors = _rates(items, seeded, ctx.repeat)
        rows.append(_row(f"items/s, real-length, product's book at {ctx.largest:,}", items,
                         rates, labelled, errors, loop, note))
        ctx.log(f"seeded book: {stats(rates).median:,.0f}/s")
    return rows
