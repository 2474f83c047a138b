"""Trials are never drugs (bot/store/studies.py): every rule by name, and what stays a drug."""

from __future__ import annotations

import pytest

from bot.models import Candidate, DrugMention, Extraction, Item, Trial
from bot.store.studies import GENERAL_RULES, separate, study_of


@pytest.mark.parametrize("rule", GENERAL_RULES, ids=lambda r: r.name)
def test_each_rule_catches_its_example(rule):
    """Each named rule turns its example mention into a trial, alone and in study_of."""
    assert rule.find(rule.example_mention, rule.example_text) is not None
    assert study_of(DrugMention(rule.example_mention), rule.example_text) is not None


@pytest.mark.parametrize(("mention", "text"), [
    (DrugMention("CT071"), "Enrolment in the CT071 trial was paused by the FDA."),
    (DrugMention("CT041"), "A Phase 1 trial of CT041 (NCT04581473) was put on hold."),
    (DrugMention("satri-cel"), "The satri-cel study was put on hold."),
    (DrugMention("CT053", ("zevor-cel",)), "The CT053 trial was put on hold."),
    (DrugMention("BNT326"), "BNT326 and BNT326-01 were named."),
])
def test_drug_codes_and_named_drugs_stay_drugs(mention, text):
    """Drug codes used as a study's name, INNs, short names and aliased names are drugs."""
    assert study_of(mention, text) is None


def test_a_name_the_store_knows_as_a_drug_stays_one():
    """KNOWN: a name the store already knows among a drug's several names is kept."""
    text = "The KarMMa-3 trial was paused."
    assert study_of(DrugMention("KarMMa-3"), text) is not None
    assert study_of(DrugMention("KarMMa-3"), text, known=lambda n: True) is None


def test_separate_moves_the_study_to_trials_with_its_registry_id():
    """ELIMYN18 (from 'ELIMYN18.2 (NCT04404595)') leaves the drugs and becomes the trial."""
    item = Item("news", "k", "Holds on three CAR-T products",
                "The hold covers CT041 and the ELIMYN18.2 trial (NCT04404595).")
    ex = Extraction("hold", drugs=(DrugMention("CT041"), DrugMention("ELIMYN18")),
                    nct_ids=("NCT04404595",))
    out = separate(Candidate(item, ex)).extraction
    assert [d.name for d in out.drugs] == ["CT041"]
    assert out.trials == (Trial("ELIMYN18.2", "NCT04404595"),)


def test_a_listed_trial_head_is_not_a_drug():
    """A mention that is the head of a trial the extractor listed is that trial."""
    item = Item("news", "k", "Hold", "Text without the name.")
    ex = Extraction("hold", drugs=(DrugMention("LUMMICAR"),),
                    trials=(Trial("LUMMICAR-2", "NCT03915184"),))
    out = separate(Candidate(item, ex)).extraction
    assert out.drugs == () and out.trials == (Trial("LUMMICAR-2", "NCT03915184"),)


def test_an_nct_id_is_paired_with_the_study_acronym_written_before_it():
    """'LUMMICAR-2 (NCT03915184)' names the trial; 'CT041 (NCT…)' and 'a Phase 1b/2 study
    (NCT…)' do not name one."""
    item = Item("news", "k", "Lift", "Studies LUMMICAR-2 (NCT03915184) and a Phase 1b/2 study "
                "(NCT00000001) resume; so does CT041 (NCT04581473).")
    ex = Extraction("lift", drugs=(DrugMention("CT041"),),
                    nct_ids=("NCT03915184", "NCT00000001", "NCT04581473"))
    out = separate(Candidate(item, ex)).extraction
    assert out.trials == (Trial("LUMMICAR-2", "NCT03915184"),)
    assert [d.name for d in out.drugs] == ["CT041"]
