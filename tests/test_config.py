"""Settings and the sources file: valid input loads, bad input names the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.config import load_settings, load_sources, parse_interval
from bot.config.settings import DEFAULT_DIGEST_CRON
from bot.errors import ConfigError


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "feed"\nkind = "rss"\nurl = "http://127.0.0.1/feed"\n'
        'interval = "10m"\n'
    )
    return path


def test_defaults_without_any_variable(sources_file: Path) -> None:
    """No variables at all gives console mode with the documented defaults."""
    s = load_settings({"SOURCES_FILE": str(sources_file)}, dotenv_path=None)
    assert s.console_mode
    assert s.slack_api_url == "https://slack.com/api/"
    assert str(s.db_path) == "data/holdwatch.json"
    assert (s.digest_cron, s.tz, s.port, s.log_level) == ("0 9 * * MON", "UTC", 3000, "INFO")


def test_default_digest_cron_is_a_crontab_apscheduler_reads() -> None:
    """load_settings checks only a DIGEST_CRON someone set; the default must be valid."""
    trigger = CronTrigger.from_crontab(DEFAULT_DIGEST_CRON, timezone="Europe/Paris")
    assert str(trigger.fields[4]) == "mon"  # day_of_week


def test_shipped_sources_file_loads() -> None:
    """The default sources file that ships with the package parses."""
    s = load_settings({}, dotenv_path=None)
    sources = load_sources(s.sources_file)
    assert sources and len({src.name for src in sources}) == len(sources)


def test_api_url_gets_trailing_slash(sources_file: Path) -> None:
    """SLACK_API_URL without '/' is fixed, since slack_sdk urljoins method names."""
    s = load_settings(
        {"SOURCES_FILE": str(sources_file), "SLACK_API_URL": "http://127.0.0.1:9/api"},
        dotenv_path=None,
    )
    assert s.slack_api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-123", "xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-123", "xapp-"),
        ("ALERT_CHANNEL", "#general", "channel ID"),
        ("PORT", "eighty", "whole number"),
        ("PORT", "70000", "out of range"),
        ("TZ", "Mars/Olympus", "time zone"),
        ("DIGEST_CRON", "0 9 * *", "crontab"),
        ("SEC_USER_AGENT", "holdwatch", "email"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("SOURCES_FILE", "/nonexistent/sources.toml", "does not exist"),
    ],
)
def test_bad_values_name_the_variable(
    sources_file: Path, name: str, value: str, fragment: str
) -> None:
    """Each invalid setting stops the start with one line naming the variable."""
    env = {"SOURCES_FILE": str(sources_file), name: value}
    with pytest.raises(ConfigError) as err:
        load_settings(env, dotenv_path=None)
    message = str(err.value)
    assert message.startswith(name) and fragment in message and "\n" not in message


def test_dotenv_file_is_read_and_environment_wins(tmp_path: Path, sources_file: Path) -> None:
    """Values come from .env unless the real environment sets them too."""
    dotenv = tmp_path / ".env"
    dotenv.write_text('PORT=4000\nALERT_CHANNEL="C0123ABCD"\nLOG_LEVEL=debug\n')
    s = load_settings({"SOURCES_FILE": str(sources_file), "PORT": "5000"}, dotenv_path=dotenv)
    assert (s.port, s.alert_channel, s.log_level) == (5000, "C0123ABCD", "DEBUG")


def test_http_mode_requires_signing_secret(sources_file: Path) -> None:
    """--http without SLACK_SIGNING_SECRET is refused with the variable named."""
    s = load_settings(
        {"SOURCES_FILE": str(sources_file), "SLACK_BOT_TOKEN": "xoxb-1"}, dotenv_path=None
    )
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        s.require_http()


def test_repr_hides_secrets(sources_file: Path) -> None:
    """Tokens never appear in repr(), so they cannot leak into logs."""
    s = load_settings(
        {"SOURCES_FILE": str(sources_file), "SLACK_BOT_TOKEN": "xoxb-secret-1",
         "SLACK_SIGNING_SECRET": "shh-42"},
        dotenv_path=None,
    )
    assert "secret-1" not in repr(s) and "shh-42" not in repr(s)


@pytest.mark.parametrize(("text", "seconds"), [("45s", 45), ("10m", 600), ("1h", 3600),
                                                ("1h30m", 5400)])
def test_parse_interval(text: str, seconds: int) -> None:
    """Interval strings of the sources file convert to seconds."""
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "ten minutes", "0s"])
def test_parse_interval_rejects_nonsense(text: str) -> None:
    """Intervals without a unit or of zero length are refused."""
    with pytest.raises(ValueError):
        parse_interval(text)


def test_sources_file_errors_name_source_and_key(tmp_path: Path) -> None:
    """A typo in the sources file names the file, the source and the key."""
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/b"\nintervall = "1m"\n')
    with pytest.raises(ConfigError, match=r"source x.*intervall"):
        load_sources(path)
    path.write_text('[[source]]\nname = "x"\nkind = "atom"\nurl = "http://a/b"\n')
    with pytest.raises(ConfigError, match="kind 'atom'"):
        load_sources(path)
    path.write_text(
        '[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/b"\n'
        '[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/c"\n'
    )
    with pytest.raises(ConfigError, match="used twice"):
        load_sources(path)
    path.write_text("[[source]\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(path)
