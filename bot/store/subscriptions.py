"""Subscriptions and digest channels (mixed into `Store`, under its lock; each change is
one write)."""

from __future__ import annotations

import threading

from bot.models import Subscription
from bot.store.codec import to_row
from bot.store.guard import Changes, Guard, locked


class Subscriptions:
    _lock: threading.RLock
    _subs: dict[str, Subscription]
    _digest: set[str]

    _guard: Guard  # provided by Store

    @locked
    def add_subscription(self, sub: Subscription) -> bool:
        if sub.id in self._subs:
            return False

        def work(changes: Changes) -> bool:
            self._subs[sub.id] = sub
            changes["subscriptions"] = {sub.id: {**to_row(sub), "id": sub.id}}
            return True

        return self._guard(work)

    @locked
    def remove_subscription(self, owner: str, kind: str, value: str) -> bool:
        key = f"{owner}|{kind}|{value.lower()}"
        if key not in self._subs:
            return False

        def work(changes: Changes) -> bool:
            del self._subs[key]
            changes["subscriptions"] = {key: None}
            return True

        return self._guard(work)

    @locked
    def subscriptions(self, owner: str | None = None) -> list[Subscription]:
        return [s for s in self._subs.values() if owner is None or s.owner == owner]

    @locked
    def set_digest(self, channel: str, on: bool) -> None:
        if (channel in self._digest) == on:
            return

        def work(changes: Changes) -> None:
            (self._digest.add if on else self._digest.discard)(channel)
            changes["digest"] = {channel: {"channel": channel} if on else None}

        self._guard(work)

    @locked
    def digest_channels(self) -> list[str]:
        return sorted(self._digest)
