"""T7 and T12: one process owns the database; SIGTERM stops cleanly, even mid-poll."""

from __future__ import annotations

from pathlib import Path

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.reliability.harness import (
    BENIGN_ENTRY,
    FEED_PATH,
    BotProcess,
    LiveFeed,
    bot_env,
    deliveries,
    duplicates,
    load_db,
    news_entries,
    post_counts,
    run_once,
)
from tests.timing import wait_until

EVENTS = 3


def _polled(feed_server: FeedServer, more_than: int) -> bool:
    return len(feed_server.requests_for(FEED_PATH)) > more_than


def test_second_run_on_the_same_database_is_refused_with_a_clear_message(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """Two `run`s on one BOT_DB_PATH: the second exits non-zero naming the lock; no double post."""
    feed = LiveFeed(feed_server, [BENIGN_ENTRY], news_entries(EVENTS, lift_every=0))
    env = bot_env(tmp_path, feed_server, fake_slack)
    assert run_once(tmp_path, env).returncode == 0
    owner = BotProcess(["run"], env, tmp_path).start()
    bots.append(owner)
    wait_until(lambda: _polled(feed_server, 1), timeout=30, what="the first bot to poll")

    second = BotProcess(["run"], env, tmp_path / "second")
    (tmp_path / "second").mkdir()
    bots.append(second)
    second.start()
    status = second.wait(timeout=60)
    message = second.stderr()
    assert status != 0
    assert "BOT_DB_PATH" in message and "in use" in message, message
    assert "Traceback" not in message
    assert owner.alive()

    feed.publish(EVENTS)
    wait_until(lambda: len(post_counts(fake_slack)) >= EVENTS, timeout=60,
               what="the owner's posts")
    assert owner.terminate() == 0, owner.stderr()
    assert duplicates(fake_slack) == {} and len(post_counts(fake_slack)) == EVENTS


def test_sigterm_during_a_poll_exits_0_and_restart_posts_nothing_twice(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """SIGTERM while a fetch is in flight: exit 0, valid file, restart repeats no post."""
    feed = LiveFeed(feed_server, [BENIGN_ENTRY], news_entries(EVENTS, lift_every=0))
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])
    assert run_once(tmp_path, env).returncode == 0
    feed.publish(EVENTS)
    feed.delay = 2.0  # every fetch now takes two seconds: the signal lands inside one

    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: _polled(feed_server, 1), timeout=30, what="a poll in flight")
    assert bot.terminate(timeout=60) == 0, bot.stderr()  # the timeout only guards a hang
    db = load_db(db_path)  # a valid file
    assert duplicates(fake_slack) == {}
    done = len(post_counts(fake_slack))

    feed.delay = 0.0
    restart = BotProcess(["run"], env, tmp_path).start()
    bots.append(restart)
    wait_until(lambda: len(post_counts(fake_slack)) >= EVENTS, timeout=60,
               what="every event posted after the restart")
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: _polled(feed_server, polls + 1), timeout=30, what="two more polls")
    assert restart.terminate() == 0, restart.stderr()
    assert duplicates(fake_slack) == {}
    assert len(post_counts(fake_slack)) == EVENTS
    assert {d["status"] for d in deliveries(load_db(db_path))} == {"posted"}
    print(f"\nSIGTERM mid-poll: exit 0; {done} of {EVENTS} events posted "
          f"before stopping ({len(deliveries(db))} outbox rows saved); the rest after restart")
