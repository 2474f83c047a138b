"""Polling: fetch → extract → store (one write per tick) → deliver.

The order matters for the delivery guarantees (RELIABILITY.md): the items,
the sources' validators and the delivery decisions are written in one atomic
store write *before* anything is posted, and posting happens from the outbox.
A crash at any point therefore either repeats the whole fetch (nothing was
recorded) or finds pending deliveries to finish (everything was recorded).

A poll has two halves. `fetch` (network, parsing, extraction) writes nothing
and runs in parallel for the sources of one scheduler tick; `commit` writes
what all of them found as ONE store write (`Store.commit_polls`), then the
outbox is drained once. `poll_many` does both for a list of sources (the CLI's
`poll --once`), `poll` for one.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot import messages, sources
from bot.errors import SourceError, StorageError
from bot.extract import AliasBook, extract
from bot.models import (
    Candidate,
    DeliveryPlan,
    EventChange,
    Item,
    PollBatch,
    SourceConfig,
    SourceState,
)
from bot.notify import grouping, routing
from bot.notify.admin import AdminNotices
from bot.sources import health
from bot.store import Store

log = logging.getLogger(__name__)

CONSOLE_DESTINATION = "console"


@dataclass(frozen=True)
class PollReport:
    source: str
    fetched: int = 0
    new_items: int = 0
    candidates: tuple[Candidate, ...] = ()
    changes: tuple[EventChange, ...] = ()
    baseline: bool = False
    not_modified: bool = False
    error: str | None = None
    skipped: str | None = None

    def summary(self) -> str:
        if self.skipped:
            return f"{self.source}: skipped ({self.skipped})"
        if self.error:
            return f"{self.source}: failed: {self.error}"
        if self.not_modified:
            return f"{self.source}: not modified"
        text = f"{self.source}: {self.fetched} items, {self.new_items} new"
        if self.baseline:
            return text + " (first poll: recorded as seen, nothing posted)"
        return text + f", {len(self.changes or self.candidates)} event reports"


class Notifier(Protocol):
    """Console or Slack: both drain the outbox the same way (rows due by NOW, by default
    the wall clock: GROUP_WAIT is a span of real time)."""

    def deliver_pending(self, now: datetime | None = None) -> object: ...


@dataclass(frozen=True)
class Fetched:
    """One source's fetch and extraction, waiting to be committed with its tick."""

    report: PollReport
    previous: SourceState | None = None  # the state before (for health notices)
    state: SourceState | None = None  # the state to save (None: dry run or skipped)
    items: tuple[Item, ...] = ()  # the fresh (unseen) items
    failed: bool = False  # a fetch failure: only the state is saved (deferred)
    dry_run: bool = False  # nothing is saved, and `on_report` is not told


