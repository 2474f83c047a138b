"""Test helpers: events in the shape the store produces, and a small in-memory outbox.

`OutboxStore` implements the outbox part of the documented `Store` API
(docs/ARCHITECTURE.md): event, pending_deliveries, posted_delivery, mark_delivery,
add_deliveries. It stands in only until the relay tests can run on the real store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.models import Delivery, DeliveryPlan, DrugMention, Event, SourceRef, delivery_id


def source(n: int = 1, *, primary: bool = False, title: str | None = None,
           url: str | None = None, outlet: str = "Fierce Biotech") -> SourceRef:
    return SourceRef(
        item_id=f"news:{n}", source="news", title=title or f"CARsgen hold story {n}",
        url=url or f"https://www.fiercebiotech.com/story-{n}", outlet=outlet,
        published=date(2023, 12, 1), primary=primary,
    )


def hold_event(**changes: object) -> Event:
    base = Event(
        id="ev-hold", label="hold", date=date(2023, 12, 12),
        company="CARsgen Therapeutics", ticker="2171.HK",
        drugs=(
            DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",)),
            DrugMention("satricabtagene autoleucel", ("satri-cel", "CT041"), ("Claudin18.2",)),
            DrugMention("CT071", (), ("GPRC5D",)),
        ),
        targets=("BCMA", "Claudin18.2", "GPRC5D"), nct_ids=("NCT04404595",),
        indications=("multiple myeloma",), reason="cmc", scope="program",
        sources=(source(1, primary=True, outlet="CARsgen Therapeutics"), source(2)),
        keywords_text="FDA placed clinical holds on CAR-T cell therapy programmes",
    )
    return replace(base, **changes)


def lift_event(**changes: object) -> Event:
    base = hold_event(
        id="ev-lift", label="lift", date=date(2024, 10, 31), linked_hold_id="ev-hold",
        hold_days=324, sources=(source(10, primary=True, outlet="CARsgen Therapeutics"),),
        keywords_text="FDA lifted the clinical holds",
    )
    return replace(base, **changes)


class OutboxStore:
    def __init__(self, events: list[Event] = ()) -> None:
        self.events = {e.id: e for e in events}
        self.rows: dict[str, Delivery] = {}
        self._seq = 0

    def event(self, id: str) -> Event | None:
        return self.events.get(id)

    def add_deliveries(self, plans: list[DeliveryPlan]) -> list[Delivery]:
        added = []
        for plan in plans:
            key = delivery_id(plan)
            if key in self.rows:
                continue
            self._seq += 1
            self.rows[key] = Delivery(
                id=key, seq=self._seq, destination=plan.destination, action=plan.action,
                event_id=plan.event_id, item_id=plan.item_id,
                parent_event_id=plan.parent_event_id, broadcast=plan.broadcast,
            )
            added.append(self.rows[key])
        return added

    def pending_deliveries(self) -> list[Delivery]:
        return sorted((d for d in self.rows.values() if d.status == "pending"),
                      key=lambda d: d.seq)

    def posted_delivery(self, event_id: str, destination: str) -> Delivery | None:
        """The message that stands for the event in that destination (post or lift reply)."""
        for row in sorted(self.rows.values(), key=lambda d: d.seq):
            if row.event_id != event_id or row.destination != destination:
                continue
            if row.action == "update" or row.parent_event_id == event_id:
                continue
            return row if row.status == "posted" else None
        return None

    def mark_delivery(self, id: str, *, status: str, ts: str | None = None,
                      channel: str | None = None, error: str | None = None) -> Delivery:
        row = self.rows[id]
        row = replace(row, status=status, ts=ts or row.ts, channel=channel or row.channel,
                      error=error, attempts=row.attempts + 1)
        self.rows[id] = row
        return row


# ------------------------------------------------------------ real-store helpers

ZEVOR = DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",))


def candidate(n: int, label: str = "hold", *, day: date = date(2023, 12, 12),
              company: str | None = None, drugs: tuple[DrugMention, ...] | None = None,
              primary: bool = False, title: str | None = None, outlet: str = "Fierce Biotech",
              url: str | None = None):
    """A candidate as the extractor would hand it to the store."""
    from bot.models import Candidate, Extraction, Item

    item = Item(source="news", key=str(n), title=title or f"{label} story {n}",
                url=url or f"https://example.com/{n}", published=day, outlet=outlet,
                hints={"primary": primary})
    drugs = drugs if drugs is not None else (DrugMention(f"drug{n}mab", (f"DX-{n}",), ("BCMA",)),)
    company = company or f"Company{n} Biologics"
    targets = tuple(dict.fromkeys(t for d in drugs for t in d.targets))
    return Candidate(item, Extraction(label=label, company=company, drugs=drugs, targets=targets))
