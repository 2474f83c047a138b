"""Events decoded only when a query asks for them: the book of a read-only store.

`python -m bot drug NAME` needs the drug registry and that drug's few events,
not 10k decoded events: a read-only store reads the events table as JSON text
(snapshot.tables, `raw`) and `LazyEvents` decodes an event the first time it
is asked for. A row that turns out to be damaged then is one StorageError line
(the writer's load would have recovered the file from `.bak`; a reader moves
nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from bot.errors import StorageError
from bot.models import DrugRecord, Event
from bot.store.codec import RowError, decoder
from bot.store.index import HIDDEN
from bot.store.loading import raw_key
from bot.store.registry import DrugRegistry
from bot.store.snapshot import SnapshotError, loads


class LazyEvents(Mapping[str, Event]):
    def __init__(self, rows: Iterable[dict[str, Any] | str], damaged: Callable[[str], StorageError]
                 ) -> None:
        """ROWS: event rows, parsed or as JSON text; DAMAGED(why) is the error to raise."""
        self._rows: dict[str, dict[str, Any] | str] = {}
        self._events: dict[str, Event] = {}
        self._damaged = damaged
        for row in rows:
            if _hidden(row):
                continue  # held back or a repeat: no query sees it (bot/store/index.py)
            key = raw_key(row, "id") if type(row) is str else row.get("id")  # type: ignore[union-attr]
            if type(key) is not str:
                raise RowError("a row of table 'events' has no 'id'")
            self._rows[key] = row

    def __getitem__(self, key: str) -> Event:
        event = self._events.get(key)
        if event is None:
            row = self._rows[key]
            try:
                event = decoder(Event)(loads(row) if type(row) is str else row)
            except (RowError, SnapshotError) as exc:
                raise self._damaged(f"event {key!r} is damaged ({exc})") from None
            self._events[key] = event
        return event

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows


def _hidden(row: dict[str, Any] | str) -> bool:
    """A hidden event's row carries `"_state"` (only ever a top-level key: inside a JSON
    string the quotes would be escaped), so text rows are parsed only when it is there."""
    if isinstance(row, str):
        if '"_state":' not in row:
            return False
        try:
            row = loads(row)
        except SnapshotError:
            return False  # decoded (and refused) only if a query asks for it
        if not isinstance(row, dict):
            return False
    return row.get("_state") in HIDDEN


class LookupBook:
    """What queries read of an `EventBook` (its registry and events), for a reader."""

    def __init__(self, events: LazyEvents, drugs: Iterable[DrugRecord]) -> None:
        self.events = events
        self.registry = DrugRegistry(drugs)
        self.item_event: dict[str, str] = {}  # not needed by readers (no folding)
