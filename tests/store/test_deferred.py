"""Writes only when something new must be kept: deferred source states, flush, crash safety,
and the report text kept for keyword routing."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from tinydb import TinyDB

from bot.errors import StorageError
from bot.models import Candidate, DeliveryPlan, Item, SourceState, Subscription
from bot.notify.routing import matches
from bot.store.build import KEYWORDS_KEPT
from tests.store.support import add, cand, drug, open_store

REPO = Path(__file__).resolve().parents[2]
V1 = SourceState(name="news", etag='"v1"', baselined=True)
V2 = replace(V1, etag='"v2"', items_last_time=3)


def seen_items(n: int) -> list[Item]:
    return [Item(source="news", key=f"k{i}", title=f"story {i}") for i in range(n)]


def test_no_news_poll_and_failure_state_do_not_write(tmp_path):
    """A poll whose items are all seen, and a saved failure state, write nothing; queries
    see the new state at once."""
    s = open_store(tmp_path / "db.json")
    s.commit_poll(V1, seen_items(3), [])
    before = s.writes
    assert s.commit_poll(V2, seen_items(3), []) == []
    assert s.source_state("news") == V2 and s.source_states() == {"news": V2}
    failed = replace(V2, consecutive_failures=1, last_error="HTTP 503")
    s.save_source_state(failed)
    assert s.source_state("news") == failed
    assert s.writes == before
    s.close()


def test_flush_writes_deferred_states_once_and_close_flushes(tmp_path):
    """flush() writes what waits in one write, and nothing when nothing waits; close() too."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(V1, seen_items(3), [])
    s.save_source_state(SourceState(name="other", last_error="timeout"))
    s.commit_poll(V2, seen_items(3), [])
    before = s.writes
    s.flush()
    assert s.writes == before + 1
    s.flush()
    assert s.writes == before + 1
    assert open_store(path).source_states() == {"news": V2, "other": s.source_state("other")}
    s.save_source_state(replace(V2, etag='"v3"'))
    s.close()
    assert open_store(path).source_state("news").etag == '"v3"'


def test_deferred_states_ride_along_with_the_next_real_write(tmp_path):
    """A poll with a new item writes its own state and every deferred one together (S is
    not closed: the second store reads what a crash would leave)."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(V1, seen_items(3), [])
    s.save_source_state(SourceState(name="other", consecutive_failures=2))
    s.commit_poll(V2, seen_items(4), [])
    again = open_store(path)
    assert again.source_state("news") == V2
    assert again.source_state("other").consecutive_failures == 2
    again.close()


def test_first_baseline_is_written_at_once(tmp_path):
    """A source's first baseline decides whether later items alert: never deferred."""
    s = open_store(tmp_path / "db.json")
    before = s.writes
    s.commit_poll(SourceState(name="empty", baselined=True), [], [])
    assert s.writes == before + 1
    s.close()


CRASH = """
import os, sys
from dataclasses import replace
from datetime import UTC, datetime
from bot.models import Item, SourceState
from bot.store import Store

s = Store(sys.argv[1], clock=lambda: datetime(2024, 1, 1, tzinfo=UTC))
v1 = SourceState(name="news", etag='"v1"', baselined=True)
s.commit_poll(v1, [Item("news", "a", "A")], [])                # written
s.commit_poll(replace(v1, etag='"v2"'), [Item("news", "a", "A")], [])  # deferred
s.commit_poll(replace(v1, etag='"v3"'), [Item("news", "b", "B")], [])  # new item: written
s.commit_poll(replace(v1, etag='"v4"'), [Item("news", "b", "B")], [])  # deferred
os._exit(0)  # killed: no flush, no close
"""


def test_crash_loses_only_deferred_validators_never_items(tmp_path):
    """Killed without flush: every item and the validators written with them survive; only
    the validators of the last no-news poll are gone (the next poll re-fetches seen items)."""
    path = tmp_path / "db.json"
    subprocess.run([sys.executable, "-c", CRASH, str(path)], check=True, timeout=30, cwd=REPO)
    s = open_store(path)
    assert s.unseen(["news:a", "news:b", "news:c"]) == {"news:c"}
    assert s.source_state("news").etag == '"v3"'
    s.close()


