"""T14: a fresh store records what a feed already holds and posts none of it.

A new install (or a new feed) must not flood the channel with history, and a
first fetch that failed must not count as the baseline: otherwise the next
good fetch would treat the whole feed as news.
"""

from __future__ import annotations

from pathlib import Path

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer, Reply
from tests.e2e.conftest import rss
from tests.reliability.harness import (
    ALERT_CHANNEL,
    FEED_PATH,
    alert_posts,
    bot_env,
    hold_entry,
    load_db,
    news_entries,
    rows,
    run_once,
    seen_item_ids,
    unposted,
)

HISTORY = 200
GARBAGE = b"<html><body><h1>502 Bad Gateway</h1>\x00\xff\xfe</body></html>"


def _baselined(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    return any(r.get("baselined") for r in rows(load_db(db_path), "sources"))


def test_first_poll_of_200_existing_events_posts_nothing_then_news_posts(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """200 hold events already in the feed: 0 posts; the next new item: exactly 1 post."""
    history = news_entries(HISTORY, lift_every=0)
    feed_server.add(FEED_PATH, rss(*reversed(history)))
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])
    first = run_once(tmp_path, env)
    assert first.returncode == 0, first.stderr
    assert alert_posts(fake_slack) == []
    assert len(seen_item_ids(load_db(db_path))) == HISTORY

    news = hold_entry(HISTORY)
    feed_server.add(FEED_PATH, rss(news, *reversed(history)))
    second = run_once(tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert len(alert_posts(fake_slack)) == 1
    assert unposted(fake_slack, load_db(db_path), [news], [ALERT_CHANNEL]) == []


def test_failed_first_fetches_set_no_baseline_and_the_first_good_one_does(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """500 then garbage set no baseline; the first good fetch baselines without posting."""
    history = news_entries(20, lift_every=0)
    news = hold_entry(20)
    feed_server.script(FEED_PATH, [
        Reply(status=500, body=b"Internal Server Error", content_type="text/plain"),
        Reply(body=GARBAGE, content_type="text/html"),
        Reply(body=rss(*reversed(history))),
        Reply(body=rss(news, *reversed(history))),
    ])
    env = bot_env(tmp_path, feed_server, fake_slack, admin=False)
    db_path = Path(env["BOT_DB_PATH"])
    for _bad in range(2):
        run_once(tmp_path, env)  # fails (exit 1): every source failed
        assert not _baselined(db_path)
        assert not db_path.exists() or not seen_item_ids(load_db(db_path))
    good = run_once(tmp_path, env)
    assert good.returncode == 0, good.stderr
    assert _baselined(db_path)
    assert alert_posts(fake_slack) == []
    latest = run_once(tmp_path, env)
    assert latest.returncode == 0, latest.stderr
    assert len(alert_posts(fake_slack)) == 1
    assert unposted(fake_slack, load_db(db_path), [news], [ALERT_CHANNEL]) == []
