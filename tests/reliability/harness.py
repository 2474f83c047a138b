"""Process-level fault harness: a real `python -m bot` subprocess, a feed that grows,
the fake Slack, and readers for what ended up on disk and in Slack.

Nothing here fakes holdwatch's own code: the bot runs as the operator runs it,
and the tests judge it only by what Slack received and what the file holds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer, RecordedRequest, Reply
from tests.e2e.conftest import rss

REPO = Path(__file__).resolve().parents[2]
ALERT_CHANNEL = "C0ALERTS1"
SUBS_CHANNEL = "C0SUBS001"
ADMIN_CHANNEL = "C0ADMIN01"
FEED_PATH = "/feed.xml"
SOURCE = "press"

Entry = tuple[str, str, str, str]  # (guid, title, description, pubDate), as rss() takes


# --------------------------------------------------------------- feed items

_PREFIXES = ("Aster", "Boreal", "Calder", "Dovetail", "Ember", "Fennec", "Galen", "Halcyon",
             "Iridian", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orrin", "Pallas",
             "Quillon", "Rowan", "Sable", "Tamsin", "Umbra", "Vesper", "Wrenfield", "Yarrow",
             "Zephyr")
_SUFFIXES = ("Therapeutics", "Biosciences", "Oncology", "Pharmaceuticals", "Bio")
_CITIES = ("BOSTON", "SAN DIEGO", "CAMBRIDGE, Mass.", "SOUTH SAN FRANCISCO, Calif.",
           "PHILADELPHIA")


@dataclass(frozen=True)
class Company:
    """A fictional sponsor with one investigational drug code, unique per index."""

    name: str
    code: str
    ticker: str


def company(n: int) -> Company:
    prefix = _PREFIXES[n % len(_PREFIXES)]
    suffix = _SUFFIXES[(n // len(_PREFIXES)) % len(_SUFFIXES)]
    code = f"{prefix[:3].upper()}-{101 + n}"
    return Company(f"{prefix} {suffix}", code, f"{prefix[:3].upper()}{chr(65 + n % 26)}")


def _date(n: int) -> str:
    return f"Tue, {1 + n % 28:02d} Oct 2024 {8 + n % 10:02d}:{n % 60:02d}:00 GMT"


def hold_entry(n: int, *, title_extra: str = "") -> Entry:
    """A sponsor press release announcing an FDA clinical hold (one distinct event per n)."""
    co = company(n)
    city = _CITIES[n % len(_CITIES)]
    title = f"{co.name} Announces FDA Clinical Hold on Phase 1 Trial of {co.code}{title_extra}"
    text = (f"{city}, Oct. {1 + n % 28}, 2024 -- {co.name} (Nasdaq: {co.ticker}) today announced "
            f"that the U.S. Food and Drug Administration (FDA) has placed a clinical hold on the "
            f"Phase 1 trial of {co.code}, its investigational therapy for solid tumors. The "
            f"company will work with the FDA to address the agency's requests.")
    return (f"hold-{n}", title, text, _date(n))


def lift_entry(n: int) -> Entry:
    """The same sponsor announcing the FDA lifted the hold on the drug of `hold_entry(n)`."""
    co = company(n)
    title = f"{co.name} Announces FDA Has Lifted the Clinical Hold on {co.code}"
    text = (f"{co.name} (Nasdaq: {co.ticker}) today announced that the U.S. Food and Drug "
            f"Administration (FDA) has lifted the clinical hold on the Phase 1 trial of "
            f"{co.code}. The company plans to resume enrollment.")
    return (f"lift-{n}", title, text, _date(n + 1))


BENIGN_ENTRY: Entry = (
    "benign-asco", "Aster Therapeutics to Present at the Jefferies Healthcare Conference",
    "Aster Therapeutics will present a corporate overview in New York.",
    "Mon, 30 Sep 2024 08:00:00 GMT",
)


def news_entries(count: int, *, lift_every: int = 4) -> list[Entry]:
    """`count` event items in publication order: holds, and now and then the lift of an
    earlier hold (a different event: it goes out as a reply in the hold's thread)."""
    entries: list[Entry] = []
    holds = 0
    while len(entries) < count:
        if lift_every and len(entries) % lift_every == lift_every - 1 and holds > 1:
            entries.append(lift_entry(holds - 2))
        else:
            entries.append(hold_entry(holds))
            holds += 1
    return entries


class LiveFeed:
    """An RSS feed on a FeedServer that publishes one more entry at a time.

    Each version has its own ETag ("v<count>"), so a bot that sends the ETag of
    a version it saved gets 304 only if nothing was published since.
    """

    def __init__(self, server: FeedServer, base: Sequence[Entry], upcoming: Sequence[Entry],
                 path: str = FEED_PATH) -> None:
        self._lock = threading.Lock()
        self.delay = 0.0  # seconds the server waits before answering (a slow poll)
        self._base = list(base)
        self._upcoming = list(upcoming)
        self.published = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        server.handle(path, self._reply)

    @property
    def published_entries(self) -> list[Entry]:
        with self._lock:
            return self._upcoming[: self.published]

    @property
    def done(self) -> bool:
        with self._lock:
            return self.published >= len(self._upcoming)

    def publish(self, n: int = 1) -> None:
        with self._lock:
            self.published = min(self.published + n, len(self._upcoming))

    @property
    def base_count(self) -> int:
        return len(self._base)

    def _reply(self, _request: RecordedRequest) -> Reply:
        with self._lock:  # one consistent version: entries and their ETag together
            entries = [*reversed(self._upcoming[: self.published]), *self._base]  # newest first
            etag = f'"v{len(self._base) + self.published}"'
        return Reply(body=rss(*entries), etag=etag, delay=self.delay,
                     content_type="application/rss+xml; charset=utf-8")

    def start_publishing(self, period: float) -> None:
        """Publish one entry every `period` seconds in a background thread."""

        def loop() -> None:
            while not self.done and not self._stop.wait(period):
                self.publish()

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


# ------------------------------------------------------------ the bot process


def sources_toml(path: Path, feed_url: str, *, interval: str = "1s") -> Path:
    path.write_text(f'[[source]]\nname = "{SOURCE}"\nkind = "rss"\nurl = "{feed_url}"\n'
                    f'interval = "{interval}"\n')
    return path


def bot_env(workdir: Path, feed: FeedServer, slack: FakeSlack | None, *,
            db_path: Path | None = None, interval: str = "1s",
            admin: bool = True, **extra: str) -> dict[str, str]:
    """The environment of a post-only Slack bot (no app token, no --http) in `workdir`."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "PYTHONPATH": str(REPO),
        "BOT_DB_PATH": str(db_path or workdir / "db" / "holdwatch.json"),
        "SOURCES_FILE": str(sources_toml(workdir / "sources.toml", feed.url(FEED_PATH),
                                         interval=interval)),
        "LOG_LEVEL": "INFO",
        "GROUP_WAIT": "1s",  # first posts wait a little: rows with not_before cross the kills
    })
    if slack is not None:
        env.update({"SLACK_BOT_TOKEN": "xoxb-reliability-test", "SLACK_API_URL": slack.url,
                    "ALERT_CHANNEL": ALERT_CHANNEL})
        if admin:
            env["ADMIN_CHANNEL"] = ADMIN_CHANNEL
    env.update(extra)
    return env


@dataclass
class BotProcess:
    """One `python -m bot ARGS` subprocess; output goes to files (a full pipe would block)."""

    args: Sequence[str]
    env: dict[str, str]
    workdir: Path
    preexec: Callable[[], None] | None = None
    proc: subprocess.Popen[bytes] | None = None
    runs: int = field(default=0)

    def start(self) -> BotProcess:
        self.runs += 1
        out = (self.workdir / f"bot-{self.runs}.out").open("wb")
        err = (self.workdir / f"bot-{self.runs}.err").open("wb")
        with out, err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args], cwd=self.workdir, env=self.env,
                stdout=out, stderr=err, preexec_fn=self.preexec,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> int:
        """SIGKILL: no handler, no finally, no flush runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 60) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def wait(self, timeout: float = 60) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def stderr(self, run: int | None = None) -> str:
        return (self.workdir / f"bot-{run or self.runs}.err").read_text(errors="replace")

    def stdout(self, run: int | None = None) -> str:
        return (self.workdir / f"bot-{run or self.runs}.out").read_text(errors="replace")

    def stop(self) -> None:
        """Teardown: never leave a bot running behind a failed test."""
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait(timeout=30)


