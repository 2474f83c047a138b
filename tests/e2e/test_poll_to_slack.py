"""End to end: a feed item becomes one Slack post, through the real CLI code path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli_commands import poll_command
from bot.config import load_settings
from bot.models import Subscription
from bot.store import Store
from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import ALERT_CHANNEL, BENIGN, LIFT, rss

REPO = Path(__file__).resolve().parents[2]


def _slack_env(monkeypatch: pytest.MonkeyPatch, slack: FakeSlack) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.url)
    monkeypatch.setenv("ALERT_CHANNEL", ALERT_CHANNEL)


def test_new_hold_item_is_posted_once_and_304_posts_nothing(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """First poll baselines; a new lift item posts once; repeat and 304 polls post nothing."""
    _slack_env(monkeypatch, fake_slack)
    feed_server.add("/feed.xml", rss(BENIGN), etag='"v1"')
    assert main(["poll", "--once"]) == 0
    assert fake_slack.posts == []  # first run: history recorded, not posted

    feed_server.add("/feed.xml", rss(LIFT, BENIGN), etag='"v2"')
    assert main(["poll", "--once"]) == 0
    posts = fake_slack.posts
    assert len(posts) == 1
    assert posts[0]["channel"] == ALERT_CHANNEL
    assert "zevor" in posts[0]["text"].lower()
    assert posts[0]["metadata"]["event_type"] == "holdwatch_event"

    assert main(["poll", "--once"]) == 0  # server answers 304 to If-None-Match "v2"
    last = feed_server.requests_for("/feed.xml")[-1]
    assert last.headers.get("if-none-match") == '"v2"'
    assert len(fake_slack.posts) == 1

    feed_server.add("/feed.xml", rss(LIFT, BENIGN))  # same items, no validators now
    assert main(["poll", "--once"]) == 0
    assert len(fake_slack.posts) == 1


def test_dry_run_prints_events_and_stores_nothing(
    bot_env: dict[str, str], feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--dry-run shows what would be found without writing the database."""
    feed_server.add("/feed.xml", rss(LIFT))
    out = io.StringIO()
    settings = load_settings()
    assert poll_command(settings, source=None, dry_run=True, include_existing=True,
                        out=out) == 0
    text = out.getvalue()
    assert "[lift]" in text and "nothing was stored" in text
    store = Store(Path(bot_env["BOT_DB_PATH"]))
    stats = store.stats()
    store.close()
    assert (stats["items"], stats["events"], stats["sources"]) == (0, 0, 0)


def test_first_poll_says_how_to_post_history(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """A first poll on a fresh store explains that nothing was posted and how to."""
    feed_server.add("/feed.xml", rss(LIFT, BENIGN))
    assert main(["poll", "--once"]) == 0
    out = capsys.readouterr().out
    assert "first poll" in out and "--include-existing" in out


def test_console_mode_prints_the_alert(bot_env: dict[str, str], feed_server: FeedServer) -> None:
    """Without SLACK_BOT_TOKEN the alert is printed by a real `python -m bot` process."""
    feed_server.add("/feed.xml", rss(LIFT))
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "poll", "--once", "--include-existing"],
        capture_output=True, text=True, timeout=60, cwd=Path(bot_env["SOURCES_FILE"]).parent,
        env={**_base_env(), **bot_env},
    )
    assert proc.returncode == 0, proc.stderr
    assert "zevor" in proc.stdout.lower()
    assert "lift" in proc.stdout.lower()


