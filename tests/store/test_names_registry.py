"""Company and drug name normalisation, and the drug registry's merging rules."""

from __future__ import annotations

import logging

from bot.extract.targets import canonical_target
from bot.store.names import canonical_name, drug_key, is_inn, same_company
from bot.store.registry import DrugRegistry
from bot.store.targets import TargetNames
from tests.store.support import drug


def test_company_variants_are_one_company():
    """Legal suffixes, punctuation and case do not split a company; prefixes match."""
    names = ["CARsgen", "CARsgen Therapeutics Holdings Limited", "CARsgen Therapeutics Co.",
             "carsgen therapeutics, ltd"]
    assert all(same_company(a, b) for a in names for b in names)
    assert not same_company("CARsgen", "Acme Therapeutics")
    assert not same_company("Bio", "Bio Techne")  # too short a prefix to trust
    assert not same_company(None, "CARsgen")


def test_drug_keys_ignore_case_space_and_hyphen():
    """zevor-cel = Zevor cel = zevorcel, CT-053 = CT053."""
    assert drug_key("zevor-cel") == drug_key("Zevor cel") == drug_key("zevorcel")
    assert drug_key("CT-053") == drug_key("CT053") == drug_key("ct 053")
    assert drug_key("CT053") != drug_key("CT041")


def test_canonical_name_prefers_inn_then_short_name_then_code():
    """The INN wins over a short name, which wins over a code."""
    assert canonical_name(["CT053", "zevor-cel", "Zevorcabtagene autoleucel"]) == (
        "zevorcabtagene autoleucel"
    )
    assert canonical_name(["CT053", "zevor-cel"]) == "zevor-cel"
    assert canonical_name(["CT071"]) == "CT071"
    assert is_inn("pembrolizumab") and is_inn("obecabtagene autoleucel")
    assert not is_inn("zevor-cel") and not is_inn("CT053") and not is_inn("Keytruda")


def test_later_mentions_add_aliases_and_merge_known_names():
    """'zevor-cel (CT053)' joins drugs first seen as 'CT053' and as 'zevor-cel'."""
    reg = DrugRegistry()
    a = reg.learn(drug("CT053", targets=["BCMA"]), "CARsgen", ["BCMA"]).drug_id
    b = reg.learn(drug("zevor-cel"), "CARsgen").drug_id
    assert a != b
    learned = reg.learn(drug("zevorcabtagene autoleucel", "zevor-cel", "CT053"), "CARsgen")
    assert set(learned.merged) | {learned.drug_id} == {a, b}
    (record,) = reg.drugs.values()
    assert record.name == "zevorcabtagene autoleucel"
    assert set(record.aliases) == {"CT053", "zevor-cel"} and record.targets == ("BCMA",)


def test_two_different_inns_never_merge(caplog):
    """A shared code does not merge two drugs with different INNs; the conflict is logged."""
    reg = DrugRegistry()
    first = reg.learn(drug("exampletinib", "XY-1"), "Acme").drug_id
    with caplog.at_level(logging.WARNING, logger="bot.store.registry"):
        second = reg.learn(drug("othertinib", "XY-1"), "Acme").drug_id
    assert first != second
    assert reg.drugs[first].name == "exampletinib" and reg.drugs[second].name == "othertinib"
    assert "different INNs" in caplog.text


def test_codes_only_match_within_a_company():
    """The same short code at two companies is two drugs."""
    reg = DrugRegistry()
    a = reg.learn(drug("AB-101"), "Acme Bio").drug_id
    b = reg.learn(drug("AB101"), "Zeta Therapeutics").drug_id
    assert a != b
    assert reg.ids_for("ab-101") == {a, b}
    assert reg.ids_for("AB101", "Acme Bio Inc") == {a}


def test_target_and_company_indexes_follow_learning_and_merges():
    """Lookups by target (any spelling the lexicon knows) and by company find exactly the
    drugs a full scan would, after aliases, new targets and a merge."""
    reg = DrugRegistry(targets=TargetNames(canonical_target))
    a = reg.learn(drug("CT041"), "CARsgen Therapeutics", ["Claudin18.2"]).drug_id
    b = reg.learn(drug("zevor-cel"), "CARsgen", ["BCMA"]).drug_id
    c = reg.learn(drug("AB-101"), "Acme Bio", ["BCMA"]).drug_id
    assert reg.ids_with_target("CLDN18.2") == reg.ids_with_target("claudin 18.2") == {a}
    assert reg.ids_with_target("bcma") == {b, c}
    assert reg.ids_of_company("CARsgen Therapeutics Holdings Limited") == {a, b}
    assert reg.ids_of_company("Acme") == {c} and reg.ids_of_company("Zeta Bio") == set()
    learned = reg.learn(drug("zevorcabtagene autoleucel", "zevor-cel", "CT053"), "CARsgen",
                        ["GPRC5D"])
    assert learned.drug_id == b
    assert reg.ids_with_target("GPRC5D") == {b} and reg.ids_with_target("BCMA") == {b, c}
    merged = reg.learn(drug("CT041", "zevorcabtagene autoleucel"), "CARsgen")
    keep = merged.drug_id
    assert set(merged.merged) | {keep} == {a, b}
    assert reg.ids_with_target("Claudin18.2") == reg.ids_with_target("BCMA") - {c} == {keep}
    assert reg.ids_of_company("CARsgen") == {keep}


def test_held_set_follows_status_changes():
    """held_drugs' set: a drug enters on hold or partial hold and leaves when cleared."""
    from dataclasses import replace

    reg = DrugRegistry()
    a = reg.learn(drug("CT041"), "CARsgen").drug_id
    assert reg.held == set()
    reg.update(replace(reg.drugs[a], status="partial_hold"))
    assert reg.held == {a}
    reg.update(replace(reg.drugs[a], status="cleared"))
    assert reg.held == set()
