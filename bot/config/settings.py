"""Settings from the environment and `.env`: the only code that reads them.

Every problem becomes a `ConfigError` whose message names the variable (or
the file and key) and what a valid value looks like, so a bad start is one
readable line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from dotenv import dotenv_values

from bot.config.sources_file import parse_interval
from bot.errors import ConfigError

DEFAULT_SOURCES_FILE = Path(__file__).parent.parent / "data" / "sources.toml"
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DB_PATH = Path("data/holdwatch.json")
DEFAULT_DIGEST_CRON = "0 9 * * MON"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    alert_channel: str | None = None
    admin_channel: str | None = None
    db_path: Path = DEFAULT_DB_PATH
    sources_file: Path = DEFAULT_SOURCES_FILE
    sec_user_agent: str | None = None
    digest_cron: str = DEFAULT_DIGEST_CRON
    tz: str = "UTC"
    port: int = 3000
    log_level: str = "INFO"
    failure_threshold: int = 3
    cluster_window_days: int = 10
    group_wait: float = 60.0  # seconds a new event's first post waits for its other reports
    item_detail_days: int = 30  # ITEM_DETAIL_DAYS: then a seen item keeps only its hash

    @property
    def console_mode(self) -> bool:
        """No bot token: alerts go to the terminal instead of Slack."""
        return not self.slack_bot_token

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def require_http(self) -> None:
        """HTTP mode cannot verify Slack's requests without the signing secret."""
        if not self.slack_signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET",
                "required for --http mode; copy it from your app's Basic Information page",
            )
        if not self.slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN", "required for --http mode (xoxb-…)")

    def __repr__(self) -> str:  # secrets never reach a log line through repr()
        hidden = {"slack_bot_token", "slack_signing_secret", "slack_app_token"}
        shown = ", ".join(
            f"{k}={'***' if k in hidden and v else v!r}" for k, v in self.__dict__.items()
        )
        return f"Settings({shown})"


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _token(env: Mapping[str, str | None], name: str, prefix: str) -> str | None:
    value = _blank_to_none(env.get(name))
    if value is not None and not value.startswith(prefix):
        raise ConfigError(name, f"must start with {prefix!r} (got a value starting with "
                                f"{value[:5]!r}); check you copied the right token")
    return value


def _channel(env: Mapping[str, str | None], name: str) -> str | None:
    value = _blank_to_none(env.get(name))
    if value is not None and not _CHANNEL_ID.match(value):
        raise ConfigError(name, f"{value!r} is not a channel ID; use the ID (like C0123ABCD, "
                                "shown in the channel's details), not its #name")
    return value


def _int(env: Mapping[str, str | None], name: str, default: int, lo: int, hi: int) -> int:
    raw = _blank_to_none(env.get(name))
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise ConfigError(name, f"{value} is out of range; use {lo}–{hi}")
    return value


MAX_GROUP_WAIT = 3600.0


def _group_wait(env: Mapping[str, str | None]) -> float:
    """GROUP_WAIT: a duration like the sources' intervals ("45s", "10m"), or 0 (no wait)."""
    raw = _blank_to_none(env.get("GROUP_WAIT"))
    if raw is None:
        return 60.0
    if re.fullmatch(r"0+\s*[hms]?", raw, re.IGNORECASE):
        return 0.0
    try:
        value = parse_interval(raw)
    except ValueError:
        raise ConfigError("GROUP_WAIT", f"{raw!r} is not a duration; use forms like '45s', "
                                        "'2m' or 0 for no wait") from None
    if value > MAX_GROUP_WAIT:
        raise ConfigError("GROUP_WAIT", f"{raw!r} is too long (new alerts would wait that "
                                        "long); use at most 1h")
    return value


def _api_url(env: Mapping[str, str | None]) -> str:
    value = _blank_to_none(env.get("SLACK_API_URL")) or DEFAULT_API_URL
    if not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError("SLACK_API_URL", f"{value!r} is not an http(s) URL")
    # slack_sdk joins method names with urljoin: without the slash, the last
    # path segment would be replaced instead of extended.
    return value if value.endswith("/") else value + "/"


def _tz(env: Mapping[str, str | None]) -> str:
    value = _blank_to_none(env.get("TZ")) or "UTC"
    name = value.lstrip(":")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TZ", f"{value!r} is not a known time zone; use an IANA name "
                                "such as UTC or Europe/Paris") from None
    return name


def _cron(env: Mapping[str, str | None], tz: str) -> str:
    value = _blank_to_none(env.get("DIGEST_CRON")) or DEFAULT_DIGEST_CRON
    try:
        CronTrigger.from_crontab(value, timezone=tz)
    except ValueError as exc:
        raise ConfigError("DIGEST_CRON", f"{value!r} is not a crontab expression ({exc}); "
                                         "example: '0 9 * * MON'") from None
    return value


def color_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour in console output: only on a terminal, never with NO_COLOR set to anything
    (https://no-color.org) or TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = Path(".env")
) -> Settings:
    """Read settings from `.env` (if present) overlaid by the real environment."""
    env: dict[str, str | None] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        try:
            env.update(dotenv_values(dotenv_path))
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            raise ConfigError(f".env ({dotenv_path.resolve()})",
                              f"cannot be read: {reason}; fix it or remove it") from exc
    env.update(os.environ if environ is None else environ)

    sec_ua = _blank_to_none(env.get("SEC_USER_AGENT"))
    if sec_ua is not None and not _EMAIL.search(sec_ua):
        raise ConfigError("SEC_USER_AGENT", "SEC asks for a name and a contact email, "
                                            "e.g. 'Acme Research ops@acme.example'")
    level = (_blank_to_none(env.get("LOG_LEVEL")) or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"{level!r} is not one of {', '.join(LOG_LEVELS)}")
    sources_file = Path(_blank_to_none(env.get("SOURCES_FILE")) or DEFAULT_SOURCES_FILE)
    if sources_file.is_dir():
        raise ConfigError("SOURCES_FILE", f"{sources_file} is a directory; point it at a "
                                          "TOML file such as bot/data/sources.toml")
    if not sources_file.is_file():
        raise ConfigError("SOURCES_FILE", f"{sources_file} does not exist; point it at a "
                                          "TOML file such as bot/data/sources.toml")
    tz = _tz(env)
    return Settings(
        slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=_blank_to_none(env.get("SLACK_SIGNING_SECRET")),
        slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=_api_url(env),
        alert_channel=_channel(env, "ALERT_CHANNEL"),
        admin_channel=_channel(env, "ADMIN_CHANNEL"),
        db_path=Path(_blank_to_none(env.get("BOT_DB_PATH")) or DEFAULT_DB_PATH),
        sources_file=sources_file,
        sec_user_agent=sec_ua,
        digest_cron=_cron(env, tz),
        tz=tz,
        port=_int(env, "PORT", 3000, 1, 65535),
        log_level=level,
        failure_threshold=_int(env, "SOURCE_FAILURE_THRESHOLD", 3, 1, 1000),
        cluster_window_days=_int(env, "CLUSTER_WINDOW_DAYS", 10, 1, 365),
        group_wait=_group_wait(env),
        item_detail_days=_int(env, "ITEM_DETAIL_DAYS", 30, 1, 36500),
    )
