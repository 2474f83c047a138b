"""Everyday operation through real `python -m bot` processes: quiet logs, one summary
line per poll round when sources are unreachable, `status` knowing whether a bot runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer, Reply
from tests.e2e.conftest import BENIGN, rss
from tests.reliability.harness import BotProcess, bot_env, free_port, sources_toml
from tests.test_cli_startup import run_bot
from tests.timing import wait_until

pytestmark = pytest.mark.slow  # whole bot processes

ROUND = "sources reachable"


EDGAR = ('[[source]]\nname = "edgar-8k"\nkind = "edgar"\nurl = "http://127.0.0.1:9/search"\n'
         'archives_url = "http://127.0.0.1:9/archives"\ninterval = "10m"\n')


def test_unreachable_sources_log_one_line_per_round_not_one_per_source(
    tmp_path: Path, feed_server: FeedServer, bots: list[BotProcess],
) -> None:
    """Three sources nobody answers: each round is one line ('0 of 3 sources reachable:
    network unreachable? see `python -m bot status`'), no warning per source."""
    port = free_port()
    urls = {f"feed-{n}": f"http://127.0.0.1:{port}/feed-{n}.xml" for n in range(3)}
    env = bot_env(tmp_path, feed_server, None,
                  SOURCES_FILE=str(sources_toml(tmp_path / "my-sources.toml", urls)))
    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: bot.stderr().count(ROUND) >= 2, timeout=60, what="two poll rounds")
    assert bot.terminate() == 0, bot.stderr()
    log = bot.stderr()
    rounds = [line for line in log.splitlines() if ROUND in line]
    assert rounds[0].endswith("0 of 3 sources reachable (all: request failed: ConnectError: "
                              "[Errno 111] Connection refused): network unreachable? see "
                              "`python -m bot status`")
    assert all("0 of 3 sources reachable" in line for line in rounds)
    assert all("python -m bot status" in line for line in rounds)
    # Not one line per source per round: the error appears only inside the summaries.
    assert log.count("Connection refused") == sum("Connection refused" in r for r in rounds)
    # Sources are named once, at start (their short interval), never per round.
    assert len([line for line in log.splitlines() if "feed-1" in line]) == 1


def test_a_failing_source_is_named_in_the_round_line(
    tmp_path: Path, feed_server: FeedServer, bots: list[BotProcess],
) -> None:
    """One source of two answering 500: '1 of 2 sources reachable; failing: broken (HTTP 500…)'."""
    feed_server.add("/ok.xml", rss(BENIGN))
    feed_server.add("/broken.xml", "<html>down</html>", status=500)
    urls = {"good": feed_server.url("/ok.xml"), "broken": feed_server.url("/broken.xml")}
    env = bot_env(tmp_path, feed_server, None,
                  SOURCES_FILE=str(sources_toml(tmp_path / "my-sources.toml", urls)))
    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: "1 of 2 " + ROUND in bot.stderr(), timeout=60, what="a round line")
    assert bot.terminate() == 0, bot.stderr()
    [line, *_] = [line for line in bot.stderr().splitlines() if "1 of 2 " + ROUND in line]
    assert "failing: broken (HTTP 500" in line and "see `python -m bot status`" in line


def test_status_says_whether_a_bot_is_running_and_shows_next_polls_only_then(
    tmp_path: Path, feed_server: FeedServer, bots: list[BotProcess],
) -> None:
    """No bot: 'No holdwatch bot is running', no next polls. A bot running: its pid and each
    source's next poll. The EDGAR warning is one line at start, none in `status`."""
    feed_server.add("/feed.xml", rss(BENIGN))
    sources = sources_toml(tmp_path / "my-sources.toml", {"press": feed_server.url("/feed.xml")},
                           interval="1m", extra="\n" + EDGAR)
    env = bot_env(tmp_path, feed_server, None, SOURCES_FILE=str(sources))

    idle = run_bot(tmp_path, env, "status")
    assert idle.returncode == 0, idle.stderr
    assert "No holdwatch bot is running on this database" in idle.stdout
    assert "Next poll" not in idle.stdout
    assert "SEC_USER_AGENT is not set" in idle.stdout  # said once, in the listing
    assert "EDGAR" not in idle.stderr

    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: feed_server.requests_for("/feed.xml"), timeout=30, what="a first poll")
    running = run_bot(tmp_path, env, "status")
    assert f"A holdwatch bot is running on this database (pid {bot.pid})" in running.stdout
    assert "Next poll: " in running.stdout
    assert bot.terminate() == 0, bot.stderr()
    assert bot.stderr().count("EDGAR source edgar-8k skipped: set SEC_USER_AGENT") == 1

    stopped = run_bot(tmp_path, env, "status")
    assert "No holdwatch bot is running on this database" in stopped.stdout


def test_a_poll_that_overruns_its_interval_is_one_line_not_a_flood(
    tmp_path: Path, feed_server: FeedServer, bots: list[BotProcess],
) -> None:
    """A feed taking 2.5 s on a 1 s interval: APScheduler's 'maximum number of running
    instances' warning never shows; one line per overrun says what happens instead."""
    feed_server.script("/slow.xml", [Reply(body=rss(BENIGN), delay=2.5)])
    sources = sources_toml(tmp_path / "my-sources.toml", {"slow": feed_server.url("/slow.xml")})
    env = bot_env(tmp_path, feed_server, None, SOURCES_FILE=str(sources))
    bot = BotProcess(["run"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: len(feed_server.requests_for("/slow.xml")) >= 3, timeout=60,
               what="three slow polls")
    assert bot.terminate() == 0, bot.stderr()
    log = bot.stderr()
    overruns = log.count("poll slow is still running at its next due time (1 s)")
    assert 1 <= overruns <= len(feed_server.requests_for("/slow.xml"))
    assert "maximum number of running instances" not in log


def test_slack_mode_start_has_no_bolt_token_warning(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """With SLACK_BOT_TOKEN set, Bolt's '`token` will be unused' warning is not logged."""
    feed_server.add("/feed.xml", rss(BENIGN))
    env = bot_env(tmp_path, feed_server, fake_slack, interval="1m",
                  SLACK_SIGNING_SECRET="s3cr3t", PORT=str(free_port()))
    bot = BotProcess(["run", "--http"], env, tmp_path).start()
    bots.append(bot)
    wait_until(lambda: "HTTP mode" in bot.stderr(), timeout=30, what="the HTTP server")
    assert bot.terminate() == 0, bot.stderr()
    assert "will be unused" not in bot.stderr()
    assert "Traceback" not in bot.stderr()
