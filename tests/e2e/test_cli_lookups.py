"""The CLI's backfill, lookups and status answer from the store, over real loopback feeds."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import ALERT_CHANNEL, BENIGN, LIFT, rss

HOLD = ("cars-hold-2023",
        "CARsgen Announces FDA Clinical Holds on CT053, CT041 and CT071 IND Applications",
        "SHANGHAI, Dec. 12, 2023 -- CARsgen Therapeutics Holdings Limited (HKEX: 2171) "
        "announced that the FDA has placed clinical holds on the INDs for CT053 (BCMA CAR-T), "
        "CT041 (Claudin18.2 CAR-T) and CT071 (GPRC5D CAR-T) following an inspection of its "
        "manufacturing facility.",
        "Tue, 12 Dec 2023 08:00:00 GMT")


def test_backfill_then_lookups_by_any_name(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """Backfill stores history without posting; drug/target lookups find it by any alias."""
    feed_server.add("/feed.xml", rss(LIFT, BENIGN, HOLD))
    assert main(["backfill", "--since", "2023-01-01"]) == 0
    captured = capsys.readouterr()
    assert "nothing was posted" in captured.out
    assert "press" in captured.err  # progress is shown on stderr

    answers = []
    for name in ("CT053", "zevor-cel", "zevorcabtagene autoleucel"):
        assert main(["drug", name]) == 0
        answers.append(capsys.readouterr().out)
    assert answers[0] == answers[1] == answers[2]
    assert "zevorcabtagene autoleucel" in answers[0].lower()
    assert "324" in answers[0]  # days on hold, Dec 12 2023 -> Oct 31 2024

    assert main(["target", "CLDN18.2"]) == 0
    assert "satricabtagene autoleucel" in capsys.readouterr().out.lower()

    assert main(["drug", "zevor-cell"]) == 0
    assert "did you mean" in capsys.readouterr().out.lower()


def test_backfill_twice_adds_nothing_new(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """A second (or resumed) backfill skips what the first one recorded."""
    feed_server.add("/feed.xml", rss(LIFT, HOLD))
    assert main(["backfill", "--since", "2023-01-01"]) == 0
    assert "2 new items" in capsys.readouterr().out
    assert main(["backfill", "--since", "2023-01-01"]) == 0
    assert "0 new items" in capsys.readouterr().out


def test_status_shows_each_source_health(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """`status` reports last success and the last error of a failing source."""
    feed_server.add("/feed.xml", rss(BENIGN))
    assert main(["poll", "--once"]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    ok = capsys.readouterr().out
    assert "press" in ok and "never" not in ok.split("press", 1)[1].split("\n")[1]

    feed_server.add("/feed.xml", "<html>Service unavailable</html>", status=500)
    assert main(["poll", "--once"]) == 1  # the only source failed
    polled = capsys.readouterr().out
    assert "0 of 1 sources reachable (all: HTTP 500" in polled  # the round line, as `run` logs
    assert "see `python -m bot status`" in polled
    assert main(["status"]) == 0
    failing = capsys.readouterr().out
    assert "500" in failing


def test_unknown_source_is_named(
    bot_env: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    """`poll --source NAME` with a typo names the known sources and exits 2."""
    assert main(["poll", "--once", "--source", "pres"]) == 2
    err = capsys.readouterr().err
    assert "'pres'" in err and "press" in err


def test_status_shows_times_in_tz(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`status` shows last success and next poll in TZ (docs/DESIGN.md: TZ is for dates shown)."""
    feed_server.add("/feed.xml", rss(BENIGN))
    assert main(["poll", "--once"]) == 0
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # UTC+9 all year: no daylight-saving ambiguity
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "JST" in out and "UTC" not in out


# -------------------------------------------------------------------- digest


def _history(feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    """CARsgen's hold (Dec 2023) and lift (Oct 2024) in the store, nothing posted."""
    feed_server.add("/feed.xml", rss(LIFT, HOLD))
    assert main(["backfill", "--since", "2023-01-01"]) == 0
    capsys.readouterr()


def test_digest_dry_run_prints_the_digest_now(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """`digest --dry-run --since` prints holds, lifts and targets of that period, dated once."""
    _history(feed_server, capsys)
    assert main(["digest", "--dry-run", "--since", "2023-12-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Clinical holds, 1 Dec 2023 – ")
    assert "New holds (1)" in out and "12 Dec 2023 · Clinical hold" in out
    assert "Holds lifted (1)" in out and "after 324 days on hold" in out
    assert "BCMA: 2" in out and "Dates in UTC." in out


def test_digest_without_since_covers_the_scheduled_week(
    bot_env: dict[str, str], feed_server: FeedServer, capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --since: the seven days before today, as the scheduled digest; an empty
    period still prints, saying so (console mode prints instead of posting)."""
    _history(feed_server, capsys)
    assert main(["digest"]) == 0
    out = capsys.readouterr().out
    assert "No clinical-hold events in this period." in out
    assert "Still on hold" not in out  # everything was lifted


def test_digest_posts_to_slack_with_a_token(
    bot_env: dict[str, str], feed_server: FeedServer, fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With SLACK_BOT_TOKEN: posted to ALERT_CHANNEL with digest metadata, and said so."""
    _history(feed_server, capsys)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-digest-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("ALERT_CHANNEL", ALERT_CHANNEL)
    assert main(["digest", "--since", "2023-12-01"]) == 0
    assert f"digest posted to 1 channel(s): {ALERT_CHANNEL}" in capsys.readouterr().out
    [post] = fake_slack.posts
    assert post["channel"] == ALERT_CHANNEL
    assert post["metadata"]["event_type"] == "holdwatch_digest"
    assert "Clinical holds, 1 Dec 2023" in json.dumps(post["blocks"], ensure_ascii=False)


def test_digest_with_nowhere_to_post_or_a_future_date_says_so(
    bot_env: dict[str, str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack,
) -> None:
    """No channel to post to, or --since in the future: one line, exit 2."""
    assert main(["digest", "--since", "2999-01-01"]) == 2
    assert "is after today" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-digest-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    assert main(["digest"]) == 2
    err = capsys.readouterr().err
    assert "ALERT_CHANNEL" in err and "--dry-run" in err
    assert fake_slack.posts == []
