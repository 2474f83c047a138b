"""The store: seen items, events, drugs, outbox, subscriptions — one file, one lock."""

from bot.store.store import Store, utc_now

__all__ = ["Store", "utc_now"]
