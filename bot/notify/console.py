"""Console mode (no SLACK_BOT_TOKEN): alerts are printed instead of posted.

Same contract as the Slack relay, so the pipeline and its guarantees do not
change: each pending row is rendered, printed, and marked posted.
"""

from __future__ import annotations

import itertools
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.notify.compose import NotComposable, compose, plain_text
from bot.notify.grouping import due
from bot.notify.slack import DeliveryReport

log = logging.getLogger(__name__)
_PREFIX = {"post": "", "reply": "↳ reply: ", "update": "✎ update: "}


class ConsoleNotifier:
    def __init__(self, store: Any, stream: TextIO | None = None) -> None:
        self._store = store
        self._stream = stream or sys.stdout
        self._numbers = itertools.count(1)

    def deliver_pending(self, now: datetime | None = None) -> DeliveryReport:
        posted = failed = 0
        ready, waiting = due(self._store.pending_deliveries(), now or datetime.now(UTC))
        for row in ready:
            try:
                message = compose(row, self._store)
            except NotComposable as exc:
                log.error("cannot render delivery %s: %s", row.id, exc)
                self._store.mark_delivery(row.id, status="failed", error=str(exc))
                failed += 1
                continue
            print(f"[{row.destination}] {_PREFIX.get(row.action, '')}{plain_text(message)}\n",
                  file=self._stream, flush=True)
            self._store.mark_delivery(row.id, status="posted", ts=f"console-{next(self._numbers)}",
                                      channel=row.destination)
            posted += 1
        return DeliveryReport(posted=posted, failed=failed, waiting=len(waiting))
