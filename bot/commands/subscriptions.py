"""Subscribe and unsubscribe: resolve the value, change the store, say what changed.

Shared by `/holds subscribe|unsubscribe`, the alert buttons and App Home. One rule
for every kind (drug, target, company, indication):

- a value a curated lexicon or the store knows is stored under its canonical name,
  and a reply that differs from what was typed says so ("CT041 is satricabtagene
  autoleucel");
- an unknown value close to known names is NOT stored: the reply asks "BCM → did you
  mean BCMA?"; quoting the value (`"BCM"`) stores it exactly as typed;
- an unknown value with nothing close is stored as typed, and the reply says alerts
  come once an event names it (a drug not in the news yet).

Values are capped at `MAX_VALUE_CHARS`; a second subscription to the same thing with
another filter replaces the filter, and the reply says what it is now.
"""

from __future__ import annotations

from typing import Literal, Protocol

from bot import messages
from bot.commands.kit import Reply, text_reply
from bot.commands.vocab import Resolved, Vocabulary, resolve
from bot.models import Subscription
from bot.suggest import key, suggest

MAX_VALUE_CHARS = 100  # longer than any drug, target or company name; keeps buttons small
_QUOTES = (('"', '"'), ("“", "”"), ("„", "“"), ("«", "»"))

OwnerType = Literal["channel", "user"]
Only = Literal["holds", "lifts"] | None


class SubscriptionStore(Vocabulary, Protocol):
    """The store's subscription book (bot.store.Store provides it)."""

    def subscriptions(self, owner: str | None = None) -> list[Subscription]: ...
    def add_subscription(self, sub: Subscription) -> bool: ...
    def remove_subscription(self, owner: str, kind: str, value: str) -> bool: ...


def unquote(value: str) -> tuple[str, bool]:
    """(`BCM`, True) for `"BCM"` (straight or typographic quotes: Slack turns one into
    the other); the value with single spaces and False otherwise."""
    value = " ".join(value.split())
    for opening, closing in _QUOTES:
        if len(value) >= 2 and value.startswith(opening) and value.endswith(closing):
            return " ".join(value[1:-1].split()), True
    return value, False


def subscribe(
    store: SubscriptionStore,
    *,
    owner: str,
    owner_type: OwnerType,
    kind: str,
    value: str,
    only: Only = None,
    created_by: str | None = None,
) -> Reply:
    """Store the subscription if the rule above allows it; the reply says what happened."""
    typed, exact = unquote(value)
    if len(typed) > MAX_VALUE_CHARS:
        return text_reply(messages.value_too_long(kind, len(typed), MAX_VALUE_CHARS))
    found = resolve(store, kind, typed)
    if not found.known and found.suggestions and not exact:
        return text_reply(messages.did_you_mean(kind, typed, found.suggestions))
    sub = Subscription(owner=owner, owner_type=owner_type, kind=kind,  # type: ignore[arg-type]
                       value=found.value, display=typed, only=only, created_by=created_by)
    words = messages.owner_words(owner_type)
    before = next((s for s in store.subscriptions(owner) if s.id == sub.id), None)
    if before is None:
        store.add_subscription(sub)
        text = messages.subscribed(kind, found.value, words, only)
    elif before.only == only:
        text = messages.already_subscribed(kind, found.value, words, only)
    else:  # same thing, another filter: the new filter replaces the old one
        store.remove_subscription(before.owner, before.kind, before.value)
        store.add_subscription(sub)
        text = messages.refiltered(kind, found.value, owner_type, only, before.only)
    return text_reply(" ".join([text, *_notes(kind, typed, found)]))


def _notes(kind: str, typed: str, found: Resolved) -> list[str]:
    """What the reply adds about the value: the correction made, or that it is new."""
    if kind in ("all", "keyword"):
        return []
    if not found.known:
        return [messages.not_yet_known(kind, typed)]
    if key(found.value) != key(typed):
        return [messages.resolved_as(typed, found.value)]
    return []


def unsubscribe(
    store: SubscriptionStore,
    *,
    owner: str,
    owner_type: OwnerType,
    kind: str,
    value: str,
) -> Reply:
    """Remove the owner's subscription, whether it was stored canonical or as typed."""
    typed, _exact = unquote(value)
    found = resolve(store, kind, typed)
    wanted = {key(found.value), key(typed)}
    mine = [s for s in store.subscriptions(owner) if s.kind == kind]
    stored = [s.value for s in mine
              if kind == "all" or {key(s.value), key(s.display)} & wanted]
    candidates = list(dict.fromkeys([found.value, *stored]))
    removed = [v for v in candidates if store.remove_subscription(owner, kind, v)]
    shown = "" if kind == "all" else (removed[0] if removed else typed)
    words = messages.owner_words(owner_type)
    if removed:
        return text_reply(messages.unsubscribed(kind, shown, words))
    close = suggest(typed, [s.value for s in mine])
    return text_reply(messages.not_subscribed(kind, shown, words, close))
