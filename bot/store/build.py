"""Building events from reports (pure): a new event, a report joining one, a split.

An event's date is a fact of its reports (issue 12): the earliest announcement date a
report states (bot.store.dates), else the earliest publication date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from bot.models import Candidate, Event, Label, SourceRef, Trial
from bot.store import dates
from bot.store.names import drug_key
from bot.store.targets import canonical_targets

# Report text for keyword subscriptions. Routing reads it while `commit_poll` decides
# (`decide`), when the reports of that poll are at hand in full (up to KEYWORDS_MAX per
# event). The file keeps only the first KEYWORDS_KEPT characters (the first report's
# headline and lede; every report's headline is in `sources`): the full text was 28 of
# 36 MB at 100k items, and a later report is matched on its own full text when it comes.
KEYWORDS_MAX = 4000
KEYWORDS_KEPT = 500
EVIDENCE_KEPT = 600  # characters of a report's evidence kept (alerts quote up to 300)


def event_id_for(item_id: str) -> str:
    """Stable event id: derived from the report that created the event."""
    return "ev-" + hashlib.sha1(item_id.encode()).hexdigest()[:12]


def new_event(cand: Candidate, ref: SourceRef, when: date, now: datetime) -> Event:
    """The event CAND starts (REF: its source_ref; WHEN: its date, see report_date)."""
    ex = cand.extraction
    return Event(
        id=event_id_for(cand.item.id),
        label=ex.label,
        date=event_date((ref,), when),
        company=ex.company,
        ticker=ex.ticker,
        drugs=(),
        targets=canonical_targets(ex.targets),
        nct_ids=ex.nct_ids,
        indications=ex.indications,
        reason=ex.reason,
        scope=ex.scope,
        sources=(ref,),
        inferred=ex.inferred,
        created_at=now,
        keywords_text=keywords(cand)[:KEYWORDS_MAX],
        trials=union_trials(ex.trials),
    )


def merge(event: Event, cand: Candidate, ref: SourceRef, when: date) -> Event:
    ex = cand.extraction
    sources = tuple(
        sorted((*event.sources, ref), key=lambda s: (not s.primary, report_day(s) or when,
                                                     s.item_id))
    )
    return replace(
        event,
        date=event_date(sources, min(event.date, when)),
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
        trials=union_trials(event.trials, ex.trials),
    )


def absorb(event: Event, other: Event) -> Event:
    """EVENT with the reports of OTHER (a held-back event its words name) joined in."""
    sources = tuple(sorted((*event.sources, *other.sources),
                           key=lambda s: (not s.primary, report_day(s) or event.date, s.item_id)))
    return replace(
        event,
        date=event_date(sources, min(event.date, other.date)),
        nct_ids=union(event.nct_ids, other.nct_ids),
        targets=union(event.targets, other.targets),
        indications=union(event.indications, other.indications),
        reason=event.reason or other.reason,
        scope=event.scope or other.scope,
        sources=sources,
        keywords_text=f"{event.keywords_text}\n{other.keywords_text}"[:KEYWORDS_MAX],
        trials=union_trials(event.trials, other.trials),
    )


def split(
    event: Event, later: Sequence[SourceRef], labels: dict[str, Label]
) -> tuple[Event, Event]:
    """EVENT without LATER, and a new event of LATER (the part holding the report that
    created EVENT keeps its id, so alerts already posted still point at the right part)."""
    earlier = [s for s in event.sources if s not in later]

    def part(refs: Sequence[SourceRef], id_: str) -> Event:
        first = min(refs, key=lambda r: (report_day(r) or event.date, r.item_id))
        return replace(
            event,
            id=id_ or event_id_for(first.item_id),
            sources=tuple(refs),
            date=event_date(refs, event.date),
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
    ex = cand.extraction
    return SourceRef(
        item_id=item.id,
        source=item.source,
        title=item.title,
        url=item.url,
        outlet=item.outlet,
        published=item.published,
        primary=bool(item.hints.get("primary")),
        announced=announced(cand),
        evidence=" ".join(s.strip() for s in ex.evidence if s.strip())[:EVIDENCE_KEPT],
    )


def announced(cand: Candidate) -> date | None:
    """The announcement date the report states (bot.store.dates), if any."""
    item = cand.item
    found, _rule = dates.stated_date(cand.extraction.evidence, item.title, item.text,
                                     item.published)
    return found


def report_day(ref: SourceRef) -> date | None:
    """A report's date: the announcement date it states, else when it was published."""
    return ref.announced or ref.published


def report_date(ref: SourceRef, today: date) -> date:
    return report_day(ref) or today


def event_date(sources: Sequence[SourceRef], fallback: date) -> date:
    """The earliest stated announcement date; else the earliest publication; else FALLBACK."""
    stated = [s.announced for s in sources if s.announced]
    if stated:
        return min(stated)
    published = [s.published for s in sources if s.published]
    return min(published) if published else fallback


def union_trials(*groups: Iterable[Trial]) -> tuple[Trial, ...]:
    """Trials once each, by NCT id or name; a name and an id seen apart and then together
    become one trial."""
    out: list[Trial] = []
    for trial in (t for g in groups for t in g):
        if not (trial.name or trial.nct_id):
            continue
        for i, known in enumerate(out):
            if _same(known, trial):
                out[i] = Trial(known.name or trial.name, known.nct_id or trial.nct_id)
                break
        else:
            out.append(trial)
    return tuple(out)


def _same(a: Trial, b: Trial) -> bool:
    if a.nct_id and b.nct_id:
        return a.nct_id.upper() == b.nct_id.upper()
    return bool(a.name and b.name) and drug_key(a.name or "") == drug_key(b.name or "")


def keywords(cand: Candidate) -> str:
    return f"{cand.item.title}\n{cand.item.text}".strip()


def union(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for g in groups for v in g))


def longer(a: str | None, b: str | None) -> str | None:
    return a if not b or (a and len(a) >= len(b)) else b
