"""Console mode prints alerts and marks them posted; admin notices never raise."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.models import SourceState
from bot.notify import routing
from bot.notify.admin import AdminNotices
from bot.notify.console import ConsoleNotifier
from bot.store import Store
from loopback.fake_slack import FakeSlack
from tests.notify.support import candidate


def test_console_prints_each_pending_alert_once(tmp_path):
    """Each pending row is printed as readable text and marked posted with a console ts."""
    store = Store(tmp_path / "db.json", clock=lambda: datetime(2024, 11, 1, tzinfo=UTC))
    try:
        store.commit_poll(
            SourceState(name="news"), [], [candidate(1, company="Acme <!channel> Bio")],
            decide=lambda change, view: routing.decide(
                change, subscriptions=[], alert_channel="CALERT", posted=view.posted_delivery),
        )
        out = io.StringIO()
        console = ConsoleNotifier(store, stream=out)
        assert console.deliver_pending().posted == 1
        assert console.deliver_pending().posted == 0
        printed = out.getvalue()
        assert "[CALERT]" in printed and "🛑 Clinical hold: Acme ‹!channel› Bio" in printed
        assert "Fierce Biotech (https://example.com/1)" in printed
        assert store.pending_deliveries() == []
    finally:
        store.close()


def test_admin_notice_posts_to_admin_channel(caplog):
    """With a channel, a notice is posted there (escaped); without one it is logged."""
    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])
        AdminNotices(client, "CADMIN").notice("source <!here> failing")
        assert slack.posts[0]["channel"] == "CADMIN"
        assert "&lt;!here&gt;" in slack.posts[0]["text"]
    with caplog.at_level(logging.WARNING):
        AdminNotices(None, None).notice("feed down")
    assert "feed down" in caplog.text


def test_admin_notice_swallows_slack_errors(caplog):
    """A notice Slack refuses is logged, never raised."""
    with FakeSlack() as slack:
        slack.fail("chat.postMessage", error="channel_not_found", times=None)
        client = WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])
        with caplog.at_level(logging.WARNING):
            AdminNotices(client, "CGONE").notice("hello")
    assert "not posted" in caplog.text
