"""Rows ⇄ dataclasses (bot/store/codec.py): dates and times round-trip, and a row that
does not fit names the field and the form it should have."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.models import Item, SourceState
from bot.store.codec import RowError, decoder, to_row


def test_dates_and_times_round_trip() -> None:
    item = Item(source="news", key="k", title="t", published=date(2024, 10, 31))
    state = SourceState(name="news", last_success=datetime(2024, 10, 31, 8, 5, tzinfo=UTC))
    assert decoder(Item)(to_row(item)) == item
    assert decoder(SourceState)(to_row(state)) == state


@pytest.mark.parametrize(("cls", "row", "message"), [
    (Item, {"source": "news", "key": "k", "title": "t", "published": "2024-13-01"},
     "field 'published' is '2024-13-01' (str), expected a date (YYYY-MM-DD)"),
    (Item, {"source": "news", "key": "k", "title": "t", "published": 20241031},
     "field 'published' is 20241031 (int), expected a date (YYYY-MM-DD)"),
    (SourceState, {"name": "news", "last_success": "yesterday"},
     "field 'last_success' is 'yesterday' (str), expected a date and time (ISO 8601)"),
])
def test_a_bad_date_or_time_names_the_field_and_the_form(cls: type, row: dict[str, object],
                                                         message: str) -> None:
    with pytest.raises(RowError) as err:
        decoder(cls)(row)
    assert str(err.value) == message
