"""One poll of one source: fetch → extract → store (one write) → deliver.

The order matters for the delivery guarantees (RELIABILITY.md): the items,
the source's validators and the delivery decisions are written in one atomic
store write *before* anything is posted, and posting happens from the outbox.
A crash at any point therefore either repeats the whole fetch (nothing was
recorded) or finds pending deliveries to finish (everything was recorded).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot import messages, sources
from bot.errors import SourceError, StorageError
from bot.extract import AliasBook, extract
from bot.models import Candidate, DeliveryPlan, EventChange, Item, SourceConfig, SourceState
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
    aliases: AliasBook = field(default_factory=AliasBook.default)
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
        report = self._poll(source, dry_run=dry_run, include_existing=include_existing,
                            force=force)
        if self.on_report is not None and not dry_run:
            self.on_report(report)
        return report

    def _poll(
        self, source: SourceConfig, *, dry_run: bool, include_existing: bool, force: bool
    ) -> PollReport:
        now = self.clock()
        state: SourceState = self.store.source_state(source.name)
        if not force and not health.due(state, now):
            return PollReport(source.name, skipped=f"backing off until {state.backoff_until}")
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
            if not dry_run:
                self._save_state(new_state)
                self._notice(state, new_state)
                log.info("%s", report.summary())
            return report

        unseen = self.store.unseen([i.id for i in result.items])
        fresh = [item for item in _unique(result.items) if item.id in unseen]
        baseline = not state.baselined and not include_existing
        candidates = self.candidates(fresh)
        report = PollReport(
            source.name, fetched=result.fetched, new_items=len(fresh),
            candidates=tuple(candidates), baseline=baseline,
        )
        if dry_run:
            return report
        # On the first poll, history is recorded (so /drug knows it) but no
        # delivery is decided: a new install must not flood the channel.
        try:
            changes = self.store.commit_poll(
                replace(new_state, baselined=True), fresh, candidates,
                decide=None if baseline else self.decide,
            )
        except StorageError as exc:
            # Nothing was recorded, so nothing is posted: the next cycle fetches
            # the same items again and catches up once the disk can take them.
            self._storage_health(exc)
            return replace(report, error=f"not saved: {exc.reason}")
        self._storage_health(None)
        self._notice(state, new_state)
        log.info("%s", replace(report, changes=tuple(changes)).summary())
        if not baseline:
            self.deliver()
        return replace(report, changes=tuple(changes))

    def candidates(self, items: Sequence[Item]) -> list[Candidate]:
        """The items the extractor labels as events; what they teach about names is kept."""
        candidates = []
        with self._extract_lock:
            for item in items:
                extraction = extract(item, self.aliases)
                if extraction.label != "none":
                    self.aliases.learn(extraction)
                    candidates.append(Candidate(item, extraction))
        return candidates

    def _failed(
        self, source: SourceConfig, state: SourceState, exc: SourceError, now: datetime,
        dry_run: bool,
    ) -> PollReport:
        new_state = health.after_failure(
            state, now=now, interval=source.interval_seconds, error=exc, rng=self.rng
        )
        # One line per round says which sources failed (bot/poll_rounds.py); per source
        # and per round it would be ten identical warnings whenever the network is down.
        log.debug("%s", exc)
        if not dry_run:
            self._save_state(new_state)
            self._notice(state, new_state)
        return PollReport(source.name, error=exc.reason)

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

    def _notice(self, previous: SourceState, current: SourceState) -> None:
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
