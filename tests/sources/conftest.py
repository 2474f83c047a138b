"""Shared fixtures for source tests: a loopback feed server and a fast HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sources.http import HttpClient
from tests.servers.feed_server import FeedServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[HttpClient]:
    # Short limits so every fault test finishes in about a second.
    with HttpClient("holdwatch-tests/1.0 (test@example.org)", timeout=0.5) as http:
        yield http
