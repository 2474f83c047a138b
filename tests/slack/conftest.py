"""The running bot for scenario tests: fake Slack, seeded store, app, HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import build_app, serve_http
from bot.extract.targets import canonical_target
from bot.models import SourceConfig
from bot.store import Store
from loopback.fake_slack import FakeSlack
from tests.commands.seed import NOW, seeded_store
from tests.slack.harness import SECRET, FixedClock, Harness, ListenerPool

SOURCES = (
    SourceConfig("news-clinical-hold", "rss", "https://news.example.com/feed"),
    SourceConfig("edgar-8k", "edgar", "https://efts.example.com/search", enabled=False,
                 note="SEC_USER_AGENT is not set"),
)


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Harness]:
    """The bot answering from a store seeded with CARsgen's holds and a hostile name."""
    yield from running(seeded_store(tmp_path))


@pytest.fixture
def fresh_bot(tmp_path: Path) -> Iterator[Harness]:
    """The bot on a new, empty store (the first minutes of an install)."""
    yield from running(Store(tmp_path / "fresh.json", clock=lambda: NOW,
                             target_lexicon=canonical_target))


def running(store: Store) -> Iterator[Harness]:
    pool = ListenerPool()
    signature_clock = FixedClock(NOW.timestamp())
    with FakeSlack() as fake:
        app = build_app(store=store, sources=SOURCES, signing_secret=SECRET,
                        bot_token="xoxb-test-token", api_url=fake.url, clock=lambda: NOW,
                        verification_clock=signature_clock, listener_executor=pool)
        server = serve_http(app, port=0, host="127.0.0.1")
        harness = Harness(fake, store, server, app, pool, signature_clock)
        try:
            yield harness
        finally:
            harness.close()
            server.shutdown()
            pool.shutdown(wait=True)
            store.close()
