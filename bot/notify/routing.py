"""Who gets told about an event, and how: pure functions, no Slack, no store.

`matches` says whether one subscription wants an event (alias-aware).
`decide` turns one `EventChange` into outbox rows (`DeliveryPlan`s):

- a new event → one `post` per destination (ALERT_CHANNEL, then each matching
  subscription's owner; a user gets a DM), however many of its subscriptions match;
- a new lift whose hold was posted to a destination → there, a broadcast `reply`
  in the hold's thread plus an `update` of the hold message; elsewhere a `post`;
- first news waits GROUP_WAIT after the event was created (`not_before`, see
  grouping.py), so reports arriving together reach people as one message;
- another report of a known event → nothing while its first news still waits (that
  message will show it), else an `update` where it was posted (and of the hold a
  lift ended), plus a `reply` when the report is primary; never a second top-level
  post, never a second broadcast; a fresh report (`new_source`) that makes a
  destination match for the first time (it names the drug or target the first
  report left out) → that destination's first news.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import (
    Delivery,
    DeliveryPlan,
    Event,
    EventChange,
    Subscription,
    label_family,
)

log = logging.getLogger(__name__)

Posted = Callable[[str, str], Delivery | None]
DrugNames = Callable[[str], Iterable[str]]
Canonical = Callable[[str], str | None]
SameCompany = Callable[[str | None, str | None], bool]

_NAME_NOISE = re.compile(r"[\s\-_./,()']+")
_LEGAL_SUFFIXES = frozenset(
    ["inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
     "plc", "sa", "ag", "nv", "se", "gmbh", "kk", "holdings", "holding", "group"]
)


# ------------------------------------------------------------------ matching


def _not_known(name: str) -> str | None:
    return None


def _same_company_fallback(a: str | None, b: str | None) -> bool:
    wa, wb = _company_words(a or ""), _company_words(b or "")
    shorter = min(len(wa), len(wb))
    return shorter > 0 and wa[:shorter] == wb[:shorter]


@dataclass(frozen=True)
class NameRules:
    """How names whose rules live in other stages are compared: canonical target and
    indication names (the extractor's lexicons) and "same company" (the store's rule).
    The composition root hands in the real ones (bot/runtime.py `ROUTING_NAMES`), so
    notify imports neither stage; the defaults compare names as written."""

    canonical_target: Canonical = _not_known
    canonical_indication: Canonical = _not_known
    same_company: SameCompany = _same_company_fallback


PLAIN_NAMES = NameRules()


def matches(
    sub: Subscription, event: Event, *, drug_names: DrugNames | None = None,
    names: NameRules = PLAIN_NAMES,
) -> bool:
    """Does `sub` want `event`? `drug_names(name)` may add a drug's known aliases."""
    family = label_family(event.label)
    if sub.only == "holds" and family != "hold":
        return False
    if sub.only == "lifts" and family != "lift":
        return False
    kind = sub.kind
    if kind == "all":
        return True
    if kind == "target":
        target = names.canonical_target
        return _key(sub.value, target) in {_key(t, target) for t in _event_targets(event)}
    if kind == "drug":
        return _name_key(sub.value) in _event_drug_keys(event, drug_names)
    if kind == "company":
        return _company_matches(sub.value, event, names.same_company)
    if kind == "indication":
        indication = names.canonical_indication
        return _key(sub.value, indication) in {_key(i, indication) for i in event.indications}
    if kind == "keyword":
        return _keyword_in(sub.value, _event_text(event))
    return False


def _name_key(name: str) -> str:
    """Case-, space- and hyphen-insensitive key: 'Zevor-Cel' == 'zevor cel' == 'ZEVORCEL'."""
    return _NAME_NOISE.sub("", name.casefold())


def _key(name: str, canonical: Canonical) -> str:
    """The name key of NAME's canonical form (the name itself when it has none)."""
    return _name_key(canonical(name) or name)


def _event_targets(event: Event) -> list[str]:
    return [*event.targets, *(t for drug in event.drugs for t in drug.targets)]


def _event_drug_keys(event: Event, drug_names: DrugNames | None) -> set[str]:
    names = [name for drug in event.drugs for name in drug.names]
    if drug_names is not None:
        names += [alias for name in list(names) for alias in drug_names(name)]
    return {_name_key(name) for name in names}


def _company_words(name: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9]+", name.casefold())
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return tuple(words)


def _company_matches(value: str, event: Event, same_company: SameCompany) -> bool:
    """Same company as the store judges it ('CARsgen' = 'CARsgen Therapeutics Holdings
    Limited'), or the ticker."""
    if event.ticker and _name_key(value) == _name_key(event.ticker):
        return True
    return bool(event.company) and same_company(value, event.company)


