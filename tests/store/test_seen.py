"""Seen items: full rows while recent, only a hash past the retention horizon."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.models import Item, SourceState
from bot.store import Store
from bot.store.seen import SeenItems, item_hash
from tests.store.support import cand, drug

JAN = datetime(2024, 1, 10, tzinfo=UTC)
JUNE = datetime(2024, 6, 1, tzinfo=UTC)
FEED = SourceState(name="feed", baselined=True)


def items(n: int, prefix: str = "k") -> list[Item]:
    return [Item("feed", f"{prefix}{i}", f"story {i}") for i in range(n)]


def test_old_items_keep_only_a_hash_and_event_reports_keep_their_rows(tmp_path):
    """Seen in January, looked at in June with a 30-day horizon: plain items leave the
    `items` table for packed 8-byte hashes in `seen` and still count as seen; the item
    that became an event report keeps its row; recent items keep theirs."""
    path = tmp_path / "db.json"
    s = Store(path, clock=lambda: JAN)
    report = cand("h", "hold", date(2024, 1, 9), drug("CT053"), source="feed")
    s.commit_poll(FEED, [*items(300), report.item], [report])
    s.close()
    s = Store(path, clock=lambda: JUNE, item_detail_days=30)
    s.commit_poll(FEED, items(5, prefix="new"), [])
    assert s.unseen([f"feed:k{i}" for i in range(300)] + ["feed:h", "feed:zz"]) == {"feed:zz"}
    s.close()
    data = json.loads(path.read_text())
    assert sorted(r["id"] for r in data["items"].values()) == [
        "feed:h", *(f"feed:new{i}" for i in range(5))]
    assert sum(r["count"] for r in data["seen"].values()) == 300
    again = Store(path, clock=lambda: JUNE)
    assert again.unseen(["feed:k0", "feed:k299", "feed:k300"]) == {"feed:k300"}
    assert again.stats()["items"] == 306
    again.close()


def test_a_longer_horizon_keeps_the_rows(tmp_path):
    """ITEM_DETAIL_DAYS larger than the items' age: nothing is hashed."""
    path = tmp_path / "db.json"
    s = Store(path, clock=lambda: JAN)
    s.commit_poll(FEED, items(10), [])
    s.close()
    Store(path, clock=lambda: JUNE, item_detail_days=365).close()
    data = json.loads(path.read_text())
    assert len(data["items"]) == 10 and not data["seen"]


def test_hashes_are_found_whatever_order_they_arrive_in():
    """Hashes loaded out of order or folded later are merged into one sorted array: every
    one is found, none twice, and an unknown id is not."""
    seen = SeenItems()
    ids = [f"feed:{i}" for i in range(2000)]
    day = date(2024, 1, 1).toordinal()
    def never(_: str) -> bool:
        return False

    seen.load_items(({"id": i, "seen_at": "2024-01-01"} for i in ids[:1000]), day + 1, never)
    seen.load_items(({"id": i, "seen_at": "2024-01-01"} for i in ids[1000:]), None, never)
    seen.settle()
    assert len(seen.hashed) == 1000 and len(seen.recent) == 1000
    seen.fold(day + 1, lambda i: i.endswith("7"))
    assert all(i in seen for i in ids) and "feed:2000" not in seen
    assert list(seen.hashed) == sorted(set(seen.hashed))
    assert len(seen.hashed) + len(seen.recent) == 2000
    assert item_hash("feed:1") in set(seen.hashed)
