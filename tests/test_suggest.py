"""One "did you mean" (bot/suggest.py): each named example, and every caller uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.commands.vocab import resolve
from bot.store import Store
from bot.suggest import EXAMPLES, suggest
from tests.commands.seed import seeded_store


@pytest.mark.parametrize(("typed", "names", "offered"), EXAMPLES,
                         ids=[typed for typed, _, _ in EXAMPLES])
def test_named_example(typed: str, names: tuple[str, ...], offered: tuple[str, ...]) -> None:
    """Each example in bot/suggest.py EXAMPLES offers exactly what it says."""
    assert suggest(typed, names) == offered


def test_aliases_offer_their_canonical_name_once() -> None:
    """Two spellings of one drug both close to the query: the drug is offered once."""
    names = {"zevor-cel": "zevorcabtagene autoleucel", "zevorcel": "zevorcabtagene autoleucel",
             "satri-cel": "satricabtagene autoleucel"}
    assert suggest("zevor-cell", names) == ("zevorcabtagene autoleucel",)


def test_store_lookup_and_subscription_offer_the_same_names(tmp_path: Path) -> None:
    """`/drug zevor-cell` and `/holds subscribe drug zevor-cell` ask the same function."""
    store: Store = seeded_store(tmp_path)
    try:
        looked_up = store.find_drug("zevor-cell").suggestions
        subscribed = resolve(store, "drug", "zevor-cell").suggestions
    finally:
        store.close()
    assert looked_up == subscribed == ("zevorcabtagene autoleucel",)
