"""Build stores of N items, with proportional events (N/10) and drugs (N/40).

Each drug gets a realistic history (hold → lift → partial hold → lift, weeks to
months apart); one report in five has a second report from another outlet, so
clustering has work to do; the rest of the items are ordinary biotech news.
Items are committed chronologically in batches through `Store.commit_poll`, the
same path a poll takes, so the file has the shape production files have.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import DrugSpec, Names, make_item
from bench.harness import Context, NotAvailable
from bench.rows import CommitLog, SqliteReference
from bot.models import Candidate, Item, Label, SourceState, Subscription

SOURCES = ("bench-news-0", "bench-news-1", "bench-news-2", "bench-news-3", "bench-news-4")
HISTORY: tuple[Label, ...] = ("hold", "lift", "partial_hold", "lift")
FIXED_NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


def store_class() -> type:
    try:
        from bot.store import Store
    except ImportError as exc:
        raise NotAvailable(f"bot.store.Store cannot be imported ({exc})") from exc
    return Store


def open_as_bot(path: Path, **kwargs: Any) -> Any:
    """The store at PATH opened as the bot opens it (bot/runtime.py): target names go
    through the extractor's lexicon."""
    store_cls = store_class()
    try:
        from bot.extract.targets import canonical_target
    except ImportError as exc:
        raise NotAvailable(f"the target lexicon cannot be imported ({exc})") from exc
    return store_cls(path, target_lexicon=canonical_target, **kwargs)


@dataclass(frozen=True)
class Built:
    path: Path
    items: int
    events_planned: int
    names: Names
    seconds: float
    bytes: int
    sqlite: Path | None  # the same rows in SQLite (bench/rows.py), None if unreadable


def _plan(n_items: int, names: Names, rng: random.Random) -> Iterator[tuple[date, Label | None,
                                                                         DrugSpec]]:
    """(date, label or None for ordinary news, drug) for every item, unordered."""
    count = 0
    for drug in names.drugs:
        day = date(2008, 1, 1) + timedelta(days=rng.randint(0, 4000))
        for label in HISTORY:
            reports = 2 if rng.random() < 0.2 else 1
            for _ in range(reports):
                if count < n_items:
                    yield day, label, drug
                    count += 1
            day += timedelta(days=rng.randint(40, 400))
    while count < n_items:
        yield (date(2008, 1, 1) + timedelta(days=rng.randint(0, 6300)), None,
               rng.choice(names.drugs))
        count += 1


def build_store(path: Path, n_items: int, *, seed: int = 11) -> Built:
    """Create `path` holding `n_items` items, and `path`.sqlite holding the rows its
    commits wrote (the SQLite reference's copy of the same rows); returns what was built."""
    rng = random.Random(seed)
    n_events = max(4, n_items // 10)
    names = Names(n_drugs=max(1, n_events // len(HISTORY)))
    plan = sorted(_plan(n_items, names, rng), key=lambda p: p[0])
    started = time.perf_counter()
    store = open_as_bot(path, clock=fixed_clock)
    try:
        with CommitLog(store) as log:
            _fill(store, plan, names, rng)
    finally:
        store.close()
    seconds = time.perf_counter() - started
    change = log.take()
    sqlite = None
    if change is not None:
        sqlite = path.with_name(path.name + ".sqlite")
        SqliteReference.create(sqlite, change).close()
    size = sum(p.stat().st_size for p in store_files(path))
    return Built(path, n_items, n_events, names, seconds, size, sqlite)


def _fill(store: Any, plan: list[tuple[date, Label | None, DrugSpec]], names: Names,
          rng: random.Random) -> None:
    """Commit the planned items chronologically, in batches, as polls would."""
    batch = max(500, len(plan) // 20)
    for start in range(0, len(plan), batch):
        source = SOURCES[(start // batch) % len(SOURCES)]
        items: list[Item] = []
        candidates: list[Candidate] = []
        for offset, (day, label, drug) in enumerate(plan[start : start + batch]):
            item, extraction = make_item(source, f"b{start + offset}", label or "none",
                                         drug, rng, day)
            items.append(item)
            if label is not None:
                candidates.append(Candidate(item, extraction))
        state = SourceState(source, baselined=True, last_success=FIXED_NOW)
        store.commit_poll(state, items, candidates)
    for i, target in enumerate(names.targets[:10]):
        store.add_subscription(Subscription(owner=f"C{i:08d}", owner_type="channel",
                                            kind="target", value=target, display=target))


def built(ctx: Context, size: int) -> Built:
    """The store of `size` items for this run, built once and shared (read-only)."""
    cached = ctx.built.get(size)
    if cached is None:
        ctx.log(f"building a {size:,}-item store …")
        cached = build_store(ctx.work / f"store-{size}.json", size)
        ctx.log(f"built {size:,} items in {cached.seconds:.1f} s, "
                f"{cached.bytes / 1e6:.1f} MB")
        ctx.built[size] = cached
    return cached


def with_seen_only(ctx: Context, size: int, extra: int) -> Path:
    """The SIZE store plus EXTRA seen-only items (ordinary news that never became an event:
    all a store must keep of them is that they were seen), built once per run."""
    key = ("seen-only", size, extra)
    cached = ctx.built.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    ctx.log(f"adding {extra:,} seen-only items to the {size:,}-item store …")
    path = copy_file(ctx, built(ctx, size).path, f"store-{size}+{extra}.json")
    store = open_as_bot(path, clock=fixed_clock)
    try:
        batch = 50_000
        for start in range(0, extra, batch):
            items = [Item(source="seen-only", key=f"s{i}", title="seen")
                     for i in range(start, min(extra, start + batch))]
            store.commit_poll(SourceState("seen-only", baselined=True, last_success=FIXED_NOW),
                              items, [])
    finally:
        store.close()
    ctx.built[key] = path
    return path


def copy_of(ctx: Context, size: int, name: str) -> Path:
    """A private copy of the `size` store a scenario may write to."""
    return copy_file(ctx, built(ctx, size).path, f"{name}-{size}.json")


def copy_file(ctx: Context, source: Path, name: str) -> Path:
    """A private copy of a store (a scenario may write to it): its file and the files the
    store keeps beside it."""
    dest = ctx.work / name
    for leftover in ctx.work.glob(dest.name + "*"):
        leftover.unlink()
    for path in store_files(source):
        shutil.copyfile(path, dest.with_name(dest.name + path.name[len(source.name):]))
    return dest


def store_files(db: Path) -> list[Path]:
    """The database file and any sibling the store keeps beside it (a journal, say); not
    its spare copy, lock, temp files or files moved aside."""
    def ours(path: Path) -> bool:
        parts = path.name[len(db.name):].split(".")
        return not ({"bak", "lock", "tmp", "sqlite"} & set(parts)
                    or any(p.startswith("corrupt") for p in parts))

    siblings = sorted(p for p in db.parent.glob(db.name + ".*") if ours(p))
    return [db, *siblings] if db.exists() else siblings
