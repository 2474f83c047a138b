"""Forms real announcements use that the first extractor missed: issuers, codes, targets."""

from __future__ import annotations

import pytest

from bot.extract import AliasBook, extract
from bot.extract.company import find_company
from bot.extract.targets import find_targets
from bot.extract.ticker import find_ticker
from bot.models import Extraction, Item


def _x(title: str, text: str = "") -> Extraction:
    return extract(Item(source="t", key="k", title=title, text=text), AliasBook())


@pytest.mark.parametrize(("title", "text", "company"), [
    ("Update", "CAMBRIDGE, Mass.--(BUSINESS WIRE)--bluebird bio, Inc. (Nasdaq: BLUE) said",
     "bluebird bio"),
    ("uniQure Announces Results", "", "uniQure"),
    ("Update", "LEXINGTON -- uniQure N.V. (NASDAQ: QURE) today announced", "uniQure"),
    ("Update", "Die BioNTech SE gab heute bekannt, dass", "BioNTech"),
    ("Why Intellia's hold matters", "", "Intellia"),
    ("ACME BIOTHERAPEUTICS INC - 8-K - Current report", "Item 8.01.", "Acme Biotherapeutics"),
    ("Update", 'Acme Bio, Inc. (the "Company") announced', "Acme Bio"),
    ("A Phase 1 Study", "Sponsor: Juno Therapeutics, Inc.\nWhy stopped: FDA clinical hold",
     "Juno Therapeutics"),
    ("Acme Biologics' ACM-11 cohort released", "Acme Biologics said", "Acme Biologics"),
    ("科济药业宣布", "科济药业宣布", "CARsgen Therapeutics"),
])
def test_issuer_forms(title: str, text: str, company: str) -> None:
    """Lower/camel-case names, articles, EDGAR titles, sponsors and CJK issuers are named."""
    assert find_company(title, text) == company


@pytest.mark.parametrize(("text", "ticker"), [
    ("科济药业（香港联交所股份代号：2171）", "2171.HK"),
    ("アステラス製薬（証券コード：4503）", "4503.T"),
])
def test_cjk_stock_codes(text: str, ticker: str) -> None:
    """Hong Kong and Tokyo stock codes written in Chinese or Japanese become tickers."""
    assert find_ticker(text) == ticker


def test_code_tails_and_the_kelvin_sign_are_not_targets() -> None:
    """"ZN-c3" names no complement C3, "BCMA-CD3" names both, and U+212A never raises."""
    assert [h.canonical for h in find_targets("ZN-c3 and BCMA-CD3")] == ["BCMA", "CD3"]
    assert find_targets("\u212aRAS \u212a") == []


def test_code_shapes_stems_and_conjugates() -> None:
    """P-PSMA-101, ORR-115 and venetoclax are drugs; a two-word conjugate INN is one drug."""
    got = _x("Update", "P-PSMA-101, ORR-115, venetoclax and delpacibart etedesiran (del-desiran)."
             " The ORR was 40%.")
    assert [d.name for d in got.drugs] == [
        "P-PSMA-101", "ORR-115", "venetoclax", "delpacibart etedesiran"]


def test_study_codes_are_not_drugs() -> None:
    """A code written as a study's name is dropped when the item names a drug too."""
    got = _x("Update",
             "The HGB-206 and Phase 3 HGB-210 studies of lovotibeglogene autotemcel resume.")
    assert [d.name for d in got.drugs] == ["lovotibeglogene autotemcel"]


@pytest.mark.parametrize(("title", "text", "label"), [
    ("Acme Announces FDA Lifted Full Clinical Hold on AC-12; Partial Hold Remains", "",
     "partial_lift"),
    ("Acme Announces FDA Decision on Clinical Hold",
     "The FDA lifted the clinical hold on the AC-12 study. "
     "The AC-14 study remains on clinical hold.",
     "partial_lift"),
    ("Update", "The FDA has released the dose-expansion cohort of the Phase 1 trial of AC-12 "
     "from clinical hold.", "lift"),
    ("Update", "Acme said the FDA placed the company's Phase 1/2 study of AC-12, an "
     "investigational AAV9 gene therapy for a rare muscle disease (LGMD), on clinical hold.",
     "hold"),
    ("Quarterly update", "The filing disclosed no clinical hold or other regulatory action.",
     "none"),
    ("A Study of AC-12", "Sponsor: Acme\nWhy stopped: FDA partial clinical hold", "partial_hold"),
    ("Update", "Die FDA hat den klinischen Stopp aufgehoben und in einen teilweisen klinischen "
     "Stopp umgewandelt.", "partial_lift"),
    ("Update", "AC-12のクリニカルホールドが継続しています。", "none"),
])
def test_label_forms(title: str, text: str, label: str) -> None:
    """Headline remains, neutral headlines, long objects, registries and foreign status lines."""
    assert _x(title, text).label == label
