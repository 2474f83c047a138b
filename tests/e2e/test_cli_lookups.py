"""The CLI's backfill, lookups and status answer from the store, over real loopback feeds."""

from __future__ import annotations

import pytest

from bot.cli import main
from loopback.feed_server import FeedServer
from tests.e2e.conftest import BENIGN, LIFT, rss

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
    capsys.readouterr()
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
