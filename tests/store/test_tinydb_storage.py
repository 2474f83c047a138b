"""The store's engine is TinyDB: our atomic storage under it, and incremental serialisation."""

from __future__ import annotations

import errno
import json
import os

import pytest
from tinydb import TinyDB

from bot.errors import StorageError
from bot.store.db import Db
from bot.store.storage import AtomicJSONStorage


def on_disk(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_db_drives_tinydb_over_the_atomic_storage(tmp_path):
    """Db's rows go through a TinyDB instance whose storage is AtomicJSONStorage, and
    stock TinyDB reads what it wrote (doc ids included)."""
    path = tmp_path / "db.json"
    db = Db(path)
    assert isinstance(db.tiny, TinyDB) and isinstance(db.storage, AtomicJSONStorage)
    db.commit({"items": {"news:a": {"id": "news:a", "seen_at": "2024-01-01"}}})
    assert db.tiny.table("items").get(doc_id=1) == {"id": "news:a", "seen_at": "2024-01-01"}
    db.close()
    with TinyDB(path, access_mode="r") as stock:
        assert stock.table("items").get(doc_id=1)["id"] == "news:a"
        assert stock.table("meta").all() == [{"key": "schema_version", "value": 1}]


def test_file_always_equals_memory_after_updates_inserts_and_removes(tmp_path):
    """Reused row texts never go stale: after each commit the file parses to exactly
    TinyDB's in-memory data, whatever mix of updates, inserts and deletes it held."""
    path = tmp_path / "db.json"
    db = Db(path)
    db.commit({"items": {f"i{n}": {"id": f"i{n}", "n": n} for n in range(30)}})
    steps = [
        {"items": {"i3": {"id": "i3", "n": "changed"}, "i30": {"id": "i30", "n": 30}}},
        {"items": {"i4": None, "i5": None, "i31": {"id": "i31", "n": "ü → 中"}}},
        {"sources": {"news": {"name": "news", "etag": '"v1"'}}},
        {"items": {"i31": {"id": "i31", "n": 1}, "i6": None}, "sources": {"news": None}},
    ]
    for step in steps:
        db.commit(step)
        assert on_disk(path) == db.storage.read()
    assert {r["id"]: r["n"] for r in db.rows("items")}["i31"] == 1
    assert "i4" not in db.keys("items") and len(db.keys("items")) == 29
    db.close()
    assert {r["id"] for r in Db(path).rows("items")} == {f"i{n}" for n in range(32)} - {
        "i4", "i5", "i6"}


def test_table_changed_through_tinydb_directly_is_still_written_right(tmp_path):
    """A table changed with plain TinyDB calls (not through Db) is still serialised
    correctly: the storage notices the rows it was not told about."""
    path = tmp_path / "db.json"
    db = Db(path)
    db.commit({"items": {f"i{n}": {"id": f"i{n}"} for n in range(5)}})
    with db.storage.batch():
        db.tiny.table("items").remove(doc_ids=[2])
        db.tiny.table("items").insert({"id": "late"})
    assert on_disk(path) == db.storage.read()
    assert sorted(r["id"] for r in on_disk(path)["items"].values()) == [
        "i0", "i2", "i3", "i4", "late"]
    db.close()


def test_failed_write_rolls_memory_back_to_the_file(tmp_path, monkeypatch):
    """A batch whose write fails leaves the file and TinyDB's memory as they were, and the
    next write after the fault saves the retried change."""
    path = tmp_path / "db.json"
    db = Db(path)
    db.commit({"items": {"a": {"id": "a", "v": 1}}})
    before = path.read_bytes()

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    change = {"items": {"a": {"id": "a", "v": 2}, "b": {"id": "b", "v": 1}}}
    with pytest.raises(StorageError, match="No space left"):
        db.commit(change)
    assert path.read_bytes() == before
    assert list(db.rows("items")) == [{"id": "a", "v": 1}] and set(db.keys("items")) == {"a"}
    monkeypatch.undo()
    db.commit(change)
    assert on_disk(path) == db.storage.read()
    assert {r["id"]: r["v"] for r in db.rows("items")} == {"a": 2, "b": 1}
    db.close()


def test_unserialisable_row_is_refused_and_nothing_changes(tmp_path):
    """A row JSON cannot hold raises StorageError before the disk is touched."""
    path = tmp_path / "db.json"
    db = Db(path)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="cannot serialise"):
        db.commit({"items": {"a": {"id": "a", "when": object()}}})
    assert path.read_bytes() == before and list(db.keys("items")) == []
    db.close()


def test_file_of_rows_without_their_key_is_treated_as_damaged(tmp_path):
    """An items row without an id is not our data: the file is moved aside like a corrupt one."""
    path = tmp_path / "db.json"
    path.write_text(json.dumps({"items": {"1": {"seen_at": "2024-01-01"}}}))
    db = Db(path)
    assert db.storage.recovery and "has no 'id'" in db.storage.recovery
    assert list(db.keys("items")) == [] and list(tmp_path.glob("db.json.corrupt-*"))
    db.close()
