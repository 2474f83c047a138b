"""The pipeline assembled for measurement: a real Poller, store, HTTP client and servers.

The notifier and admin notices are the only stand-ins: the poll-cost scenarios
measure fetch → extract → store, and posting is measured separately (scenario 6
uses the real Slack notifier against FakeSlack).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.harness import NotAvailable
from bench.stores import fixed_clock, store_class

log = logging.getLogger(__name__)


class NullNotifier:
    """Leaves deliveries pending: posting is not part of the poll-cost figures."""

    def deliver_pending(self) -> None:
        return None


class LogAdmin:
    def notice(self, text: str) -> None:
        log.info("admin notice: %s", text)


def pipeline_modules() -> tuple[Any, Any]:
    """(Poller class, HttpClient class), or NotAvailable naming what is missing."""
    try:
        from bot.extract import extract  # noqa: F401  (the poller needs it)
        from bot.pipeline import Poller
        from bot.sources import HttpClient
    except ImportError as exc:
        raise NotAvailable(f"the pipeline cannot be imported ({exc})") from exc
    return Poller, HttpClient


@contextmanager
def poller(path: Path, *, notifier: Callable[[Any], Any] | None = None,
           alert_channel: str | None = "CALERTS", real_clock: bool = False) -> Iterator[Any]:
    """A Poller over the store at `path`; closes the store and client afterwards.

    `notifier(store)` builds the notifier (default: one that posts nothing).
    """
    poller_cls, client_cls = pipeline_modules()
    store = store_class()(path) if real_clock else store_class()(path, clock=fixed_clock)
    client = client_cls("holdwatch-bench/1.0")
    try:
        yield poller_cls(store=store, client=client,
                         notifier=notifier(store) if notifier else NullNotifier(),
                         admin=LogAdmin(), alert_channel=alert_channel)
    finally:
        client.close()
        store.close()
