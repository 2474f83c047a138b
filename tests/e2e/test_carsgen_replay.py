"""Issue 12's replay: the CARsgen story through the real `python -m bot run --http`, fed
by the loopback feed server, posting to the fake Slack, asked by signed slash commands.

The reports (tests/e2e/carsgen_story.py, our own words) go out as a new user would see
them: the three hold reports (in one poll cycle, or one cycle each), the two lift
reports together, the company's release two weeks later, and a stale report dated a
year before the hold. Judged only by what Slack received:

- exactly one top-level hold post per channel, naming CARsgen, its 3 drugs and 3
  targets; exactly one broadcast lift reply in its thread saying "324 days";
- no message ever shown with another date (post or any chat.update of it), and the
  stale report in none of them;
- `company CARsgen`, `target BCMA`, `target CLDN18.2`, `drug CT041` subscribers each
  get the hold and the lift once;
- `/drug ELIMYN18` finds no drug; `/holds recent` lists 2 events.

Waits are on observable state with deadlines (the bot's database file, Slack's calls),
never sleeps; GROUP_WAIT is 2 s.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier
from tinydb import TinyDB

from bot.errors import StorageError
from bot.store.storage import JournaledStorage
from loopback.fake_slack import TEAM_ID, FakeSlack
from loopback.feed_server import FeedServer, Reply
from tests.e2e.carsgen_story import FIRST, HOLD_DAYS, SECOND, Report, Story
from tests.reliability.harness import BotProcess, rows
from tests.timing import wait_until

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ALERT = "C0ALERTS1"
SUBSCRIBERS = {  # channel -> what it subscribes to
    "C0COMPANY": "company CARsgen",
    "C0TARGETB": "target BCMA",
    "C0TARGETC": "target CLDN18.2",
    "C0DRUGCT4": "drug CT041",
}
CHANNELS = (ALERT, *SUBSCRIBERS)
BENIGN = Report("benign", "CARsgen Therapeutics to present at a cell therapy meeting",
                "CARsgen Therapeutics will present posters on its CAR-T programmes.",
                "Mon, 04 Dec 2023 08:00:00 GMT")
FEEDS = {"news": "/news.xml", "press": "/press.xml"}
_TRUE = (True, "true", "1", "True")
DATE_LINE = re.compile(r"\*Date:\* ([^\n*]+)")
DAYS = re.compile(r"after (\d+) days")


# ------------------------------------------------------------------ the world


class Feeds:
    """Two RSS feeds (trade press, the company's wire) that grow as reports are published;
    each version has its own ETag."""

    def __init__(self, server: FeedServer) -> None:
        self._lock = threading.Lock()
        self.published: dict[str, list[Report]] = {name: [] for name in FEEDS}
        self.published["news"].append(BENIGN)
        for name, path in FEEDS.items():
            server.handle(path, lambda _req, name=name: self._reply(name))

    def publish(self, *reports: Report) -> None:
        with self._lock:
            for report in reports:
                self.published[report.feed].append(report)

    def _reply(self, name: str) -> Reply:
        with self._lock:
            entries = list(reversed(self.published[name]))
        items = "".join(
            f"<item><guid isPermaLink=\"false\">{r.guid}</guid><title>{r.title}</title>"
            f"<link>{r.link}</link><description>{r.text}</description>"
            f"<pubDate>{r.published}</pubDate></item>\n" for r in entries)
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{name}</title><link>https://{name}.example/</link>"
                f"<description>{name}</description>\n{items}</channel></rss>\n")
        return Reply(body=body, etag=f'"{name}-{len(entries)}"',
                     content_type="application/rss+xml; charset=utf-8")


class Replay:
    """The bot process, its database, the fake Slack and signed slash commands."""

    def __init__(self, tmp_path: Path, feed_server: FeedServer, slack: FakeSlack) -> None:
        self.slack = slack
        self.feeds = Feeds(feed_server)
        self.port = _free_port()
        self.db_path = tmp_path / "db" / "holdwatch.json"
        sources = tmp_path / "sources.toml"
        sources.write_text("".join(
            f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{feed_server.url(path)}"\n'
            'interval = "1s"\n\n' for name, path in FEEDS.items()))


        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update({
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "BOT_DB_PATH": str(self.db_path), "SOURCES_FILE": str(sources),
            "SLACK_BOT_TOKEN": "xoxb-carsgen-replay", "SLACK_API_URL": slack.url,
            "SLACK_SIGNING_SECRET": SECRET, "ALERT_CHANNEL": ALERT, "PORT": str(self.port),
            "GROUP_WAIT": "2s", "LOG_LEVEL": "INFO",
        })
        self.bot = BotProcess(["run", "--http"], env, tmp_path)
        self.http = httpx.Client(timeout=10)
        self._answers = 0

    def start(self) -> None:
        self.bot.start()
        wait_until(self._healthy, timeout=60, what=f"the bot's /healthz ({self.bot.stderr()})")
        self.settle([f"news:{BENIGN.guid}"])  # the first poll records history

    def stop(self) -> None:
        self.http.close()
        if self.bot.alive():
            assert self.bot.terminate() == 0, self.bot.stderr()

    def _healthy(self) -> bool:
        try:
            return self.http.get(f"http://127.0.0.1:{self.port}/healthz").status_code == 200
        except httpx.HTTPError:
            return False

    # ------------------------------------------------------------ feeding

    def publish(self, *reports: Report) -> None:
        self.feeds.publish(*reports)
        self.settle([f"{r.feed}:{r.guid}" for r in reports])

    def settle(self, item_ids: Sequence[str]) -> None:
        """Wait until the bot recorded these items, holds nothing back and has delivered
        everything it decided (its outbox is empty of pending rows)."""
        wait_until(lambda: self._settled(item_ids), timeout=60,
                   what=f"the bot to take in {list(item_ids)} and deliver")

    def _settled(self, item_ids: Sequence[str]) -> bool:
        try:  # what the bot has committed: the snapshot and its journal (bot/store/)
            with TinyDB(self.db_path, storage=JournaledStorage, read_only=True) as tiny:
                db = tiny.storage.read()
        except (FileNotFoundError, ValueError, StorageError):
            return False
        seen = {row["id"] for row in rows(db, "items")}
        pending = [r for r in rows(db, "deliveries") if r.get("status") == "pending"]
        held = [r for r in rows(db, "events") if r.get("_state") == "held"]
        return set(item_ids) <= seen and not pending and not held

    # ------------------------------------------------------------ commands

    def command(self, command: str, text: str, channel: str = ALERT) -> str:
        """A signed slash command; the text of the answer posted to its response_url."""
        self._answers += 1
        body = urlencode({
            "token": "t", "team_id": TEAM_ID, "team_domain": "holdwatch",
            "channel_id": channel, "channel_name": channel.lower(), "user_id": "U0ANALYST",
            "user_name": "analyst", "command": command, "text": text,
            "api_app_id": "A0HOLDWCH", "trigger_id": f"{self._answers}.1.x",
            "response_url": f"{self.slack.url_root}/respond/{self._answers}",
        })
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
        before = len(self.slack.responses)
        answer = self.http.post(
            f"http://127.0.0.1:{self.port}/slack/events", content=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})
        assert answer.status_code == 200, answer.text
        assert self.slack.wait_for("respond", before + 1, timeout=30), f"no answer to {command}"
        return _answer_text(self.slack.responses[before])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answer_text(answer: dict[str, Any]) -> str:
    parts = [str(answer.get("text", ""))]
    for block in answer.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        parts += [str(e.get("text", "")) for e in block.get("elements") or []]
    return "\n".join(parts)


# ------------------------------------------------------------------ what Slack shows


def _payload(call: dict[str, Any]) -> dict[str, Any]:
    return (call.get("metadata") or {}).get("event_payload") or {}


def _shown(call: dict[str, Any]) -> str:
    texts = [str(call.get("text", ""))]
    for block in call.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            texts.append(block["text"]["text"])
        texts += [str(e.get("text", "")) for e in block.get("elements") or []]
    return "\n".join(texts)


def _section(call: dict[str, Any], title: str) -> str:
    return next((b["text"]["text"] for b in call.get("blocks") or []
                 if b.get("type") == "section" and b["text"]["text"].startswith(title)), "")


def versions(slack: FakeSlack) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every holdwatch message, as it was posted and then as each chat.update showed it.
    (Slack keeps a channel's messages in the order they were posted, as `posts` lists
    them, so the n-th post to a channel made its n-th message.)"""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for channel in CHANNELS:
        posted = [p for p in slack.posts if p.get("channel") == channel]
        for message, post in zip(slack.history(channel), posted, strict=True):
            if _payload(post):
                out[(channel, message["ts"])] = [post]
    for update in slack.calls_to("chat.update"):
        key = (str(update.get("channel")), str(update.get("ts")))
        assert key in out, f"an edit of a message that was never posted: {key}"
        out[key].append(update)
    return out


# ------------------------------------------------------------------ the test


@pytest.fixture
def replay(tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack) -> Iterator[Replay]:
    world = Replay(tmp_path, feed_server, fake_slack)
    try:
        world.start()
        yield world
    finally:
        if world.bot.proc is not None:
            world.bot.stop()
        world.http.close()


@pytest.mark.parametrize(("story", "hold_cycles"), [
    (FIRST, "one poll cycle"), (FIRST, "a poll cycle each"), (SECOND, "a poll cycle each"),
], ids=["first wording, holds together", "first wording, holds apart",
        "second wording, holds apart"])
def test_the_carsgen_story_comes_out_exactly_right(replay: Replay, story: Story,
                                                   hold_cycles: str) -> None:
    """One hold post and one broadcast lift reply (324 days) per channel, dates never
    changed, each subscriber told of hold and lift once, no study as a drug, 2 events."""
    for channel, what in SUBSCRIBERS.items():
        assert "subscribed" in replay.command("/holds", f"subscribe {what}", channel).lower()
    if hold_cycles == "one poll cycle":
        replay.publish(*story.holds)
    else:
        for report in story.holds:
            replay.publish(report)
    replay.publish(*story.lifts)
    replay.publish(story.release)
    replay.publish(story.stale)
    drug_answer = replay.command("/drug", "ELIMYN18")
    recent = replay.command("/holds", "recent")
    replay.stop()

    slack = replay.slack
    posts = [p for p in slack.posts if _payload(p)]
    tops = [p for p in posts if not p.get("thread_ts")]
    broadcasts = [p for p in posts if p.get("reply_broadcast") in _TRUE]
    for channel in CHANNELS:
        mine = [p for p in tops if p["channel"] == channel]
        assert [_payload(p)["label"] for p in mine] == ["hold"], (channel, [
            _shown(p)[:80] for p in mine])
        lifts = [p for p in broadcasts if p["channel"] == channel]
        assert len(lifts) == 1, (channel, len(lifts))
        assert _payload(lifts[0])["label"] == "lift"
        assert f"{HOLD_DAYS} days" in _shown(lifts[0])
        assert lifts[0]["thread_ts"] == next(
            m["ts"] for m in slack.history(channel) if m.get("metadata") and not
            m.get("thread_ts"))
    hold_ids = {_payload(p)["event_id"] for p in tops}
    lift_ids = {_payload(p)["event_id"] for p in broadcasts}
    assert len(hold_ids) == len(lift_ids) == 1  # the same two events everywhere

    history = versions(slack)
    for (channel, ts), shown in history.items():
        if "item_id" in _payload(shown[0]):
            continue  # a thread reply announcing a primary source: no alert, no date
        dates = {d.strip() for v in shown for d in DATE_LINE.findall(_shown(v))}
        assert len(dates) == 1, (channel, ts, dates)  # never changed to another date
        assert {int(n) for v in shown for n in DAYS.findall(_shown(v))} <= {HOLD_DAYS}
        label = _payload(shown[0])["label"]
        assert dates == ({"12 Dec 2023"} if label == "hold" else {"31 Oct 2024"})
        for version in shown:
            assert "ELIMYN" not in _section(version, "*Drugs*")
            assert story.stale.link not in _shown(version)  # it joined nothing
    final_hold = [v[-1] for (c, _), v in history.items()
                  if c == ALERT and _payload(v[0])["label"] == "hold"]
    assert len(final_hold) == 1
    hold_text = _shown(final_hold[0])
    assert "CARsgen" in final_hold[0]["blocks"][0]["text"]["text"]
    drugs = _section(final_hold[0], "*Drugs*")
    for name in ("satricabtagene autoleucel", "zevorcabtagene autoleucel", "CT071"):
        assert name in drugs, (name, drugs)
    assert drugs.count("• ") == 3
    for target in ("BCMA", "Claudin18.2", "GPRC5D"):
        assert target in hold_text

    assert "No drug called “ELIMYN18”" in drug_answer, drug_answer
    assert "Last 2 clinical-hold events" in recent, recent
