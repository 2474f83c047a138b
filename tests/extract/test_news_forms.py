"""Entity forms of trade press and wire briefs: issuers, trials kept apart, partners."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.extract.company import find_company
from bot.extract.trials import find_trials
from bot.models import Extraction, Item, Trial


def _x(title: str, text: str = "") -> Extraction:
    return extract(Item(source="t", key="k", title=title, text=text), AliasBook())


@pytest.mark.parametrize(("title", "text", "company"), [
    ("FDA lifts partial clinical hold on Velora Therapeutics drug", "", "Velora Therapeutics"),
    ("FDA hits Brisk Oncology with partial clinical hold", "", "Brisk Oncology"),
    ("FDA puts three Quillon CAR-T therapies on clinical hold", "", "Quillon"),
    ("FDA requests Marten Bio to pause dosing", "", "Marten Bio"),
    ("FDA to allow lower-dose trials for Halden's HIV drug", "", "Halden"),
    ("FDA initiates clinical hold on Corlis ' CR-88 trials", "", "Corlis"),
    ("", "Pallas Bio Inc (PLBO.O) said on Monday the FDA had lifted the hold.", "Pallas Bio"),
    ("", "Tamsin (TMSN +2% ) announces that the FDA has removed the partial hold.", "Tamsin"),
    ("", "Shares of Orrin Pharmaceuticals ORRN.O rose 12%.", "Orrin Pharmaceuticals"),
    ("", "Nov 2 (Reuters) - Quarry Biologics Plc\n* trials resume", "Quarry Biologics"),
    ("BRIEF-Quarry Biologics resumes trials after FDA lifts partial hold", "", "Quarry Biologics"),
    ("La FDA suspend un essai clinique d'Ardent Biotherapeutics", "", "Ardent Biotherapeutics"),
    ("", "Aktien des Arzneimittelentwicklers Selby Pharmaceuticals SLBY.O steigen.",
     "Selby Pharmaceuticals"),
])
def test_news_issuer_forms(title: str, text: str, company: str) -> None:
    """Tickers in brackets and RICs, 'hits X with', 'on X drug', counts, possessives, d'X."""
    assert find_company(title, text) == company


@pytest.mark.parametrize(("title", "text"), [
    ("Shares fall on Monday", "The FDA placed a hold on the study on Monday."),
    ("Update", "Das Unternehmen teilt mit, dass die FDA den Stopp aufgehoben hat."),
    ("Update", "The U.S. Food and Drug Administration (FDA) has placed a clinical hold."),
    ("Two CAR-T therapies placed on hold", ""),
    ("FDA places hold on CD19 programs", ""),
])
def test_weekdays_agencies_generic_nouns_and_targets_are_never_the_company(
        title: str, text: str) -> None:
    """A weekday, an agency, 'the company' in German, a platform or a target is no issuer."""
    assert find_company(title, text) is None


@pytest.mark.parametrize(("text", "trials"), [
    ("the Phase 3 MAGNITUDE trial and the MAGNITUDE-2 trial",
     [Trial("MAGNITUDE", None), Trial("MAGNITUDE-2", None)]),
    ("two sponsor trials (CA204142 and CA209039) of the antibody",
     [Trial("CA204142", None), Trial("CA209039", None)]),
    ("A third trial, CA209 -602 (CheckMate -602), remains on partial clinical hold.",
     [Trial("CA209-602", None), Trial("CheckMate-602", None)]),
    ("the LUMMICAR-2 study (NCT03915184)", [Trial("LUMMICAR-2", "NCT03915184")]),
    ("Registry entry NCT01234567 describes it.", [Trial(None, "NCT01234567")]),
    ("the BCMA trial and the DMD study", []),
])
def test_trials_are_found(text: str, trials: list[Trial]) -> None:
    """Study names next to trial words, in lists, with bracketed names or NCT ids."""
    assert find_trials(text) == trials


def test_a_trial_is_never_a_drug_and_a_lone_code_stays_the_drug() -> None:
    """The MAGNITUDE study is a trial; 'its AB-101 trial' with no other drug keeps AB-101."""
    got = _x("FDA places clinical hold on Quillon's MAGNITUDE trial of quilotamab")
    assert [d.name for d in got.drugs] == ["quilotamab"]
    assert [t.name for t in got.trials] == ["MAGNITUDE"]
    alone = _x("FDA places clinical hold on Quillon's QL-401 trial")
    assert [d.name for d in alone.drugs] == ["QL-401"]


def test_combination_partners_are_not_the_held_drug() -> None:
    """'X in combination with pembrolizumab': the hold is on X."""
    got = _x("FDA places partial clinical hold on QL-401 study",
             "The study tests QL-401 in combination with pembrolizumab and azacitidine.")
    assert [d.name for d in got.drugs] == ["QL-401"]


def test_company_names_ending_in_gene_are_not_drugs() -> None:
    """'Methylgene'-like company names are not INNs."""
    got = _x("FDA puts partial clinical hold on Vortigene program",
             "Vortigene said enrolment of MG-77 stopped.")
    assert "Vortigene" not in {n for d in got.drugs for n in d.names}
