"""The data that flows between the stages, as frozen dataclasses.

sources -> Item -> extract -> Extraction -> (Item + Extraction = Candidate)
-> store -> Event / DrugRecord / EventChange -> notify -> Delivery.

Every stage imports its vocabulary from here, so a reader can follow one
value from a feed entry to a Slack message. Dicts <-> dataclasses conversion
for storage lives in the store, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Label = Literal["hold", "partial_hold", "lift", "partial_lift", "none"]
EVENT_LABELS: tuple[Label, ...] = ("hold", "partial_hold", "lift", "partial_lift")
LABELS: tuple[Label, ...] = (*EVENT_LABELS, "none")
HOLD_LABELS: frozenset[str] = frozenset({"hold", "partial_hold"})
LIFT_LABELS: frozenset[str] = frozenset({"lift", "partial_lift"})

SourceKind = Literal["rss", "clinicaltrials", "edgar"]
DrugStatus = Literal["on_hold", "partial_hold", "cleared", "unknown"]
SubscriptionKind = Literal["target", "drug", "company", "indication", "keyword", "all"]
SUBSCRIPTION_KINDS: tuple[str, ...] = ("target", "drug", "company", "indication", "keyword", "all")


def label_family(label: str) -> str:
    """'hold' for hold/partial_hold, 'lift' for lift/partial_lift, else 'none'."""
    if label in HOLD_LABELS:
        return "hold"
    if label in LIFT_LABELS:
        return "lift"
    return "none"


# --------------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceConfig:
    """One `[[source]]` entry of the sources TOML file."""

    name: str
    kind: SourceKind
    url: str
    interval_seconds: float = 600.0
    enabled: bool = True
    note: str = ""
    query: str | None = None
    forms: tuple[str, ...] = ()
    archives_url: str | None = None
    outlet: str | None = None  # display name for alerts; defaults to the feed's own title


@dataclass(frozen=True)
class Item:
    """One raw thing a source saw: a feed entry, a registry change, a filing.

    `key` is stable for the same real entry across polls (guid, else link,
    else a hash of title+date) so an edited title is not a new item.
    """

    source: str
    key: str
    title: str
    text: str = ""
    url: str | None = None
    published: date | None = None
    outlet: str | None = None  # "Fierce Biotech", "SEC EDGAR", "ClinicalTrials.gov"
    kind: Literal["news", "press_release", "filing", "registry"] = "news"
    # Facts a structured source already knows (CT.gov sponsor, NCT id, drug
    # names; EDGAR company and ticker). The extractor prefers them to guesses.
    hints: Mapping[str, object] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.source}:{self.key}"


@dataclass(frozen=True)
class SourceState:
    """What the store remembers about one source between polls."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    baselined: bool = False  # first good fetch recorded; later new items are news
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    items_last_time: int = 0
    next_poll: datetime | None = None
    backoff_until: datetime | None = None
    failure_notified: bool = False  # one admin notice per outage, one on recovery
    cursor: Mapping[str, Any] = field(default_factory=dict)  # JSON, source-kind specific


@dataclass(frozen=True)
class FetchResult:
    """What one fetch of one source produced. Pure data; nothing is stored yet."""

    items: tuple[Item, ...]
    state: SourceState  # the state to save *together with* these items
    not_modified: bool = False
    known: int = 0  # entries skipped unparsed because their guid was already seen

    @property
    def fetched(self) -> int:
        """Entries the source served this time: new items plus the skipped known ones."""
        return len(self.items) + self.known


# --------------------------------------------------------------------- extract


