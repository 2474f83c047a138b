"""The fake Slack Web API server answers and fails like Slack does."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from loopback.fake_slack import FakeSlack


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack):
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


def test_url_ends_with_slash_and_auth_test_answers(slack, client):
    """The base URL ends with '/' and auth.test returns the bot's ids."""
    assert slack.url.endswith("/api/")
    answer = client.auth_test()
    assert answer["user_id"] and answer["bot_id"] and answer["team_id"]
    assert slack.calls[0].method == "auth.test"
    assert slack.calls[0].headers["authorization"] == "Bearer xoxb-test"


def test_missing_or_wrong_token_is_invalid_auth(slack):
    """A call without a bot token is refused with invalid_auth."""
    bad = WebClient(token="xoxp-user", base_url=slack.url, retry_handlers=[])
    with pytest.raises(SlackApiError) as info:
        bad.auth_test()
    assert info.value.response["error"] == "invalid_auth"


def test_post_returns_increasing_ts_and_echoes_metadata(slack, client):
    """chat.postMessage answers channel, increasing ts and echoes metadata and thread_ts."""
    meta = {"event_type": "holdwatch_event", "event_payload": {"event_id": "e1"}}
    first = client.chat_postMessage(channel="C1", text="one", metadata=meta)
    second = client.chat_postMessage(channel="C1", text="two", thread_ts=first["ts"])
    assert first["channel"] == "C1"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["metadata"] == meta
    assert second["message"]["thread_ts"] == first["ts"]
    assert [p["text"] for p in slack.posts] == ["one", "two"]
    assert slack.wait_for("chat.postMessage", 2, timeout=1)
    assert not slack.wait_for("chat.postMessage", 3, timeout=0.05)


def test_history_newest_first_with_metadata_only_when_asked(slack, client):
    """conversations.history lists top-level messages newest first; metadata needs the flag."""
    meta = {"event_type": "holdwatch_event", "event_payload": {"event_id": "e1"}}
    first = client.chat_postMessage(channel="C1", text="one", metadata=meta)
    client.chat_postMessage(channel="C1", text="reply", thread_ts=first["ts"])
    client.chat_postMessage(channel="C1", text="loud", thread_ts=first["ts"], reply_broadcast=True)
    client.chat_postMessage(channel="C1", text="two")
    plain = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in plain] == ["two", "loud", "one"]
    assert all("metadata" not in m for m in plain)
    rich = client.conversations_history(channel="C1", include_all_metadata=True, limit=1,
                                        oldest=first["ts"])
    assert [m["text"] for m in rich["messages"]] == ["two"] and rich["has_more"]
    full = client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert full[-1]["metadata"] == meta
    thread = client.conversations_replies(channel="C1", ts=first["ts"])["messages"]
    assert [m["text"] for m in thread] == ["one", "reply", "loud"]


def test_update_open_and_views(slack, client):
    """chat.update edits a stored message; conversations.open gives a D channel; views.publish."""
    posted = client.chat_postMessage(channel="C1", text="old")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="new")
    assert updated["ts"] == posted["ts"] and slack.history("C1")[0]["text"] == "new"
    with pytest.raises(SlackApiError):
        client.chat_update(channel="C1", ts="1.0", text="x")
    dm = client.conversations_open(users="U123")["channel"]["id"]
    assert dm.startswith("D")
    assert client.chat_postMessage(channel="U123", text="hi")["channel"] == dm
    view = client.views_publish(user_id="U123", view={"type": "home", "blocks": []})
    assert view["view"]["type"] == "home"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["ok"]
    assert client.api_call("reactions.add", params={"name": "x"})["ok"]


def test_429_with_retry_after_then_success(slack, client):
    """A scripted 429 carries Retry-After once, then calls succeed."""
    slack.fail("chat.postMessage", status=429, retry_after=2)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "2"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert len(slack.calls_to("chat.postMessage")) == 2 and len(slack.posts) == 1


def test_every_nth_and_channel_faults(slack, client):
    """`every` fires on every Nth call; a channel fault only hits that channel."""
    slack.fail("chat.postMessage", status=500, every=3)
    slack.fail("chat.postMessage", error="channel_not_found", channel="CGONE", times=None)
    outcomes = []
    for _ in range(6):
        try:
            client.chat_postMessage(channel="C1", text="x")
            outcomes.append("ok")
        except SlackApiError as exc:
            outcomes.append(exc.response.status_code)
    assert outcomes == ["ok", "ok", 500, "ok", "ok", 500]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="CGONE", text="x")
    assert info.value.response["error"] == "channel_not_found"


def test_after_processing_stores_message_then_fails(slack, client):
    """after_processing: the message is posted, but the client sees a 502 or a dropped socket."""
    slack.fail("chat.postMessage", status=502, after_processing=True)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="first")
    slack.fail("chat.postMessage", drop=True, after_processing=True)
    with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError, ConnectionError)):
        client.chat_postMessage(channel="C1", text="second")
    assert [m["text"] for m in slack.history("C1")] == ["first", "second"]


def test_response_url_posts_are_recorded(slack):
    """POST /respond/<x> is recorded in .responses, as Bolt's respond() would send it."""
    body = json.dumps({"text": "hello", "response_type": "ephemeral"}).encode()
    request = urllib.request.Request(slack.url_root + "/respond/1", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    assert slack.wait_for("respond", 1, timeout=1)
    assert slack.responses == [{"text": "hello", "response_type": "ephemeral"}]


def test_form_encoded_bodies_are_parsed(slack, client):
    """Form-encoded calls are parsed, JSON-valued fields decoded."""
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "f",
                                                "blocks": json.dumps([{"type": "divider"}])})
    assert slack.posts[0]["blocks"] == [{"type": "divider"}]
