"""Loopback servers and an environment for driving `python -m bot` end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loopback.feed_server import FeedServer

ALERT_CHANNEL = "C0ALERTS1"

RSS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Press releases</title><link>https://example.org/</link>
<description>Company announcements</description>
"""


def rss(*entries: tuple[str, str, str, str]) -> str:
    """An RSS 2.0 feed from (guid, title, description, pubDate) tuples."""
    body = "".join(
        f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
        f"<link>https://example.org/news/{guid}</link>"
        f"<description>{text}</description><pubDate>{date}</pubDate></item>\n"
        for guid, title, text, date in entries
    )
    return RSS_HEAD + body + "</channel></rss>\n"


BENIGN = ("cars-ash-2024", "CARsgen Therapeutics to Present Data at the ASH Annual Meeting",
          "CARsgen Therapeutics Holdings Limited (HKEX: 2171) will present posters.",
          "Mon, 04 Nov 2024 08:00:00 GMT")
LIFT = ("cars-lift-2024",
        "CARsgen Therapeutics Announces FDA Lifted Clinical Holds on Zevor-cel, Satri-cel "
        "and CT071",
        "SHANGHAI, China, Oct. 31, 2024 -- CARsgen Therapeutics Holdings Limited (HKEX: 2171) "
        "announced that the U.S. Food and Drug Administration (FDA) has lifted the clinical "
        "holds on the investigational new drug applications of zevorcabtagene autoleucel "
        "(zevor-cel, CT053), a BCMA-targeted autologous CAR-T, satricabtagene autoleucel "
        "(satri-cel, CT041), a Claudin18.2-targeted CAR-T, and CT071, a GPRC5D-targeted CAR-T.",
        "Thu, 31 Oct 2024 08:00:00 GMT")


@pytest.fixture
def bot_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feed_server: FeedServer
) -> dict[str, str]:
    """A clean environment in a temp dir, one RSS source pointed at the feed server."""
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "press"\nkind = "rss"\n'
        f'url = "{feed_server.url("/feed.xml")}"\ninterval = "1m"\n'
    )
    for name in list(os.environ):
        if name.startswith(("SLACK_", "ALERT_", "ADMIN_", "SEC_")):
            monkeypatch.delenv(name, raising=False)
    env = {
        "BOT_DB_PATH": str(tmp_path / "db" / "holdwatch.json"),
        "SOURCES_FILE": str(sources),
        "LOG_LEVEL": "WARNING",
        "GROUP_WAIT": "0",  # these tests are not about grouping (test_carsgen_replay.py is)
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env from the repository
    return env
