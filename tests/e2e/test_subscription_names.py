"""End to end: the composition root gives routing the lexicons, so a subscription written
under another spelling of a target still gets the alert (the CLI's real code path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.models import Subscription
from bot.store import Store
from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import ALERT_CHANNEL, BENIGN, LIFT, rss


def test_target_subscription_by_another_spelling_gets_the_alert(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`CLDN18.2` is stored as typed; the lift names `Claudin18.2`: one post there."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("ALERT_CHANNEL", ALERT_CHANNEL)
    feed_server.add("/feed.xml", rss(BENIGN))
    assert main(["poll", "--once"]) == 0  # baseline
    store = Store(Path(bot_env["BOT_DB_PATH"]))
    store.add_subscription(Subscription("C0CLDN001", "channel", "target", "CLDN18.2"))
    store.add_subscription(Subscription("C0CD19001", "channel", "target", "CD19"))
    store.close()

    feed_server.add("/feed.xml", rss(LIFT, BENIGN))
    assert main(["poll", "--once"]) == 0
    assert [p["channel"] for p in fake_slack.posts] == [ALERT_CHANNEL, "C0CLDN001"]
