"""Crash safety of the database file: atomic writes, disk full, corruption, schema."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.models import SourceState, Subscription
from bot.store.db import SCHEMA_VERSION
from tests.store.support import add, cand, drug, open_store

REPO = Path(__file__).resolve().parents[2]


def sub(value: str) -> Subscription:
    return Subscription(owner="C1", owner_type="channel", kind="target", value=value)


def test_disk_full_mid_write_keeps_old_file_and_loses_nothing_after(tmp_path, monkeypatch):
    """ENOSPC while writing: StorageError, the files as they were, the store still answers
    with the old state, no temp file is left, and the retried poll later saves everything."""
    path = tmp_path / "db.json"
    s = open_store(path)
    add(s, cand("h", "hold", date(2024, 3, 1), drug("CT053")))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    retry = [cand("l", "lift", date(2024, 5, 1), drug("CT053")), cand("x", "hold", None)]
    with pytest.raises(StorageError, match="No space left") as err:
        add(s, *retry)
    assert str(path) in str(err.value)
    assert s.unseen(["news:l", "news:x"]) == {"news:l", "news:x"}  # nothing counted as seen
    assert s.find_drug("CT053").drug.status == "on_hold"
    with pytest.raises(StorageError):
        s.add_subscription(sub("BCMA"))
    assert s.subscriptions() == []
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert len(add(s, *retry)) == 2
    assert s.add_subscription(sub("BCMA"))
    s.close()
    again = open_store(path)
    assert again.unseen(["news:h", "news:l", "news:x"]) == set()
    assert again.find_drug("CT053").drug.status == "cleared"
    assert again.subscriptions() == [sub("BCMA")]
    again.close()


CUT_OFF_WRITE = """
import resource, signal, sys
from datetime import UTC, datetime
from bot.errors import StorageError
from bot.models import Item, SourceState
from bot.store import Store

s = Store(sys.argv[1], clock=lambda: datetime(2024, 1, 1, tzinfo=UTC))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
size = s.stats()["file_bytes"]
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 50, resource.RLIM_INFINITY))
try:  # a poll with a new item: the item and its validators must be written together
    s.commit_poll(SourceState(name="news", etag="x" * 5000), [Item("news", "big", "x" * 500)], [])
except StorageError as exc:
    print("refused:", exc)
print("etag in memory:", s.source_state("news").etag)
print("unseen:", s.unseen(["news:big"]))
"""


def test_write_cut_off_by_file_size_limit_leaves_old_file(tmp_path):
    """A real short write (RLIMIT_FSIZE, as when the disk fills) raises StorageError,
    memory keeps the old state (validators and the item unseen), and the old file loads."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.save_source_state(SourceState(name="news", etag='"v1"'))
    s.close()
    before = path.read_bytes()
    run = subprocess.run(
        [sys.executable, "-c", CUT_OFF_WRITE, str(path)],
        capture_output=True, text=True, timeout=30, check=True, cwd=REPO,
    )
    assert "refused: database" in run.stdout and "File too large" in run.stdout
    assert 'etag in memory: "v1"' in run.stdout and "unseen: {'news:big'}" in run.stdout
    assert path.read_bytes() == before
    assert open_store(path).source_state("news").etag == '"v1"'
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_corrupt_file_is_moved_aside_and_last_good_copy_used(tmp_path, caplog):
    """An unparseable snapshot is renamed *.corrupt-<time>, and .bak with the journal that
    leads from it to the damaged snapshot is loaded: nothing is lost, with a warning."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.save_source_state(SourceState(name="news", etag='"v1"'))
    s.flush()
    s.save_source_state(SourceState(name="news", etag='"v2"'))
    s.close()
    assert (tmp_path / "db.json.bak").exists() and (tmp_path / "db.json.bak.journal").exists()
    damaged = path.read_text()[:40]
    path.write_text(damaged)  # torn by something outside us
    again = open_store(path)
    assert again.source_state("news").etag == '"v2"'
    assert again.recovery is not None and "db.json.bak" in again.recovery
    assert "last good copy" in caplog.text
    (aside,) = tmp_path.glob("db.json.corrupt-*")
    assert aside.read_text() == damaged
    again.close()
    assert open_store(path).source_state("news").etag == '"v2"'  # written clean again


def test_unreadable_file_without_a_good_copy_is_refused_untouched(tmp_path):
    """No copy of ours to fall back on: one line naming BOT_DB_PATH, and the file, whatever
    it is, stays where and as it was (no rename, no lock file, nothing created)."""
    path = tmp_path / "db.json"
    path.write_bytes(b"\x00\x00\x00")
    with pytest.raises(StorageError, match=r"not a holdwatch database.*BOT_DB_PATH"):
        open_store(path)
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]
    assert path.read_bytes() == b"\x00\x00\x00"


def test_newer_schema_is_refused(tmp_path):
    """A file from a newer holdwatch is refused with a message saying what to do."""
    path = tmp_path / "db.json"
    path.write_text(json.dumps({"meta": {"1": {"key": "schema_version", "value": 99}}}))
    with pytest.raises(StorageError, match=r"newer holdwatch \(schema 99\).*BOT_DB_PATH"):
        open_store(path)
    assert json.loads(path.read_text())["meta"]["1"]["value"] == 99  # untouched


def test_unversioned_file_is_migrated(tmp_path):
    """A file without a schema version keeps its rows and gains the current version."""
    path = tmp_path / "db.json"
    path.write_text(json.dumps({"items": {"1": {"id": "news:a", "seen_at": "2024-01-01"}}}))
    s = open_store(path)
    assert s.unseen(["news:a", "news:b"]) == {"news:b"}
    s.close()
    meta = json.loads(path.read_text())["meta"]
    assert {"key": "schema_version", "value": SCHEMA_VERSION} in meta.values()


def test_reads_are_served_from_memory(tmp_path):
    """Queries do not re-read the file: removing it under a running store changes no answer."""
    path = tmp_path / "db.json"
    s = open_store(path)
    add(s, cand("h", "hold", date(2024, 3, 1), drug("CT053")))
    path.unlink()
    assert s.find_drug("CT053").drug is not None and s.unseen(["news:h"]) == set()
    s.close()