def test_failed_write_keeps_deferred_states_for_later(tmp_path, monkeypatch):
    """Disk full on a real write: the poll's item stays unseen, the deferred state stays in
    memory and is written by the next write that works."""
    path = tmp_path / "db.json"
    s = open_store(path)
    s.commit_poll(V1, seen_items(1), [])
    s.save_source_state(SourceState(name="other", consecutive_failures=4))

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageError):
        s.commit_poll(V2, seen_items(2), [])
    assert s.unseen(["news:k1"]) == {"news:k1"} and s.source_state("news") == V1
    assert s.source_state("other").consecutive_failures == 4
    monkeypatch.undo()
    s.flush()
    assert open_store(path).source_state("other").consecutive_failures == 4
    s.close()


def long_report(key: str, tail_word: str) -> Candidate:
    base = cand(key, "hold", date(2024, 3, 1), drug("CT053"), title="CARsgen hold on CT053")
    text = "Filler sentence about the trial. " * 40 + f"The {tail_word} cohort is affected."
    return replace(base, item=replace(base.item, text=text))


def test_keyword_deep_in_a_new_report_is_routed_and_the_file_keeps_less(tmp_path):
    """decide sees a new report's full text (a keyword past KEYWORDS_KEPT matches); the file
    and memory then keep only the first KEYWORDS_KEPT characters."""
    path = tmp_path / "db.json"
    s = open_store(path)
    sub = Subscription(owner="C9", owner_type="channel", kind="keyword", value="pediatric")
    decided = []

    def decide(change, view):
        decided.append(matches(sub, change.event))
        return [DeliveryPlan("C9", "post", change.event.id)] if decided[-1] else []

    report = long_report("r1", "pediatric")
    assert report.item.text.index("pediatric") > KEYWORDS_KEPT
    (change,) = s.commit_poll(SourceState(name="news"), [report.item], [report], decide=decide)
    assert decided == [True] and len(s.pending_deliveries()) == 1
    assert len(s.event(change.event.id).keywords_text) == KEYWORDS_KEPT
    s.close()
    (row,) = json.loads(path.read_text())["events"].values()
    assert len(row["keywords_text"]) == KEYWORDS_KEPT


def test_rows_with_long_text_from_older_files_are_cut_on_next_write(tmp_path):
    """A file written before the cut loads with the text cut, and is rewritten cut."""
    path = tmp_path / "db.json"
    s = open_store(path)
    add(s, long_report("r1", "pediatric"))
    s.close()
    data = json.loads(path.read_text())
    (row,) = data["events"].values()
    row["keywords_text"] = "x" * 3000
    path.write_text(json.dumps(data))
    again = open_store(path)
    assert len(again.recent_events(1)[0].keywords_text) == KEYWORDS_KEPT
    again.save_source_state(SourceState(name="other"))
    again.close()
    (row,) = json.loads(path.read_text())["events"].values()
    assert len(row["keywords_text"]) == KEYWORDS_KEPT


def test_file_stays_in_tinydb_layout_both_ways(tmp_path):
    """TinyDB opens our file; a file TinyDB wrote (spaced, with _default) loads and keeps
    its unknown table."""
    path = tmp_path / "db.json"
    s = open_store(path)
    add(s, cand("h", "hold", date(2024, 3, 1), drug("CT053")))
    s.close()
    with TinyDB(path, access_mode="r") as tiny:
        assert [r["id"] for r in tiny.table("items").all()] == ["news:h"]
        assert tiny.table("events").get(doc_id=1)["label"] == "hold"
    theirs = tmp_path / "theirs.json"
    with TinyDB(theirs) as tiny:
        tiny.table("items").insert({"id": "news:a", "seen_at": "2024-11-01"})
        tiny.table("notes").insert({"x": 1})
    s = open_store(theirs)
    assert s.unseen(["news:a", "news:b"]) == {"news:b"}
    add(s, cand("h", "hold", date(2024, 3, 1), drug("CT053")))
    s.close()
    data = json.loads(theirs.read_text())
    assert data["notes"] == {"1": {"x": 1}} and set(data["items"]) == {"1", "2"}
