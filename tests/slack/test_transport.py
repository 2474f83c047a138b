"""Socket Mode construction and the manifest declaring everything the app handles."""

from __future__ import annotations

import json
import re
from pathlib import Path

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import socket_mode_handler
from tests.slack.harness import Harness

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def test_socket_mode_handler_uses_the_app_and_token(bot: Harness) -> None:
    """The Socket Mode adapter wraps the same app and talks to the configured Web API."""
    app = bot.app
    handler = socket_mode_handler(app, "xapp-1-A0HOLDWCH-1-test")
    try:
        assert isinstance(handler, SocketModeHandler)
        assert handler.app is app
        assert handler.client.app_token == "xapp-1-A0HOLDWCH-1-test"
        assert handler.client.web_client.base_url == bot.fake.url
    finally:
        handler.close()


def test_manifest_declares_commands_events_interactivity_and_modes() -> None:
    """manifest.yml declares the three commands, App Home, its event, buttons, Socket Mode."""
    text = MANIFEST.read_text(encoding="utf-8")
    live = "\n".join(line.split(" #")[0] for line in text.splitlines()
                     if not line.lstrip().startswith("#"))
    commands = re.findall(r"^\s*- command: (/\w+)", live, re.M)
    assert commands == ["/drug", "/target", "/holds"]
    assert re.search(r"home_tab_enabled: true", live)
    assert re.search(r"bot_events:\s*\n\s*- app_home_opened", live)
    assert re.search(r"interactivity:\s*\n\s*is_enabled: true", live)
    assert "socket_mode_enabled: true" in live
    for scope in ("commands", "chat:write", "channels:history", "im:write"):
        assert re.search(rf"^\s*- {re.escape(scope)}\s*$", live, re.M), scope
    # HTTP mode is one edit away: the URLs are there, commented, on our endpoint.
    assert text.count("# url: https://example.com/slack/events") == 3
    assert text.count("# request_url: https://example.com/slack/events") == 2


def test_url_verification_challenge_is_answered(bot: Harness) -> None:
    """Setting the Events request URL in HTTP mode: a signed challenge is echoed back."""
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"})
    response = bot.send(body, content_type="application/json")
    assert response.status_code == 200
    assert challenge in response.text
    assert bot.send(body, content_type="application/json", signature="v0=" + "0" * 64
                    ).status_code == 401
