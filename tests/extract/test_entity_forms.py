"""Drug and target forms of the second held-out pass: glued codes, short aliases, genes."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
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
