"""What every command handler needs, handed over once by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import utc_now
from bot.commands.replies import LookupStore
from bot.commands.subscriptions import SubscriptionStore
from bot.models import SourceConfig, SourceState


class CommandStore(LookupStore, SubscriptionStore, Protocol):
    """Everything the Slack surface asks of the store (bot.store.Store provides it)."""

    def source_states(self) -> dict[str, SourceState]: ...
    def set_digest(self, channel: str, on: bool) -> None: ...


@dataclass(frozen=True)
class CommandContext:
    """The store to answer from, the configured sources, a clock and the display zone."""

    store: CommandStore
    sources: Sequence[SourceConfig]
    clock: Callable[[], datetime] = utc_now
    tz: str = "UTC"

    def today(self) -> date:
        """Today in TZ, the date days-on-hold are counted to."""
        return self.clock().astimezone(ZoneInfo(self.tz)).date()
