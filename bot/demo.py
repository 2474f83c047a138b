"""`python -m bot demo`: see holdwatch work in a minute, offline.

The bundled sample feed (bot/data/demo/feed.xml, a dozen items written for the demo)
is served on loopback and revealed a day at a time; each day is polled by the same
pipeline `run` uses (sources → extract → store → console notifier) into a throwaway
store, so the alerts are exactly what console mode prints. Items that are not a hold
decision are listed as skipped. It ends with the lookups an analyst would try and the
digest. No network, no Slack, nothing kept, under 30 seconds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot import display, messages
from bot.commands import replies
from bot.config import Settings, color_wanted
from bot.demo_feed import DemoFeed, FeedServer
from bot.digest import digest_reply
from bot.notify.console import BOLD, DIM, Terminal
from bot.runtime import Runtime

PAUSE_SECONDS = 1.2  # between days: time to read an alert, short enough to stay under 30 s
SOURCE = "demo-news"
LOOKUPS = (("drug", "CT041"), ("target", "BCMA"), ("holds", "active"))


def run_demo(*, fast: bool = False, out: TextIO | None = None,
             sleep: Callable[[float], None] = time.sleep) -> int:
    out = out or sys.stdout
    term = Terminal(color_wanted(out))

    def pause() -> None:
        if not fast:
            sleep(PAUSE_SECONDS)

    def say(text: str = "", style: str = "") -> None:
        print(term.paint(style, text) if style and text else text, file=out, flush=True)

    feed = DemoFeed()
    say(messages.DEMO_INTRO.format(n=len(feed.items)), BOLD)
    say(messages.DEMO_ABOUT, DIM)
    with tempfile.TemporaryDirectory(prefix="holdwatch-demo-") as tmp, FeedServer(feed) as server:
        settings = _settings(Path(tmp), server.url)
        with closing(Runtime.open(settings, exclusive=True, console=out, warn=False)) as rt:
            source = rt.source(SOURCE)
            for day in feed.days():
                pause()
                new = feed.reveal_until(day)
                say()
                say(messages.demo_day(display.day(day), len(new)), BOLD)
                report = rt.poller.poll(source, include_existing=True, force=True)
                if report.error:
                    say(f"holdwatch: the demo feed failed: {report.error}")
                    return 1
                alerted = {c.item.title for c in report.candidates}
                for item in new:
                    if not any(item.title.startswith(t) for t in alerted):
                        say(messages.demo_skipped(item.title), DIM)
            _lookups(rt, settings, say, pause)
    say()
    say(messages.DEMO_END, BOLD)
    return 0


def _settings(tmp: Path, feed_url: str) -> Settings:
    """Console mode on a throwaway store with the one demo source; nothing from the
    environment, so a configured SLACK_BOT_TOKEN can never make the demo post."""
    sources = tmp / "sources.toml"
    sources.write_text(f'[[source]]\nname = "{SOURCE}"\nkind = "rss"\nurl = "{feed_url}"\n'
                       'interval = "10m"\n', encoding="utf-8")
    # group_wait 0: a day's reports arrive in one poll and merge there; the replay prints
    # each day at once instead of holding first posts for GROUP_WAIT.
    return Settings(db_path=tmp / "demo.json", sources_file=sources, log_level="WARNING",
                    group_wait=0.0)


def _lookups(rt: Runtime, settings: Settings, say: Callable[..., None],
             pause: Callable[[], None]) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(settings.zone).date()
    store = rt.store
    for command, argument in LOOKUPS:
        pause()
        say()
        say(f"$ python -m bot {command} {argument}" if command != "holds"
            else "/holds active   (in Slack; the same answer)", BOLD)
        if command == "drug":
            reply = replies.drug_reply(store, argument, today=today)
        elif command == "target":
            reply = replies.target_reply(store, argument, today=today)
        else:
            reply = replies.active_reply(store, today)
        say(reply.text.rstrip())
    pause()
    first = min((e.date for e in store.recent_events(1000)), default=today)
    say()
    say(f"$ python -m bot digest --dry-run --since {first.isoformat()}", BOLD)
    digest = digest_reply(store, start=first, end=today, tz=settings.tz, force=True,
                          today=today)
    if digest is not None:
        say(digest.text.rstrip())
