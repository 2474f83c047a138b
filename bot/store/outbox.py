"""The outbox: one row per (event, destination, action), pending -> posted | failed.

Mixed into `Store`, under its lock. Delivery decisions are written in the same
file write as the poll that made them (`commit_poll` calls `_add_plans`), so a
crash never loses a decision; the notifier drains pending rows in `seq` order.
Two indexes (pending ids; ids by event) keep the relay's and routing's questions
proportional to the answer, not to the whole outbox.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from bot.models import Delivery, DeliveryPlan, DeliveryStatus, delivery_id
from bot.store.codec import to_row
from bot.store.guard import Changes, Guard, locked


class Outbox:
    clock: Callable[[], datetime]
    _lock: threading.RLock
    _deliveries: dict[str, Delivery]
    _seq: int
    _pending_ids: set[str]
    _by_event: dict[str, list[str]]

    _guard: Guard  # provided by Store

    def _index_outbox(self) -> None:
        self._pending_ids = {k for k, d in self._deliveries.items() if d.status == "pending"}
        self._by_event = {}
        for d in sorted(self._deliveries.values(), key=lambda d: d.seq):
            self._by_event.setdefault(d.event_id, []).append(d.id)

    def _put_delivery(self, d: Delivery) -> None:
        if d.id not in self._deliveries:
            self._by_event.setdefault(d.event_id, []).append(d.id)
        self._deliveries[d.id] = d
        (self._pending_ids.add if d.status == "pending" else self._pending_ids.discard)(d.id)

    def _add_plans(self, plans: Iterable[DeliveryPlan], changes: Changes) -> list[Delivery]:
        rows = changes.setdefault("deliveries", {})
        added: list[Delivery] = []
        now = self.clock()
        for plan in plans:
            key = delivery_id(plan)
            if key in self._deliveries:
                continue
            self._seq += 1
            d = Delivery(
                id=key,
                seq=self._seq,
                destination=plan.destination,
                action=plan.action,
                event_id=plan.event_id,
                item_id=plan.item_id,
                parent_event_id=plan.parent_event_id,
                broadcast=plan.broadcast,
                not_before=plan.not_before,
                created_at=now,
                updated_at=now,
            )
            self._put_delivery(d)
            rows[key] = to_row(d)
            added.append(d)
        return added

    @locked
    def add_deliveries(self, plans: Iterable[DeliveryPlan]) -> list[Delivery]:
        """Store decisions made outside a poll; returns the rows created (known ids are skipped)."""
        plans = list(plans)
        return self._guard(lambda changes: self._add_plans(plans, changes))

    @locked
    def pending_deliveries(self) -> list[Delivery]:
        deliveries = self._deliveries
        return sorted((deliveries[k] for k in self._pending_ids), key=lambda d: d.seq)

    @locked
    def deliveries_for(self, event_id: str) -> list[Delivery]:
        deliveries = self._deliveries
        return [deliveries[k] for k in self._by_event.get(event_id, ())]

    @locked
    def posted_delivery(self, event_id: str, destination: str) -> Delivery | None:
        """The posted top-level message of EVENT in DESTINATION (else any posted row)."""
        posted = [
            d
            for d in self.deliveries_for(event_id)
            if d.destination == destination and d.status == "posted"
        ]
        posted.sort(key=lambda d: (d.action != "post", d.seq))
        return posted[0] if posted else None

    @locked
    def mark_delivery(
        self,
        id: str,
        *,
        status: DeliveryStatus,
        ts: str | None = None,
        channel: str | None = None,
        error: str | None = None,
    ) -> Delivery:
        if id not in self._deliveries:
            raise KeyError(f"no delivery {id!r} in the outbox")
        old = self._deliveries[id]
        new = replace(
            old,
            status=status,
            ts=ts or old.ts,
            channel=channel or old.channel,
            error=error,
            attempts=old.attempts + 1,
            updated_at=self.clock(),
        )

        def work(changes: Changes) -> Delivery:
            self._put_delivery(new)
            changes["deliveries"] = {id: to_row(new)}
            return new

        return self._guard(work)
