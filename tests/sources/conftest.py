"""Shared fixtures for source tests: a loopback feed server and a fast HTTP client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.models import SourceConfig
from bot.sources.http import HttpClient
from loopback.feed_server import FeedServer
from tests.sources.fakes import FakeCtgov, serve_ctgov, serve_edgar


@pytest.fixture
def server(feed_server: FeedServer) -> FeedServer:
    return feed_server


@pytest.fixture
def client() -> Iterator[HttpClient]:
    # Short limits so every fault test finishes in about a second.
    with HttpClient("holdwatch-tests/1.0 (test@example.org)", timeout=0.5) as http:
        yield http


@pytest.fixture
def ctgov(server: FeedServer) -> tuple[FakeCtgov, SourceConfig]:
    return serve_ctgov(server)


@pytest.fixture
def edgar(server: FeedServer) -> SourceConfig:
    return serve_edgar(server)
