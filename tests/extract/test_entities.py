"""Entities: alias groups, company and ticker, targets and NCT ids from text."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.extract.company import find_company
from bot.extract.ticker import find_ticker
from bot.models import DrugMention, Extraction, Item


def _x(title: str, text: str = "", **hints: object) -> Extraction:
    return extract(Item(source="t", key="k", title=title, text=text, hints=hints),
                   AliasBook())


def _names(ex: Extraction) -> list[set[str]]:
    return [set(d.names) for d in ex.drugs]


def test_alias_group_in_parentheses() -> None:
    """"INN (short, code)" becomes one drug named by its INN."""
    ex = _x("FDA lifts hold", "The FDA lifted the clinical hold on zevorcabtagene autoleucel "
            "(zevor-cel, CT053), a BCMA CAR-T.")
    assert ex.drugs[0].name == "zevorcabtagene autoleucel"
    assert set(ex.drugs[0].aliases) == {"zevor-cel", "CT053"}
    assert "BCMA" in ex.targets


def test_also_known_as() -> None:
    """"CT041, also known as satri-cel" joins the two names."""
    ex = _x("Update", "CT041, also known as satri-cel, targets Claudin18.2.")
    assert {"CT041", "satri-cel"} in _names(ex)
    assert ex.targets == ("Claudin18.2",)


def test_two_inns_are_never_merged() -> None:
    """Parentheses joining two different INNs do not make one drug."""
    ex = _x("x", "magrolimab (azacitidine) in MDS")
    assert all(len(n) == 1 for n in _names(ex))


@pytest.mark.parametrize(("text", "ticker"), [
    ("Acme Bio, Inc. (Nasdaq: ABCD) today announced", "ABCD"),
    ("Acme Corp. (NYSE: XYZ) said", "XYZ"),
    ("CARsgen (stock code: 2171.HK) announced", "2171.HK"),
    ("CARsgen (HKEX: 2171) announced", "2171.HK"),
    ("shares of 2171.HK rose", "2171.HK"),
    ("Astellas (TSE: 4503) said", "4503.T"),
])
def test_ticker_formats(text: str, ticker: str) -> None:
    """Exchange-labelled and suffixed tickers normalise to one form."""
    assert find_ticker(text) == ticker


def test_company_from_ticker_dateline_and_headline() -> None:
    """The issuer comes from "Name (Exchange: SYM)", the dateline or the headline."""
    assert find_company("x", "SHANGHAI, Oct. 31, 2024 /PRNewswire/ -- CARsgen Therapeutics "
                        "Holdings Limited (stock code: 2171.HK) today announced") == (
        "CARsgen Therapeutics")
    assert find_company("x", "Allogene Therapeutics, Inc. (Nasdaq: ALLO) announced") == (
        "Allogene Therapeutics")
    assert find_company("FDA places clinical hold on Intellia's NTLA-2001 trials", "") == (
        "Intellia")
    assert find_company("Parkinson's disease trial begins", "") is None


def test_hints_are_trusted_and_merged() -> None:
    """A hinted label is used as is; hinted company, drugs and NCT ids are merged."""
    ex = _x("Study status changed to Recruiting", "AB-101 in NCT01234567",
            label="lift", inferred=True, company="Acme Bio", nct_ids=["NCT07654321"],
            drugs=[{"name": "AB-101", "aliases": ["acmestobart"]}])
    assert ex.label == "lift" and ex.inferred
    assert ex.company == "Acme Bio"
    assert set(ex.nct_ids) == {"NCT01234567", "NCT07654321"}
    assert {"AB-101", "acmestobart"} in _names(ex)


def test_alias_book_learns_and_resolves() -> None:
    """What one item teaches lets a later "CT053" resolve to the same drug."""
    book = AliasBook()
    book.learn(Extraction(label="lift", drugs=(
        DrugMention("zevorcabtagene autoleucel", ("zevor-cel", "CT053"), ("BCMA",)),)))
    assert book.resolve("ct053") == "zevorcabtagene autoleucel"
    assert ("zevorcabtagene autoleucel", "zevor-cel", "CT053") in book.groups()
    later = extract(Item(source="t", key="k", title="FDA lifts clinical hold on CT053"), book)
    assert later.drugs[0].name == "zevorcabtagene autoleucel"
    assert "BCMA" in later.targets


def test_alias_book_is_conservative() -> None:
    """Two INNs never merge; curated groups win."""
    book = AliasBook(curated=[("ciltacabtagene autoleucel", "cilta-cel")])
    assert not book.learn_names(["ciltacabtagene autoleucel", "idecabtagene vicleucel"])
    assert book.learn_names(["cilta-cel", "Carvykti"])
    assert book.resolve("Carvykti") == "ciltacabtagene autoleucel"


def test_default_book_is_seeded_from_curated_file() -> None:
    """The shipped alias file knows the CARsgen drugs and their targets."""
    book = AliasBook.default()
    assert book.resolve("satri-cel") == "satricabtagene autoleucel"
    assert book.targets("CT071") == ("GPRC5D",)
