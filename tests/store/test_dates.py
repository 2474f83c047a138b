"""Announcement dates a report states (bot/store/dates.py): every rule by name."""

from __future__ import annotations

from datetime import date

import pytest

from bot.store.dates import RULES, stated_date


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_finds_its_example(rule):
    """Each named rule gives its example's date, and is the rule that fires on it."""
    found, name = stated_date((), "", rule.example, rule.published)
    assert (found, name) == (rule.expected, rule.name)


def test_evidence_is_read_before_the_lede():
    """The sentence the label rests on decides before a dateline of a later release."""
    text = "SHANGHAI, Nov. 14, 2024 -- CARsgen gave an update on its US programmes."
    evidence = ("CARsgen announced on October 31, 2024 that the FDA had lifted the holds.",)
    assert stated_date(evidence, "", text, date(2024, 11, 14)) == (
        date(2024, 10, 31), "announced_on_date")


def test_background_dates_are_not_announcement_dates():
    """A date long before publication, or after it, or no date at all: none stated."""
    published = date(2024, 11, 1)
    assert stated_date((), "", "On March 3, 2022, Acme announced a partnership.",
                       published) == (None, None)
    assert stated_date((), "", "On December 5, 2024, Acme announced results.",
                       published) == (None, None)
    assert stated_date((), "FDA lifts hold", "The FDA lifted the hold.", published) == (
        None, None)


def test_weekday_without_a_publication_date_gives_nothing():
    """'said on Thursday' needs a publication date to count back from."""
    assert stated_date((), "", "Acme said on Thursday that the FDA lifted the hold.",
                       None) == (None, None)


@pytest.mark.parametrize("phrase", ["October 31, 2024", "Oct. 31, 2024", "Oct 31st, 2024",
                                    "31 October 2024", "31st of October, 2024"])
def test_date_phrases_are_read_in_their_usual_spellings(phrase):
    """Abbreviations, ordinals and day-first order give the same date."""
    text = f"On {phrase}, Acme Bio announced that the FDA lifted the clinical hold."
    assert stated_date((), "", text, date(2024, 11, 1)) == (
        date(2024, 10, 31), "on_date_x_announced")


def test_an_impossible_day_is_no_date():
    """'February 30' is not a date: nothing stated, and no exception."""
    text = "On February 30, 2024, Acme Bio announced that the FDA lifted the hold."
    assert stated_date((), "", text, date(2024, 3, 2)) == (None, None)
