"""The outbox relay: post pending delivery rows to Slack, each once.

Guarantees (RELIABILITY.md): a row leaves `pending` only as `posted` (with the
ts Slack gave) or `failed` (with Slack's reason, logged and told to the admin).
"Once" despite lost answers: an attempt is recorded *before* the request, and a
row that may already have been posted (a previous attempt, a 5xx, a dropped
connection) is first looked up in the channel through its message metadata; a
message found there is adopted instead of posted again.

Retries are ours, not slack_sdk's: the SDK's ConnectionErrorRetryHandler re-sends
a request Slack may have processed (a duplicate), and its 429 handler sleeps
without a cap; so the client should be built with `retry_handlers=[]` and this
class waits `Retry-After` (bounded by `max_wait`) and backs off on 5xx itself.

Order: rows go in `seq` order; when a row for a destination stays pending, the
later rows for that destination wait for the next cycle. Pace: at most one
message per `min_interval_per_channel` seconds per channel.

Grouping (GROUP_WAIT, grouping.py): a row whose `not_before` is ahead waits, with
the later rows about its event. Edits: every pending `update` of one message in a
cycle is one `chat.update` (it renders the event as it is now), and an edit that
would not change what the message shows is not sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.errors import NotifyError
from bot.models import Delivery, DeliveryStatus
from bot.notify import faults
from bot.notify.admin import AdminNotices
from bot.notify.blocks import Message
from bot.notify.compose import EventSource, NotComposable, compose
from bot.notify.grouping import due
from bot.notify.retry import RetryPolicy

log = logging.getLogger(__name__)

STUCK_NOTICE_AFTER = 5  # attempts before the admin hears that a row is stuck pending


class OutboxStore(EventSource, Protocol):
    """The store's outbox as the relays (Slack and console) use it; bot.store.Store
    provides it."""

    def pending_deliveries(self) -> list[Delivery]: ...
    def posted_delivery(self, event_id: str, destination: str) -> Delivery | None: ...
    def mark_delivery(
        self, id: str, *, status: DeliveryStatus, ts: str | None = None,
        channel: str | None = None, error: str | None = None,
    ) -> Delivery: ...


@dataclass(frozen=True)
class DeliveryReport:
    posted: int = 0
    adopted: int = 0  # found already in Slack (metadata) and recorded, not posted again
    failed: int = 0
    pending: int = 0  # left for the next cycle
    waiting: int = 0  # not due yet (GROUP_WAIT)
    unchanged: int = 0  # edits not sent: the message already shows this


def _without_sdk_retries(client: WebClient) -> WebClient:
    """The same client, or a sibling with no SDK retry handlers (we own retries, see above)."""
    if not client.retry_handlers:
        return client
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout,
        ssl=client.ssl, proxy=client.proxy, headers=dict(client.headers),
        user_agent_prefix=None, logger=client.logger, retry_handlers=[],
    )


class _Skip(Exception):
    """A row whose target message is missing: fail it quietly (nothing to tell Slack)."""


class SlackNotifier:
    def __init__(
        self,
        client: WebClient,
        store: OutboxStore,
        *,
        admin: AdminNotices,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        min_interval_per_channel: float = 1.0,
        max_attempts: int = 4,
        max_rate_limited: int = 5,
        max_wait: float = 30.0,
        backoff: float = 0.5,
        history_limit: int = 100,
    ) -> None:
        self._client = _without_sdk_retries(client)
        self._store = store
        self._admin = admin
        self._sleep = sleep
        self._clock = clock
        self._interval = min_interval_per_channel
        self._retrying = RetryPolicy(sleep, max_attempts=max_attempts,
                                     max_rate_limited=max_rate_limited, max_wait=max_wait,
                                     backoff=backoff)
        self._history_limit = history_limit
        self._last_sent: dict[str, float] = {}
        self._dm_channels: dict[str, str] = {}
        self._noticed: set[tuple[str, str]] = set()
        self._shown: dict[tuple[str, str], str] = {}  # (channel, ts) -> what it shows

    # ---------------------------------------------------------------- cycle
    def deliver_pending(self, now: datetime | None = None) -> DeliveryReport:
        """Work through the outbox once (rows due by NOW, default the wall clock);
        never raises for a Slack problem."""
        counts: Counter[str] = Counter()
        blocked: set[str] = set()
        edited: dict[tuple[str, str], str] = {}  # (event, destination) -> this cycle's edit
        ready, waiting = due(self._store.pending_deliveries(), now or datetime.now(UTC))
        counts["waiting"] = len(waiting)
        for row in ready:
            if row.destination in blocked:
                counts["pending"] += 1
                continue
            key = (row.event_id, row.destination)
            if row.action == "update" and edited.get(key) in ("posted", "unchanged"):
                self._store.mark_delivery(row.id, status="posted")  # the same edit
                counts["unchanged"] += 1
                continue
            outcome = self._deliver(row)
            counts[outcome] += 1
            if row.action == "update":
                edited[key] = outcome
            if outcome == "pending":
                blocked.add(row.destination)
        report = DeliveryReport(**counts)
        if sum(counts.values()) - report.waiting:
            log.info("outbox: %d posted, %d adopted, %d failed, %d left pending, %d edits "
                     "not needed, %d waiting to group", report.posted, report.adopted,
                     report.failed, report.pending, report.unchanged, report.waiting)
        return report

    def _deliver(self, row: Delivery) -> str:
        try:
            message = compose(row, self._store)
            if row.action == "update":
                return self._update(row, message)
            return self._post(row, message)
        except NotComposable as exc:
            return self._fail(row, str(exc), tell_admin=True)
        except _Skip as exc:
            log.info("delivery %s skipped: %s", row.id, exc)
            return self._fail(row, str(exc), tell_admin=False)
        except NotifyError as exc:
            if not exc.retryable:
                return self._fail(row, exc.reason, tell_admin=True)
            return self._leave_pending(row, exc)

    # ---------------------------------------------------------------- actions
    def _post(self, row: Delivery, message: Message) -> str:
        channel = self._channel_of(row.destination, row.event_id)
        thread_ts = None
        if row.action == "reply":
            parent = self._thread_parent(row)
            if parent is None and row.parent_event_id == row.event_id:
                raise _Skip(f"no posted message of event {row.event_id} to reply to")
            if parent is not None:
                channel, thread_ts = parent
        extra: dict[str, Any] = {}
        if thread_ts:
            extra = {"thread_ts": thread_ts, "reply_broadcast": row.broadcast}

        if row.attempts == 0:
            # Record the attempt first: after a crash past this point we look before posting.
            self._store.mark_delivery(row.id, status="pending")

        def send() -> tuple[str, str, bool]:
            self._pace(channel)
            answer = faults.call(
                self._client.chat_postMessage, destination=row.destination,
                event_id=row.event_id, channel=channel, text=message.text,
                blocks=list(message.blocks), metadata=message.metadata,
                unfurl_links=False, unfurl_media=False, **extra,
            )
            return str(answer["ts"]), str(answer["channel"]), False

        ts, answered, adopted = self._retrying(
            send,
            destination=row.destination,
            look=lambda: self._find_posted(row, channel, message, thread_ts),
            look_first=row.attempts > 0,
        )
        self._store.mark_delivery(row.id, status="posted", ts=ts, channel=answered)
        if not adopted:
            self._shown[(answered, ts)] = _fingerprint(message)
        return "adopted" if adopted else "posted"

    def _update(self, row: Delivery, message: Message) -> str:
        target = self._store.posted_delivery(row.event_id, row.destination)
        if target is None or not target.ts:
            raise _Skip(f"no posted message of event {row.event_id} to update")
        channel = target.channel or self._channel_of(row.destination, row.event_id)
        shows = (channel, target.ts)
        if self._shown.get(shows) == _fingerprint(message):
            self._store.mark_delivery(row.id, status="posted", ts=target.ts, channel=channel)
            return "unchanged"

        def send() -> tuple[str, str, bool]:
            self._pace(channel)
            answer = faults.call(
                self._client.chat_update, destination=row.destination, event_id=row.event_id,
                channel=channel, ts=target.ts, text=message.text,
                blocks=list(message.blocks), metadata=message.metadata,
            )
            return str(answer["ts"]), str(answer["channel"]), False

        ts, answered, _ = self._retrying(send, destination=row.destination)
        self._store.mark_delivery(row.id, status="posted", ts=ts, channel=answered)
        self._shown[shows] = _fingerprint(message)
        return "posted"

    # ---------------------------------------------------------------- lookups
    def _thread_parent(self, row: Delivery) -> tuple[str, str] | None:
        """(channel, ts) of the top-level message this reply belongs under, if posted."""
        event_id = row.parent_event_id or row.event_id
        for _ in range(5):  # a reply's parent may itself be a (lift) reply: climb to the root
            parent = self._store.posted_delivery(event_id, row.destination)
            if parent is None or not parent.ts:
                return None
            if parent.action != "reply" or not parent.parent_event_id:
                return parent.channel or self._channel_of(row.destination, event_id), parent.ts
            event_id = parent.parent_event_id
        return None

    def _find_posted(
        self, row: Delivery, channel: str, message: Message, thread_ts: str | None
    ) -> tuple[str, str, bool] | None:
        """Our earlier message for this row, found by its metadata (ts, channel, True)."""
        method: Callable[..., SlackResponse] = self._client.conversations_history
        args: dict[str, Any] = {"channel": channel, "include_all_metadata": True,
                                "limit": self._history_limit}
        if thread_ts:
            method = self._client.conversations_replies
            args["ts"] = thread_ts
        try:
            answer = faults.call(method, destination=row.destination, event_id=row.event_id,
                                 **args)
        except NotifyError as exc:
            if exc.retryable:
                raise
            log.warning("cannot check %s for an earlier post of %s (%s); posting anyway",
                        channel, row.event_id, exc.reason)
            return None
        wanted = message.metadata.get("event_payload", {})
        for found in answer.get("messages") or []:
            payload = (found.get("metadata") or {}).get("event_payload") or {}
            if all(payload.get(key) == wanted.get(key) for key in ("event_id", "action",
                                                                   "item_id")):
                log.info("event %s already in %s (ts %s): adopted, not posted again",
                         row.event_id, channel, found.get("ts"))
                return str(found["ts"]), channel, True
        return None

    def _channel_of(self, destination: str, event_id: str | None) -> str:
        """A channel id as is; a user id becomes the bot's DM channel with that user."""
        if destination[:1] not in ("U", "W"):
            return destination
        if destination not in self._dm_channels:
            answer = self._retrying(
                lambda: faults.call(self._client.conversations_open, destination=destination,
                                    event_id=event_id, users=destination),
                destination=destination,
            )
            self._dm_channels[destination] = str(answer["channel"]["id"])
        return self._dm_channels[destination]

    # ---------------------------------------------------------------- faults
    def _pace(self, channel: str) -> None:
        last = self._last_sent.get(channel)
        if last is not None:
            wait = last + self._interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_sent[channel] = self._clock()

    def _fail(self, row: Delivery, reason: str, *, tell_admin: bool) -> str:
        self._store.mark_delivery(row.id, status="failed", error=reason)
        if not tell_admin:
            return "failed"
        log.error("delivery of event %s to %s failed for good: %s", row.event_id,
                  row.destination, reason)
        self._notice_once(row.destination, reason,
                          f"Could not deliver event {row.event_id} to {row.destination}: {reason}")
        return "failed"

    def _leave_pending(self, row: Delivery, exc: NotifyError) -> str:
        self._store.mark_delivery(row.id, status="pending", error=exc.reason)
        log.warning("delivery of event %s to %s left pending for the next cycle: %s",
                    row.event_id, row.destination, exc.reason)
        if row.attempts + 1 >= STUCK_NOTICE_AFTER:
            self._notice_once(row.destination, "stuck",
                              f"Alerts to {row.destination} are waiting: {exc.reason}. "
                              "They will be posted when Slack answers again.")
        return "pending"

    def _notice_once(self, destination: str, reason: str, text: str) -> None:
        key = (destination, reason.split(":", 1)[0])
        if key not in self._noticed:
            self._noticed.add(key)
            self._admin.notice(text)


def _fingerprint(message: Message) -> str:
    """What a message shows (text and blocks), to tell an edit that changes nothing."""
    body = json.dumps([message.text, list(message.blocks)], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()
