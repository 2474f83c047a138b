"""Fixtures for the process-level fault tests: loopback servers and bot-process cleanup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.harness import BotProcess


@pytest.fixture
def bots() -> Iterator[list[BotProcess]]:
    """Every BotProcess a test appends here is killed at teardown if still running."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.stop()
