"""Many threads at once, and a big store: the lock, the single write, the speed."""

from __future__ import annotations

import json
import threading
from datetime import date

from bot.models import DrugMention, Item, SourceState, Subscription
from tests.store.support import cand, open_store


def test_queries_and_subscriptions_while_polls_write(tmp_path):
    """8 threads subscribe/unsubscribe and query while polls commit 20 x 50 items.

    Without the store's RLock this fails: TinyDB's read-modify-write of a table
    (`Table._update_table`) interleaves between threads, so a subscription written
    by one thread is lost when a poll writes the table dict it read before, and the
    in-memory dicts change size under readers' iteration (RuntimeError); run with
    `guard.locked` made a no-op it failed 3 runs out of 3 (two writers racing on the
    same `.bak.tmp` name). With the lock every add is kept, the file parses after
    every poll, and counts match.
    """
    path = tmp_path / "db.json"
    s = open_store(path)
    errors: list[BaseException] = []
    stop = threading.Event()

    def commands(worker: int) -> None:
        try:
            n = 0
            while not stop.is_set():
                sub = Subscription(f"C{worker}", "channel", "keyword", f"word{n}")
                assert s.add_subscription(sub)
                if n % 2:
                    assert s.remove_subscription(sub.owner, sub.kind, sub.value)
                s.recent_events(5)
                s.find_drug("DRUG-1")
                s.held_drugs()
                s.stats()
                n += 1
        except BaseException as exc:  # surfaced below; a thread must not die silently
            errors.append(exc)

    threads = [threading.Thread(target=commands, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for cycle in range(20):
        items = [Item(source="feed", key=f"{cycle}-{i}", title="t") for i in range(50)]
        c = cand(f"{cycle}", "hold", date(2024, 1, 1 + cycle % 28),
                 DrugMention(f"DRUG-{cycle}"), company=f"Company {cycle}", source="feed")
        s.commit_poll(SourceState(name="feed"), [*items, c.item], [c])
        json.loads(path.read_text())  # the file parses at every moment we look
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    expected = {sub.id for sub in s.subscriptions()}
    st = s.stats()
    assert st["items"] == 20 * 51 and st["events"] == 20
    s.close()
    again = open_store(path)
    assert {sub.id for sub in again.subscriptions()} == expected
    assert again.stats()["items"] == 20 * 51
    again.close()


def test_100k_seen_items_poll_writes_once(tmp_path):
    """With 100,000 seen items a poll of 500 new ones is one file write (speed: bench/)."""
    s = open_store(tmp_path / "db.json")
    state = SourceState(name="feed")
    for batch in range(10):
        s.commit_poll(state, [Item("feed", f"{batch}-{i}", "t") for i in range(10_000)], [])
    assert s.stats()["items"] == 100_000
    new = [Item("feed", f"new-{i}", "t") for i in range(500)]
    cands = [cand(f"c{i}", "hold", date(2024, 1, 1), DrugMention(f"X-{i}"), company=f"Co {i}",
                  source="feed") for i in range(20)]
    before = s.writes
    s.commit_poll(state, [*new, *(c.item for c in cands)], cands)
    assert s.writes == before + 1
    assert s.unseen([f"feed:new-{i}" for i in range(500)] + ["feed:zzz"]) == {"feed:zzz"}
    s.close()
