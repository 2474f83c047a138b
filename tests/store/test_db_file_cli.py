"""The database file through the real `python -m bot`: rows that parse but do not fit,
paths that are not ours to write, and the one-writer lock reached through a symlink."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.models import DeliveryPlan, SourceState, Subscription
from bot.store import Store
from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import rss
from tests.reliability.harness import (
    ADMIN_CHANNEL,
    BENIGN_ENTRY,
    FEED_PATH,
    BotProcess,
    bot_env,
    run_once,
    seen_item_ids,
)
from tests.store.support import cand, drug
from tests.timing import wait_until

pytestmark = pytest.mark.slow
SUB = Subscription("C0KEEPME1", "channel", "target", "BCMA")


@pytest.fixture
def bots() -> Iterator[list[BotProcess]]:
    """Every BotProcess a test appends here is killed at teardown if still running."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.stop()


def one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    """The run failed with status 2 and one `holdwatch:` line naming BOT_DB_PATH."""
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("holdwatch: ") and "BOT_DB_PATH" in last, run.stderr
    return last


def listing(folder: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in folder.iterdir()}


# ------------------------------------------------------------------ bad rows


def _filled_store(db_path: Path) -> None:
    """A store with a source state, an event, a drug, a delivery and a subscription, closed
    (so the snapshot holds it all, and `.bak` + `.bak.journal` are a good copy)."""
    store = Store(db_path)
    try:
        store.save_source_state(SourceState(name="press", etag='"v0"', baselined=True))
        c = cand("h1", "hold", date(2024, 10, 1), drug("CT053"), source="press")
        store.commit_poll(SourceState(name="press", etag='"v1"', baselined=True), [c.item], [c])
        event = store.recent_events(1)[0]
        store.add_deliveries([DeliveryPlan("C0ALERTS1", "post", event.id)])
        store.add_subscription(SUB)
    finally:
        store.close()


def _set(table: str, field: str, value: Any) -> Callable[[dict[str, Any]], str]:
    def damage(data: dict[str, Any]) -> str:
        next(iter(data[table].values()))[field] = value
        return json.dumps(data)
    return damage


def _doc_id(data: dict[str, Any]) -> str:
    data["items"] = {"abc" if n == 0 else k: v for n, (k, v) in enumerate(data["items"].items())}
    return json.dumps(data)


def _deep(_data: dict[str, Any]) -> str:
    return '{"items": {"1": {"id": ' + "[" * 200_000 + "]" * 200_000 + "}}}"


BAD_FILES = {
    "delivery seq 'x'": _set("deliveries", "seq", "x"),
    "non-numeric doc id": _doc_id,
    "sources row of wrong types": _set("sources", "consecutive_failures", "3"),
    "events row of wrong types": _set("events", "sources", "not a list"),
    "JSON nested 200k deep": _deep,
}


@pytest.fixture
def damaged(tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
            request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], Path, str]]:
    feed_server.add(FEED_PATH, rss(BENIGN_ENTRY))
    env = bot_env(tmp_path, feed_server, fake_slack, admin=True)
    db_path = Path(env["BOT_DB_PATH"])
    db_path.parent.mkdir()
    _filled_store(db_path)
    text = BAD_FILES[request.param](json.loads(db_path.read_text()))
    db_path.write_text(text)
    yield env, db_path, text


@pytest.mark.parametrize("damaged", list(BAD_FILES), indirect=True)
def test_a_file_that_parses_but_does_not_fit_is_set_aside_for_the_good_copy(
    tmp_path: Path, damaged: tuple[dict[str, str], Path, str], fake_slack: FakeSlack,
) -> None:
    """With `.bak` and its journal at hand: the bad file is moved aside untouched, the good
    copy is used (nothing of it lost), the admin is told, and the run goes on (exit 0)."""
    env, db_path, text = damaged
    run = run_once(tmp_path, env)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    (aside,) = db_path.parent.glob("holdwatch.json.corrupt-*")
    assert aside.read_text() == text
    notices = [p["text"] for p in fake_slack.posts if p.get("channel") == ADMIN_CHANNEL]
    assert any("last good copy" in n for n in notices), notices
    again = Store(db_path, read_only=True)
    assert again.subscriptions() == [SUB]
    assert again.find_drug("CT053").drug is not None
    assert len(again.deliveries_for(again.recent_events(1)[0].id)) == 1


@pytest.mark.parametrize("damaged", list(BAD_FILES), indirect=True)
def test_a_file_that_does_not_fit_without_a_good_copy_is_refused_in_one_line(
    tmp_path: Path, damaged: tuple[dict[str, str], Path, str],
) -> None:
    """No `.bak`: one line naming BOT_DB_PATH, exit 2, and the file stays as it is."""
    env, db_path, text = damaged
    for spare in db_path.parent.glob("holdwatch.json.bak*"):
        spare.unlink()
    last = one_line_error(run_once(tmp_path, env))
    assert str(db_path) in last
    assert db_path.read_text() == text
    assert not list(db_path.parent.glob("*.corrupt-*"))