def test_extract_command_contract(tmp_path: Path) -> None:
    """`python -m bot extract FILE` answers one JSON line per input line, errors inline."""
    lines = [
        {"id": "a", "title": "FDA places clinical hold on Acme's ACM-101 gene therapy trial"},
        {"id": "b", "title": "Acme receives FDA approval for Zorvex"},
        "not json",
        {"id": "c", "title": "FDA lifts partial clinical hold on Beta Bio's BB-7 study"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    proc = subprocess.run([sys.executable, "-m", "bot", "extract", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env=_base_env())
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", "b", None, "c"]
    assert out[0]["label"] == "hold" and out[1]["label"] == "none"
    assert "error" in out[2]
    assert out[3]["label"] == "lift"
    for o in (out[0], out[1], out[3]):
        assert list(o)[:6] == ["id", "label", "company", "drugs", "targets", "nct_ids"]


def _base_env() -> dict[str, str]:
    import os

    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PYTHONPATH"] = str(REPO)
    return env


def test_run_in_console_mode_prints_new_alert_and_stops_on_sigterm(
    bot_env: dict[str, str], feed_server: FeedServer, tmp_path: Path,
) -> None:
    """`python -m bot` without tokens polls on schedule, prints a new alert, exits 0 on TERM."""
    import signal

    sources = Path(bot_env["SOURCES_FILE"])
    sources.write_text(sources.read_text().replace('interval = "1m"', 'interval = "1s"'))
    feed_server.add("/feed.xml", rss(BENIGN))
    out_path = tmp_path / "out.txt"
    with out_path.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], stdout=out, stderr=subprocess.STDOUT,
            cwd=tmp_path, env={**_base_env(), **bot_env, "LOG_LEVEL": "INFO"},
        )
        try:
            assert _wait_for(lambda: len(feed_server.requests_for("/feed.xml")) >= 1)
            feed_server.add("/feed.xml", rss(LIFT, BENIGN))
            assert _wait_for(lambda: "zevor" in out_path.read_text().lower()), \
                out_path.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
    text = out_path.read_text()
    assert code == 0, text
    assert "stopped" in text
    assert text.lower().count("zevorcabtagene autoleucel") >= 1
    # The benign baseline item is never printed as an alert.
    assert "ASH Annual Meeting" not in text


def _wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_corrupt_database_is_set_aside_and_admin_told(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A torn database file is moved aside, the last good copy used, and the admin told."""
    _slack_env(monkeypatch, fake_slack)
    monkeypatch.setenv("ADMIN_CHANNEL", "C0ADMIN01")
    feed_server.add("/feed.xml", rss(BENIGN))
    assert main(["poll", "--once"]) == 0
    assert main(["poll", "--once"]) == 0  # a second write, so a last good copy exists
    db = Path(bot_env["BOT_DB_PATH"])
    db.write_text(db.read_text()[:40])  # a torn write, as stock TinyDB can leave
    feed_server.add("/feed.xml", rss(LIFT, BENIGN))
    assert main(["poll", "--once"]) == 0
    assert list(db.parent.glob("holdwatch.json.corrupt-*"))
    admin = [p for p in fake_slack.posts if p["channel"] == "C0ADMIN01"]
    assert admin and "corrupt" in admin[0]["text"].lower()
    alerts = [p for p in fake_slack.posts if p["channel"] == ALERT_CHANNEL]
    assert len(alerts) == 1 and "zevor" in alerts[0]["text"].lower()


def test_report_naming_the_target_reaches_a_subscriber_the_first_report_missed(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A drugless news item is posted to ALERT_CHANNEL only; the release that names the
    BCMA drug a day later joins that event and is then posted once to the BCMA subscriber."""
    _slack_env(monkeypatch, fake_slack)
    news = ("news-hold", "CARsgen CAR-T trials put on FDA hold",
            "CARsgen Therapeutics said the FDA placed three programmes on clinical hold.",
            "Mon, 11 Dec 2023 08:00:00 GMT")
    release = ("cars-hold", "CARsgen Therapeutics Announces FDA Clinical Holds on CT053",
               "SHANGHAI, Dec. 12, 2023 -- CARsgen Therapeutics Holdings Limited (HKEX: 2171) "
               "announced that the FDA placed a clinical hold on zevorcabtagene autoleucel "
               "(zevor-cel, CT053), a BCMA-targeted CAR-T.", "Tue, 12 Dec 2023 08:00:00 GMT")
    feed_server.add("/feed.xml", rss(BENIGN))
    assert main(["poll", "--once"]) == 0  # baseline
    store = Store(Path(bot_env["BOT_DB_PATH"]))
    store.add_subscription(Subscription("C0BCMA001", "channel", "target", "BCMA"))
    store.close()

    feed_server.add("/feed.xml", rss(BENIGN, news))
    assert main(["poll", "--once"]) == 0
    assert [p["channel"] for p in fake_slack.posts] == [ALERT_CHANNEL]

    feed_server.add("/feed.xml", rss(BENIGN, news, release))
    assert main(["poll", "--once"]) == 0
    assert [p["channel"] for p in fake_slack.posts] == [ALERT_CHANNEL, "C0BCMA001"]
    assert "zevor" in fake_slack.posts[1]["text"].lower()
    assert len(fake_slack.calls_to("chat.update")) == 1  # ALERT_CHANNEL's post refreshed

    assert main(["poll", "--once"]) == 0  # nothing new: nobody hears twice
    assert len(fake_slack.posts) == 2


def test_run_with_a_refused_token_says_so_in_one_line(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """A bot token Slack refuses stops `run --http` with one line naming the variable."""
    feed_server.add("/feed.xml", rss(BENIGN))
    fake_slack.fail("auth.test", error="invalid_auth", times=None)
    env = {**_base_env(), **bot_env, "SLACK_BOT_TOKEN": "xoxb-revoked",
           "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake_slack.url}
    proc = subprocess.run([sys.executable, "-m", "bot", "run", "--http"], capture_output=True,
                          text=True, timeout=60, cwd=Path(bot_env["SOURCES_FILE"]).parent,
                          env=env)
    assert proc.returncode == 2
    assert "SLACK_BOT_TOKEN: Slack refused it" in proc.stderr
    assert "Traceback" not in proc.stderr
