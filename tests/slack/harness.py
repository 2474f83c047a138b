"""Real signed HTTP requests to the bot's Slack endpoint, the Web API faked on loopback.

`Harness` owns the fake Slack server, a real store seeded through its public
API, the Bolt app and its HTTP server on 127.0.0.1:0. Requests are signed the
way Slack signs them: `v0:{timestamp}:{raw body}`, HMAC-SHA256 with the secret.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_bolt import App
from slack_sdk.signature import Clock, SignatureVerifier

from bot.app import HttpServerHandle
from bot.store import Store
from loopback.fake_slack import TEAM_ID, FakeSlack

# Slack's documented example secret ("Verifying requests from Slack").
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
FORM = "application/x-www-form-urlencoded"
CHANNEL = "C0HOLDS01"
USER = "U0ANALYST"
DM = "D0ANALYST"


def sign(body: str, timestamp: str, secret: str = SECRET) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)


def signed_headers(body: str, *, timestamp: str | None = None, content_type: str = FORM
                   ) -> dict[str, str]:
    """The headers Slack sends with BODY, signed with SECRET for TIMESTAMP (default now)."""
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(body, stamp)}


def command_body(command: str, text: str, *, response_url: str, channel_id: str = CHANNEL,
                 channel_name: str = "clinical-holds", user_id: str = USER) -> str:
    """A slash command's form body, as Slack posts it."""
    return urlencode({
        "token": "verification-token", "team_id": TEAM_ID, "team_domain": "holdwatch",
        "channel_id": channel_id, "channel_name": channel_name, "user_id": user_id,
        "user_name": "analyst", "command": command, "text": text, "api_app_id": "A0HOLDWCH",
        "response_url": response_url,
        "trigger_id": "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    })


class FixedClock(Clock):
    """The signature check's clock, injected: "now" is a fixed instant, so a timestamp
    300 s away is outside the window however long the test takes."""

    def __init__(self, now: float) -> None:
        self.at = now

    def now(self) -> float:
        return self.at


class ListenerPool(ThreadPoolExecutor):
    """Bolt's listener pool, counting unfinished work so a test can wait until the bot is
    idle instead of sleeping to prove that nothing (more) happened.

    Bolt submits a request's listener before it answers the HTTP request, so once the
    answer is in and the pool is idle, every handler that request caused has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="bolt-listener")
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._busy += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any]) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout=timeout)


@dataclass
class Harness:
    fake: FakeSlack
    store: Store
    server: HttpServerHandle
    app: App
    pool: ListenerPool
    clock: FixedClock
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))
    _replies: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/slack/events"

    def close(self) -> None:
        self.http.close()

    def now(self, offset: int = 0) -> str:
        """The signature clock's "now" (plus `offset` seconds) as a request timestamp."""
        return str(int(self.clock.at) + offset)

    def settle(self) -> None:
        """Wait until every handler the requests sent so far caused has finished."""
        assert self.pool.wait_idle(timeout=10), "handlers still running after 10 s"

    # ---------------------------------------------------------------- sending
    def send(
        self,
        body: str,
        *,
        content_type: str = FORM,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST `body`, signed for `timestamp` (now by default) unless `signature` is given."""
        sent = signed_headers(body, timestamp=timestamp if timestamp is not None else self.now(),
                              content_type=content_type)
        if signature is not None:
            sent["X-Slack-Signature"] = signature
        sent.update(headers or {})
        return self.http.post(self.url, content=body.encode(), headers=sent)

    def command_body(self, command: str, text: str, **where: str) -> str:
        self._replies += 1
        return command_body(command, text, **where,
                            response_url=f"{self.fake.url_root}/respond/{self._replies}")

    def command(self, command: str, text: str = "", **where: str) -> dict[str, Any]:
        """Run a slash command; return what the bot answered through response_url."""
        before = len(self.fake.responses)
        response = self.send(self.command_body(command, text, **where))
        assert response.status_code == 200, response.text
        assert self.fake.wait_for("respond", before + 1, timeout=5), "no answer in 5 s"
        return self.fake.responses[before]

    def click(self, action_id: str, value: str, *, channel_id: str = CHANNEL,
              user_id: str = USER) -> httpx.Response:
        payload = {
            "type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": user_id},
            "api_app_id": "A0HOLDWCH", "token": "verification-token", "trigger_id": "1.2.3",
            "container": {"type": "message", "channel_id": channel_id, "message_ts": "1.000100"},
            "channel": {"id": channel_id, "name": "clinical-holds"},
            "response_url": f"{self.fake.url_root}/respond/action",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1",
                         "value": value, "action_ts": "1700000001.000200"}],
        }
        return self.send(urlencode({"payload": json.dumps(payload)}))

    def event(self, event: dict[str, Any], *, event_id: str,
              retry_num: int | None = None) -> httpx.Response:
        body = json.dumps({
            "token": "verification-token", "team_id": TEAM_ID, "api_app_id": "A0HOLDWCH",
            "type": "event_callback", "event_id": event_id, "event_time": 1700000000,
            "event": event,
        })
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.send(body, content_type="application/json", headers=headers)


def answer_text(answer: dict[str, Any]) -> str:
    """Every text of a response_url answer: fallback and block texts."""
    parts = [str(answer.get("text", ""))]
    for block in answer.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements") or []:
            parts.append(str(element.get("text", "")))
    return "\n".join(parts)
