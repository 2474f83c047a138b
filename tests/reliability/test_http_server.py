"""`python -m bot run --http` against hostile HTTP clients (issue 14 item 5).

The attack run found: stalled headers and short bodies held a thread each,
forever (50 of 50 still open after 150 s, threads 8 -> 59); a client reset
printed a traceback; a 10 MB chunked body logged one; a signed event_callback
whose `event` is a string got a 500. Each case below runs against the real
process and is judged by what the sockets and the process show.
"""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot import webserver
from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import rss
from tests.reliability.harness import (
    BENIGN_ENTRY,
    FEED_PATH,
    BotProcess,
    answers_health,
    bot_env,
    closed_by_server,
    free_port,
    proc_status,
)
from tests.slack.harness import SECRET, signed_headers
from tests.slack.harness import command_body as slash_command
from tests.timing import wait_until

SLOW_CLIENTS = 25  # of each kind: stalled headers, short bodies
# The server closes a connection idle for 10 s or still sending one request after 15 s;
# the waits below are hang guards well past those.
CLOSE_GUARD = 60.0
JSON = "application/json"


def command_body(slack: FakeSlack, n: int) -> str:
    return slash_command("/holds", "help", response_url=f"{slack.url_root}/respond/{n}",
                         channel_id="C0HTTP001", channel_name="http", user_id=f"U0HTTP{n:03d}")


@pytest.fixture
def http_bot(tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots):
    feed_server.add(FEED_PATH, rss(BENIGN_ENTRY))
    port = free_port()
    env = bot_env(tmp_path, feed_server, fake_slack, interval="1h",
                  SLACK_SIGNING_SECRET=SECRET, PORT=str(port))
    bot = BotProcess(["run", "--http"], env, tmp_path).start()
    bots.append(bot)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers_health(base), timeout=60,
               what="the HTTP server to answer /healthz")
    return bot, base, port


def test_slow_clients_are_cut_off_and_hold_no_threads(http_bot, fake_slack) -> None:
    """25 stalled-header and 25 short-body clients and one dripping a byte a second: every
    one is closed by the server; meanwhile the thread count stays flat and a signed
    command is acknowledged and answered."""
    bot, base, port = http_bot
    before = proc_status(bot.pid, "Threads")
    sockets = []
    for n in range(SLOW_CLIENTS):
        stalled = socket.create_connection(("127.0.0.1", port))
        stalled.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-")
        short = socket.create_connection(("127.0.0.1", port))
        short.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n\r\ntoken=" +
                      b"x" * n)
        sockets += [stalled, short]
    dripper = socket.create_connection(("127.0.0.1", port))
    stop = threading.Event()

    def drip() -> None:
        for byte in b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 500:
            try:
                dripper.sendall(bytes([byte]))
            except OSError:
                return
            if stop.wait(1.0):
                return

    dripping = threading.Thread(target=drip, daemon=True)
    dripping.start()
    try:
        body = command_body(fake_slack, 1)
        answer = httpx.post(base + "/slack/events", content=body, headers=signed_headers(body),
                            timeout=10)
        assert answer.status_code == 200
        assert fake_slack.wait_for("respond", 1, timeout=30)
        assert proc_status(bot.pid, "Threads") < before + 5  # not one per slow connection
        wait_until(lambda: all(closed_by_server(s) for s in sockets), timeout=CLOSE_GUARD,
                   what="the server to close every stalled and short-body connection")
        wait_until(lambda: closed_by_server(dripper), timeout=CLOSE_GUARD,
                   what="the server to close the dripping connection")
        assert httpx.get(base + "/healthz", timeout=10).status_code == 200
    finally:
        stop.set()
        for sock in [*sockets, dripper]:
            sock.close()
    assert "Traceback" not in bot.stderr()


