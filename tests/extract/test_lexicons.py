"""Target and indication lexicons: size, canonical symbols, alias-aware lookup."""

from __future__ import annotations

import pytest

from bot.extract.indications import all_indications, canonical_indication
from bot.extract.targets import all_targets, canonical_target


def test_target_lexicon_has_at_least_150_targets() -> None:
    """The lexicon covers oncology, immunology and cell/gene-therapy targets."""
    assert len(all_targets()) >= 150
    assert {"BCMA", "Claudin18.2", "GPRC5D", "CD19", "HER2", "PD-1"} <= set(all_targets())


@pytest.mark.parametrize(("text", "symbol"), [
    ("BCMA", "BCMA"), ("TNFRSF17", "BCMA"), ("B-cell maturation antigen", "BCMA"),
    ("CLDN18.2", "Claudin18.2"), ("claudin 18.2", "Claudin18.2"), ("Claudin-18.2", "Claudin18.2"),
    ("CLDN18 isoform 2", "Claudin18.2"), ("cldn18.2", "Claudin18.2"),
    ("HER2", "HER2"), ("ERBB2", "HER2"), ("her-2", "HER2"), ("GPRC5D", "GPRC5D"),
    ("CD-19", "CD19"), ("cd 19", "CD19"), ("anti-CD19", "CD19"), ("CAR-BCMA", "BCMA"),
    ("BCMA-targeted", "BCMA"), ("PD-L1", "PD-L1"), ("CD274", "PD-L1"), ("B7-H3", "CD276"),
])
def test_canonical_target_is_robust_to_case_hyphens_spaces(text: str, symbol: str) -> None:
    """Any listed spelling maps to the canonical symbol."""
    assert canonical_target(text) == symbol


def test_unknown_target_is_none() -> None:
    """Words that are not targets do not resolve."""
    assert canonical_target("banana") is None
    assert canonical_target("") is None


@pytest.mark.parametrize(("text", "name"), [
    ("MM", "multiple myeloma"), ("r/r MM", "multiple myeloma"), ("RRMM", "multiple myeloma"),
    ("relapsed/refractory multiple myeloma", "multiple myeloma"),
    ("NSCLC", "non-small cell lung cancer"), ("DLBCL", "diffuse large B-cell lymphoma"),
    ("Duchenne", "Duchenne muscular dystrophy"), ("sickle-cell disease", "sickle cell disease"),
])
def test_canonical_indication(text: str, name: str) -> None:
    """Disease abbreviations and spellings normalise to one name."""
    assert canonical_indication(text) == name
    assert name in all_indications()
