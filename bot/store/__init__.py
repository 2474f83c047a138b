"""The store: seen items, events, drugs, outbox, subscriptions — one file, one lock."""

from bot.store.store import Store

__all__ = ["Store"]
