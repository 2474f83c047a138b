"""Label decisions on the phrasings real announcements use."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.models import Item


def _label(title: str, text: str = "") -> str:
    return extract(Item(source="t", key="k", title=title, text=text), AliasBook()).label


@pytest.mark.parametrize(("title", "text", "label"), [
    ("FDA Lifts Clinical Hold on AB-101", "", "lift"),
    ("Update on AB-101", "Acme announced the removal of the clinical hold on AB-101.", "lift"),
    ("Update", "The FDA has notified the Company that the hold has been lifted.", "lift"),
    ("Update", "The FDA notified Acme that it may resume enrollment in the AB-101 clinical hold "
     "study.", "lift"),
    ("AB-101 Released From Clinical Hold", "", "lift"),
    ("Update", "The FDA has lifted the full clinical hold and placed a partial clinical hold on "
     "the AB-101 study.", "partial_lift"),
    ("FDA Lifts Partial Clinical Hold on AB-101", "", "lift"),
    ("FDA Places Partial Clinical Hold on AB-101 Study", "", "partial_hold"),
    ("Acme Announces FDA Clinical Hold on AB-101", "", "hold"),
    ("Update", "Acme said the FDA placed the AB-101 program on clinical hold.", "hold"),
    ("Update", "There is no clinical hold on AB-101.", "none"),
    ("Update", "The FDA has not placed a clinical hold on AB-101.", "none"),
    ("Risk factors", "The FDA could place AB-101 on clinical hold.", "none"),
    ("Risk factors", "If the FDA were to impose a clinical hold, we would be harmed.", "none"),
    ("Acme Submits Complete Response to Clinical Hold", "Acme submitted a complete response to "
     "the clinical hold on AB-101.", "none"),
    ("Acme Voluntarily Pauses AB-101 Dosing", "The pause was the company's own decision.", "none"),
    ("FDA Approves AB-101", "The program was on clinical hold in 2021.", "none"),
    ("Acme Receives Complete Response Letter for AB-101 BLA", "", "none"),
    ("Acme doses first patient", "Following the lift of the clinical hold in March, Acme dosed "
     "the first patient.", "none"),
    ("临床进展", "美国FDA对AB-101实施临床暂停。", "hold"),
    ("Mise à jour", "La FDA a levé la suspension clinique sur AB-101.", "lift"),
    ("Update", "Die FDA hat den klinischen Stopp für AB-101 aufgehoben.", "lift"),
    ("Update", "De FDA heeft een gedeeltelijke klinische stop opgelegd voor AB-101.",
     "partial_hold"),
    ("Update", "FDAがAB-101のクリニカルホールドを解除しました。", "lift"),
])
def test_label(title: str, text: str, label: str) -> None:
    """Each phrasing gets the label docs/DESIGN.md defines for it."""
    assert _label(title, text) == label
