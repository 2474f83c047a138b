"""A fake Slack Web API on a real loopback HTTP server, shared by every test.

Extends the pattern of bolt-python's ``tests/mock_web_api_server``: it keeps
every request body (not only a count), answers like Slack does (``ts``,
``channel``, echoed ``metadata``, ``conversations.history`` with metadata only
when ``include_all_metadata`` is set) and can be scripted to fail::

    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url)
        slack.fail("chat.postMessage", status=429, retry_after=1, every=3)
        slack.fail("chat.postMessage", error="channel_not_found", channel="CGONE", times=None)
        slack.fail("chat.postMessage", status=502, after_processing=True)  # T3: posted, answer lost
        slack.fail("chat.postMessage", drop=True, after_processing=True)   # ... connection dropped

Faults: ``error`` answers HTTP 200 ``{"ok": false, "error": error}``; otherwise an
HTTP ``status`` (default 429) with ``Retry-After`` when given; ``drop`` closes the
socket without an answer. ``times`` is how often the fault fires (default 1, or
unlimited with ``every``; ``None`` = unlimited); ``every=N`` fires on every Nth call
of that method (counted over all its calls, faulted ones included). With
``after_processing`` the call takes effect (the message is stored) before the fault.

``.posts`` lists the chat.postMessage params Slack *accepted* (stored messages,
including after_processing ones); ``.calls_to(method)`` lists every attempt.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import EllipsisType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UHOLDBOT1"
BOT_ID = "BHOLDBOT1"
TEAM_ID = "T0HOLDWCH"
_JSON_FIELDS = ("blocks", "metadata", "view", "attachments")
_TRUE = {True, "true", "1", "True"}
Answer = tuple[int, dict[str, Any] | None, dict[str, str]]  # status, body (None: drop), headers


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Fault:
    method: str
    status: int | None
    retry_after: float | None
    error: str | None
    remaining: int | None  # None = unlimited
    every: int | None
    channel: str | None
    after_processing: bool
    drop: bool
    seen: int = 0  # calls of this method (and channel) seen by this fault


@dataclass
class _Stored:
    channel: str
    message: dict[str, Any]
    thread_ts: str | None = None
    broadcast: bool = False
    replies: list[str] = field(default_factory=list)


class FakeSlack:
    """Threaded HTTP server on 127.0.0.1:0 answering like the Slack Web API."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # bodies POSTed to /respond/<anything>
        self.messages: dict[str, list[_Stored]] = {}  # channel -> stored messages, oldest first
        self._faults: list[Fault] = []
        self._accepted_posts: list[dict[str, Any]] = []
        self._lock = threading.Condition()
        self._ts = itertools.count(100)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> FakeSlack:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url_root(self) -> str:
        assert self._server is not None, "FakeSlack not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        # Trailing "/" matters: slack_sdk joins method names with urljoin.
        return self.url_root + "/api/"

    # ------------------------------------------------------------ scripting
    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        error: str | None = None,
        times: int | EllipsisType | None = ...,
        every: int | None = None,
        channel: str | None = None,
        after_processing: bool = False,
        drop: bool = False,
    ) -> None:
        """Script a fault for `method` (see the module docstring)."""
        if times is ...:
            times = None if every else 1
        if status is None and error is None and not drop:
            status = 429
        with self._lock:
            self._faults.append(
                Fault(method, status, retry_after, error, times, every, channel,
                      after_processing, drop)
            )

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # ------------------------------------------------------------ inspection
    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    @property
    def posts(self) -> list[dict[str, Any]]:
        """chat.postMessage params Slack accepted, in order."""
        with self._lock:
            return list(self._accepted_posts)

    def history(self, channel: str) -> list[dict[str, Any]]:
        """Every message stored in `channel` (replies included), oldest first."""
        with self._lock:
            return [s.message for s in self.messages.get(channel, [])]

    def wait_for(self, method: str, n: int = 1, timeout: float = 5.0) -> bool:
        """Wait until `method` was called `n` times ("respond" counts response_url posts)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._count(method) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def _count(self, method: str) -> int:
        if method == "respond":
            return len(self.responses)
        return sum(1 for c in self.calls if c.method == method)

    # ------------------------------------------------------------ dispatch
    def _handle(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> Answer:
        """Return (status, body dict | None, extra headers); body None = drop the connection."""
        with self._lock:
            self.calls.append(Call(method, params, headers))
            self._lock.notify_all()
            fault = self._pick_fault(method, params)
            if fault is not None and not fault.after_processing:
                return self._fault_answer(fault)
            if not _authorised(headers):
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            body = handler(params) if handler else {"ok": True}
            if fault is not None:
                return self._fault_answer(fault)
            return 200, body, {}

    def _pick_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        chosen = None
        for fault in self._faults:
            if fault.method != method or fault.remaining == 0:
                continue
            if fault.channel is not None and params.get("channel") != fault.channel:
                continue
            fault.seen += 1
            if chosen is None and (fault.every is None or fault.seen % fault.every == 0):
                chosen = fault
        if chosen is not None and chosen.remaining is not None:
            chosen.remaining -= 1
        return chosen

    @staticmethod
    def _fault_answer(fault: Fault) -> Answer:
        if fault.drop:
            return 0, None, {}
        if fault.error is not None:
            return fault.status or 200, {"ok": False, "error": fault.error}, {}
        status = fault.status or 429
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        error = "ratelimited" if status == 429 else "fatal_error"
        return status, {"ok": False, "error": error}, extra

    # ------------------------------------------------------------ API methods
    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://holdwatch.slack.com/", "team": "holdwatch",
                "user": "holdwatch", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                "bot_id": BOT_ID, "is_enterprise_install": False}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _dm_channel(str(params.get("channel") or ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = {"type": "message", "subtype": "bot_message", "user": BOT_USER_ID,
                   "bot_id": BOT_ID, "ts": ts, "text": params.get("text", ""),
                   "blocks": params.get("blocks") or []}
        if params.get("metadata"):
            message["metadata"] = params["metadata"]
        thread_ts = params.get("thread_ts")
        broadcast = params.get("reply_broadcast") in _TRUE
        if thread_ts:
            message["thread_ts"] = thread_ts
            parent = self._find(channel, str(thread_ts))
            if parent is not None:
                parent.replies.append(ts)
                parent.message["reply_count"] = len(parent.replies)
        self.messages.setdefault(channel, []).append(
            _Stored(channel, message, str(thread_ts) if thread_ts else None, broadcast)
        )
        self._accepted_posts.append(params)
        return {"ok": True, "channel": channel, "ts": ts, "message": dict(message)}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _dm_channel(str(params.get("channel") or ""))
        stored = self._find(channel, str(params.get("ts") or ""))
        if stored is None:
            return {"ok": False, "error": "message_not_found"}
        for key in ("text", "blocks", "metadata"):
            if key in params:
                stored.message[key] = params[key]
        stored.message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        message = dict(stored.message)
        return {"ok": True, "channel": channel, "ts": message["ts"],
                "text": message.get("text", ""), "message": message}

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": _dm_channel(users.split(",")[0])}}

    def _api_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _dm_channel(str(params.get("channel") or ""))
        visible = [s for s in self.messages.get(channel, []) if not s.thread_ts or s.broadcast]
        return self._page(visible, params)

    def _api_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = _dm_channel(str(params.get("channel") or ""))
        parent_ts = str(params.get("ts") or "")
        thread = [s for s in self.messages.get(channel, [])
                  if s.message["ts"] == parent_ts or s.thread_ts == parent_ts]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        answer = self._page(thread, params)
        answer["messages"].reverse()  # replies come oldest first
        return answer

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        view = dict(params.get("view") or {})
        view.update({"id": "VHOME" + str(params.get("user_id", "")), "team_id": TEAM_ID})
        return {"ok": True, "view": view}

    def _page(self, stored: list[_Stored], params: dict[str, Any]) -> dict[str, Any]:
        oldest = float(params.get("oldest") or 0)
        limit = int(params.get("limit") or 100)
        with_meta = params.get("include_all_metadata") in _TRUE
        found = [s.message for s in reversed(stored) if float(s.message["ts"]) > oldest]
        out = []
        for message in found[:limit]:
            copy = dict(message)
            if not with_meta:
                copy.pop("metadata", None)
            out.append(copy)
        return {"ok": True, "messages": out, "has_more": len(found) > limit,
                "response_metadata": {"next_cursor": ""}}

    def _find(self, channel: str, ts: str) -> _Stored | None:
        for stored in self.messages.get(channel, []):
            if stored.message["ts"] == ts:
                return stored
        return None

    def _record_response(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.responses.append(body)
            self._lock.notify_all()


def _authorised(headers: dict[str, str]) -> bool:
    auth = headers.get("authorization", "")
    return auth.startswith("Bearer xoxb-") and len(auth) > len("Bearer xoxb-")


def _dm_channel(channel: str) -> str:
    """Slack delivers a post to a user id into the bot's DM with that user."""
    if channel[:1] in ("U", "W"):
        return "D" + format(zlib.crc32(channel.encode()), "08X")
    return channel


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return {"_raw": text}
        return parsed if isinstance(parsed, dict) else {"_raw": parsed}
    params: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_FIELDS:  # form bodies carry these as JSON strings
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


class _Handler(BaseHTTPRequestHandler):
    owner: FakeSlack

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(_parse_body(raw, self.headers.get("Content-Type", "")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if parts.path.startswith("/respond/"):
            self.owner._record_response(params)
            self._answer(200, {"ok": True}, {})
            return
        if not parts.path.startswith("/api/"):
            self._answer(404, {"ok": False, "error": "unknown_method"}, {})
            return
        status, body, extra = self.owner._handle(parts.path[len("/api/"):], params, headers)
        if body is None:
            self.close_connection = True  # no answer at all: the client sees RemoteDisconnected
            return
        self._answer(status, body, extra)

    def _answer(self, status: int, body: dict[str, Any], extra: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