def _event_text(event: Event) -> str:
    return "\n".join([event.keywords_text, *(source.title for source in event.sources)])


def _keyword_in(keyword: str, text: str) -> bool:
    words = keyword.split()
    if not words:
        return False
    pattern = r"(?<!\w)" + r"[\s\-]+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


# ------------------------------------------------------------------ deciding


def destinations(
    event: Event,
    subscriptions: Sequence[Subscription],
    alert_channel: str | None,
    *,
    drug_names: DrugNames | None = None,
    names: NameRules = PLAIN_NAMES,
) -> list[str]:
    """ALERT_CHANNEL first, then each matching subscription's owner, each once."""
    found = [alert_channel] if alert_channel else []
    found += [s.owner for s in subscriptions
              if matches(s, event, drug_names=drug_names, names=names)]
    return list(dict.fromkeys(found))


def decide(
    change: EventChange,
    *,
    subscriptions: Sequence[Subscription],
    alert_channel: str | None,
    posted: Posted,
    drug_names: DrugNames | None = None,
    names: NameRules = PLAIN_NAMES,
    group_wait: timedelta = timedelta(0),
) -> list[DeliveryPlan]:
    """The outbox rows for one change. `posted(event_id, destination)` answers how that
    destination first heard (or will hear) of the event: its post or lift reply, pending
    or posted (a failed one does not count; `first_news` picks it from the rows)."""
    event = change.event
    targets = destinations(event, subscriptions, alert_channel, drug_names=drug_names,
                           names=names)
    wait = _not_before(event, group_wait)
    if change.kind == "new":
        return [p for dest in targets for p in _first_news(change, dest, posted, wait)]
    plans: list[DeliveryPlan] = []
    item = change.source.item_id
    hold_id = event.linked_hold_id if label_family(event.label) == "lift" else None
    for dest in targets:
        told = posted(event.id, dest)
        if _waiting(told):
            continue  # its first news has not gone out yet: it will show this report too
        if _live(told):
            plans.append(DeliveryPlan(dest, "update", event.id, item_id=item))
            if hold_id and _live(posted(hold_id, dest)):
                plans.append(DeliveryPlan(dest, "update", hold_id, item_id=item))
            if change.source.primary:
                plans.append(DeliveryPlan(dest, "reply", event.id, item_id=item,
                                          parent_event_id=event.id))
        elif told is None and change.kind == "new_source":
            # A fresh report can name what the first one did not (the drug, its target):
            # a subscriber who matches only now hears of the event now, once.
            plans.extend(_first_news(change, dest, posted, wait))
    return plans


def first_news(rows: Iterable[Delivery], destination: str) -> Delivery | None:
    """Of an event's outbox rows, the one by which DESTINATION first hears of it: its
    post, or a lift's reply in the hold's thread (not a reply announcing a source, not
    an edit), pending or posted; a failed row does not count."""
    found = [r for r in rows if r.destination == destination and r.status != "failed"
             and (r.action == "post" or (r.action == "reply" and r.parent_event_id
                                         and r.parent_event_id != r.event_id))]
    return min(found, key=lambda r: r.seq) if found else None


def _first_news(change: EventChange, dest: str, posted: Posted,
                not_before: datetime | None) -> list[DeliveryPlan]:
    """How `dest` first hears of the event: a post, or for a lift whose hold it saw,
    a broadcast reply in the hold's thread."""
    event = change.event
    hold_id = change.linked_hold.id if change.linked_hold else event.linked_hold_id
    if label_family(event.label) == "lift" and hold_id:
        return _lift(event, hold_id, dest, change, posted, not_before)
    return [DeliveryPlan(dest, "post", event.id, not_before=not_before)]


def _lift(
    event: Event, hold_id: str, dest: str, change: EventChange, posted: Posted,
    not_before: datetime | None,
) -> list[DeliveryPlan]:
    if not _live(posted(hold_id, dest)):
        return [DeliveryPlan(dest, "post", event.id, not_before=not_before)]
    item = change.source.item_id
    return [
        DeliveryPlan(dest, "reply", event.id, item_id=item, parent_event_id=hold_id,
                     broadcast=True, not_before=not_before),
        DeliveryPlan(dest, "update", hold_id, item_id=item, not_before=not_before),
    ]


def _not_before(event: Event, group_wait: timedelta) -> datetime | None:
    if group_wait <= timedelta(0) or event.created_at is None:
        return None
    return event.created_at + group_wait


def _live(delivery: Delivery | None) -> bool:
    return delivery is not None and delivery.status != "failed"


def _waiting(delivery: Delivery | None) -> bool:
    """First news decided but never tried: it renders the event as it is when it goes.
    (A row tried before may be in Slack already, so it is edited like a posted one.)"""
    return delivery is not None and delivery.status == "pending" and delivery.attempts == 0
