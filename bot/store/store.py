"""The store: the only door to the database file (docs/ARCHITECTURE.md, bot/store/).

Everything lives in memory (seen ids, events, drugs, outbox, subscriptions,
source states) and every change is written through `Db.commit` — TinyDB table
operations over our atomic storage (db.py, storage.py) — as one atomic file
write. One `RLock` guards every public method, because Bolt's listener
pool and APScheduler's job pool call us from many threads. If a write fails,
the in-memory state is reloaded from what the file holds, and `StorageError`
reaches the caller (the poll is retried next cycle; nothing it saw counts as
seen).

Deferred source states. A write costs the whole file, so a poll that brought
nothing new (a 304, or only items already seen) does not write: its
`SourceState` (validators, health) is kept in memory, where every query sees it
at once, and written with the next real write, by `flush()` (the app calls it
every few minutes) or by `close()`. `save_source_state` (failures) is deferred
the same way. Why this is safe: a deferred state only ever describes a feed
whose items are all on disk already, so losing it in a crash costs a re-fetch
of items already seen (and health counters restarting from their last saved
value) — never an item. New items, and a source's first baseline, are never
deferred: they are written in one write together with their validators,
before anything is posted (docs/DEPENDENCIES.md, "Items and HTTP validators are saved
together"). The outbox writes at
once, always: delivery state is what prevents duplicate posts after a crash.
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
    Delivery,
    DeliveryPlan,
    DrugRecord,
    Event,
    EventChange,
    Item,
    SourceState,
    Subscription,
)
from bot.store import outbox, queries, subscriptions
from bot.store.cluster import DEFAULT_WINDOW_DAYS
from bot.store.codec import from_row, to_row
from bot.store.db import Db
from bot.store.events import EventBook
from bot.store.guard import Changes, locked

R = TypeVar("R")

log = logging.getLogger(__name__)

Decide = Callable[[EventChange, "Store"], list[DeliveryPlan]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store(queries.Queries, outbox.Outbox, subscriptions.Subscriptions):
    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], datetime] = utc_now,
        cluster_window_days: int = DEFAULT_WINDOW_DAYS,
        group_wait: float = 0.0,
    ) -> None:
        self._lock = threading.RLock()
        self.path = Path(path)
        self.clock = clock
        self.window_days = cluster_window_days
        # how long a report naming no company and no drug is held back (events.py)
        self.group_wait = timedelta(seconds=group_wait)
        self._db = Db(self.path)
        self.recovery = self._db.storage.recovery  # set when open had to repair the file
        self._pending: dict[str, SourceState] = {}  # deferred states, newer than the file
        self._load()

    def _load(self) -> None:
        """(Re)build every in-memory index from the database rows."""
        db = self._db
        self._derived = {}
        self._seen: set[str] = set(db.keys("items"))
        drugs = (from_row(DrugRecord, r) for r in db.rows("drugs"))
        self.book = EventBook(db.rows("events"), drugs)
        self._deliveries = {r["id"]: from_row(Delivery, r) for r in db.rows("deliveries")}
        self._seq = max((d.seq for d in self._deliveries.values()), default=0)
        self._subs = {r["id"]: from_row(Subscription, r) for r in db.rows("subscriptions")}
        self._digest = {r["channel"] for r in db.rows("digest")}
        self._sources = {r["name"]: from_row(SourceState, r) for r in db.rows("sources")}
        self._sources.update(self._pending)  # still newer than the file, and still safe

    @locked
    def flush(self) -> None:
        """Write the deferred source states, if any (one write; none when nothing waits)."""
        if self._pending:
            self._commit({})

    @locked
    def close(self) -> None:
        """Flush, then close. A failed flush is logged, not raised: it can only lose
        validators and health counters (see the module docstring)."""
        try:
            self.flush()
        except StorageError as exc:
            log.error("database %s: deferred source states not saved at close: %s", self.path, exc)
        self._db.close()

    @property
    def writes(self) -> int:
        """Physical file writes so far (including the schema stamp of a new file)."""
        return self._db.storage.writes

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
            self._db.commit(changes)
        except BaseException:
            self._load()  # memory back to what the file holds (plus deferred states)
            raise
        self._pending.clear()
        book.saved()
        self._derived = {}

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
        changes: Changes = {}
        self._derived = {}  # WORK may change events and drugs
        try:
            result = work(changes)
        except BaseException:
            self._load()
            raise
        self._commit(changes)
        return result

    # ------------------------------------------------------------------ polling

    @locked
    def unseen(self, item_ids: Iterable[str]) -> set[str]:
        return {i for i in item_ids if i not in self._seen}

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
        """One atomic write: items seen, source state, events, links, drugs, deliveries.
        Nothing new (no unseen item, no candidate): no write, the state is deferred."""
        if not candidates and all(i.id in self._seen for i in items) and self._defer(state):
            return []

        def work(changes: Changes) -> list[EventChange]:
            now = self.clock()
            today = now.date()
            known_before = {c.item.id for c in candidates if c.item.id in self._seen}
            seen_rows = changes.setdefault("items", {})
            for item in items:
                if item.id not in self._seen:
                    self._seen.add(item.id)
                    seen_rows[item.id] = {"id": item.id, "seen_at": now.isoformat()}
            self._sources[state.name] = state
            changes["sources"] = {state.name: to_row(state)}
            result: list[EventChange] = []
            ordered = sorted(candidates, key=lambda c: (c.item.published or today, c.item.id))
            for cand in ordered:
                if cand.item.id in known_before:
                    continue
                if cand.item.id not in self._seen:
                    self._seen.add(cand.item.id)
                    seen_rows[cand.item.id] = {"id": cand.item.id, "seen_at": now.isoformat()}
                for change in self.book.add(
                    cand, today=today, now=now, window_days=self.window_days
                ):
                    result.append(change)
                    if decide is not None:
                        self._add_plans(decide(change, self), changes)
            result += self._release(now, decide, changes)
            return result

        return self._guard(work)

    # ------------------------------------------------------------------ held back

    def _release(self, now: datetime, decide: Decide | None, changes: Changes,
                 wait: timedelta | None = None) -> list[EventChange]:
        released = self.book.release(now, self.group_wait if wait is None else wait)
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
        return self.book.held.next_due(self.group_wait)

    # ------------------------------------------------------------------ events

    @locked
    def event(self, id: str) -> Event | None:
        return self.book.events.get(id)

    @locked
    def stats(self) -> dict[str, Any]:
        by_status: dict[str, int] = {"pending": 0, "posted": 0, "failed": 0}
        for d in self._deliveries.values():
            by_status[d.status] = by_status.get(d.status, 0) + 1
        return {
            "items": len(self._seen),
            "events": len(self.book.events),
            "drugs": len(self.book.registry.drugs),
            "deliveries": by_status,
            "subscriptions": len(self._subs),
            "digest_channels": len(self._digest),
            "sources": len(self._sources),
            "writes": self.writes,
            "file_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }
