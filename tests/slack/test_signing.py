"""Signed requests only (issue 7 item 7; docs/DEPENDENCIES.md, "Slack: request
signatures"): 401 and no change otherwise."""

from __future__ import annotations

import json
import logging

import pytest
from slack_bolt import Ack, App
from slack_bolt.middleware.middleware_error_handler import MiddlewareErrorHandler

from bot.commands.signing import MalformedRequests
from tests.slack.harness import SECRET, Harness, sign

SUBSCRIBE = "subscribe target BCMA"


def assert_nothing_happened(bot: Harness) -> None:
    """No handler ran: the bot is idle (every handler a request caused has finished) and
    nothing was answered or stored."""
    bot.settle()
    assert bot.store.subscriptions() == []
    assert bot.fake.responses == []


# The signature check's clock is injected (a fixed "now"), so the window's edge is exact:
# 300 s away is inside, 301 s is outside, whatever the machine's speed.
@pytest.mark.parametrize("age", [-301, 301, 3600])
def test_timestamp_outside_five_minutes_is_401(bot: Harness, age: int) -> None:
    """A request signed correctly but more than 5 minutes old (or ahead) is refused."""
    body = bot.command_body("/holds", SUBSCRIBE)
    response = bot.send(body, timestamp=bot.now(-age))
    assert response.status_code == 401
    assert_nothing_happened(bot)


@pytest.mark.parametrize("age", [-300, -240, 240, 300])
def test_timestamp_inside_the_window_is_accepted(bot: Harness, age: int) -> None:
    """A correctly signed request up to 5 minutes old (or ahead) is processed."""
    body = bot.command_body("/holds", SUBSCRIBE)
    response = bot.send(body, timestamp=bot.now(-age))
    assert response.status_code == 200
    assert bot.fake.wait_for("respond", 1)
    assert len(bot.store.subscriptions()) == 1


def test_tampered_body_is_401(bot: Harness) -> None:
    """Changing one byte of a signed body (BCMA → BCMB) breaks the signature."""
    body = bot.command_body("/holds", SUBSCRIBE)
    ts = bot.now()
    signature = sign(body, ts)
    tampered = body.replace("BCMA", "BCMB")
    assert tampered != body
    assert bot.send(tampered, timestamp=ts, signature=signature).status_code == 401
    assert_nothing_happened(bot)


def test_wrong_secret_is_401(bot: Harness) -> None:
    """A request signed with another app's secret is refused."""
    body = bot.command_body("/holds", SUBSCRIBE)
    ts = bot.now()
    assert bot.send(body, timestamp=ts, signature=sign(body, ts, "other")).status_code == 401
    assert_nothing_happened(bot)


def test_unsigned_request_is_401(bot: Harness) -> None:
    """No signature and no timestamp headers at all → 401."""
    response = bot.http.post(bot.url, content=bot.command_body("/holds", SUBSCRIBE).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401
    assert_nothing_happened(bot)


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "-5", "12.5"])
def test_non_numeric_timestamp_is_401_not_500(bot: Harness, timestamp: str) -> None:
    """Bolt would answer 500 for `X-Slack-Request-Timestamp: abc`; we answer 401."""
    body = bot.command_body("/holds", SUBSCRIBE)
    response = bot.send(body, timestamp=timestamp, signature=sign(body, bot.now()))
    assert response.status_code == 401
    assert_nothing_happened(bot)


def test_replay_inside_window_is_processed_idempotently(bot: Harness) -> None:
    """A replayed valid command inside 5 minutes is processed; subscribing stays idempotent."""
    body = bot.command_body("/holds", SUBSCRIBE)
    ts = bot.now()
    assert bot.send(body, timestamp=ts).status_code == 200
    assert bot.send(body, timestamp=ts).status_code == 200
    assert bot.fake.wait_for("respond", 2)
    assert len(bot.store.subscriptions()) == 1


