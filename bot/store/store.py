"""The store: the only door to the database file (docs/ARCHITECTURE.md, bot/store/).

Everything lives in memory (seen items, events, drugs, outbox, subscriptions,
source states — model.py) and every change is one durable write: its changed
rows appended to the journal (db.py, storage.py), folded into a fresh
snapshot when the journal outgrows half of it, when the outbox settles (every
delivery posted or failed: the file then shows the final state of each), and
at `close()`. One `RLock`
guards every public method, because Bolt's listener pool and APScheduler's
threads call us from many threads. If a write fails, the in-memory state is
reloaded from what the files hold, and `StorageError` reaches the caller (the
poll is retried next cycle; nothing it saw counts as seen).

Deferred source states. A poll that brought nothing new (a 304, or only items
already seen) does not write: its `SourceState` (validators, health) is kept
in memory, where every query sees it at once, and written with the next real
write, by `flush()` (the app calls it every few minutes) or by `close()`.
`save_source_state` (failures) is deferred the same way. Why this is safe: a
deferred state only ever describes a feed whose items are all on disk
already, so losing it in a crash costs a re-fetch of items already seen (and
health counters restarting from their last saved value) — never an item. New
items, and a source's first baseline, are never deferred: they are written in
one write together with their validators, before anything is posted
(docs/DEPENDENCIES.md, "Items and HTTP validators are saved together"). The
outbox writes at once, always: delivery state is what prevents duplicate posts
after a crash.

A read-only store (`read_only=True`: CLI lookups, `status`, dry runs, which
run beside a bot that owns the file) never writes, never moves a file, and
reads each part of the model only when a query first needs it — `drug` reads
the drugs and events, `status` only the source states.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.errors import StorageError
from bot.models import (
    Candidate,
    DeliveryPlan,
    Event,
    EventChange,
    Item,
    PollBatch,
    SourceState,
)
from bot.store import model, outbox, queries, subscriptions
from bot.store.cluster import DEFAULT_WINDOW_DAYS
from bot.store.codec import to_row
from bot.store.db import Db
from bot.store.guard import Changes, locked
from bot.store.seen import DEFAULT_DETAIL_DAYS, SeenItems

R = TypeVar("R")

log = logging.getLogger(__name__)

Decide = Callable[[EventChange, "Store"], list[DeliveryPlan]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Part:
    """An attribute of the model, read from the file on first use by a read-only store."""

    def __init__(self, group: str, field: str) -> None:
        self.group, self.field = group, field

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_part_{name}"

    def __get__(self, store: Any, owner: type | None = None) -> Any:
        if store is None:
            return self
        try:
            return store.__dict__[self.slot]
        except KeyError:
            store._load_parts({self.group})
            return store.__dict__[self.slot]

    def __set__(self, store: Any, value: Any) -> None:
        store.__dict__[self.slot] = value


class Store(queries.Queries, outbox.Outbox, subscriptions.Subscriptions):
    _sources = _Part("sources", "sources")
    _subs = _Part("subscriptions", "subs")
    _digest = _Part("subscriptions", "digest")
    book = _Part("book", "book")
    _deliveries = _Part("outbox", "deliveries")
    _seq = _Part("outbox", "seq")
    _seen = _Part("seen", "seen")

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], datetime] = utc_now,
        cluster_window_days: int = DEFAULT_WINDOW_DAYS,
        item_detail_days: int = DEFAULT_DETAIL_DAYS,
        read_only: bool = False,
        group_wait: float = 0.0,
    ) -> None:
        self._lock = threading.RLock()
        self.path = Path(path)
        self.clock = clock
        self.window_days = cluster_window_days
        self.detail_days = item_detail_days
        self.read_only = read_only
        # how long a report naming no company and no drug is held back (events.py)
        self.group_wait = timedelta(seconds=group_wait)
        self._derived: dict[str, Any] = {}
        self._pending: dict[str, SourceState] = {}  # deferred states, newer than the file
        self._outbox_changed = False  # the journal holds delivery changes the snapshot lacks
        self._db = Db(self.path, read_only=read_only)
        if not read_only:
            self._load()
            if self._db.needs_compaction():  # a new, repaired or older file: write it clean
                self._db.compact(self._snapshot)

    @property
    def recovery(self) -> str | None:
        """What open had to repair (said to the admin), None when all was well."""
        return self._db.storage.recovery

    def _horizon(self) -> Any:
        return self.clock().date() - timedelta(days=self.detail_days)

    def _load(self, *, repair: bool = True) -> None:
        """(Re)build every in-memory part from the database."""
        horizon = None if self.read_only else self._horizon()
        m = self._db.load(lambda tables: model.build(tables, horizon=horizon), repair=repair,
                          raw=frozenset({"items"}))
        self._assign(m, model.GROUPS)

    def _rollback(self) -> None:
        """A change failed: memory goes back to what the files hold (plus deferred states)."""
        try:
            self._load(repair=False)
        except StorageError as exc:  # the file is gone or replaced: writes are refused anyway
            log.error("database %s: memory may hold changes the file lacks: %s", self.path, exc)

    def _load_parts(self, groups: set[str]) -> None:
        """A reader's first use of these parts: read only their tables, events as text."""
        with self._lock:
            wanted = {t for g in groups for t in model.GROUPS[g]}

            def damaged(why: str) -> StorageError:
                return StorageError(str(self.path), f"{why}; run the bot (it restores the "
                                    "last good copy) or point BOT_DB_PATH elsewhere")

            m = self._db.load(lambda tables: model.build(tables, horizon=None, lazy=damaged),
                              wanted, raw=frozenset({"events", "items"}))
            self._assign(m, groups)

    def _assign(self, m: model.Model, groups: Iterable[str]) -> None:
        groups = set(groups)
        self._derived = {}
        if "sources" in groups:
            self._sources = {**m.sources, **self._pending}  # deferred: still newer
        if "subscriptions" in groups:
            self._subs, self._digest = m.subs, m.digest
        if "book" in groups:
            self.book = m.book
        if "outbox" in groups:
            self._deliveries, self._seq = m.deliveries, m.seq
            self._index_outbox()
        if "seen" in groups:
            self._seen = m.seen

    def _snapshot(self) -> list[tuple[str, Iterable[str]]]:
        """Every table's rows, for a compaction (old items hashed first)."""
        self._seen.fold(self._horizon().toordinal(), self.book.item_event.__contains__)
        m = model.Model(self._sources, self._subs, self._digest, self.book, self._deliveries,
                        self._seq, self._seen)
        return model.snapshot_tables(m)

    @locked
    def flush(self) -> None:
        """Write the deferred source states, if any (one write; none when nothing waits)."""
        if self._pending:
            self._commit({})

    @locked
    def close(self) -> None:
        """Flush, fold the journal into a fresh snapshot (so stock TinyDB sees everything),
        then close. A failure is logged, not raised: the journal still holds every commit."""
        if not self.read_only:
            try:
                self.flush()
                if (self._db.storage.journal_bytes or self._db.needs_compaction()
                        or self._seen.folded):  # rows of items hashed since: drop them
                    self._db.compact(self._snapshot)
            except StorageError as exc:
                log.error("database %s: not compacted at close (the journal keeps every "
                          "change): %s", self.path, exc)
        self._db.close()

    @property
    def writes(self) -> int:
        """Durable writes so far (journal appends and snapshots, the first one included)."""
        return self._db.writes

    @property
    def bytes_written(self) -> int:
        """Bytes written durably so far (for the benchmark)."""
        return self._db.storage.bytes_written

    # ------------------------------------------------------------------ writing

    def _commit(self, changes: Changes) -> None:
        book = self.book
        events = changes.setdefault("events", {})
        drugs = changes.setdefault("drugs", {})
        events.update({e: book.row(e) for e in book.dirty_events})
        events.update(dict.fromkeys(book.gone_events))  # held reports taken into an event
        drugs.update({d: to_row(book.registry.drugs[d]) for d in book.dirty_drugs})
        drugs.update(dict.fromkeys(book.gone_drugs))
        sources = changes.setdefault("sources", {})
        for name, state in self._pending.items():
            sources.setdefault(name, to_row(state))  # a state in CHANGES is newer
        try:
            self._db.commit(changes, self._snapshot)
        except BaseException:
            self._rollback()
            raise
        self._pending.clear()
        book.saved()
        self._derived = {}
        if changes.get("deliveries"):
            self._outbox_changed = True
        if self._outbox_changed and not self._pending_ids:
            if self._db.storage.journal_bytes:
                self._settle()
            else:  # a compaction since has written them already
                self._outbox_changed = False

    def _settle(self) -> None:
        """The outbox has settled (nothing pending): bring the snapshot up to date, so the
        file an operator (or stock TinyDB) reads shows every delivery's final state. Posts
        are rare (a few bursts a day), so this costs little; item-only commits never do it."""
        try:
            self._db.compact(self._snapshot)
        except StorageError as exc:  # the journal holds it all; tried again next time
            log.warning("database %s: snapshot not brought up to date: %s", self.path, exc)
            return
        self._outbox_changed = False

    def _defer(self, state: SourceState) -> bool:
        """Keep STATE in memory only, to be written later; False when it must be written
        now (a source's first baseline decides whether its items count as history)."""
        old = self._sources.get(state.name)
        if state.baselined and not (old and old.baselined):
            return False
        self._sources[state.name] = state
        self._pending[state.name] = state
        return True

    def _guard(self, work: Callable[[Changes], R]) -> R:
        """Run WORK, which fills in changes, then commit them; undo memory if anything fails."""
        if self.read_only:
            raise StorageError(str(self.path), "opened read-only; a running bot owns the file")
        changes: Changes = {}
        self._derived = {}  # WORK may change events and drugs
        try:
            result = work(changes)
        except BaseException:
            self._rollback()
            raise
        self._commit(changes)
        return result

    # ------------------------------------------------------------------ polling

    @locked
    def unseen(self, item_ids: Iterable[str]) -> set[str]:
        seen = self._seen
        return {i for i in item_ids if i not in seen}

    @locked
    def source_state(self, name: str) -> SourceState:
        return self._sources.get(name) or SourceState(name=name)

    @locked
    def source_states(self) -> dict[str, SourceState]:
        return dict(self._sources)

    @locked
    def save_source_state(self, state: SourceState) -> None:
        """Deferred like a no-news poll (see the module docstring)."""
        if self._defer(state):
            return

        def work(changes: Changes) -> None:
            self._sources[state.name] = state
            changes["sources"] = {state.name: to_row(state)}

        self._guard(work)

    @locked
    def commit_poll(
        self,
        state: SourceState,
        items: Sequence[Item],
        candidates: Sequence[Candidate],
        *,
        decide: Decide | None = None,
    ) -> list[EventChange]:
        """One source's poll as one write (see `commit_polls`); with DECIDE, its changes get
        delivery rows (a first poll passes None: history is recorded, nothing announced)."""
        batch = PollBatch(state, tuple(items), tuple(candidates), announce=decide is not None)
        return self.commit_polls([batch], decide=decide)[0]

    @locked
    def commit_polls(
        self, polls: Sequence[PollBatch], *, decide: Decide | None = None
    ) -> list[list[EventChange]]:
        """Several sources' polls (a scheduler tick) as ONE atomic write: every item seen,
        each source's state (validators together with its items), candidates clustered
        into events oldest first, links, drugs, and — for polls that announce — the delivery
        rows DECIDE returns. A poll with nothing new only defers its state; if no poll has
        anything new, nothing is written. Returns each poll's event changes."""
        seen = self._seen
        busy = [p for p in polls if p.candidates or any(i.id not in seen for i in p.items)
                or not self._defer(p.state)]
        if not busy:
            return [[] for _ in polls]

        def work(changes: Changes) -> list[list[EventChange]]:
            now = self.clock()
            today = now.date()
            rows = changes.setdefault("items", {})
            sources = changes.setdefault("sources", {})
            known_before = {c.item.id for p in busy for c in p.candidates if c.item.id in seen}
            for poll in busy:
                for item in poll.items:
                    if seen.add(item.id, today):
                        rows[item.id] = SeenItems.row(item.id, today)
                self._sources[poll.state.name] = poll.state
                sources[poll.state.name] = to_row(poll.state)
            results: dict[int, list[EventChange]] = {id(p): [] for p in polls}
            ordered = sorted(((c, p) for p in busy for c in p.candidates),
                             key=lambda cp: (cp[0].item.published or today, cp[0].item.id))
            for cand, poll in ordered:
                if cand.item.id in known_before:
                    continue
                if seen.add(cand.item.id, today):
                    rows[cand.item.id] = SeenItems.row(cand.item.id, today)
                for change in self.book.add(
                    cand, today=today, now=now, window_days=self.window_days
                ):
                    results[id(poll)].append(change)
                    if decide is not None and poll.announce:
                        self._add_plans(decide(change, self), changes)
            # held-back reports whose wait is over: with the first poll's changes (they
            # belong to no poll of this tick); announced unless the whole tick is a baseline
            announce = decide if any(p.announce for p in busy) else None
            results[id(polls[0])] += self._release(now, announce, changes)
            return [results[id(p)] for p in polls]

        return self._guard(work)

    # ------------------------------------------------------------------ held back

    def _release(self, now: datetime, decide: Decide | None, changes: Changes,
                 wait: timedelta | None = None) -> list[EventChange]:
        released: list[EventChange] = self.book.release(
            now, self.group_wait if wait is None else wait)
        for change in released:
            if decide is not None:
                self._add_plans(decide(change, self), changes)
        return released

    @locked
    def release_held(self, *, decide: Decide | None = None,
                     everything: bool = False) -> list[EventChange]:
        """Held-back reports whose wait is over (all with EVERYTHING) become events, with
        their delivery rows, in one write; no write when none is due."""
        now = self.clock()
        wait = timedelta(0) if everything else self.group_wait
        if not self.book.held.due(now, wait):
            return []
        return self._guard(lambda changes: self._release(now, decide, changes, wait))

    @locked
    def next_release(self) -> datetime | None:
        """When the next held-back report's wait ends (None: nothing is held)."""
        due: datetime | None = self.book.held.next_due(self.group_wait)
        return due

    # ------------------------------------------------------------------ events

    @locked
    def event(self, id: str) -> Event | None:
        event: Event | None = self.book.events.get(id)
        return event

    @locked
    def stats(self) -> dict[str, Any]:
        by_status: dict[str, int] = {"pending": 0, "posted": 0, "failed": 0}
        for d in self._deliveries.values():
            by_status[d.status] = by_status.get(d.status, 0) + 1
        storage = self._db.storage
        return {
            "items": len(self._seen),
            "events": len(self.book.events),
            "drugs": len(self.book.registry.drugs),
            "deliveries": by_status,
            "subscriptions": len(self._subs),
            "digest_channels": len(self._digest),
            "sources": len(self._sources),
            "writes": self.writes,
            "file_bytes": _size(storage.path) + _size(storage.journal_path),
        }


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
