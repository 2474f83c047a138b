"""T1: SIGKILL `python -m bot run` at random moments, restart on the same file, repeat.

The feed keeps publishing while the bot is killed and restarted, so kills land
before, during and after fetches, store writes and Slack posts. At the end the
bot runs to quiescence and Slack must hold every event exactly once per
destination.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.reliability.harness import (
    ALERT_CHANNEL,
    BENIGN_ENTRY,
    FEED_PATH,
    SUBS_CHANNEL,
    BotProcess,
    LiveFeed,
    alert_posts,
    bot_env,
    deliveries,
    duplicates,
    etag_ahead_of_items,
    load_db,
    news_entries,
    post_counts,
    run_once,
    subscribe_all,
    unposted,
)
from tests.timing import wait_until

SEED = 20241031  # the CARsgen lift date; any fixed seed keeps the run reproducible
KILLS = 25
EVENTS = 40
PUBLISH_EVERY = 0.9  # seconds between new feed items: spread over the kill loop
DESTINATIONS = (ALERT_CHANNEL, SUBS_CHANNEL)


def test_kill9_at_random_moments_loses_nothing_and_posts_nothing_twice(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """25 SIGKILLs at random moments: every event posted once per destination, file parses."""
    rng = random.Random(SEED)
    entries = news_entries(EVENTS)
    feed = LiveFeed(feed_server, [BENIGN_ENTRY], entries)
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])

    first = run_once(tmp_path, env)  # a fresh store baselines: the benign item is history
    assert first.returncode == 0, first.stderr
    assert alert_posts(fake_slack) == []
    subscribe_all(db_path, SUBS_CHANNEL)  # a second destination for every event

    bot = BotProcess(["run"], env, tmp_path)
    bots.append(bot)
    feed.start_publishing(PUBLISH_EVERY)
    ahead: list[str] = []
    pending_at_kill = posts_at_kill = 0
    try:
        for kill in range(KILLS):
            polls = len(feed_server.requests_for(FEED_PATH))
            posts = len(fake_slack.calls_to("chat.postMessage"))
            bot.start()
            if kill % 3 == 1:  # aim at a running poll
                wait_until(lambda n=polls: len(feed_server.requests_for(FEED_PATH)) > n,
                           timeout=30, what="the restarted bot to poll")
            if kill % 3 == 2:  # aim at a post in flight: Slack has the request, the bot
                # has no answer yet, so the "posted" mark cannot be on disk (T1 case d)
                fake_slack.wait_for("chat.postMessage", posts + 1, timeout=8)
            else:
                time.sleep(rng.uniform(0.0, 1.2))
            assert bot.alive(), bot.stderr()
            bot.kill()
            snapshot = load_db(db_path)  # I3: whatever the moment, the file parses
            ahead += etag_ahead_of_items(snapshot, feed.published_entries, feed.base_count)
            pending_at_kill += any(d.get("status") == "pending" for d in deliveries(snapshot))
            posts_at_kill = len(alert_posts(fake_slack))
    finally:
        feed.stop()
    feed.publish(EVENTS)

    bot.start()  # the last run: let it finish everything
    expected = EVENTS * len(DESTINATIONS)
    wait_until(lambda: len(post_counts(fake_slack)) >= expected, timeout=150,
               what=f"{expected} (event, channel) posts; have {len(post_counts(fake_slack))}")
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: len(feed_server.requests_for(FEED_PATH)) >= polls + 3, timeout=30,
               what="three more quiet polls")
    assert bot.terminate() == 0, bot.stderr()

    assert duplicates(fake_slack) == {}  # I2
    assert len(post_counts(fake_slack)) == expected
    final = load_db(db_path)
    assert unposted(fake_slack, final, entries, DESTINATIONS) == []  # I1: none lost
    assert ahead == []  # T1: the ETag on disk never vouched for items it did not hold
    assert [d for d in deliveries(final) if d.get("status") != "posted"] == []
    adopted = sum(bot.stderr(run).count("adopted, not posted again")
                  for run in range(1, bot.runs + 1))
    print(f"\nkill -9 x{KILLS}: {EVENTS} events x {len(DESTINATIONS)} destinations = "
          f"{expected} posts, 0 duplicates, 0 lost; {pending_at_kill} kills left pending "
          f"deliveries on disk; {posts_at_kill} posts made before the last kill; "
          f"{len(fake_slack.calls_to('conversations.history'))} history lookups, "
          f"{adopted} posts adopted after a kill instead of re-posted")
