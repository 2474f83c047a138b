"""Issuer and ticker forms of the second held-out pass: native names, titles, short names."""

from __future__ import annotations

import pytest

from bot.extract.company import find_company
from bot.extract.ticker import bare_ticker, find_ticker


@pytest.mark.parametrize(("title", "text", "company"), [
    ("Update", "会社名 アオバ創薬株式会社\n代表者名 代表取締役社長", "アオバ創薬株式会社"),
    ("公告", "海澜生物医药控股有限公司 / HAILAN BIOPHARMA HOLDINGS LIMITED\n自愿公告",
     "Hailan Biopharma"),
    ("公告", "本公司，海澜生物医药有限公司，宣布", "海澜生物医药有限公司"),
    ("발표", "새봄바이오는 16일 임상 결과를 발표했다.", "새봄바이오"),
    ("발표", "주식회사 새봄바이오 (대표 김철수)", "새봄바이오"),
    ("Update", "MORVALE PHARMACEUTICAL CO., LTD.\n(incorporated in the PRC)",
     "Morvale Pharmaceutical"),
    ("Update", "Acme Bio SA\n(Translation of registrant's name into English)", "Acme Bio"),
    ("Calloway Oncology, Inc. - Quarterly Report (Form 10-Q)", "", "Calloway Oncology"),
    ("Ferrand Bio (FRND) Q1 2025 Earnings Call Transcript", "", "Ferrand Bio"),
    ("Ferrand Bio Q1 2025 Earnings Call Transcript", "", "Ferrand Bio"),
    ("CARsgen says FDA lifted clinical holds on three CAR-T programs", "", "CARsgen"),
    ("Wrenfield Bio puts Phase 2 trial on hold", "", "Wrenfield Bio"),
    ("FDA places clinical hold on Acme AB-101", "", "Acme"),
    ("UK regulator halts Loxley's Parkinson's trial", "", "Loxley"),
    ("Kezar pauses lupus study", "Kezar Life Sciences disclosed the pause.", "Kezar Life Sciences"),
    ("Rocket's trial is held", "Rocket Pharmaceuticals' pivotal trial", "Rocket Pharmaceuticals"),
    ("Update", "Die Rheinau Biologics AG hat die Studie pausiert.", "Rheinau Biologics"),
    ("Update", "Farmalia Norte, S.A. anuncia resultados.", "Farmalia Norte"),
    ("Update", "Operator: Thank you.\nJane Roe, Chief Executive Officer: No. We expect data.",
     None),
])
def test_issuer_forms(title: str, text: str, company: str | None) -> None:
    """CJK, 6-K, form and transcript titles, 'says'/'puts' subjects and longer body names."""
    assert find_company(title, text) == company


def test_a_short_name_is_not_lengthened_by_a_non_company_word() -> None:
    """'Rocket Phase' is not a company: only company-like last words lengthen a name."""
    assert find_company("Rocket's trial is held", "Rocket Phase 2 data were shown.") == "Rocket"


@pytest.mark.parametrize(("text", "ticker"), [
    ("（コード番号：4893 東証グロース）", "4893.T"),
    ("（東証グロース：4879）", "4879.T"),
])
def test_japanese_stock_codes(text: str, ticker: str) -> None:
    """TSE codes written as 'コード番号' or after a market segment name become '.T' tickers."""
    assert find_ticker(text) == ticker


@pytest.mark.parametrize(("title", "text", "ticker"), [
    ("Tessellate Bio (TSLT) Q2 2024 Earnings Call Transcript", "", "TSLT"),
    ("Update", "Orvane Bio (ORVB) said on Monday", "ORVB"),
    ("Food and Drug Administration (FDA) lifts hold", "", None),
])
def test_bare_tickers(title: str, text: str, ticker: str | None) -> None:
    """A bare symbol after the issuer's name is its ticker; agency acronyms are not."""
    assert bare_ticker(title, text) == ticker
