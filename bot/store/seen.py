"""Which items were seen: full ids for recent ones, 8-byte hashes for the rest.

"Seen" needs only an id and a day. A recent item keeps its full id and the day
it was first seen (a row of table `items`: `{"id": …, "seen_at": "YYYY-MM-DD"}`),
so an operator can still tell which items a poll recorded. Once an item is
older than the retention horizon (`ITEM_DETAIL_DAYS`, 30 days by default) and
did not become an event report, only a 64-bit hash of its id is kept: in memory
an int in a set (about 70 bytes), on disk 8 bytes, packed into rows of table
`seen` (`{"id": "hashes-1", "count": n, "hashes": "<base64>"}`). Items that
became event reports keep their rows: events refer to them by id.

A false "seen" would drop an alert; with 64-bit hashes the chance that any new
item collides with any of a million kept hashes is about 5 in 10^14.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from bot.store.codec import RowError
from bot.store.snapshot import dumps

HASHES_PER_ROW = 8192
DEFAULT_DETAIL_DAYS = 30


def item_hash(item_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=8).digest(), "little")


class SeenItems:
    def __init__(self) -> None:
        self.recent: dict[str, int] = {}  # item id -> ordinal of the day it was first seen
        self.hashed: set[int] = set()
        self._days: dict[str, int] = {}  # "YYYY-MM-DD" -> one shared int per day

    def __len__(self) -> int:
        return len(self.recent) + len(self.hashed)

    def __contains__(self, item_id: str) -> bool:
        return item_id in self.recent or (bool(self.hashed) and item_hash(item_id) in self.hashed)

    def add(self, item_id: str, day: date) -> bool:
        """Record ITEM_ID as first seen on DAY; False when it was known already."""
        if item_id in self:
            return False
        self.recent[item_id] = self._day(day.isoformat())
        return True

    # ------------------------------------------------------------------ rows

    def load_items(self, rows: Iterable[dict[str, Any]], horizon: int | None,
                   keep: Callable[[str], bool]) -> None:
        """`items` rows; an item first seen before HORIZON (a day ordinal) is hashed at
        once unless KEEP(id) (an event report). RowError names a bad row."""
        recent, hash_it, days = self.recent, self.hashed.add, self._days
        for row in rows:
            item_id, when = row.get("id"), row.get("seen_at")
            day = days.get(when) if type(when) is str else None
            if day is None or type(item_id) is not str:
                item_id, day = self._checked(row)
            if horizon is not None and day < horizon and not keep(item_id):
                hash_it(item_hash(item_id))
            else:
                recent[item_id] = day

    def _checked(self, row: dict[str, Any]) -> tuple[str, int]:
        item_id, when = row.get("id"), row.get("seen_at")
        if type(item_id) is not str:
            raise RowError(f"table 'items': field 'id' is {item_id!r}, expected a string")
        if when is None:  # rows from before days were kept
            return item_id, self._day(date.today().isoformat())
        try:
            return item_id, self._day(when[:10])
        except (TypeError, ValueError):
            raise RowError(f"table 'items', row {item_id!r}: field 'seen_at' is {when!r}, "
                           "expected a date") from None

    def load_hashes(self, row: dict[str, Any]) -> None:
        """A `seen` row of packed hashes."""
        packed = row.get("hashes")
        try:
            raw = base64.b64decode(packed, validate=True)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise RowError("field 'hashes' is not base64 text") from None
        if len(raw) % 8 or row.get("count") != len(raw) // 8:
            raise RowError("field 'hashes' does not hold 'count' 8-byte hashes")
        values = array("Q", raw)
        if sys.byteorder == "big":
            values.byteswap()
        self.hashed.update(values)

    def fold(self, horizon: int, keep: Callable[[str], bool]) -> int:
        """Hash the recent items first seen before HORIZON (a day ordinal) unless KEEP(id);
        returns how many were folded."""
        old = [i for i, day in self.recent.items() if day < horizon and not keep(i)]
        for item_id in old:
            del self.recent[item_id]
            self.hashed.add(item_hash(item_id))
        return len(old)

    def item_texts(self) -> Iterator[str]:
        """The `items` rows as JSON texts (for a snapshot)."""
        days = {n: date.fromordinal(n).isoformat() for n in set(self.recent.values())}
        for item_id, day in self.recent.items():
            yield f'{{"id":{dumps(item_id)},"seen_at":"{days[day]}"}}'

    def hash_texts(self) -> Iterable[str]:
        """The `seen` rows as JSON texts."""
        values = array("Q", sorted(self.hashed))
        if sys.byteorder == "big":
            values.byteswap()
        raw = values.tobytes()
        step = HASHES_PER_ROW * 8
        for n, start in enumerate(range(0, len(raw), step), 1):
            chunk = raw[start:start + step]
            yield dumps({"id": f"hashes-{n}", "count": len(chunk) // 8,
                         "hashes": base64.b64encode(chunk).decode()})

    @staticmethod
    def row(item_id: str, day: date) -> dict[str, str]:
        """The `items` row written when ITEM_ID is first seen."""
        return {"id": item_id, "seen_at": day.isoformat()}

    def _day(self, text: str) -> int:
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = date.fromisoformat(text).toordinal()
        return found
