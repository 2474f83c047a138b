"""Drug and target forms of the second held-out pass: glued codes, short aliases, genes."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.extract.trials import find_trials
from bot.models import Extraction, Item


def _x(text: str) -> Extraction:
    return extract(Item(source="t", key="k", title="Update", text=text), AliasBook())


@pytest.mark.parametrize(("text", "drugs"), [
    ("本公司CAR-T细胞疗法QF-1902在美国的试验", [("QF-1902", ())]),
    ("pociredir (formerly FTX-6058) is oral.", [("pociredir", ("FTX-6058",))]),
    ("camidanlumab tesirine (Cami) in lymphoma", [("camidanlumab tesirine", ("Cami",))]),
    ("the COVID-19-Influenza Combination (CIC) vaccine trial",
     [("COVID-19-Influenza Combination vaccine", ("CIC",))]),
    ("The nadir was reached at ASCO 2024 and in FY2025.", []),
])
def test_drug_forms(text: str, drugs: list[tuple[str, tuple[str, ...]]]) -> None:
    """Codes glued to CJK, '-dir' INNs with former codes, bracketed short names, vaccines."""
    assert [(d.name, d.aliases) for d in _x(text).drugs] == drugs


@pytest.mark.parametrize(("text", "targets"), [
    ("WRN-202 is in a Phase 1 trial.", []),
    ("CAR-BCMA, BCMA-CD3 and anti-CD19 products", ["BCMA", "CD3", "CD19"]),
    ("an inhibitor of embryonic ectoderm development (EED) designed to increase fetal "
     "hemoglobin", ["EED"]),
    ("an oral KRAS G12D inhibitor", ["KRAS", "KRAS G12D"]),
    ("메소텔린 표적 CAR-T 치료제", ["Mesothelin"]),
    ("a CD20xCD3 bispecific and a BCMA×CD3 T-cell engager", ["CD20", "CD3", "BCMA"]),
    ("an inhibitor of methionine aminopeptidase 2 and of Bruton's tyrosine kinase",
     ["METAP2", "BTK"]),
    ("a plasma kallikrein inhibitor, a B7-H3 ADC and an NY-ESO-1 T-cell therapy",
     ["KLKB1", "CD276", "NY-ESO-1"]),
])
def test_target_forms(text: str, targets: list[str]) -> None:
    """Gene-named codes and effects are not targets; mutations bring their gene; bispecific
    pairs name both targets; spelled-out protein names resolve to their symbol."""
    assert list(_x(text).targets) == targets


def _event(text: str) -> Extraction:
    return extract(Item(source="t", key="k", title="", text=text), AliasBook())


@pytest.mark.parametrize(("text", "drugs"), [
    # a combination partner, in the languages releases come in
    ("La FDA levantó la suspensión clínica parcial de QB-7 en combinación con azacitidina.",
     ["QB-7"]),
    ("Die FDA hat den klinischen Stopp für QB-7 in Kombination mit Pembrolizumab aufgehoben.",
     ["QB-7"]),
    # background: an approval, earlier lines of therapy, a class example, a prodrug's parent,
    # another company's drug
    ("A death in the CX-19 study triggered an FDA clinical hold, a week after the agency's "
     "approval of tisagenlecleucel.", ["CX-19"]),
    ("The FDA lifted the partial clinical hold on HT-88. Patients who failed prior lines of "
     "therapy including brentuximab vedotin are eligible.", ["HT-88"]),
    ("The FDA placed a clinical hold on PY-220, a prodrug of lenacavir.", ["PY-220"]),
    ("美国FDA叫停了XL-44的临床试验。另一家公司的基因疗法delandistrogene moxeparvovec也曾引发担忧。",
     ["XL-44"]),
    # names written with accents, in camel case, as mixed-case codes
    ("La FDA a placé l'essai du palovarotène en suspension clinique partielle.",
     ["palovarotène"]),
    ("The FDA placed the IND for hepaGRAFTtm on clinical hold.", ["hepaGRAFT"]),
    ("The FDA removed the partial clinical hold on ZxCd2207.", ["ZxCd2207"]),
    ("The FDA lifted its partial hold on the cellTRAX platform study of CTX-4.", ["CTX-4"]),
])
def test_held_drug_forms(text: str, drugs: list[str]) -> None:
    """Partners and background drugs are not the held drug; accented, camel-case and
    mixed-case names are drugs (reported as written)."""
    assert [d.name for d in _event(text).drugs] == drugs


def test_the_first_drug_named_when_none_is_in_the_lead() -> None:
    """With no drug in the lead, the drugs of the first sentence that names one."""
    lead = " ".join(["The FDA placed a clinical hold on the study after a patient death."]
                    + ["The company said it is reviewing the data with investigators."] * 5)
    got = _event(f"{lead} The study tested QX-12 in adults. Unlike QX-12, the approved "
                 "drug alirocumab is marketed.")
    assert [d.name for d in got.drugs] == ["QX-12"]


@pytest.mark.parametrize(("text", "trials"), [
    ("The FDA placed a clinical hold on beacon-301, beacon-302 and beacon-110.",
     ["beacon-301", "beacon-302", "beacon-110"]),
    ("The FDA signed off on the Phase 2 part of the Phase 2/3 (HORIZON) trial of VN-12.",
     ["HORIZON"]),
    ("The FDA said ASCEND LGMD, its Phase 1/2 study of SG-4, is on clinical hold.",
     ["ASCEND LGMD"]),
    ("The FDA lifted the hold on oRBITal-2 - a multicenter phase 2 trial of OR-9.",
     ["oRBITal-2"]),
    ("Los pacientes del estudio pivotal fase III, CLARION, siguieron el tratamiento.",
     ["CLARION"]),
    ("The FDA lifted the partial clinical hold on the SENTRY Phase 3 segment.", ["SENTRY"]),
    ("Enrollment resumed in the BrightPath Leukemia study of BP-17.", ["BrightPath Leukemia"]),
    ("the Phase 1/2 HGB-206 and Phase 3 HGB-210 studies", ["HGB-206", "HGB-210"]),
    ("the grade-3 and grade-4 events of COVID-19", []),
])
def test_trial_forms(text: str, trials: list[str]) -> None:
    """Lower-case families, names in brackets, appositions, named parts, names of two
    words, study words in other languages, a list naming each study's phase."""
    assert [t.name for t in find_trials(text)] == trials
