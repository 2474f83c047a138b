"""Fixtures for the process-level fault tests: loopback servers and bot-process cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import BotProcess

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives whole bot processes or a full poll under load: `slow`.
    They stay in the default run and in CI; `pytest -m "not slow"` leaves them out."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def bots() -> Iterator[list[BotProcess]]:
    """Every BotProcess a test appends here is killed at teardown if still running."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.stop()
