"""Fixtures every test folder may use: the loopback feed server and the fake Slack API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer


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
