"""Pure answers to lookups, shared by the slash commands and `python -m bot drug|target`.

Each builder reads the store (queries only) and returns a `Reply`: a complete
plain-text rendering and Block Kit blocks within Slack's limits. What a reply knows
of names beyond the store (the curated alias file, the target lexicon; both read by
the extractor's code) is handed to it, so a one-shot lookup loads only what its
answer needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from bot import messages
from bot.commands import render
from bot.commands.kit import Doc, Fmt, Reply, compose, text_reply, truncate
from bot.models import (
    ALL_VALUE,
    DrugMatch,
    DrugRecord,
    Event,
    SourceConfig,
    SourceState,
    Subscription,
    TimelineEntry,
)
from bot.suggest import suggest

__all__ = [
    "Reply",
    "active_reply",
    "drug_reply",
    "help_reply",
    "recent_reply",
    "status_reply",
    "subscriptions_reply",
    "target_reply",
]

MAX_RECENT = 50

Curated = Callable[[str], Sequence[str] | None]  # a name -> its drug's names in the curated file
Canonical = Callable[[str], str | None]  # a target's spelling -> its canonical name


class LookupStore(Protocol):
    """The store queries the replies use (bot.store.Store provides them)."""

    def find_drug(self, name: str) -> DrugMatch: ...
    def timeline(self, drug_id: str) -> list[TimelineEntry]: ...
    def drugs_by_target(self, name: str) -> list[DrugRecord]: ...
    def known_names(self, kind: str) -> list[str]: ...
    def recent_events(self, n: int, *, labels: Sequence[str] | None = None) -> list[Event]: ...
    def held_drugs(self) -> list[DrugRecord]: ...


def drug_reply(store: LookupStore, name: str, *, today: date, curated: Curated) -> Reply:
    """The drug under any of its names: status, company, targets, aliases, hold history;
    for a drug no event names yet, what CURATED knows of it."""
    name = name.strip()
    if not name:
        return text_reply(messages.USAGE_DRUG)
    match = store.find_drug(name)
    if match.drug is None:
        known = curated(name)
        if known:  # listed in the curated alias file, but no event names it yet
            return text_reply(messages.drug_without_history(name, known))
        return text_reply(messages.drug_not_found(name, match.suggestions))
    drug = match.drug
    timeline = store.timeline(drug.id)
    # An event naming several drugs cannot say which indication or trial is whose: its
    # facts count for this drug only when no report about it alone has any.
    events = [entry.event for entry in timeline]
    alone = [e for e in events if len(e.drugs) <= 1]
    indications = _indications(alone)
    shared = not indications
    indications = indications or _indications(events)
    trials = render.trials_of(alone)
    shared_trials = not trials
    trials = trials or render.trials_of(events)

    def doc(f: Fmt) -> Doc:
        facts = [f"{f.bold('Status:')} {render.status_text(f, drug, today)}"]
        if drug.company:
            facts.append(f"{f.bold('Company:')} {_company(f, drug.company, timeline)}")
        targets = render.names(f, drug.targets) if drug.targets else "not known"
        facts.append(f"{f.bold('Targets:')} {targets}")
        if indications:
            note = f" {messages.SHARED_REPORTS}" if shared else ""
            facts.append(f"{f.bold('Indications:')} {render.names(f, indications)}{note}")
        if trials:
            note = f" {messages.SHARED_REPORTS}" if shared_trials else ""
            facts.append(f"{f.bold('Trials:')} {render.trial_list(f, trials)}{note}")
        if drug.aliases:
            facts.append(f"{f.bold('Also known as:')} {render.names(f, drug.aliases)}")
        history = [f.bold("Hold history (oldest first):")]
        history += [
            render.event_line(
                f, entry.event, hold_days=entry.hold_days, ongoing_days=entry.ongoing_days,
                with_drugs=False,
            )
            for entry in timeline
        ] or ["• no events recorded"]
        return drug.name, [facts, history]

    return compose(doc)


def _indications(events: Sequence[Event]) -> list[str]:
    return list(dict.fromkeys(i for e in events for i in e.indications))


def _company(f: Fmt, company: str, timeline: Sequence[TimelineEntry]) -> str:
    """The company, with the latest ticker any of its events carried."""
    tickers = [e.event.ticker for e in timeline if e.event.ticker]
    text = render.name(f, company)
    return f"{text} ({render.name(f, tickers[-1])})" if tickers else text


def target_reply(store: LookupStore, name: str, *, canonical: Canonical,
                 today: date | None = None) -> Reply:
    """Every drug against a target (the store is alias-aware through its lexicon; CANONICAL
    names the target in the answer), held ones first."""
    name = name.strip()
    if not name:
        return text_reply(messages.USAGE_TARGET)
    shown = canonical(name) or name
    drugs = store.drugs_by_target(name)
    if not drugs:
        suggestions = suggest(name, store.known_names("target"))
        return text_reply(messages.target_not_found(shown, suggestions))
    order = {"on_hold": 0, "partial_hold": 1, "cleared": 2, "unknown": 3}
    drugs = sorted(drugs, key=lambda d: (order.get(d.status, 4), d.name.casefold()))
    day = today or date.today()

    def doc(f: Fmt) -> Doc:
        return f"Drugs against {shown}", [[render.drug_line(f, d, day) for d in drugs]]

    return compose(doc)


def recent_reply(store: LookupStore, n: int = 10) -> Reply:
    """The last `n` events, newest first."""
    n = max(1, min(n, MAX_RECENT))
    events = store.recent_events(n)
    if not events:
        return text_reply(messages.NO_RECENT)

    def doc(f: Fmt) -> Doc:
        title = f"Last {len(events)} clinical-hold events"
        return title, [[render.event_line(f, event) for event in events]]

    return compose(doc)


def active_reply(store: LookupStore, today: date) -> Reply:
    """Drugs on hold now, longest-held first, with days on hold."""
    held = sorted(store.held_drugs(), key=lambda d: (d.status_since or today, d.name.casefold()))
    if not held:
        return text_reply(messages.NO_ACTIVE)

    def doc(f: Fmt) -> Doc:
        title = f"{len(held)} drug{'s' if len(held) != 1 else ''} on clinical hold"
        return title, [[render.drug_line(f, d, today) for d in held]]

    return compose(doc)


def subscription_words(sub: Subscription) -> str:
    """`target BCMA (holds only)` — the plain description of one subscription."""
    if sub.kind == "all" or sub.value == ALL_VALUE:
        text = "all events"
    else:
        text = f"{sub.kind} {sub.value}"
        if sub.display and sub.display.casefold() != sub.value.casefold():
            text += f" (typed as “{sub.display}”)"
    if sub.only:
        text += f" — {messages.ONLY_WORDS[sub.only]}"
    return text


def subscriptions_reply(subs: Sequence[Subscription]) -> Reply:
    if not subs:
        return text_reply(messages.NO_SUBSCRIPTIONS)
    ordered = sorted(subs, key=lambda s: (s.kind, s.value.casefold()))

    def doc(f: Fmt) -> Doc:
        title = f"{len(ordered)} subscription{'s' if len(ordered) != 1 else ''}"
        return title, [[f"• {f.esc(subscription_words(s))}" for s in ordered]]

    return compose(doc)


def status_reply(
    sources: Sequence[SourceConfig], states: Mapping[str, SourceState], now: datetime,
    *, tz: str = "UTC", running: str | None = messages.RUNNING_HERE,
) -> Reply:
    """Each source's health: schedule, last success, last error, failures, and — only
    while a bot is running (`running` says which; None: none is) — the next poll.
    Times shown in `tz` (the TZ setting)."""
    if not sources:
        return text_reply(messages.NO_SOURCES)

    def doc(f: Fmt) -> Doc:
        head = [f.esc(running if running is not None else messages.NOT_RUNNING)]
        paragraphs = [
            _source_lines(f, s, states.get(s.name, SourceState(s.name)), now, tz,
                          scheduled=running is not None)
            for s in sources
        ]
        enabled = sum(1 for s in sources if s.enabled)
        failing = sum(1 for s in sources if states.get(s.name, SourceState(s.name))
                      .consecutive_failures)
        title = f"Sources: {len(sources)} configured, {enabled} enabled, {failing} failing"
        return title, [head, *paragraphs]

    return compose(doc)


def _source_lines(
    f: Fmt, source: SourceConfig, state: SourceState, now: datetime, tz: str, *,
    scheduled: bool,
) -> list[str]:
    never = messages.NEVER
    every = render.interval(source.interval_seconds)
    head = f"{f.bold(f.esc(source.name))} ({source.kind}, every {every})"
    if not source.enabled:
        head += " — disabled" + (f": {f.esc(source.note)}" if source.note else "")
    elif state.consecutive_failures:
        head = f"{f.emoji(':red_circle:')}{head} — failing"
    else:
        head = f"{f.emoji(':large_green_circle:')}{head}"
    success = render.ago(state.last_success, now, tz) if state.last_success else never
    lines = [head, f"Last success: {success} · items last time: {state.items_last_time}"]
    if state.last_error:
        when = f", {render.ago(state.last_error_at, now, tz)}" if state.last_error_at else ""
        lines.append(
            f"Last error{when}: {f.esc(truncate(state.last_error, 300))} · "
            f"consecutive failures: {state.consecutive_failures}"
        )
    if source.enabled and scheduled:
        upcoming = state.backoff_until or state.next_poll
        lines.append(f"Next poll: {render.ago(upcoming, now, tz) if upcoming else 'due now'}")
    return lines


def help_reply() -> Reply:
    def doc(f: Fmt) -> Doc:
        return messages.HELP_TITLE, [
            [f"• {f.esc(line)}" for line in messages.HELP_LINES],
            [f.esc(messages.HELP_FOOTER)],
        ]

    return compose(doc)
