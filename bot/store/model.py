"""What the store keeps in memory, built from the database's rows and written back whole.

`build(tables)` turns the streamed rows into the store's objects, one row at a
time, with every row checked by its compiled decoder (codec.py): a row of the
wrong shape raises `RowError`, which makes the storage treat the file as
damaged (recover it from `.bak`, or refuse with one line) instead of failing
later in a query. References are checked too: an event naming a drug that is
not stored, or a drug listing an event that is not, is a damaged file.

`snapshot_tables(model)` is the reverse, for a compaction: every table's rows
as JSON texts, produced lazily from the objects (no second copy of the rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from sys import intern
from typing import Any

from bot.errors import StorageError
from bot.models import Delivery, DrugRecord, SourceState, Subscription
from bot.store.codec import RowError, decoder, to_row
from bot.store.events import EventBook
from bot.store.lookup import LazyEvents, LookupBook
from bot.store.seen import SeenItems
from bot.store.snapshot import dumps

# The tables each part of the model comes from (a read-only store loads parts on demand).
GROUPS: dict[str, tuple[str, ...]] = {
    "sources": ("sources",),
    "subscriptions": ("subscriptions", "digest"),
    "book": ("drugs", "events"),
    "outbox": ("deliveries",),
    "seen": ("seen", "items"),
}


@dataclass
class Model:
    sources: dict[str, SourceState] = field(default_factory=dict)
    subs: dict[str, Subscription] = field(default_factory=dict)
    digest: set[str] = field(default_factory=set)
    book: EventBook = field(default_factory=lambda: EventBook((), ()))
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    seq: int = 0
    seen: SeenItems = field(default_factory=SeenItems)


def build(tables: Iterable[tuple[str, Iterator[dict[str, Any]]]], *, horizon: date | None,
          lazy: Callable[[str], StorageError] | None = None) -> Model:
    """The model from TABLES; items first seen before HORIZON (None: never) are hashed
    unless they are event reports. RowError when a row does not fit. With LAZY (a
    reader: the error for a damaged row found later), events are decoded on demand."""
    m = Model()
    drugs: list[DrugRecord] | None = None  # None until the drugs table has been read
    waiting_events: list[dict[str, Any]] | None = None  # events read before drugs (rare)
    waiting_items: list[dict[str, Any]] = []  # items read before events (rare)
    book_ready = False
    lazy_events: LazyEvents | None = None
    cutoff = horizon.toordinal() if horizon else None
    for name, rows in tables:
        if name == "sources":
            m.sources = _keyed(rows, decoder(SourceState), name, lambda s: s.name)
        elif name == "subscriptions":
            m.subs = _keyed(rows, decoder(Subscription), name, lambda s: s.id)
        elif name == "digest":
            m.digest = {_text(row, "channel", name) for row in rows}
        elif name == "drugs":
            drugs = _decoded(rows, decoder(DrugRecord), name)
            if waiting_events is not None:
                m.book, book_ready, waiting_events = _book(waiting_events, drugs), True, None
        elif name == "events" and lazy is not None:
            lazy_events = LazyEvents(rows, lazy)
        elif name == "events":
            if drugs is None:
                waiting_events = list(rows)
            else:
                m.book, book_ready = _book(rows, drugs), True
        elif name == "deliveries":
            m.deliveries = _keyed(rows, decoder(Delivery), name, lambda d: d.id)
            m.seq = max((d.seq for d in m.deliveries.values()), default=0)
        elif name == "seen":
            for row in rows:
                _at(name, row, m.seen.load_hashes, row)
        elif name == "items":
            if cutoff is not None and not book_ready:
                waiting_items.extend(rows)
            else:
                m.seen.load_items(rows, cutoff, m.book.item_event.__contains__)
    if lazy is not None:  # a reader: no folding, references checked as events decode
        events = lazy_events if lazy_events is not None else LazyEvents((), lazy)
        m.book = LookupBook(events, drugs or ())  # type: ignore[assignment]
        m.seen.load_items(waiting_items, None, bool)
        m.seen.settle()
        return m
    if not book_ready:
        m.book = _book(waiting_events or (), drugs or [])
    m.seen.load_items(waiting_items, cutoff, m.book.item_event.__contains__)
    m.seen.settle()
    _check_references(m.book)
    return m


def snapshot_tables(m: Model) -> list[tuple[str, Iterable[str]]]:
    """Every table's rows as JSON texts, in the order they are written."""
    book = m.book
    return [
        ("sources", (dumps(to_row(s)) for s in m.sources.values())),
        ("subscriptions", (dumps({**to_row(s), "id": s.id}) for s in m.subs.values())),
        ("digest", (dumps({"channel": c}) for c in sorted(m.digest))),
        ("drugs", (dumps(to_row(d)) for d in book.registry.drugs.values())),
        ("events", (dumps(book.row(e)) for e in _all_events(book))),
        ("deliveries", (dumps(to_row(d)) for d in m.deliveries.values())),
        ("seen", m.seen.hash_texts()),
        ("items", m.seen.item_texts()),
    ]