def _reset(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN (SO_LINGER 0)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def test_resets_chunked_bodies_and_malformed_signed_bodies_are_quiet(
    http_bot, fake_slack,
) -> None:
    """Client resets (before the answer, mid-body) leave no traceback; a 10 MB chunked body
    is refused with 413; signed bodies Bolt cannot read get 400, not 500."""
    bot, base, port = http_bot
    for n in range(5):
        body = command_body(fake_slack, 100 + n)
        head = "".join(f"{k}: {v}\r\n" for k, v in signed_headers(body).items())
        request = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\n{head}"
                   f"Content-Length: {len(body)}\r\n\r\n{body}").encode()
        whole = socket.create_connection(("127.0.0.1", port))
        whole.sendall(request)
        _reset(whole)
        half = socket.create_connection(("127.0.0.1", port))
        half.sendall(request[: len(request) - 10])
        _reset(half)

    def chunks():
        piece = b"a=" + b"b" * (1 << 16)
        for _ in range(160):  # 10 MB, no Content-Length
            yield piece

    try:
        chunked = httpx.post(base + "/slack/events", content=chunks(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"},
                             timeout=30)
        assert chunked.status_code == 413
    except httpx.RemoteProtocolError:
        pass  # the server answered 413 and closed while the client was still sending

    for payload in ({"type": "event_callback", "event": "x", "event_id": "Ev1",
                     "team_id": "T0HOLDWCH"},
                    {"type": "event_callback", "authorizations": 5, "event": {},
                     "team_id": "T0HOLDWCH"},
                    {"type": "block_actions", "team": 7, "actions": "x"}):
        body = json.dumps(payload)
        answer = httpx.post(base + "/slack/events", content=body,
                            headers=signed_headers(body, content_type=JSON), timeout=10)
        assert answer.status_code == 400, (payload, answer.status_code, answer.text)
    not_json = '{"type": "event_callback", "event": '
    answer = httpx.post(base + "/slack/events", content=not_json,
                        headers=signed_headers(not_json, content_type=JSON), timeout=10)
    assert answer.status_code == 400
    # Still serving: a good command is acknowledged and answered.
    body = command_body(fake_slack, 200)
    assert httpx.post(base + "/slack/events", content=body, headers=signed_headers(body),
                      timeout=10).status_code == 200
    assert fake_slack.wait_for("respond", 1, timeout=30)
    err = bot.stderr()
    assert "Traceback" not in err, err[-3000:]
    assert "rejected a signed request Bolt could not read" in err


def test_response_url_secret_never_reaches_the_log(http_bot, fake_slack) -> None:
    """A response_url POST that fails is retried and logged by the SDK; the log shows the
    host and path kind, never the secret part of the URL."""
    bot, base, _port = http_bot
    dead = free_port()  # nothing listens there: the SDK logs the failure and retries
    body = command_body(fake_slack, 300).replace(
        urlencode({"response_url": f"{fake_slack.url_root}/respond/300"}),
        urlencode({"response_url": f"http://127.0.0.1:{dead}/commands/T0HOLDWCH/300/"
                                   "SeCrEtToKeN42"}))
    assert "SeCrEtToKeN42" in body
    assert httpx.post(base + "/slack/events", content=body, headers=signed_headers(body),
                      timeout=10).status_code == 200
    wait_until(lambda: f"127.0.0.1:{dead}/commands/" in bot.stderr(), timeout=30,
               what="the failed response_url POST to be logged")
    err = bot.stderr()
    assert "SeCrEtToKeN42" not in err and "xoxb-reliability-test" not in err


def test_connection_cap_stops_accepting_until_a_slot_frees() -> None:
    """Idle connections fill a cap of 5 (the server stops accepting); a request queued
    behind them is answered once they go (in-process server, same code as HTTP mode)."""
    app = webserver.SlackWsgiApp(bolt=None, health=lambda: {"ok": True})  # type: ignore[arg-type]
    handle = webserver.serve(app, port=0, host="127.0.0.1", connection_limit=5)
    idle = []
    try:
        for _ in range(5):
            idle.append(socket.create_connection(("127.0.0.1", handle.port)))
        wait_until(lambda: handle.server.in_connection_overflow, timeout=30,
                   what="the server to reach its connection limit")
        answers: list[int] = []
        asker = threading.Thread(target=lambda: answers.append(
            httpx.get(f"http://127.0.0.1:{handle.port}/healthz", timeout=60).status_code))
        asker.start()
        while idle:
            idle.pop().close()
        asker.join(timeout=60)
        assert answers == [200]
    finally:
        for sock in idle:
            sock.close()
        handle.shutdown()
