"""Building events from reports (pure): a new event, a report joining one, a split."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from bot.models import Candidate, Event, Label, SourceRef
from bot.store.targets import canonical_targets

# Report text for keyword subscriptions. Routing reads it while `commit_poll` decides
# (`decide`), when the reports of that poll are at hand in full (up to KEYWORDS_MAX per
# event). The file keeps only the first KEYWORDS_KEPT characters (the first report's
# headline and lede; every report's headline is in `sources`): the full text was 28 of
# 36 MB at 100k items, and a later report is matched on its own full text when it comes.
KEYWORDS_MAX = 4000
KEYWORDS_KEPT = 500


def event_id_for(item_id: str) -> str:
    """Stable event id: derived from the report that created the event."""
    return "ev-" + hashlib.sha1(item_id.encode()).hexdigest()[:12]


def new_event(cand: Candidate, when: date, now: datetime) -> Event:
    ex = cand.extraction
    return Event(
        id=event_id_for(cand.item.id),
        label=ex.label,
        date=when,
        company=ex.company,
        ticker=ex.ticker,
        drugs=(),
        targets=canonical_targets(ex.targets),
        nct_ids=ex.nct_ids,
        indications=ex.indications,
        reason=ex.reason,
        scope=ex.scope,
        sources=(source_ref(cand),),
        inferred=ex.inferred,
        created_at=now,
        keywords_text=keywords(cand)[:KEYWORDS_MAX],
        trials=ex.trials,
    )


def merge(event: Event, cand: Candidate, when: date) -> Event:
    ex = cand.extraction
    ref = source_ref(cand)
    sources = tuple(
        sorted((*event.sources, ref), key=lambda s: (not s.primary, s.published or when, s.item_id))
    )
    return replace(
        event,
        date=min(event.date, when),
        company=longer(event.company, ex.company),
        ticker=event.ticker or ex.ticker,
        targets=union(event.targets, canonical_targets(ex.targets)),
        nct_ids=union(event.nct_ids, ex.nct_ids),
        indications=union(event.indications, ex.indications),
        reason=event.reason or ex.reason,
        scope=event.scope or ex.scope,
        sources=sources,
        inferred=event.inferred and ex.inferred,
        keywords_text=f"{event.keywords_text}\n{keywords(cand)}"[:KEYWORDS_MAX],
        trials=tuple(dict.fromkeys((*event.trials, *ex.trials))),
    )


def split(
    event: Event, later: Sequence[SourceRef], labels: dict[str, Label]
) -> tuple[Event, Event]:
    """EVENT without LATER, and a new event of LATER (the part holding the report that
    created EVENT keeps its id, so alerts already posted still point at the right part)."""
    earlier = [s for s in event.sources if s not in later]

    def part(refs: Sequence[SourceRef], id_: str) -> Event:
        first = min(refs, key=lambda r: (r.published or event.date, r.item_id))
        return replace(
            event,
            id=id_ or event_id_for(first.item_id),
            sources=tuple(refs),
            date=min(r.published or event.date for r in refs),
            label=labels[refs[0].item_id],
            linked_hold_id=None,
            hold_days=None,
            lifted_by_id=None,
        )

    later_is_original = any(event_id_for(r.item_id) == event.id for r in later)
    if later_is_original:
        return part(later, event.id), part(earlier, "")
    return part(earlier, event.id), part(later, "")


def source_ref(cand: Candidate) -> SourceRef:
    item = cand.item
    return SourceRef(
        item_id=item.id,
        source=item.source,
        title=item.title,
        url=item.url,
        outlet=item.outlet,
        published=item.published,
        primary=bool(item.hints.get("primary")),
    )


def keywords(cand: Candidate) -> str:
    return f"{cand.item.title}\n{cand.item.text}".strip()


def union(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for g in groups for v in g))


def longer(a: str | None, b: str | None) -> str | None:
    return a if not b or (a and len(a) >= len(b)) else b
