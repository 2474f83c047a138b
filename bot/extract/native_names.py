"""Issuers written in Chinese, Japanese or Korean that the curated table does not know.

Read the way such releases name their issuer: a bilingual header line ("千帆生物科技控股
有限公司 / QIANFAN BIOTECH HOLDINGS LIMITED"), a TDnet "会社名" field, a name carrying a
legal suffix (有限公司, 株式会社, 주식회사, (주)) or a Korean subject such as "한빛바이오는".
The English name wins when the text gives one; otherwise the name is kept as written.
"""

from __future__ import annotations

import re

_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_HAN_KANA = "\u3040-\u30ff\u3400-\u9fff・ー"
_LATIN_NAME = r"([A-Z][A-Za-z0-9&.,' \-]{2,80}?)"
# "中文名 / ENGLISH NAME" or "中文名（English Name）" right after a CJK name.
_ENGLISH_AFTER = re.compile(rf"\s*(?:[/／|｜]\s*{_LATIN_NAME}\s*(?:\n|$)|[（(]{_LATIN_NAME}[)）])")
_BILINGUAL = re.compile(
    rf"[{_HAN_KANA}\uac00-\ud7af]{{2,40}}\s*[/／|｜]\s*{_LATIN_NAME}\s*(?:\n|$)", re.MULTILINE)
_BOUNDARY = r"(?:^|(?<=[\s，。、：:（(「『\"'|/]))"
_FORMS = (
    # TDnet header field: "会社名 サクラ創薬株式会社", "上場会社名：…"
    re.compile(r"会社名\s*[:：]?\s*([^\s:：(（]{2,40})"),
    re.compile(rf"{_BOUNDARY}([{_HAN_KANA}]{{2,24}}?(?:股份有限公司|有限公司|株式会社))"),
    re.compile(rf"株式会社\s*([{_HAN_KANA}A-Za-z]{{2,20}})"),
    re.compile(r"(?:주식회사|\(주\)|㈜)\s*([가-힣A-Za-z0-9]{2,15})"),
    re.compile(r"([가-힣A-Za-z0-9]{2,15})\s*(?:주식회사|\(주\)|㈜)"),
    # A Korean subject with an industry ending and a topic/subject marker: "한빛바이오는".
    re.compile(r"(?:^|(?<=[\s\"'(]))([가-힣A-Za-z]{0,12}?(?:바이오로직스|바이오텍|바이오|제약|약품|"
               r"생명과학|테라퓨틱스|파마|사이언스|헬스케어|의약|셀|젠))(?:는|은|이|가|의)(?=[\s,.])"),
)


def native_issuer(text: str) -> tuple[str, bool] | None:
    """(name, is_english) of the issuer a CJK release names, or None.

    The caller tidies an English name like any Latin one; a native name is final.
    """
    if not _CJK.search(text):
        return None
    m = _BILINGUAL.search(text)
    if m:
        return m.group(1), True
    for form in _FORMS:
        m = form.search(text)
        if m:
            english = _ENGLISH_AFTER.match(text, m.end())
            if english:
                return english.group(1) or english.group(2), True
            return m.group(1), False
    return None
