"""Which items were seen: full ids for recent ones, 8-byte hashes for the rest.

"Seen" needs only an id and a day. A recent item keeps its full id and the day
it was first seen (a row of table `items`: `{"id": …, "seen_at": "YYYY-MM-DD"}`),
so an operator can still tell which items a poll recorded. Once an item is
older than the retention horizon (`ITEM_DETAIL_DAYS`, 30 days by default) and
did not become an event report, only a 64-bit hash of its id is kept: 8 bytes,
in memory and on disk — one sorted `array('Q')` searched by bisection (no
Python object per item), packed on disk into rows of table `seen`
(`{"id": "hashes-1", "count": n, "hashes": "<base64>"}`). Items that became
event reports keep their rows: events refer to them by id.

Items are hashed at two moments only: while loading (rows past the horizon) and
when a snapshot is written; between, new items are recent. So the sorted array
is rebuilt by one merge per snapshot, never per item.

A false "seen" would drop an alert; with 64-bit hashes the chance that any new
item collides with any of a million kept hashes is about 5 in 10^14.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from bot.store.codec import RowError
from bot.store.snapshot import SnapshotError, dumps, loads

HASHES_PER_ROW = 8192
DEFAULT_DETAIL_DAYS = 30


def item_hash(item_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=8).digest(), "little")


class SeenItems:
    def __init__(self) -> None:
        self.recent: dict[str, int] = {}  # item id -> ordinal of the day it was first seen
        self.hashed = array("Q")  # sorted hashes of older items
        self.folded = 0  # items hashed since the last snapshot (it still has their rows)
        self._new: list[int] = []  # hashes read or folded, not merged into `hashed` yet
        self._days: dict[str, int] = {}  # "YYYY-MM-DD" -> one shared int per day

    def __len__(self) -> int:
        return len(self.recent) + len(self.hashed)

    def __contains__(self, item_id: str) -> bool:
        if item_id in self.recent:
            return True
        hashed = self.hashed
        if not hashed:
            return False
        key = item_hash(item_id)
        at = bisect_left(hashed, key)
        return at < len(hashed) and hashed[at] == key

    def add(self, item_id: str, day: date) -> bool:
        """Record ITEM_ID as first seen on DAY; False when it was known already."""
        if item_id in self:
            return False
        self.recent[item_id] = self._day(day.isoformat())
        return True

    # ------------------------------------------------------------------ rows

    def load_items(self, rows: Iterable[dict[str, Any] | str], horizon: int | None,
                   keep: Callable[[str], bool]) -> None:
        """`items` rows (parsed, or the JSON text of a snapshot line); an item first seen
        before HORIZON (a day ordinal) is hashed at once unless KEEP(id) (an event
        report). RowError names a bad row. Call `settle()` when every row is in."""
        recent, hash_it, days = self.recent, self._new.append, self._days
        blake2b, from_bytes = hashlib.blake2b, int.from_bytes  # item_hash, inlined
        for text_or_row in rows:
            # our own layout comes as JSON text, read without building a dict
            row = _item_row(text_or_row) if isinstance(text_or_row, str) else text_or_row
            item_id, when = row.get("id"), row.get("seen_at")
            day = days.get(when) if type(when) is str else None
            if day is None or type(item_id) is not str:
                item_id, day = self._checked(row)
            if horizon is not None and day < horizon and not keep(item_id):
                hash_it(from_bytes(blake2b(item_id.encode(), digest_size=8).digest(), "little"))
                self.folded += 1
            else:
                recent[item_id] = day

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
        if (self.hashed and values and values[0] <= self.hashed[-1]) or not _ascending(values):
            self._new.extend(values)  # not in our order: merged by settle()
        else:
            self.hashed.extend(values)

    def settle(self) -> None:
        """Merge the hashes read or folded since into the sorted array (one pass)."""
        if not self._new:
            return
        new = sorted(set(self._new))
        self._new = []
        if not self.hashed:
            self.hashed = array("Q", new)
            return
        merged = array("Q")
        last = None
        for value in heapq.merge(self.hashed, new):
            if value != last:
                merged.append(value)
                last = value
        self.hashed = merged

    def fold(self, horizon: int, keep: Callable[[str], bool]) -> int:
        """Hash the recent items first seen before HORIZON (a day ordinal) unless KEEP(id);
        returns how many were folded."""
        old = [i for i, day in self.recent.items() if day < horizon and not keep(i)]
        for item_id in old:
            del self.recent[item_id]
            self._new.append(item_hash(item_id))
        self.folded += len(old)
        self.settle()
        return len(old)

    def item_texts(self) -> Iterator[str]:
        """The `items` rows as JSON texts (for a snapshot, which then has every fold)."""
        self.folded = 0
        days = {n: date.fromordinal(n).isoformat() for n in set(self.recent.values())}
        for item_id, day in self.recent.items():
            yield f'{{"id":{dumps(item_id)},"seen_at":"{days[day]}"}}'

    def hash_texts(self) -> Iterator[str]:
        """The `seen` rows as JSON texts, in ascending order."""
        self.settle()
        for n, start in enumerate(range(0, len(self.hashed), HASHES_PER_ROW), 1):
            chunk = self.hashed[start:start + HASHES_PER_ROW]
            if sys.byteorder == "big":
                chunk.byteswap()
            yield dumps({"id": f"hashes-{n}", "count": len(chunk),
                         "hashes": base64.b64encode(chunk.tobytes()).decode()})

    @staticmethod
    def row(item_id: str, day: date) -> dict[str, str]:
        """The `items` row written when ITEM_ID is first seen."""
        return {"id": item_id, "seen_at": day.isoformat()}

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

    def _day(self, text: str) -> int:
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = date.fromisoformat(text).toordinal()
        return found


def _item_row(text: str) -> dict[str, Any]:
    """An `items` row from its JSON text; our rows are `{"id":"…","seen_at":"YYYY-MM-DD"}`,
    read with one string scan; anything else is parsed as JSON."""
    if text.startswith(_ID):
        try:
            item_id, end = scanstring(text, len(_ID))
        except ValueError:
            item_id, end = None, 0
        if item_id is not None and text.startswith(_SEEN_AT, end) and len(text) == end + 24:
            return {"id": item_id, "seen_at": text[end + 12:end + 22]}
    try:
        row = loads(text)
    except SnapshotError as exc:
        raise RowError(f"table 'items': {exc}") from None
    if type(row) is not dict:
        raise RowError("table 'items': a row is not an object")
    return row


_ID = '{"id":"'
_SEEN_AT = ',"seen_at":"'


def _ascending(values: array[int]) -> bool:
    return all(a < b for a, b in zip(values, islice(values, 1, None), strict=False))
