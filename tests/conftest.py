"""Fixtures every test folder may use: the loopback feed server, the fake Slack API, and
clean-up for bot processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.reliability.harness import BotProcess


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A feed/API server on 127.0.0.1 that records requests and answers as scripted."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1 that records calls and can be scripted to fail."""
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def bots() -> Iterator[list[BotProcess]]:
    """Every BotProcess a test appends here is killed at teardown if still running."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.stop()
