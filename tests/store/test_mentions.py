"""Matching reports by their words (bot/store/mentions.py, companies.py, attribution.py)."""

from __future__ import annotations

from bot.store.companies import CompanyBook
from bot.store.mentions import Known, distinctive, has_name, named, strongest
from bot.store.names import company_display, company_forms

CARSGEN = Known("ev-h", company=company_forms("CARsgen Therapeutics"),
                drugs={"d1": ("satricabtagene autoleucel", "satri-cel", "CT041")},
                ids=("NCT04404595", "ELIMYN18.2"), ticker="2171.HK")


def test_names_match_whole_words_with_spelling_freedom():
    """'CT-041' finds CT041, 'zevor cel' finds zevor-cel; 'CT0410' and 'xCT041' do not."""
    assert has_name("holds on CT-041 and more", "CT041")
    assert has_name("zevor cel was held", "zevor-cel")
    assert not has_name("the CT0410 study", "CT041")
    assert not has_name("xCT041", "CT041")


def test_what_of_an_event_a_text_names():
    """Company short form, drug alias, registry id and ticker are each found."""
    found = named("Shares of CARsgen (HKEX: 2171) fell; satri-cel's NCT04404595 paused.",
                  CARSGEN)
    assert found.company and found.ticker
    assert found.drug_ids == {"d1"} and found.ids == {"NCT04404595"}
    assert not named("The drugmaker said nothing else.", CARSGEN)


def test_a_one_word_short_form_needs_its_capital():
    """'Applied' the company is not 'applied for'."""
    applied = Known("ev-a", company=company_forms("Applied Therapeutics"))
    assert not named("The firm applied for a waiver.", applied)
    assert named("Applied said the FDA placed a hold.", applied).company


def test_two_events_named_equally_are_no_clear_choice():
    """A round-up naming two companies' holds attributes to neither."""
    acme = Known("ev-a", company=company_forms("Acme Bio"))
    best, tie = strongest("Acme Bio and CARsgen Therapeutics both got holds.", [CARSGEN, acme])
    assert best is None and tie


def test_distinctive_tokens_are_names_and_codes():
    """Mixed case, codes and capitalised uncommon words count; common words do not."""
    tokens = distinctive("Shares of CARsgen fell. The FDA placed the NOVA-1 study on Hold.")
    assert {"carsgen", "nova-1"} <= tokens
    assert not tokens & {"shares", "fda", "the", "hold"}


def test_one_name_per_company():
    """Every spelling of a company gets one name, its fullest as written; a fuller
    spelling renames the one shown so far; descriptors and verbs are not name."""
    book = CompanyBook()
    assert book.name("Hong Kong-listed CARsgen").shown == "CARsgen"
    fuller = book.name("CARsgen Therapeutics")
    assert (fuller.shown, fuller.replaced) == ("CARsgen Therapeutics", "CARsgen")
    full = "CARsgen Therapeutics Holdings Limited"
    assert book.name(full).replaced == "CARsgen Therapeutics"
    for spelling in ("CARsgen", "CARsgen Therapeutics Co., Ltd.", "Chinese drugmaker CARsgen",
                     "CARsgen Therapeutics Announces"):
        assert book.name(spelling).shown == full, spelling
    assert book.name("<!channel> Pharma & Co").shown == "<!channel> Pharma & Co"
    assert company_display("Shanghai-based CARsgen Therapeutics Inc.") == "CARsgen Therapeutics"
    assert company_display("Merck & Co., Inc.") == "Merck"