def test_secrets_and_signatures_never_logged(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Rejected and accepted requests log neither the signing secret, token nor signature."""
    body = bot.command_body("/holds", SUBSCRIBE)
    ts = bot.now()
    good, bad = sign(body, ts), sign(body, ts, "other")
    with caplog.at_level(logging.DEBUG):
        bot.send(body, timestamp=ts, signature=bad)
        bot.send(body, timestamp="abc", signature=good)
        bot.send(body, timestamp=ts, signature=good)
        assert bot.fake.wait_for("respond", 1)
    logged = caplog.text
    assert "rejected an unsigned or badly signed request" in logged
    for secret in (SECRET, good, bad, good[3:], bad[3:], "xoxb-test-token"):
        assert secret not in logged


def test_healthz_and_unknown_paths(bot: Harness) -> None:
    """GET /healthz is 200 JSON with a sources summary; other paths are 404."""
    base = f"http://127.0.0.1:{bot.server.port}"
    health = bot.http.get(base + "/healthz")
    assert health.status_code == 200
    assert health.json() == {"ok": True, "sources": {"configured": 2, "enabled": 1,
                                                     "failing": []}}
    assert bot.http.get(base + "/nope").status_code == 404
    assert bot.http.post(base + "/other", content=b"x").status_code == 404


def test_oversized_body_is_refused(bot: Harness) -> None:
    """A body over 1 MiB is refused before any parsing."""
    response = bot.send("x=" + "y" * (1 << 20))
    assert response.status_code == 413
    assert_nothing_happened(bot)


# ------------------------------------------------ errors: the sender's, or ours

UNREADABLE = [  # signed bodies of a shape Bolt's middleware cannot read
    {"type": "event_callback", "event": "x", "event_id": "Ev1"},
    # "type" in the string passes Bolt's is_event(); building an error handler's
    # arguments then indexes it (why app.py sets Bolt's handler, not `app.error`)
    {"type": "event_callback", "event": "a type b", "event_id": "Ev2"},
]


@pytest.mark.parametrize("payload", UNREADABLE, ids=["string event", "string event with type"])
def test_a_signed_body_bolt_cannot_read_is_400_and_one_line(
    bot: Harness, caplog: pytest.LogCaptureFixture, payload: dict[str, str]
) -> None:
    with caplog.at_level(logging.INFO):
        response = bot.send(json.dumps(payload), content_type="application/json")
    assert response.status_code == 400, response.text
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(":")[0] for r in loud] == [
        "rejected a signed request Bolt could not read"]
    assert loud[0].exc_info is None and "Traceback" not in caplog.text
    assert_nothing_happened(bot)


def test_a_failing_listener_is_logged_with_its_traceback_not_blamed_on_the_sender(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Our bug, not the client's: Bolt's listener error handler logs the traceback, and
    the answer is a 500 (failing before ack() makes Bolt's answer deterministic)."""

    def broken(ack: Ack) -> None:
        raise RuntimeError("listener bug")

    bot.app.command("/broken")(broken)
    with caplog.at_level(logging.INFO):
        response = bot.send(bot.command_body("/broken", ""))
        bot.settle()
    assert response.status_code == 500
    [failure] = [r for r in caplog.records if r.exc_info is not None]
    assert failure.levelno == logging.ERROR and "listener bug" in caplog.text
    assert "could not read" not in caplog.text


def test_bolt_still_has_the_middleware_error_handler_app_py_replaces(bot: Harness) -> None:
    """app.py sets Bolt's private `_middleware_error_handler`; a Bolt release that renames
    it would leave ours unused (and malformed bodies answered 500): this fails first."""
    stock = App(token="xoxb-test-token", signing_secret=SECRET, token_verification_enabled=False)
    assert isinstance(vars(stock).get("_middleware_error_handler"), MiddlewareErrorHandler)
    assert isinstance(vars(bot.app)["_middleware_error_handler"], MalformedRequests)
