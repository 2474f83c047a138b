"""Label forms of the second held-out pass: filings, transcripts, foreign partial lifts."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.models import Item

_COVER = "FORM 6-K\nCommission File Number 001-1\nItem 8.01 Other Events.\nSigned\nDate\nExhibit\n"


def _label(title: str, text: str) -> str:
    return extract(Item(source="t", key="k", title=title, text=text), AliasBook()).label


@pytest.mark.parametrize(("title", "text", "label"), [
    ("6-K", _COVER + 'Acme SA (the "Company") announced that the U.S. Food and Drug '
     'Administration (the "FDA") has placed a clinical hold on the AC-1 trial.', "hold"),
    ("Acme (ACME) Q2 2024 Earnings Call Transcript",
     "Operator: Welcome.\nJo Roe, Chief Executive Officer: Thanks.\nJo Roe, Chief Executive "
     "Officer: The FDA notified us that the clinical hold on AC-1 has been lifted.", "lift"),
    ("Acme Q2 2024 financial results", "The FDA lifted the clinical hold on AC-1.", "none"),
    ("Comunicato", "La FDA ha revocato il clinical hold sullo studio di AC-1.", "lift"),
    ("Persbericht", "De FDA heeft de klinische stop op AC-1 gedeeltelijk opgeheven.",
     "partial_lift"),
    ("Persbericht", "De FDA heeft de gedeeltelijke klinische stop op AC-1 opgeheven.", "lift"),
    ("Persbericht", "De FDA heeft de klinische stop op AC-1 opgeheven. Twee cohorten blijven "
     "onder een gedeeltelijke klinische stop.", "partial_lift"),
    ("Halfjaar", "De studie is hervat nadat de FDA de klinische stop had opgeheven.", "none"),
    ("Halbjahr", "Die FDA hatte den klinischen Stopp im März aufgehoben.", "none"),
    ("Update", "Dosing began after the FDA's recent lifting of the clinical hold on a "
     "competitor's CAR-T program.", "none"),
    ("Update", "The FDA has released the monotherapy arm of the Phase 1/2 study evaluating "
     "AC-1 in adults with advanced solid tumors from clinical hold. The combination arm "
     "remains on clinical hold.", "partial_lift"),
])
def test_label_forms(title: str, text: str, label: str) -> None:
    """Cover lines do not use up the lead; transcripts, Italian, Dutch and background forms."""
    assert _label(title, text) == label
