"""The store's engine: TinyDB's file layout, a journal of commits, compaction, recovery."""

from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import pytest
from tinydb import TinyDB

from bot.errors import StorageError
from bot.models import Item, SourceState, Subscription
from bot.store import storage
from bot.store.db import SCHEMA_VERSION
from bot.store.storage import JournaledStorage
from tests.store.support import add, cand, drug, open_store

NEWS = SourceState(name="news", baselined=True)


def items(n: int, start: int = 0) -> list[Item]:
    return [Item("news", f"k{i}", f"story {i}") for i in range(start, start + n)]


def journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def test_a_commit_appends_its_rows_and_leaves_the_snapshot_alone(tmp_path):
    """With 2,000 items stored, a poll of one new item writes about one row's bytes (not
    the store) in one durable write, and the snapshot file is not touched."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(2000), [])
    s.close()
    s = open_store(path)
    snapshot = path.read_bytes()
    writes, written = s.writes, s.bytes_written
    s.commit_poll(NEWS, items(1, start=5000), [])
    row = json.dumps({"id": "news:k5000", "seen_at": "2024-11-05"})
    assert s.writes == writes + 1
    assert s.bytes_written - written < 10 * (len(row) + len(json.dumps({"news": {}})) + 300)
    assert path.read_bytes() == snapshot and journal(path).stat().st_size > 0
    s.close()


def test_stock_tinydb_opens_the_compacted_file(tmp_path):
    """After close the snapshot holds everything, in TinyDB's layout: stock TinyDB reads
    items, events, subscriptions and the schema version."""
    path = tmp_path / "db.json"
    s = open_store(path)
    add(s, cand("h", "hold", date(2024, 11, 1), drug("CT053")))
    s.add_subscription(Subscription("C1", "channel", "target", "BCMA"))
    s.close()
    with TinyDB(path, access_mode="r") as stock:
        assert [r["id"] for r in stock.table("items").all()] == ["news:h"]
        assert stock.table("events").get(doc_id=1)["label"] == "hold"
        assert stock.table("subscriptions").all()[0]["value"] == "BCMA"
        meta = {r["key"]: r["value"] for r in stock.table("meta").all()}
        assert meta["schema_version"] == SCHEMA_VERSION


def test_tinydb_over_the_journaled_storage_sees_the_journal(tmp_path):
    """Before any compaction, TinyDB with our storage reads snapshot + journal (stock
    TinyDB would see only the snapshot)."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(3), [])
    assert journal(path).exists()
    with TinyDB(path, storage=JournaledStorage, read_only=True) as tiny:
        assert sorted(r["id"] for r in tiny.table("items").all()) == [
            "news:k0", "news:k1", "news:k2"]
    with TinyDB(path, access_mode="r") as stock:
        assert stock.table("items").all() == []
    s.close()


def test_journal_is_compacted_when_it_outgrows_half_the_snapshot(tmp_path, monkeypatch):
    """Commits append until the journal passes half the snapshot; then one snapshot is
    written, the old pair kept as .bak + .bak.journal, and a reopen sees every item."""
    monkeypatch.setattr(storage, "COMPACT_MIN_BYTES", 2000)
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(50), [])
    s.close()
    s = open_store(path)
    first = path.read_bytes()
    n = 50
    while path.read_bytes() == first:
        s.commit_poll(NEWS, items(5, start=n), [])
        n += 5
        assert n < 500, "never compacted"
    assert not journal(path).exists() or journal(path).stat().st_size == 0
    assert (tmp_path / "db.json.bak").read_bytes() == first
    assert (tmp_path / "db.json.bak.journal").exists()
    s.close()
    again = open_store(path)
    assert again.unseen(f"news:k{i}" for i in range(n + 1)) == {f"news:k{n}"}
    again.close()