@dataclass
class Poller:
    """Everything a poll needs, built once by the composition root."""

    store: Store
    client: sources.HttpClient
    notifier: Notifier
    admin: AdminNotices
    alert_channel: str | None
    sec_user_agent: str | None = None
    failure_threshold: int = 3
    console: bool = False
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    rng: random.Random = field(default_factory=random.Random)
    # The extractor's alias memory; built on first use and taught the names in
    # `alias_seed()` (the store's drugs), so a read-only lookup never pays for it.
    aliases: AliasBook | None = None
    alias_seed: Callable[[], Iterable[Sequence[str]]] | None = None
    names: routing.NameRules = routing.PLAIN_NAMES  # the real ones: bot/runtime.py
    _deliver_lock: threading.Lock = field(default_factory=threading.Lock)
    # Source jobs run in parallel threads but share one alias book; extract()
    # turns any internal error into `none`, so a race with learn() would drop
    # an event silently. Extraction holds the GIL anyway: serialising is cheap.
    _extract_lock: threading.Lock = field(default_factory=threading.Lock)
    _storage_failing: bool = False
    # Told every report of a real poll (not dry runs): `run` logs one line per round.
    on_report: Callable[[PollReport], None] | None = None
    # GROUP_WAIT in seconds: a new event's first news waits this long for the reports
    # arriving with it (bot/notify/grouping.py). `wake(when)` asks the scheduler to run
    # `deliver` again when the next waiting row is due (None: the periodic run will).
    group_wait: float = 0.0
    wake: Callable[[datetime], object] | None = None

    # ------------------------------------------------------------------ decide
    def decide(self, change: EventChange, view: Store) -> list[DeliveryPlan]:
        alert = self.alert_channel or (CONSOLE_DESTINATION if self.console else None)
        return routing.decide(
            change,
            subscriptions=view.subscriptions(),
            alert_channel=alert,
            posted=lambda event_id, dest: routing.first_news(view.deliveries_for(event_id),
                                                             dest),
            names=self.names,
            group_wait=timedelta(seconds=self.group_wait),
        )

    # -------------------------------------------------------------------- poll
    def poll(
        self,
        source: SourceConfig,
        *,
        dry_run: bool = False,
        include_existing: bool = False,
        force: bool = False,
    ) -> PollReport:
        """Poll one source once. Never raises for source problems: they are reported."""
        return self.poll_many([source], dry_run=dry_run, include_existing=include_existing,
                              force=force)[0]

    def poll_many(
        self,
        sources: Sequence[SourceConfig],
        *,
        dry_run: bool = False,
        include_existing: bool = False,
        force: bool = False,
    ) -> list[PollReport]:
        """Poll SOURCES one after the other, then commit all they found as one write."""
        fetched = [self.fetch(s, dry_run=dry_run, include_existing=include_existing,
                              force=force) for s in sources]
        return self.commit(fetched)

    def fetch(
        self,
        source: SourceConfig,
        *,
        dry_run: bool = False,
        include_existing: bool = False,
        force: bool = False,
    ) -> Fetched:
        """Fetch and extract one source; writes nothing (safe in parallel threads)."""
        now = self.clock()
        state: SourceState = self.store.source_state(source.name)
        if not force and not health.due(state, now):
            return Fetched(PollReport(source.name,
                                      skipped=f"backing off until {state.backoff_until}"),
                           dry_run=dry_run)
        try:
            result = sources.fetch(
                source, state, self.client, now=now, sec_user_agent=self.sec_user_agent,
                unseen=self.store.unseen,
            )
        except SourceError as exc:
            return self._failed(source, state, exc, now, dry_run)

        new_state = health.after_success(
            result.state, now=now, interval=source.interval_seconds, items=result.fetched
        )
        if result.not_modified:
            report = PollReport(source.name, not_modified=True)
            return Fetched(report, dry_run=True) if dry_run else Fetched(report, state, new_state)

        unseen = self.store.unseen([i.id for i in result.items])
        fresh = [item for item in _unique(result.items) if item.id in unseen]
        baseline = not state.baselined and not include_existing
        candidates = self.candidates(fresh)
        report = PollReport(
            source.name, fetched=result.fetched, new_items=len(fresh),
            candidates=tuple(candidates), baseline=baseline,
        )
        if dry_run:
            return Fetched(report, dry_run=True)
        return Fetched(report, state, replace(new_state, baselined=True), tuple(fresh))

    def commit(self, fetched: Sequence[Fetched]) -> list[PollReport]:
        """Save what FETCHED found as ONE store write, then deliver once. On the first poll
        of a source, history is recorded (so /drug knows it) but no delivery is decided: a
        new install must not flood the channel."""
        reports = [f.report for f in fetched]
        news = [n for n, f in enumerate(fetched) if f.state is not None and not f.failed
                and not f.report.not_modified]
        for f in fetched:  # failures and 304s: deferred states, no write of their own
            if f.state is not None and (f.failed or f.report.not_modified):
                self._save_state(f.state)
                self._notice(f.previous, f.state)
                if f.report.not_modified:
                    log.info("%s", f.report.summary())
        if not news:
            return self._told(fetched, reports)
        batches = [PollBatch(fetched[n].state, fetched[n].items,  # type: ignore[arg-type]
                             fetched[n].report.candidates,
                             announce=not fetched[n].report.baseline) for n in news]
        try:
            changes = self.store.commit_polls(batches, decide=self.decide)
        except StorageError as exc:
            # Nothing was recorded, so nothing is posted: the next cycle fetches
            # the same items again and catches up once the disk can take them.
            self._storage_health(exc)
            for n in news:
                reports[n] = replace(reports[n], error=f"not saved: {exc.reason}")
            return self._told(fetched, reports)
        self._storage_health(None)
        for n, found in zip(news, changes, strict=True):
            reports[n] = replace(reports[n], changes=tuple(found))
            self._notice(fetched[n].previous, fetched[n].state)
            log.info("%s", reports[n].summary())
        if any(not reports[n].baseline for n in news):
            self.deliver()
        return self._told(fetched, reports)

    def _told(self, fetched: Sequence[Fetched], reports: list[PollReport]) -> list[PollReport]:
        """`on_report` hears every report of a real poll (not of a dry run)."""
        if self.on_report is not None:
            for f, report in zip(fetched, reports, strict=True):
                if not f.dry_run:
                    self.on_report(report)
        return reports

    def candidates(self, items: Sequence[Item]) -> list[Candidate]:
        """The items the extractor labels as events; what they teach about names is kept."""
        candidates = []
        with self._extract_lock:
            aliases = self.alias_book()
            for item in items:
                extraction = extract(item, aliases)
                if extraction.label != "none":
                    aliases.learn(extraction)
                    candidates.append(Candidate(item, extraction))
        return candidates

    def alias_book(self) -> AliasBook:
        """The alias memory, built and seeded on first use (call it to seed it early)."""
        if self.aliases is None:
            book = AliasBook.default()
            for names in self.alias_seed() if self.alias_seed else ():
                book.learn_names(names)
            self.aliases = book
        return self.aliases

    def _failed(
        self, source: SourceConfig, state: SourceState, exc: SourceError, now: datetime,
        dry_run: bool,
    ) -> Fetched:
        new_state = health.after_failure(
            state, now=now, interval=source.interval_seconds, error=exc, rng=self.rng
        )
        # One line per round says which sources failed (bot/poll_rounds.py); per source
        # and per round it would be ten identical warnings whenever the network is down.
        log.debug("%s", exc)
        report = PollReport(source.name, error=exc.reason)
        return Fetched(report, dry_run=True) if dry_run else Fetched(report, state, new_state,
                                                                      failed=True)

    def _save_state(self, state: SourceState) -> None:
        try:
            self.store.save_source_state(state)
        except StorageError as exc:  # the next cycle retries; nothing was posted on it
            log.error("%s", exc)

    def _storage_health(self, error: StorageError | None) -> None:
        """One admin notice when database writes start failing, one when they work again."""
        if error is not None:
            log.error("%s", error)
            if not self._storage_failing:
                self.admin.notice(messages.STORAGE_FAILING.format(error=error))
            self._storage_failing = True
        elif self._storage_failing:
            self._storage_failing = False
            self.admin.notice(messages.STORAGE_RECOVERED)

    def _notice(self, previous: SourceState | None, current: SourceState | None) -> None:
        if previous is None or current is None:
            return
        text = health.notice(previous, current, self.failure_threshold)
        if text:
            self.admin.notice(text)

    # ----------------------------------------------------------------- deliver
    def deliver(self, *, everything: bool = False) -> None:
        """Post what the outbox holds and is due (EVERYTHING: do not wait for the group
        wait, as a one-off `poll --once` must). One relay at a time: two would double-post."""
        with self._deliver_lock:
            try:  # reports held back for naming nobody, whose wait is over, become events
                self.store.release_held(decide=self.decide, everything=everything)
            except StorageError as exc:
                self._storage_health(exc)
            if everything:
                self.notifier.deliver_pending(now=datetime.max.replace(tzinfo=UTC))
            else:
                self.notifier.deliver_pending()  # rows due by the wall clock
            self._wake_when_due(datetime.now(UTC))

    def _wake_when_due(self, now: datetime) -> None:
        if self.wake is None:
            return
        times = [t for t in (grouping.next_due(self.store.pending_deliveries(), now),
                             self.store.next_release()) if t is not None]
        if times:
            self.wake(max(min(times), now))


def _unique(items: Sequence[Item]) -> list[Item]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out
