"""What every command handler needs, handed over once by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import SourceConfig


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CommandContext:
    """The store to answer from, the configured sources, a clock and the display zone."""

    store: Any  # bot.store.Store (typed loosely: the commands use only its queries)
    sources: Sequence[SourceConfig]
    clock: Callable[[], datetime] = utc_now
    tz: str = "UTC"

    def today(self) -> date:
        """Today in TZ, the date days-on-hold are counted to."""
        return self.clock().astimezone(ZoneInfo(self.tz)).date()
