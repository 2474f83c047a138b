"""A small real store for command tests, filled through the store's public API.

CARsgen's three CAR-T programmes (held, then lifted on 31 Oct 2024, as in
docs/DESIGN.md), one drug still on hold, and a company name carrying hostile markup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.extract.targets import canonical_target
from bot.models import Candidate, DrugMention, Extraction, Item, SourceState, Trial
from bot.store import Store

NOW = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
TODAY = NOW.date()

ZEVOR = DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",))
SATRI = DrugMention("satricabtagene autoleucel", ("satri-cel", "CT041"), ("Claudin18.2",))
CT071 = DrugMention("CT071", (), ("GPRC5D",))
CARSGEN = {"company": "CARsgen Therapeutics", "ticker": "2171.HK",
           "drugs": (ZEVOR, SATRI, CT071), "targets": ("BCMA", "Claudin18.2", "GPRC5D"),
           "indications": ("multiple myeloma",), "reason": "cmc", "scope": "program",
           "nct_ids": ("NCT03915184",), "trials": (Trial("LUMMICAR-2", "NCT03915184"),)}
HOSTILE = DrugMention("HX-101", (), ("BCMA",))


def item(key: str, title: str, published: date, *, url: str | None = None,
         outlet: str = "Fierce Biotech") -> Item:
    return Item(source="news", key=key, title=title, text=title, published=published,
                url=url or f"https://news.example.com/{key}", outlet=outlet)


def candidates() -> list[Candidate]:
    return [
        Candidate(item("carsgen-hold", "FDA places clinical holds on CARsgen CAR-T INDs",
                       date(2024, 5, 17)), Extraction(label="hold", **CARSGEN)),
        Candidate(item("carsgen-lift", "FDA lifts clinical holds on CARsgen CAR-T programmes",
                       date(2024, 10, 31), outlet="Endpoints News"),
                  Extraction(label="lift", **CARSGEN)),
        Candidate(item("hx-hold", "FDA halts <!channel> HX-101 myeloma trial",
                       date(2024, 10, 29), url="https://evil.example|FDA.gov"),
                  Extraction(label="partial_hold", company="<!channel> Pharma & Co",
                             drugs=(HOSTILE,), targets=("BCMA",),
                             indications=("multiple myeloma",))),
    ]


def seeded_store(path: Path) -> Store:
    store = Store(path / "holdwatch.json", clock=lambda: NOW,
                  target_lexicon=canonical_target)  # as the bot opens it
    cands = candidates()
    store.commit_poll(SourceState("news", baselined=True), [c.item for c in cands], cands)
    return store
