"""Test helpers: events in the shape the store produces, candidates for the real store,
and a clock that moves only when the code under test sleeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.models import Candidate, DrugMention, Event, Extraction, Item, SourceRef


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


# ------------------------------------------------------------ real-store helpers

ZEVOR = DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",))


def candidate(n: int, label: str = "hold", *, day: date = date(2023, 12, 12),
              company: str | None = None, drugs: tuple[DrugMention, ...] | None = None,
              primary: bool = False, title: str | None = None, outlet: str = "Fierce Biotech",
              url: str | None = None):
    """A candidate as the extractor would hand it to the store."""
    item = Item(source="news", key=str(n), title=title or f"{label} story {n}",
                url=url or f"https://example.com/{n}", published=day, outlet=outlet,
                hints={"primary": primary})
    drugs = drugs if drugs is not None else (DrugMention(f"drug{n}mab", (f"DX-{n}",), ("BCMA",)),)
    company = company or f"Company{n} Biologics"
    targets = tuple(dict.fromkeys(t for d in drugs for t in d.targets))
    return Candidate(item, Extraction(label=label, company=company, drugs=drugs, targets=targets))
