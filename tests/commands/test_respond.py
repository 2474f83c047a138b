"""Answering helpers: apology instead of a trace, ephemeral vs public, subscription owner."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.commands.kit import text_reply
from bot.commands.respond import answer, apologising, subscription_owner


class Recorder:
    """Stands in for Bolt's respond(): records what would be sent to response_url."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)


def test_failure_becomes_apology_and_logged_trace(caplog: pytest.LogCaptureFixture) -> None:
    """An exception while answering sends a short apology and logs the traceback."""
    respond = Recorder()
    with caplog.at_level(logging.ERROR), apologising(respond, "/holds active"):
        raise RuntimeError("disk on fire")
    assert len(respond.sent) == 1
    assert "Sorry, something went wrong" in respond.sent[0]["text"]
    assert "disk on fire" not in str(respond.sent[0])
    assert respond.sent[0]["response_type"] == "ephemeral"
    assert "disk on fire" in caplog.text and "/holds active" in caplog.text


def test_answer_escapes_fallback_and_sets_visibility() -> None:
    """The fallback text is escaped mrkdwn; `public` switches to in_channel; no unfurls."""
    respond = Recorder()
    answer(respond, text_reply("hi <!here> & bye"), public=True)
    sent = respond.sent[0]
    assert sent["text"] == "hi &lt;!here&gt; &amp; bye"
    assert sent["response_type"] == "in_channel"
    assert sent["unfurl_links"] is False and sent["replace_original"] is False


@pytest.mark.parametrize(
    ("command", "owner"),
    [
        ({"channel_id": "C123", "channel_name": "holds", "user_id": "U1"}, ("C123", "channel")),
        ({"channel_id": "G123", "channel_name": "private", "user_id": "U1"}, ("G123", "channel")),
        ({"channel_id": "D123", "channel_name": "directmessage", "user_id": "U1"}, ("U1", "user")),
        ({"channel_id": "X9", "channel_name": "directmessage", "user_id": "U1"}, ("U1", "user")),
    ],
)
def test_subscription_owner(command: dict[str, str], owner: tuple[str, str]) -> None:
    """Channels own their subscriptions; in a DM with the bot the user owns them."""
    assert subscription_owner(command) == owner
