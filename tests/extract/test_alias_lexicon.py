"""The alias book's lexicon is built once and grows in place as the book learns (issue 15)."""

from __future__ import annotations

import pytest

from bot.extract import aliases
from bot.extract.aliases import AliasBook
from bot.extract.lexicon import Lexicon
from bot.models import DrugMention, Extraction

TEXT = ("The FDA lifted the hold on ZX-77 (zorvatinib), and on CT053, zevor-cel and "
        "Brandimo; QQ-5 stays on hold. Acme also named Q-Cel-9 and ZX 77.")


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every lexicon the alias book builds from scratch."""
    count: list[int] = []

    class Counting(Lexicon):
        def __init__(self, *args, **kwargs) -> None:
            count.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(aliases, "Lexicon", Counting)
    return count


def _spans(book: AliasBook) -> list[tuple[str, int, int]]:
    return [(h.canonical, h.start, h.end) for h in book.find(TEXT)]


def test_learning_known_names_with_targets_does_not_rebuild(builds: list[int]) -> None:
    """Re-learning drugs the book already knows, targets and all, leaves the lexicon alone."""
    book = AliasBook.default()
    book.lexicon()
    known = Extraction(label="hold", drugs=(
        DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",)),))
    for _ in range(50):
        assert book.learn(known) == []
    book.lexicon()
    assert len(builds) == 1


def test_new_targets_are_learned_without_a_rebuild(builds: list[int]) -> None:
    """A new target for a known drug is remembered; the lexicon is not rebuilt for it."""
    book = AliasBook.default()
    book.lexicon()
    assert book.learn_names(["CT053"], ["TNFRSF17-X"])
    assert "TNFRSF17-X" in book.targets("zevor-cel")
    book.lexicon()
    assert len(builds) == 1


def test_new_names_are_added_in_place_and_found(builds: list[int]) -> None:
    """New aliases and merges grow the built lexicon in place; it finds what a fresh one finds."""
    book = AliasBook.default()
    book.lexicon()
    assert book.learn_names(["zorvatinib", "ZX-77"])
    assert book.learn_names(["Brandimo", "zorvatinib"])  # joins the group just learned
    assert book.learn_names(["QQ-5"])
    assert book.learn_names(["CT053", "Q-Cel-9"])  # a new alias of a curated drug
    assert book.learn_names(["QQ-5", "ZX-77"])  # a merge: no new name
    in_place = _spans(book)
    assert len(builds) == 1
    fresh = AliasBook(curated=[], learned=book.groups())
    assert [(s, e) for _, s, e in in_place] == [(s, e) for _, s, e in _spans(fresh)]
    assert {TEXT[s:e] for _, s, e in in_place} >= {
        "ZX-77", "zorvatinib", "CT053", "zevor-cel", "Brandimo", "QQ-5", "Q-Cel-9", "ZX 77"}
