"""Filling in what the extractor missed from what the report's words name (pure).

Forward: a report without a company, or without drugs, is searched for the names of
the open events (same label family, within the window; bot.store.mentions). When one
event is named more strongly than any other, the report takes that event's company,
and the event's drugs it names. A report that names drugs of its own that none of
those events has is about something else and is left as it is: a competitor's hold
mentioned in passing must not pull the report into the other company's event.
(`owner`, before any of that: drugs the store knows belong to one company tell a
report without a company whose it is.)

Reverse: an event without a company whose own reports' words name the report's
company or drugs is that company's event (the first report's company was missed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.models import Candidate, DrugMention, Event
from bot.store.mentions import Known, Named, known_names, named, report_text, strongest
from bot.store.names import company_forms, drug_key, same_company


@dataclass(frozen=True)
class Attribution:
    candidate: Candidate
    reason: str | None = None  # what was filled in, and from which event


def known(event: Event, drug_names: Mapping[str, Sequence[str]]) -> Known:
    """The names EVENT is known by (DRUG_NAMES: its registry drug ids -> names)."""
    ids = [*event.nct_ids, *(t.name or "" for t in event.trials),
           *(t.nct_id or "" for t in event.trials)]
    return Known(
        event_id=event.id,
        company=company_forms(event.company),
        drugs={d: known_names(n) for d, n in drug_names.items()},
        ids=known_names(ids),
        ticker=event.ticker,
    )


def attribute(
    cand: Candidate, knowns: Sequence[Known], mention: Callable[[str], DrugMention],
) -> Attribution:
    """CAND with the company and drugs its words name filled in from the open events
    (MENTION: a registry drug id as a DrugMention)."""
    ex = cand.extraction
    if ex.company and ex.drugs:
        return Attribution(cand)
    text = report_text(cand.item.title, cand.item.text)
    best, tie = strongest(text, knowns)
    if best is None:
        return Attribution(cand, "names two open events equally: left as it is" if tie else None)
    event = next(k for k in knowns if k.event_id == best.event_id)
    own = {drug_key(n) for m in ex.drugs for n in m.names}
    theirs = {d: {drug_key(n) for n in names} for d, names in event.drugs.items()}
    if own and theirs and not any(own & keys for keys in theirs.values()):
        return Attribution(cand, f"names {event.event_id} but its own drugs are not that event's")
    company = ex.company or (event.company[0] if event.company else None)
    if ex.company and event.company and not same_company(ex.company, event.company[0]):
        return Attribution(cand, f"names {event.event_id} but is about another company")
    drugs = list(ex.drugs)
    for drug_id in sorted(best.drug_ids):
        if not own & theirs[drug_id]:
            drugs.append(mention(drug_id))
    changed = company != ex.company or len(drugs) != len(ex.drugs)
    if not changed:
        return Attribution(cand)
    filled = replace(ex, company=company, drugs=tuple(drugs), ticker=ex.ticker or (
        event.ticker if best.ticker else None))
    return Attribution(replace(cand, extraction=filled), _why(best))


def owner(cand: Candidate, company_of: Callable[[str], set[str | None]]) -> Candidate:
    """CAND with the company its drugs belong to, when the extractor read none and the
    store knows all its drugs as one company's (COMPANY_OF: a name -> its drugs' companies)."""
    ex = cand.extraction
    if ex.company or not ex.drugs:
        return cand
    owners = {c for m in ex.drugs for n in m.names for c in company_of(n)}
    if len(owners) != 1 or None in owners:
        return cand
    return replace(cand, extraction=replace(ex, company=owners.pop()))


def _why(best: Named) -> str:
    found = [what for what, yes in (("company", best.company), ("drugs", best.drug_ids),
                                    ("trial ids", best.ids), ("ticker", best.ticker)) if yes]
    return f"text names the {', '.join(found)} of {best.event_id}"


def names_candidate(event: Event, cand: Candidate) -> bool:
    """Reverse: do EVENT's own reports name CAND's company (or its drugs)?"""
    ex = cand.extraction
    text = "\n".join([event.keywords_text, *(s.title for s in event.sources)])
    mine = Known(
        event_id=cand.item.id,
        company=company_forms(ex.company),
        drugs={str(i): known_names(m.names) for i, m in enumerate(ex.drugs)},
        ticker=ex.ticker,
    )
    return bool(named(text, mine))
