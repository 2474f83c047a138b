"""Hostile feeds against the real `python -m bot` (issue 14 items 1-3).

The attack run: a 56 KB UTF-7 quadratic blow-up took 13 s and 346 MB per poll
and its item was posted; a 110 KB one raised MemoryError and ended the whole
`poll --once`; beside a healthy feed in `run --http` it pushed command acks to
9 s and RSS to 1 GB. A garbage body became a baseline, and fixing the URL then
posted 28 old items. An RSS 0.91 feed and a CDATA `<!DOCTYPE html>` failed on
every poll. Each case below is judged by what the fake Slack received, what the
database file holds and what the process showed.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import httpx

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer, Reply
from tests.e2e.conftest import rss
from tests.reliability.harness import (
    ADMIN_CHANNEL,
    ALERT_CHANNEL,
    BENIGN_ENTRY,
    BotProcess,
    LiveFeed,
    admin_posts,
    alert_posts,
    answers_health,
    bot_env,
    company,
    free_port,
    hold_entry,
    load_db,
    news_entries,
    proc_status,
    rows,
    run_once,
    seen_item_ids,
    sources_toml,
)
from tests.slack.harness import SECRET, command_body, signed_headers
from tests.sources.hostile import (
    DOCTYPE_IN_CDATA,
    ENCODED_BOMBS,
    GUARD_REASON,
    NETSCAPE_RSS_091,
    NOT_FEEDS,
)
from tests.timing import wait_until

HEALTHY = "healthy"
RSS_TYPE = "application/rss+xml"  # no charset: the body's own declaration decides
PEAK_RSS_LIMIT_KB = 300 * 1024


def hostile_set(server: FeedServer) -> dict[str, str]:
    """Every encoded bomb, a not-a-feed body and an HTML page, each on its own path."""
    urls = {}
    for name, build in ENCODED_BOMBS.items():
        server.add(f"/bomb-{name}.xml", build(), content_type=RSS_TYPE)
        urls[f"bomb-{name}"] = server.url(f"/bomb-{name}.xml")
    server.add("/garbage.xml", NOT_FEEDS["xml-with-items"], content_type="application/xml")
    server.add("/login.html", NOT_FEEDS["html-page"], content_type="text/html")
    urls["garbage"] = server.url("/garbage.xml")
    urls["login-page"] = server.url("/login.html")
    return urls


def source_row(db: dict, name: str) -> dict:
    return next(r for r in rows(db, "sources") if r.get("name") == name)


def test_encoded_bombs_fail_alone_and_poll_once_carries_on(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """Six encoded bombs and two non-feeds before a healthy feed in one `poll --once`: each
    fails with its reason, none aborts the run, the healthy feed is baselined and polled."""
    urls = hostile_set(feed_server)
    feed_server.add("/healthy.xml", rss(*news_entries(5, lift_every=0)))
    urls[HEALTHY] = feed_server.url("/healthy.xml")
    env = bot_env(tmp_path, feed_server, fake_slack,
                  SOURCES_FILE=str(sources_toml(tmp_path / "many.toml", urls)))
    done = run_once(tmp_path, env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    for name in ENCODED_BOMBS:
        assert f"bomb-{name}: failed:" in done.stdout and GUARD_REASON in done.stdout
    assert "garbage: failed: not a feed" in done.stdout
    assert "login-page: failed: not a feed: the server sent an HTML page" in done.stdout
    db = load_db(Path(env["BOT_DB_PATH"]))
    assert source_row(db, HEALTHY)["baselined"]
    for name in urls:
        if name != HEALTHY:
            assert not source_row(db, name).get("baselined")
            assert source_row(db, name)["consecutive_failures"] == 1
    assert {i.split(":")[0] for i in seen_item_ids(db)} == {HEALTHY}
    assert alert_posts(fake_slack) == []


def test_garbage_then_valid_feed_baselines_and_posts_no_history(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """A new source whose URL serves a non-feed (feedparser: entries=[{}]) fails: no
    baseline, health failing, one admin notice at the threshold (3). Fixed, it serves 28
    old hold items: they are the baseline, 0 posts. The next new item: 1 post."""
    history = news_entries(28, lift_every=0)
    news = hold_entry(28)
    feed_server.script("/feed.xml", [
        *[Reply(body=NOT_FEEDS["xml-with-items"], content_type="application/xml")] * 4,
        Reply(body=rss(*reversed(history))),
        Reply(body=rss(news, *reversed(history))),
    ])
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])
    for poll in range(1, 5):
        failed = run_once(tmp_path, env)
        assert failed.returncode == 1 and "not a feed: 1 entries" in failed.stdout
        row = source_row(load_db(db_path), "press")
        assert not row.get("baselined") and row["consecutive_failures"] == poll
        assert not seen_item_ids(load_db(db_path))
    notices = [p["text"] for p in admin_posts(fake_slack)]
    assert len(notices) == 1 and "failing" in notices[0] and "not a feed" in notices[0]
    good = run_once(tmp_path, env)
    assert good.returncode == 0, good.stderr[-2000:]
    assert source_row(load_db(db_path), "press")["baselined"]
    assert alert_posts(fake_slack) == []
    assert len(seen_item_ids(load_db(db_path))) == 28
    latest = run_once(tmp_path, env)
    assert latest.returncode == 0
    posts = alert_posts(fake_slack)
    assert len(posts) == 1 and posts[0]["channel"] == ALERT_CHANNEL
    assert company(28).code in json.dumps(posts[0])


def test_netscape_doctype_and_cdata_doctype_feeds_deliver_their_holds(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """An RSS 0.91 feed with the Netscape DOCTYPE and an item quoting `<!DOCTYPE html>` in
    CDATA are read like any feed: after a baseline poll, their hold items are posted."""
    empty = b"<rss version='2.0'><channel><title>Biotech Wire</title></channel></rss>"
    feed_server.script("/rss091.xml", [Reply(body=empty), Reply(body=NETSCAPE_RSS_091,
                                                                content_type=RSS_TYPE)])
    feed_server.script("/cdata.xml", [Reply(body=empty), Reply(body=DOCTYPE_IN_CDATA,
                                                               content_type=RSS_TYPE)])
    sources = {"rss091": feed_server.url("/rss091.xml"), "cdata": feed_server.url("/cdata.xml")}
    env = bot_env(tmp_path, feed_server, fake_slack,
                  SOURCES_FILE=str(sources_toml(tmp_path / "two.toml", sources)))
    assert run_once(tmp_path, env).returncode == 0
    second = run_once(tmp_path, env)
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    assert "failed" not in second.stdout
    shown = json.dumps(alert_posts(fake_slack))
    assert "ORR-415" in shown and "PAL-120" in shown


def _command(slack: FakeSlack, n: int) -> tuple[str, dict[str, str]]:
    body = command_body("/holds", "active", response_url=f"{slack.url_root}/respond/{n}",
                        channel_id="C0HOSTILE", channel_name="hostile", user_id=f"U0H{n:05d}")
    return body, signed_headers(body)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def test_hostile_set_beside_a_healthy_feed_in_http_mode(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots,
) -> None:
    """`run --http` polls the whole hostile set every second beside a healthy feed for
    several cycles: the healthy feed's new hold is posted, every signed command sent
    meanwhile is acknowledged and answered, /healthz answers, and neither the bot nor
    its parser workers ever pass 300 MB of resident memory."""
    urls = hostile_set(feed_server)
    live = LiveFeed(feed_server, [BENIGN_ENTRY], [hold_entry(500)], path="/healthy.xml")
    urls[HEALTHY] = feed_server.url("/healthy.xml")
    port = free_port()
    env = bot_env(tmp_path, feed_server, fake_slack, SLACK_SIGNING_SECRET=SECRET,
                  PORT=str(port), SOURCES_FILE=str(sources_toml(tmp_path / "all.toml", urls)))
    bot = BotProcess(["run", "--http"], env, tmp_path).start()
    bots.append(bot)
    base = f"http://127.0.0.1:{port}"

    def polled_bombs() -> bool:
        return all(len(feed_server.requests_for(f"/bomb-{n}.xml")) >= 2 for n in ENCODED_BOMBS)

    wait_until(lambda: answers_health(base), timeout=60, what="/healthz")
    wait_until(lambda: len(feed_server.requests_for("/healthy.xml")) >= 1, timeout=60,
               what="the healthy feed's baseline poll")
    live.publish()
    acked = []
    workers: set[int] = set()
    peaks = {"bot": 0, "workers": 0}
    with httpx.Client(timeout=10) as client:
        for n in range(30):
            body, headers = _command(fake_slack, n)
            acked.append(client.post(base + "/slack/events", content=body,
                                     headers=headers).status_code)
            assert client.get(base + "/healthz").status_code == 200
            peaks["bot"] = max(peaks["bot"], proc_status(bot.pid, "VmHWM"))
            for child in children(bot.pid):
                workers.add(child)
                with contextlib.suppress(FileNotFoundError):
                    peaks["workers"] = max(peaks["workers"], proc_status(child, "VmHWM"))
            if n >= 10 and alert_posts(fake_slack) and polled_bombs():
                break
    assert acked and set(acked) == {200}, acked
    assert fake_slack.wait_for("respond", len(acked), timeout=60)
    wait_until(lambda: alert_posts(fake_slack), timeout=60, what="the healthy feed's alert")
    wait_until(polled_bombs, timeout=60, what="every bomb to be polled twice")
    assert company(500).code in json.dumps(alert_posts(fake_slack))
    peaks["bot"] = max(peaks["bot"], proc_status(bot.pid, "VmHWM"))
    assert workers, "feeds were not parsed in worker processes"
    assert peaks["bot"] < PEAK_RSS_LIMIT_KB and peaks["workers"] < PEAK_RSS_LIMIT_KB, peaks
    assert bot.alive()
    assert bot.terminate(timeout=60) == 0
    err = bot.stderr()
    assert "Traceback" not in err and "MemoryError" not in err
    assert not [p for p in fake_slack.posts if p.get("channel") not in (ALERT_CHANNEL,
                                                                        ADMIN_CHANNEL)]
    print(f"\n{len(acked)} commands acked; peak RSS bot {peaks['bot'] // 1024} MB, "
          f"workers {peaks['workers'] // 1024} MB")