def run_once(workdir: Path, env: dict[str, str], *args: str, timeout: float = 90) -> \
        subprocess.CompletedProcess[str]:
    """`python -m bot poll --once ARGS` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "poll", "--once", *args], cwd=workdir, env=env,
        capture_output=True, text=True, timeout=timeout,
    )


# ------------------------------------------------------------ what Slack saw


def event_id(post: dict[str, Any]) -> str | None:
    payload = (post.get("metadata") or {}).get("event_payload") or {}
    return payload.get("event_id")


def alert_posts(slack: FakeSlack) -> list[dict[str, Any]]:
    """Accepted chat.postMessage calls that carry holdwatch event metadata (not admin notices)."""
    return [p for p in slack.posts if event_id(p)]


def post_counts(slack: FakeSlack) -> Counter[tuple[str, str]]:
    """How many accepted posts each (event_id, channel) got."""
    return Counter((str(event_id(p)), str(p.get("channel"))) for p in alert_posts(slack))


def duplicates(slack: FakeSlack) -> dict[tuple[str, str], int]:
    return {key: n for key, n in post_counts(slack).items() if n > 1}


def admin_posts(slack: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in slack.posts if p.get("channel") == ADMIN_CHANNEL]


# --------------------------------------------------------------- the DB file


def load_db(path: Path) -> dict[str, dict[str, Any]]:
    """The database file as JSON; raises if it does not parse (invariant I3)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a JSON object"
    return data


