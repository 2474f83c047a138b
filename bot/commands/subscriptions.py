"""Subscribe and unsubscribe: normalise the value, change the store, word the answer.

Shared by `/holds subscribe|unsubscribe`, the alert buttons and App Home.
"""

from __future__ import annotations

from typing import Literal, Protocol

from bot import messages
from bot.commands.kit import Reply, text_reply
from bot.commands.vocab import Vocabulary, normalise
from bot.models import Subscription


class SubscriptionStore(Vocabulary, Protocol):
    """The store's subscription book (bot.store.Store provides it)."""

    def subscriptions(self, owner: str | None = None) -> list[Subscription]: ...
    def add_subscription(self, sub: Subscription) -> bool: ...
    def remove_subscription(self, owner: str, kind: str, value: str) -> bool: ...


def subscribe(
    store: SubscriptionStore,
    *,
    owner: str,
    owner_type: Literal["channel", "user"],
    kind: str,
    value: str,
    only: Literal["holds", "lifts"] | None = None,
    created_by: str | None = None,
) -> Reply:
    """Store the subscription under its canonical value; say so, and whether it is known."""
    norm = normalise(store, kind, value)
    sub = Subscription(
        owner=owner, owner_type=owner_type, kind=kind,  # type: ignore[arg-type]
        value=norm.value, display=value, only=only, created_by=created_by,
    )
    words = messages.owner_words(owner_type)
    if store.add_subscription(sub) or _refilter(store, sub):
        text = messages.subscribed(kind, norm.value, words, only)
    else:
        text = messages.already_subscribed(kind, norm.value, words)
    if not norm.known:
        text += " " + messages.not_yet_known(kind, value, norm.suggestions)
    return text_reply(text)


def _refilter(store: SubscriptionStore, sub: Subscription) -> bool:
    """The same subscription asked again with another `only`: the new filter replaces the
    old one (`subscribe target BCMA only holds`, then plain `subscribe target BCMA`)."""
    stored = next((s for s in store.subscriptions(sub.owner) if s.id == sub.id), None)
    if stored is None or stored.only == sub.only:
        return False
    store.remove_subscription(stored.owner, stored.kind, stored.value)
    return bool(store.add_subscription(sub))


def unsubscribe(
    store: SubscriptionStore,
    *,
    owner: str,
    owner_type: Literal["channel", "user"],
    kind: str,
    value: str,
) -> Reply:
    """Remove the owner's subscription, whether it was stored canonical or as typed."""
    norm = normalise(store, kind, value)
    wanted = {norm.value.casefold(), value.casefold()}
    stored = [
        s.value for s in store.subscriptions(owner)
        if s.kind == kind and (kind == "all" or {s.value.casefold(), s.display.casefold()} & wanted)
    ]
    candidates = list(dict.fromkeys([norm.value, *stored]))
    removed = [v for v in candidates if store.remove_subscription(owner, kind, v)]
    shown = "" if kind == "all" else (removed[0] if removed else value)
    words = messages.owner_words(owner_type)
    if removed:
        return text_reply(messages.unsubscribed(kind, shown, words))
    return text_reply(messages.not_subscribed(kind, shown, words))

