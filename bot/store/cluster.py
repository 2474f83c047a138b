"""Do two reports describe the same real-world event? (pure, deterministic, explainable)

Rules, in order (each verdict carries the reason in words):

1. Different label families (a hold and its lift) never merge.
2. Two known companies that are not the same company never merge.
3. Both name drugs but share none → apart (two drugs of one company the same week).
4. Shared drug, dates within the window → merge. A report outside the window never
   joins an event (issue 12): what was posted keeps its date and duration. When the
   report has the event's label and nothing of the other family happened to the
   drug in between, it is a *repeat* of that event (a round-up weeks later, a stale
   item from another year): it is recorded as seen and changes nothing. Otherwise
   (a re-hold after a lift) it is a new event.
5. One side names no drug: merge only with the same company, within the window,
   and when the event is the company's only event of that family in the window
   (the caller counts; `alone=False` → apart, as the item is ambiguous). Outside
   the window, the same label with nothing in between is a repeat, as in rule 4.

`pick` applies the rules to every event in reach and chooses one: a shared-drug
match before a drug-less one, then the nearest date, then the smallest id; with no
match, the nearest repeat. A report that would fit two existing events joins one of
them; the two are not merged (see test_order.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.models import Candidate, Event, label_family
from bot.store.names import company_key, drug_key, same_company

DEFAULT_WINDOW_DAYS = 10


@dataclass(frozen=True)
class Verdict:
    merge: bool
    reason: str
    repeat: bool = False  # outside the window, same label, nothing in between: ignored


@dataclass(frozen=True)
class Facts:
    """What clustering needs to know about a candidate or an event."""

    id: str
    label: str
    date: date
    company: str | None
    drugs: frozenset[str]  # registry drug ids, or normalised names without a registry


def facts(
    obj: Candidate | Event | Facts,
    *,
    today: date | None = None,
    drugs: Callable[[Candidate | Event], Iterable[str]] | None = None,
) -> Facts:
    if isinstance(obj, Facts):
        return obj
    found = frozenset(drugs(obj) if drugs else _name_keys(obj))
    if isinstance(obj, Candidate):
        when = obj.item.published or today or date.today()
        ex = obj.extraction
        return Facts(obj.item.id, ex.label, when, ex.company, found)
    return Facts(obj.id, obj.label, obj.date, obj.company, found)


def _name_keys(obj: Candidate | Event) -> set[str]:
    mentions = obj.extraction.drugs if isinstance(obj, Candidate) else obj.drugs
    return {drug_key(n) for m in mentions for n in m.names}


def same_event(
    a: Candidate | Event | Facts,
    b: Event | Facts,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    unbroken: bool = False,
    alone: bool = True,
    today: date | None = None,
) -> Verdict:
    """Should A join event B? `unbroken`: no event of the other family for the shared
    drugs (or, drug-less, the company) between the two dates (the caller knows the
    history); `alone`: B is the company's only event of this family within the window
    (for drug-less reports)."""
    fa, fb = facts(a, today=today), facts(b, today=today)
    family = label_family(fa.label)
    if family != label_family(fb.label):
        return Verdict(False, f"different kinds of event: {fa.label} vs {fb.label}")
    if fa.company and fb.company and not same_company(fa.company, fb.company):
        return Verdict(False, f"different companies: {fa.company!r} vs {fb.company!r}")
    days = abs((fa.date - fb.date).days)
    apart = f"{days} days apart (window {window_days})"
    shared = fa.drugs & fb.drugs
    if fa.drugs and fb.drugs:
        if not shared:
            return Verdict(False, "no shared drug")
        named = ", ".join(sorted(shared))
        if days <= window_days:
            return Verdict(True, f"shared drug {named}, both {family}, {apart}")
        if unbroken and fa.label == fb.label:
            return _repeat(f"{named} {fb.label}", apart)
        return Verdict(False, f"shared drug {named} but {apart} and its state changed")
    if not (fa.company and fb.company):
        return Verdict(False, "no drug and no company on one side: nothing to match on")
    if days > window_days:
        if unbroken and fa.label == fb.label:
            return _repeat(f"{company_key(fb.company)} {fb.label}", apart)
        return Verdict(False, f"same company without drug names, but {apart}")
    if not alone:
        return Verdict(
            False,
            f"ambiguous: {company_key(fb.company)} has several {family} "
            "events in the window and the report names no drug",
        )
    return Verdict(True, f"only {family} event of {company_key(fb.company)} in the window, {apart}")


def _repeat(what: str, apart: str) -> Verdict:
    return Verdict(False, f"repeat of {what} with no change in between, {apart}: ignored",
                   repeat=True)


def pick(
    candidate: Facts,
    events: Sequence[Facts],
    *,
    window_days: int,
    unbroken: Callable[[Facts, Facts], bool],
) -> tuple[Facts | None, Verdict]:
    """The event CANDIDATE joins (or None) with the verdict that decided it."""
    family = label_family(candidate.label)
    in_window = [
        e
        for e in events
        if label_family(e.label) == family
        and abs((e.date - candidate.date).days) <= window_days
        and e.company
        and candidate.company
        and same_company(e.company, candidate.company)
    ]
    alone = len(in_window) == 1
    best: tuple[tuple[bool, int, int, str], Facts, Verdict] | None = None
    reasons: list[str] = []
    for event in events:
        verdict = same_event(
            candidate,
            event,
            window_days=window_days,
            alone=alone,
            unbroken=unbroken(candidate, event),
        )
        if not (verdict.merge or verdict.repeat):
            reasons.append(f"{event.id}: {verdict.reason}")
            continue
        rank = (
            verdict.repeat,  # joining an event in the window before ignoring as a repeat
            0 if candidate.drugs & event.drugs else 1,  # a shared drug is the best evidence
            abs((event.date - candidate.date).days),
            event.id,
        )
        if best is None or rank < best[0]:
            best = (rank, event, verdict)
    if best is not None:
        return best[1], best[2]
    why = "; ".join(reasons[:3]) or "no event of this company or drug nearby"
    return None, Verdict(False, f"new event ({why})")


def phase_unbroken(
    drugs: Iterable[str],
    start: date,
    end: date,
    history: Mapping[str, Sequence[tuple[date, str]]],
    family: str,
) -> bool:
    """True when no event of another family touched DRUGS strictly between START and END."""
    lo, hi = min(start, end), max(start, end)
    return not any(
        lo < when < hi and label_family(label) != family
        for drug in drugs
        for when, label in history.get(drug, ())
    )
