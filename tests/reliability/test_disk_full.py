"""T8: the disk fills up under a running bot while new items arrive, then space returns.

The database folder is a real 1 MiB tmpfs filled to the last byte, so the
store's write fails with ENOSPC exactly as on a full production disk. Where
mounting is not allowed, the same fault comes from RLIMIT_FSIZE set on the bot
process from outside (prlimit), with SIGXFSZ ignored so the write gets EFBIG.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.reliability.harness import (
    ADMIN_CHANNEL,
    ALERT_CHANNEL,
    BENIGN_ENTRY,
    FEED_PATH,
    BotProcess,
    LiveFeed,
    alert_posts,
    bot_env,
    deliveries,
    duplicates,
    load_db,
    news_entries,
    post_counts,
    run_once,
    seen_item_ids,
    unposted,
)
from tests.timing import wait_until

EVENTS = 4


class TinyDisk:
    """A 1 MiB tmpfs for the database folder that can be filled and freed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.filler = folder / "filler.bin"

    def fill(self, _pid: int) -> None:
        if self.filler.exists():
            return
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)

    def free(self, _pid: int) -> None:
        self.filler.unlink()


class FileSizeLimit:
    """RLIMIT_FSIZE on the running bot: any file it writes beyond `limit` bytes fails."""

    preexec: Callable[[], None] = staticmethod(  # type: ignore[assignment]
        lambda: signal.signal(signal.SIGXFSZ, signal.SIG_IGN))

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def fill(self, pid: int) -> None:
        # The smallest file the bot writes to is the journal it appends each commit to:
        # capped at its current size, no commit and no rewrite of the snapshot can succeed.
        journal = self.db_path.with_name(self.db_path.name + ".journal")
        sizes = [p.stat().st_size for p in (self.db_path, journal) if p.exists()]
        size = min(sizes)
        # Only the soft limit: raising it again later needs no privilege.
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))

    def free(self, pid: int) -> None:
        unlimited = resource.RLIM_INFINITY
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (unlimited, unlimited))


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk | FileSizeLimit]:
    folder = tmp_path / "db"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    try:
        yield TinyDisk(folder) if mounted else FileSizeLimit(folder / "holdwatch.json")
    finally:
        if mounted:
            with contextlib.suppress(OSError):
                subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def test_disk_full_keeps_old_file_posts_nothing_unsaved_then_catches_up(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
    disk: TinyDisk | FileSizeLimit,
) -> None:
    """Writes fail: old file intact, nothing posted unsaved; space back: all posted once."""
    entries = news_entries(EVENTS, lift_every=0)
    feed = LiveFeed(feed_server, [BENIGN_ENTRY], entries)
    env = bot_env(tmp_path, feed_server, fake_slack)
    db_path = Path(env["BOT_DB_PATH"])
    assert run_once(tmp_path, env).returncode == 0  # baseline on a healthy disk

    bot = BotProcess(["run"], env, tmp_path, preexec=getattr(disk, "preexec", None)).start()
    bots.append(bot)
    for _ in range(2):  # one poll on a healthy disk, one (nothing new) on the full disk
        polls = len(feed_server.requests_for(FEED_PATH))
        wait_until(lambda n=polls: len(feed_server.requests_for(FEED_PATH)) > n, timeout=30,
                   what="a poll")
        disk.fill(bot.pid)
    before = db_path.read_bytes()
    feed.publish(EVENTS)
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: len(feed_server.requests_for(FEED_PATH)) >= polls + 3, timeout=30,
               what="three polls on a full disk")
    assert bot.alive(), bot.stderr()
    assert alert_posts(fake_slack) == []  # no post for an item whose seen-mark is not saved
    assert db_path.read_bytes() == before  # the old file, untouched
    assert f"press:{entries[0][0]}" not in seen_item_ids(load_db(db_path))
    if isinstance(disk, TinyDisk):  # under RLIMIT_FSIZE the log file cannot grow either
        log = bot.stderr()
        assert "write failed" in log and str(db_path) in log, log[-2000:]
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(_admin_notices(fake_slack, "cannot write its database")) == 1  # once, not per poll

    disk.free(bot.pid)
    wait_until(lambda: len(post_counts(fake_slack)) >= EVENTS, timeout=60,
               what="the catch-up posts once space is back")
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: len(feed_server.requests_for(FEED_PATH)) >= polls + 2, timeout=30,
               what="two more polls")
    assert bot.terminate() == 0, bot.stderr()

    assert len(_admin_notices(fake_slack, "can write its database again")) == 1
    assert duplicates(fake_slack) == {}
    assert len(post_counts(fake_slack)) == EVENTS
    final = load_db(db_path)
    assert unposted(fake_slack, final, entries, [ALERT_CHANNEL]) == []
    assert {d["status"] for d in deliveries(final)} == {"posted"}
    assert os.path.getsize(db_path) > len(before)


def _admin_notices(slack: FakeSlack, phrase: str) -> list[str]:
    return [p["text"] for p in slack.posts if p["channel"] == ADMIN_CHANNEL and phrase in p["text"]]
