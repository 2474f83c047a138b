"""Candidates built straight from bot.models (no extractor), and a store on a temp file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from bot.extract.targets import canonical_target
from bot.models import Candidate, DrugMention, Extraction, Item, SourceState
from bot.store import Store

NOW = datetime(2024, 11, 5, 9, 0, tzinfo=UTC)


def drug(name: str, *aliases: str, targets: Sequence[str] = ()) -> DrugMention:
    return DrugMention(name, tuple(aliases), tuple(targets))


def cand(
    key: str,
    label: str,
    published: date | None,
    *drugs: DrugMention,
    company: str | None = "CARsgen Therapeutics",
    source: str = "news",
    primary: bool = False,
    title: str | None = None,
    targets: Sequence[str] = (),
    indications: Sequence[str] = (),
) -> Candidate:
    item = Item(
        source=source,
        key=key,
        title=title or f"{company} {label} report {key}",
        url=f"https://example.com/{key}",
        published=published,
        hints={"primary": primary},
    )
    extraction = Extraction(
        label=label,  # type: ignore[arg-type]
        company=company,
        drugs=tuple(drugs),
        targets=tuple(targets),
        indications=tuple(indications),
    )
    return Candidate(item, extraction)


def open_store(path: Path, now: datetime = NOW, **kwargs: object) -> Store:
    """A store as the bot opens one: targets named through the extractor's lexicon."""
    kwargs.setdefault("target_lexicon", canonical_target)
    return Store(path, clock=lambda: now, **kwargs)  # type: ignore[arg-type]


def add(store: Store, *cands: Candidate, source: str = "news") -> list:
    """One poll cycle holding these candidates (and their items)."""
    return store.commit_poll(SourceState(name=source), [c.item for c in cands], list(cands))


def canonical(store: Store) -> frozenset[tuple[frozenset[str], str]]:
    """Order-free picture of the events: which item ids form each event, and its label."""
    return frozenset(
        (frozenset(s.item_id for s in e.sources), e.label)
        for e in store.recent_events(10_000)
    )


def item_sets(store: Store) -> set[frozenset[str]]:
    return {frozenset(s.item_id for s in e.sources) for e in store.recent_events(10_000)}


def ids(*keys: str, source: str = "news") -> frozenset[str]:
    return frozenset(f"{source}:{k}" for k in keys)


def all_items(cands: Iterable[Candidate]) -> list[Item]:
    return [c.item for c in cands]