def rows(db: dict[str, dict[str, Any]], table: str) -> Iterator[dict[str, Any]]:
    yield from (db.get(table) or {}).values()


def seen_item_ids(db: dict[str, dict[str, Any]]) -> set[str]:
    return {row["id"] for row in rows(db, "items")}


def saved_etag(db: dict[str, dict[str, Any]], source: str = SOURCE) -> str | None:
    for row in rows(db, "sources"):
        if row.get("name") == source:
            return row.get("etag")
    return None


def etag_ahead_of_items(db: dict[str, dict[str, Any]], published: Sequence[Entry],
                        base_count: int) -> list[str]:
    """Item ids the saved ETag vouches for but the file does not hold (must be empty: T1).

    The LiveFeed's ETag "v<N>" covers the base entries plus the first N-base published.
    """
    etag = saved_etag(db)
    if not etag or not etag.strip('"').startswith("v"):
        return []
    covered = int(etag.strip('"')[1:]) - base_count
    seen = seen_item_ids(db)
    return [f"{SOURCE}:{e[0]}" for e in published[:covered] if f"{SOURCE}:{e[0]}" not in seen]


def deliveries(db: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Outbox rows as saved, in decision order (seq)."""
    return sorted(rows(db, "deliveries"), key=lambda row: row.get("seq", 0))


def subscribe_all(db_path: Path, channel: str) -> None:
    """Give `channel` an `all` subscription through the store (no bot may be running)."""
    from bot.models import Subscription
    from bot.store import Store

    store = Store(db_path)
    try:
        store.add_subscription(Subscription(owner=channel, owner_type="channel", kind="all",
                                            value="all", display="all"))
    finally:
        store.close()


def event_of_item(db: dict[str, dict[str, Any]]) -> dict[str, str]:
    """item id -> the id of the event it was clustered into, from the saved events."""
    return {ref["item_id"]: row["id"] for row in rows(db, "events")
            for ref in row.get("sources") or []}


def unposted(slack: FakeSlack, db: dict[str, dict[str, Any]], entries: Sequence[Entry],
             channels: Sequence[str]) -> list[tuple[str, str]]:
    """(item id, channel) pairs whose event never reached that channel (must be empty: I1)."""
    events = event_of_item(db)
    posted = post_counts(slack)
    missing = []
    for entry in entries:
        item = f"{SOURCE}:{entry[0]}"
        for channel in channels:
            if (events.get(item), channel) not in posted:
                missing.append((item, channel))
    return missing
