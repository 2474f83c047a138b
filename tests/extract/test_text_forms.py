"""The text an untitled item is read from: its headline past scraped lines, its sentences
past ordinal dates, and tickers that look like tags."""

from __future__ import annotations

import pytest

from bot.extract.decide import split_headline
from bot.extract.text import carries_content, clean, sentences


@pytest.mark.parametrize(("text", "headline"), [
    ("Fierce Biotech February 29, 2024\nAfter two years, Acme's program is free of the FDA "
     "clinical hold.", "After two years, Acme's program is free of the FDA clinical hold."),
    ("Endpoints News | Updated March 3, 2024 5:00 PM ET\nThe FDA lifted the partial clinical "
     "hold on AB-101, Acme said.",
     "The FDA lifted the partial clinical hold on AB-101, Acme said."),
    ("By Jane Roe | Published Jan 4, 2025\nAcme said the FDA placed its AB-101 study on hold.",
     "Acme said the FDA placed its AB-101 study on hold."),
    # a forum page's counters and navigation, a dozen lines of them
    ("Stock board\nFollowers 61\nPosts 3,207\nBoards Moderated 0\nAlias Born 01/02/2010\n"
     "Re: someone post# 5512\nTuesday, 03/04/2021 9:15:02 AM\nPost# of 43714\n"
     "Our Phase 2 trial of AB-101 has been placed on partial clinical hold by the FDA.",
     "Our Phase 2 trial of AB-101 has been placed on partial clinical hold by the FDA."),
])
def test_an_untitled_item_is_headed_by_its_first_sentence_of_content(
        text: str, headline: str) -> None:
    """Outlet and date lines, bylines and forum counters are skipped, however many."""
    assert split_headline("", sentences(clean(text)))[0] == headline


@pytest.mark.parametrize("line", [
    "On March 3, 2024, the FDA placed a clinical hold on the AB-101 study.",
    "The FDA lifted the hold on February 29, 2024 after reviewing the data.",
])
def test_a_sentence_with_a_date_still_carries_content(line: str) -> None:
    assert carries_content(line)


def test_an_ordinal_date_does_not_end_a_sentence() -> None:
    """German copy writes "Am 6. September": the "6." is a day, not a full stop."""
    assert sentences("Am 6. September pausierte Acme die Studie. Die FDA hat am 2. Oktober "
                     "den Neustart genehmigt. Sie wurde in Phase 2. Dann kam Phase 3.") == [
        "Am 6. September pausierte Acme die Studie.",
        "Die FDA hat am 2. Oktober den Neustart genehmigt.",
        "Sie wurde in Phase 2.", "Dann kam Phase 3."]


def test_a_ticker_in_angle_brackets_is_not_a_tag() -> None:
    """Japanese wire copy writes the ticker in angle brackets; HTML tags still go."""
    cleaned = clean("ミラノバ<MLNV>が下落<BR>。<b>FDA</b><DIV class=x>")
    assert cleaned == "ミラノバ<MLNV>が下落 。 FDA"