def test_a_torn_journal_tail_is_a_commit_that_never_happened(tmp_path):
    """A crash mid-append leaves a partial record: it is ignored, cut off by the next
    writer, and later commits read back fine."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(2), [])
    with journal(path).open("ab") as fh:
        fh.write(b'items\t{"news:zz":{"id":"news:zz","seen_at":"2024-11-05"}}\ncommit 9')
    again = open_store(path)
    assert again.unseen(["news:k1", "news:zz"]) == {"news:zz"}
    assert again.recovery is None
    again.commit_poll(NEWS, items(1, start=7), [])
    third = open_store(path, read_only=True)
    assert third.unseen(["news:k7", "news:zz"]) == {"news:zz"}
    again.close()


def test_a_damaged_journal_keeps_its_good_commits_and_says_so(tmp_path):
    """A bad record with good ones after it is outside damage: the commits before it are
    kept, the journal is set aside, recovery says so and a clean snapshot is written."""
    path = tmp_path / "db.json"
    s = open_store(path)
    for n in range(3):
        s.commit_poll(NEWS, items(1, start=n), [])
    text = journal(path).read_bytes()
    assert text.count(b'"news:k1"') == 2  # the key and the row's id, in commit 2's items
    journal(path).write_bytes(text.replace(b'"news:k1"', b'"news:kX"'))
    again = open_store(path)
    assert again.unseen(["news:k0", "news:k1", "news:k2"]) == {"news:k1", "news:k2"}
    assert again.recovery and "journal is damaged" in again.recovery
    assert list(tmp_path.glob("db.json.journal.corrupt-*"))
    again.close()
    assert open_store(path).unseen(["news:k0"]) == set()


def test_a_journal_of_an_older_generation_is_not_applied(tmp_path):
    """After a compaction the snapshot carries the journal's changes; a leftover journal of
    the previous generation (a crash between the two steps) must not be replayed."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(1), [])
    stale = journal(path).read_bytes().replace(b"news:k0", b"news:old")
    s.close()  # compacts: the snapshot is a newer generation
    journal(path).write_bytes(stale)
    again = open_store(path)
    assert again.unseen(["news:k0", "news:old"]) == {"news:old"}
    again.close()


def test_disk_full_on_append_cuts_the_journal_back(tmp_path, monkeypatch):
    """ENOSPC mid-append: StorageError naming the file, the journal byte-identical to
    before, memory as before; the retried commit works once space is back."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(2), [])
    before = journal(path).read_bytes()
    real_write = os.write

    def full(fd, data):
        real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageError, match="No space left") as err:
        s.commit_poll(NEWS, items(3, start=10), [])
    assert str(path) in str(err.value)
    monkeypatch.undo()
    assert journal(path).read_bytes() == before
    assert s.unseen(["news:k10"]) == {"news:k10"}
    s.commit_poll(NEWS, items(3, start=10), [])
    assert open_store(path, read_only=True).unseen(["news:k10", "news:k12"]) == set()
    s.close()


def test_a_file_replaced_under_the_store_is_not_written(tmp_path):
    """Another program replaces the database file while the store runs: the next commit
    refuses (naming the problem) and the other program's file is left as it is."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(NEWS, items(1), [])
    theirs = tmp_path / "theirs.json"
    theirs.write_text('{"_default": {}}')
    os.replace(theirs, path)
    with pytest.raises(StorageError, match="replaced or removed"):
        s.commit_poll(NEWS, items(1, start=5), [])
    s.close()
    assert path.read_text() == '{"_default": {}}'


def test_read_only_store_never_writes_and_reads_only_what_it_is_asked(tmp_path):
    """A read-only store refuses changes and leaves every file as it was; source states and
    a drug's record are answered without decoding events (a bad event row does not stop
    them); the bad event is one StorageError when a timeline needs it."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.save_source_state(SourceState(name="feed", etag='"e1"', baselined=True))
    add(s, cand("h", "hold", date(2024, 11, 1), drug("CT053")))
    s.close()
    data = json.loads(path.read_text())
    data["events"]["1"]["sources"] = "not a list"
    path.write_text(json.dumps(data))
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    reader = open_store(path, read_only=True)
    assert reader.source_state("feed").etag == '"e1"'
    with pytest.raises(StorageError, match="read-only"):
        reader.add_subscription(Subscription("C1", "channel", "target", "BCMA"))
    record = reader.find_drug("CT053").drug
    assert record is not None and record.status == "on_hold"
    with pytest.raises(StorageError, match=r"is damaged.*BOT_DB_PATH"):
        reader.timeline(record.id)
    reader.close()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_held_back_reports_survive_compaction_and_stay_hidden_from_readers(tmp_path):
    """A report naming no company or drug is held back (stored, seen by no query): a
    compaction keeps it, it is still held after a reopen, and a reader's lookups do not
    see it."""
    path = tmp_path / "db.json"
    s = open_store(path, group_wait=3600)
    anonymous = cand("anon", "hold", date(2024, 11, 4), company=None,
                     title="FDA places clinical hold on a CAR-T trial")
    s.commit_poll(NEWS, [anonymous.item], [anonymous])
    (held,) = s.book.held.events
    assert s.recent_events(5) == []
    s.close()
    again = open_store(path, group_wait=3600)
    assert list(again.book.held.events) == [held] and again.recent_events(5) == []
    again.close()
    assert held in {r["id"] for r in json.loads(path.read_text())["events"].values()}
    reader = open_store(path, read_only=True)
    assert reader.recent_events(5) == [] and reader.stats()["events"] == 0