@dataclass(frozen=True)
class DrugMention:
    name: str
    aliases: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Trial:
    """A named study ("LUMMICAR-2") and/or its registry id; never a drug."""

    name: str | None = None
    nct_id: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What the extractor read in one item (docs/DESIGN.md `extract` JSON lines)."""

    label: Label
    company: str | None = None
    drugs: tuple[DrugMention, ...] = ()
    targets: tuple[str, ...] = ()
    nct_ids: tuple[str, ...] = ()
    ticker: str | None = None
    indications: tuple[str, ...] = ()
    reason: str | None = None  # cmc | clinical | preclinical | unknown
    scope: str | None = None  # trial | program
    inferred: bool = False  # e.g. a lift inferred from a registry status change
    trials: tuple[Trial, ...] = ()
    evidence: tuple[str, ...] = ()  # the sentence(s) the label rests on
    rules: tuple[str, ...] = ()  # names of the rules that fired (extract --explain)


@dataclass(frozen=True)
class Candidate:
    """An item the extractor labelled as an event, waiting for clustering."""

    item: Item
    extraction: Extraction

    @property
    def label(self) -> Label:
        return self.extraction.label


# ----------------------------------------------------------------------- store


@dataclass(frozen=True)
class PollBatch:
    """One source's poll, ready to be written with the others of its scheduler tick."""

    state: SourceState  # saved in the same write as the items (their validators)
    items: tuple[Item, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    announce: bool = True  # False on a first poll: history is recorded, nothing is posted


@dataclass(frozen=True)
class SourceRef:
    """One report of an event: which item, where, when."""

    item_id: str
    source: str
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    primary: bool = False  # the company's own release, an 8-K/6-K, or the registry
    # The announcement date the report's text states ("On October 31, 2024, … announced"),
    # when it states one; the event's date comes from these before publication dates.
    announced: date | None = None
    evidence: str = ""  # the sentence(s) its label rests on (Extraction.evidence), bounded


@dataclass(frozen=True)
class Event:
    """One real-world clinical-hold event, however many sources reported it."""

    id: str
    label: Label
    date: date
    company: str | None
    ticker: str | None
    drugs: tuple[DrugMention, ...]
    targets: tuple[str, ...]
    nct_ids: tuple[str, ...]
    indications: tuple[str, ...] = ()
    reason: str | None = None
    scope: str | None = None
    sources: tuple[SourceRef, ...] = ()
    linked_hold_id: str | None = None  # a lift's hold
    hold_days: int | None = None  # a lift's hold duration
    lifted_by_id: str | None = None  # a hold's lift
    inferred: bool = False
    created_at: datetime | None = None
    keywords_text: str = ""  # title+text of its reports, for keyword subscriptions
    trials: tuple[Trial, ...] = ()  # named studies and registry ids; never drugs (/drug shows them)


@dataclass(frozen=True)
class EventChange:
    """What one candidate did to the store; notify decides what to post."""

    kind: Literal["new", "new_source", "late_report"]
    event: Event
    source: SourceRef
    linked_hold: Event | None = None


@dataclass(frozen=True)
class DrugRecord:
    id: str
    name: str  # canonical: INN, else short name, else code
    aliases: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    company: str | None = None
    status: DrugStatus = "unknown"
    status_event_id: str | None = None
    status_since: date | None = None
    event_ids: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    hold_days: int | None  # for lifts: days since the hold they end
    ongoing_days: int | None = None  # for an open hold: days so far


@dataclass(frozen=True)
class DrugMatch:
    """Answer to 'which drug is NAME?': exact hit or close suggestions."""

    drug: DrugRecord | None
    suggestions: tuple[str, ...] = ()


# ---------------------------------------------------------------------- notify


@dataclass(frozen=True)
class Subscription:
    owner: str  # channel id (C…/G…) or user id (U…/W…)
    owner_type: Literal["channel", "user"]
    kind: SubscriptionKind
    value: str  # normalised (canonical target, drug canonical name, lower-case keyword…)
    display: str = ""  # what the user typed
    only: Literal["holds", "lifts"] | None = None
    created_by: str | None = None

    @property
    def id(self) -> str:
        return f"{self.owner}|{self.kind}|{self.value.lower()}"


DeliveryAction = Literal["post", "reply", "update"]
DeliveryStatus = Literal["pending", "posted", "failed"]


@dataclass(frozen=True)
class DeliveryPlan:
    """A notification decision, before it is written to the outbox."""

    destination: str  # channel id, or user id for a DM
    action: DeliveryAction
    event_id: str
    item_id: str | None = None  # the report that caused it (for replies/updates)
    parent_event_id: str | None = None  # reply in the thread of this event's post
    broadcast: bool = False  # reply_broadcast for lift replies
    # Not sent before this moment: a new event's first news waits GROUP_WAIT so that the
    # reports arriving together are merged before anyone is told.
    not_before: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """One outbox row: pending -> posted (with ts) or failed (with reason)."""

    id: str
    seq: int  # global order of decisions; posting follows it per destination
    destination: str
    action: DeliveryAction
    event_id: str
    status: DeliveryStatus = "pending"
    item_id: str | None = None
    parent_event_id: str | None = None
    broadcast: bool = False
    ts: str | None = None
    channel: str | None = None  # the id Slack answered with (a DM channel for users)
    attempts: int = 0
    error: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    not_before: datetime | None = None  # see DeliveryPlan.not_before


def delivery_id(plan: DeliveryPlan) -> str:
    """Stable key of a decision, so deciding twice writes one row."""
    if plan.action == "post":
        return f"{plan.event_id}|{plan.destination}|post"
    return f"{plan.event_id}|{plan.destination}|{plan.action}|{plan.item_id or ''}"
