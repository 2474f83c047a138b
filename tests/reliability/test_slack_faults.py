"""T2/T3: Slack misbehaving under a real `python -m bot run` process.

Rate limits and server errors must delay alerts, never drop or repeat them;
a post Slack made but whose answer was lost must be found again (message
metadata), not re-posted; a channel Slack refuses for good must not hold up
the other destinations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.reliability.harness import (
    ALERT_CHANNEL,
    BENIGN_ENTRY,
    FEED_PATH,
    SUBS_CHANNEL,
    BotProcess,
    LiveFeed,
    admin_posts,
    alert_posts,
    bot_env,
    deliveries,
    duplicates,
    event_id,
    load_db,
    news_entries,
    post_counts,
    run_once,
    subscribe_all,
)
from tests.timing import wait_until

EVENTS = 6
DEAD_CHANNEL = "C0GONE001"


def _start(tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
           bots: list[BotProcess], *, second: str) -> tuple[BotProcess, Path]:
    """Baseline a fresh store, subscribe `second` to everything, publish the events, run."""
    feed = LiveFeed(feed_server, [BENIGN_ENTRY], news_entries(EVENTS, lift_every=0))
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])
    first = run_once(tmp_path, env)
    assert first.returncode == 0, first.stderr
    subscribe_all(db_path, second)
    feed.publish(EVENTS)
    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    return bot, db_path


def _quiet_polls(feed_server: FeedServer, n: int = 2) -> None:
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: len(feed_server.requests_for(FEED_PATH)) >= polls + n, timeout=30,
               what=f"{n} more polls")


def _posted_order(slack: FakeSlack, channel: str) -> list[str]:
    return [str(event_id(p)) for p in alert_posts(slack) if p.get("channel") == channel]


def _decided_order(db: dict[str, Any], channel: str) -> list[str]:
    return [d["event_id"] for d in deliveries(db)
            if d.get("destination") == channel and d.get("action") == "post"]


def test_429_and_500_storm_delivers_all_in_order_once(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """Every 3rd post 429 (Retry-After 1), every 5th 500: all delivered, in order, none twice."""
    fake_slack.fail("chat.postMessage", status=429, retry_after=1, every=3)
    fake_slack.fail("chat.postMessage", status=500, every=5)
    bot, db_path = _start(tmp_path, feed_server, fake_slack, bots, second=SUBS_CHANNEL)
    expected = EVENTS * 2
    wait_until(lambda: len(post_counts(fake_slack)) >= expected, timeout=90,
               what=f"{expected} posts through the storm")
    _quiet_polls(feed_server)
    assert bot.terminate() == 0, bot.stderr()

    assert duplicates(fake_slack) == {}
    assert len(post_counts(fake_slack)) == expected
    attempts = len(fake_slack.calls_to("chat.postMessage"))
    assert attempts > len(fake_slack.posts)  # the faults really fired
    db = load_db(db_path)
    for channel in (ALERT_CHANNEL, SUBS_CHANNEL):
        assert _posted_order(fake_slack, channel) == _decided_order(db, channel), channel
    assert {d["status"] for d in deliveries(db)} == {"posted"}
    print(f"\n429/500 storm: {attempts} postMessage attempts for {expected} posts; "
          "0 duplicates, order kept in both channels")


@pytest.mark.parametrize("fault", [{"status": 502}, {"drop": True}], ids=["502", "dropped"])
def test_post_whose_answer_was_lost_is_adopted_not_reposted(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
    fault: dict[str, Any],
) -> None:
    """Slack stored the message but the answer was lost: exactly one post, ts adopted."""
    fake_slack.fail("chat.postMessage", after_processing=True, every=2, times=3, **fault)
    bot, db_path = _start(tmp_path, feed_server, fake_slack, bots, second=SUBS_CHANNEL)
    expected = EVENTS * 2
    wait_until(lambda: len(post_counts(fake_slack)) >= expected, timeout=90,
               what=f"{expected} posts despite lost answers")
    wait_until(lambda: {d["status"] for d in deliveries(load_db(db_path))} == {"posted"},
               timeout=60, what="every delivery marked posted")
    _quiet_polls(feed_server)
    assert bot.terminate() == 0, bot.stderr()

    assert duplicates(fake_slack) == {}
    assert len(post_counts(fake_slack)) == expected
    stored = {(m["metadata"]["event_payload"]["event_id"], channel): m["ts"]
              for channel in (ALERT_CHANNEL, SUBS_CHANNEL)
              for m in fake_slack.history(channel) if m.get("metadata")}
    for row in deliveries(load_db(db_path)):
        assert row["ts"] == stored[(row["event_id"], row["destination"])], row
    print(f"\nlost answers ({fault}): 3 posts made but unanswered; "
          f"{len(fake_slack.calls_to('conversations.history'))} history lookups; "
          f"{expected} posts, 0 duplicates")


def test_channel_refused_for_good_fails_alone_and_tells_the_admin(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """channel_not_found: that delivery is failed, admin told, other channel gets everything."""
    fake_slack.fail("chat.postMessage", error="channel_not_found", channel=DEAD_CHANNEL,
                    times=None)
    bot, db_path = _start(tmp_path, feed_server, fake_slack, bots, second=DEAD_CHANNEL)

    def settled() -> bool:
        rows = [d for d in deliveries(load_db(db_path)) if d.get("destination") == DEAD_CHANNEL]
        return len(rows) == EVENTS and all(d["status"] == "failed" for d in rows)

    wait_until(lambda: len(post_counts(fake_slack)) >= EVENTS, timeout=60,
               what="the alert channel's posts")
    wait_until(settled, timeout=60, what="the dead channel's deliveries marked failed")
    wait_until(lambda: admin_posts(fake_slack), timeout=30, what="an admin notice")
    _quiet_polls(feed_server, 3)
    assert bot.terminate() == 0, bot.stderr()

    assert duplicates(fake_slack) == {}
    assert len(_posted_order(fake_slack, ALERT_CHANNEL)) == EVENTS
    dead = [d for d in deliveries(load_db(db_path)) if d["destination"] == DEAD_CHANNEL]
    assert all("channel_not_found" in (d.get("error") or "") for d in dead), dead
    tries = [c for c in fake_slack.calls_to("chat.postMessage")
             if c.get("channel") == DEAD_CHANNEL]
    assert len(tries) == EVENTS  # one try each: a refusal is not retried blindly
    notices = " ".join(str(p.get("text")) for p in admin_posts(fake_slack))
    assert "channel_not_found" in notices or DEAD_CHANNEL in notices, notices