# ---------------------------------------------------------------------- helpers


def _book(rows: Iterable[dict[str, Any]], drugs: list[DrugRecord]) -> EventBook:
    try:
        return EventBook(_event_rows(rows), drugs)
    except (KeyError, TypeError) as exc:  # a row that decoded but does not fit together
        raise RowError(f"table 'events': {type(exc).__name__} {exc}") from None


def _event_rows(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Event rows with the store's own fields checked (the decoder checks the rest)."""
    for row in rows:
        labels, drugs = row.get("_labels", {}), row.get("_drugs", [])
        if type(labels) is not dict or (labels and set(map(type, labels.values())) != _STR):
            raise RowError(f"table 'events', row {row.get('id')!r}: field '_labels' is not "
                           "an object of labels")
        if type(drugs) is not list or (drugs and set(map(type, drugs)) != _STR):
            raise RowError(f"table 'events', row {row.get('id')!r}: field '_drugs' is not a "
                           "list of drug ids")
        # the ids and labels repeat elsewhere (item ids in sources, drug ids in drugs)
        row["_labels"] = {intern(k): intern(v) for k, v in labels.items()}
        row["_drugs"] = [intern(d) for d in drugs]
        yield row


_STR = {str}


def _all_events(book: EventBook) -> list[str]:
    """Every stored event: shown ones, and the hidden ones (held back, repeats) that are
    stored so a crash keeps them (bot/store/index.py)."""
    return [*book.events, *book.held.events, *book.repeats]


def _check_references(book: EventBook) -> None:
    drugs, events = book.registry.drugs, set(_all_events(book))
    for event_id, ids in book.drug_ids.items():
        missing = [d for d in ids if d not in drugs]
        if missing:
            raise RowError(f"event {event_id!r} names drug {missing[0]!r}, which is not stored")
    for drug in drugs.values():
        missing = [e for e in drug.event_ids if e not in events]
        if missing:
            raise RowError(f"drug {drug.id!r} lists event {missing[0]!r}, which is not stored")


def _at(table: str, row: dict[str, Any], fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except RowError as exc:
        raise RowError(f"table {table!r}, row {row.get('id')!r}: {exc}") from None


def _decoded(rows: Iterable[dict[str, Any]], decode: Callable[[Any], Any], table: str
             ) -> list[Any]:
    return [_at(table, row, decode, row) for row in rows]


def _keyed(rows: Iterable[dict[str, Any]], decode: Callable[[Any], Any], table: str,
           key: Callable[[Any], str]) -> dict[str, Any]:
    return {key(obj): obj for obj in _decoded(rows, decode, table)}


def _text(row: dict[str, Any], field_name: str, table: str) -> str:
    value = row.get(field_name)
    if type(value) is not str:
        raise RowError(f"table {table!r}: field {field_name!r} is {value!r}, expected a string")
    return value