# ------------------------------------------------------------------ paths


def _cli(tmp_path: Path, feed_server: FeedServer, db_path: str, *args: str
         ) -> subprocess.CompletedProcess[str]:
    env = bot_env(tmp_path, feed_server, None, db_path=Path(db_path))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=90)


@pytest.mark.parametrize("command", [("poll", "--once"), ("status",), ("drug", "CT053")])
def test_a_folder_at_bot_db_path_is_refused_and_left_alone(
    tmp_path: Path, feed_server: FeedServer, command: tuple[str, ...],
) -> None:
    """BOT_DB_PATH names a folder holding the user's file: one line, exit 2, nothing renamed,
    nothing created beside it."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    before = listing(tmp_path)
    last = one_line_error(_cli(tmp_path, feed_server, str(folder), *command))
    assert "is a folder" in last
    assert listing(folder) == {"notes.txt": b"my notes"}
    assert set(listing(tmp_path)) == set(before) | {"sources.toml"}


@pytest.mark.parametrize("content", [b"my shopping list\n", b'{"_default": {"1": {"x": 1}}}',
                                     b'{"name": "config", "items": [1, 2]}'],
                         ids=["text", "another program's TinyDB", "other JSON"])
def test_a_file_that_is_not_ours_is_refused_and_left_alone(
    tmp_path: Path, feed_server: FeedServer, content: bytes,
) -> None:
    """BOT_DB_PATH names someone else's file: one line, exit 2, the file and its folder
    exactly as they were (no rename, no lock file, no copy)."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / "data.json").write_bytes(content)
    last = one_line_error(_cli(tmp_path, feed_server, str(folder / "data.json"), "poll",
                               "--once"))
    assert "another file" in last
    assert listing(folder) == {"data.json": content}


def test_a_path_under_a_regular_file_is_one_line(tmp_path: Path, feed_server: FeedServer):
    """A path whose folder is a file: one line naming the file, exit 2, the file intact."""
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    last = one_line_error(_cli(tmp_path, feed_server, str(tmp_path / "report.pdf" / "db.json"),
                               "poll", "--once"))
    assert "report.pdf is a file, not a folder" in last
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF"


@pytest.mark.parametrize("where", ["/proc/holdwatch-test/db.json", "/sys/holdwatch-test.json",
                                   "/dev/null"])
def test_pseudo_file_systems_and_devices_are_one_line(
    tmp_path: Path, feed_server: FeedServer, where: str,
) -> None:
    """/proc, /sys and a device: one line naming BOT_DB_PATH, exit 2."""
    one_line_error(_cli(tmp_path, feed_server, where, "poll", "--once"))
    assert not os.path.exists("/dev/null.lock") and not os.path.exists("/proc/holdwatch-test")


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """A folder nothing may be written in: a read-only tmpfs when we are root (root ignores
    permission bits), permission bits otherwise."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"root without mount rights: {mounted.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def test_a_read_only_folder_is_one_line(tmp_path: Path, feed_server: FeedServer) -> None:
    """The database's folder cannot be written: one line saying so and naming BOT_DB_PATH."""
    folder = tmp_path / "ro"
    with read_only_folder(folder):
        last = one_line_error(_cli(tmp_path, feed_server, str(folder / "db.json"), "poll",
                                   "--once"))
        assert "read-only" in last or "permission denied" in last
        assert listing(folder) == {}


# ------------------------------------------------------------------ the lock


def test_a_second_process_through_a_symlink_is_refused_and_the_link_kept(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack, bots: list[BotProcess],
) -> None:
    """One `run` owns data/holdwatch.json; a second `run` whose BOT_DB_PATH is a symlink to
    it is refused in one line; the owner's writes go to the real file, and the symlink is
    still a symlink afterwards."""
    feed_server.add(FEED_PATH, rss(BENIGN_ENTRY))
    env = bot_env(tmp_path, feed_server, fake_slack)
    real = Path(env["BOT_DB_PATH"])
    assert run_once(tmp_path, env).returncode == 0
    link = tmp_path / "elsewhere.json"
    link.symlink_to(real)
    owner = BotProcess(["run"], env, tmp_path).start()
    bots.append(owner)
    polls = len(feed_server.requests_for(FEED_PATH))
    wait_until(lambda: len(feed_server.requests_for(FEED_PATH)) > polls + 1, timeout=30,
               what="the owner polling")
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    second = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=second_dir,
                            env={**env, "BOT_DB_PATH": str(link)}, capture_output=True,
                            text=True, timeout=60)
    last = one_line_error(second)
    assert f"already in use by holdwatch pid {owner.pid}" in last
    assert owner.alive()
    assert owner.terminate() == 0, owner.stderr()
    assert link.is_symlink() and link.resolve() == real.resolve()
    data = json.loads(real.read_text())
    assert f"press:{BENIGN_ENTRY[0]}" in seen_item_ids(data)

