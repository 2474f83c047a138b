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
    # A name before its ticker: "ビーム・セラピューティクス<BEAM>", "諾瓦瓦克斯醫藥(NVAX.US)",
    # "バイオヘブンBHVN.N" (a ticker in angle brackets, or one with its exchange's suffix).
    re.compile(r"(?:^|(?<=[\s、。,，：:の的丨|｜]))([\u30a0-\u30ff・ー]{2,24}|[\u3400-\u9fff]{2,12})"
               r"\s*(?:[<＜]\s*[A-Z0-9]{1,6}\s*[>＞]|[(（]\s*(?:[A-Z]{1,5}|\d{4,6})\.[A-Z]{1,2}\s*[)）]"
               r"|[A-Z]{1,5}\.(?:O|N|OQ|K|HK|T|US|SH|SZ)(?![A-Za-z]))"),
    # A name opening a sentence or clause, then its announcement: "千帆生物港交所公告",
    # "千帆生物公司周六表示".
    re.compile(r"(?:^|(?<=[\n。,，]))([\u3400-\u9fff]{2,8}?)(?:公司|集团|集團)?"
               r"(?:周.|週.|星期.|今天|今日|日前|近日)?(?:港交所公告|发布公告|發布公告|宣布|宣佈|"
               r"公告称|公告稱|公告|表示|称|稱)"),
    # A Korean subject with an industry ending and a topic/subject marker: "한빛바이오는".
    re.compile(r"(?:^|(?<=[\s\"'(]))([가-힣A-Za-z]{0,12}?(?:바이오로직스|바이오텍|바이오|제약|약품|"
               r"생명과학|테라퓨틱스|파마|사이언스|헬스케어|의약|셀|젠))(?:는|은|이|가|의)(?=[\s,.])"),
)


# A Latin name written into CJK copy before its share price or "company": "Acme Pharma股價".
_LATIN_IN_CJK = re.compile(r"(?:^|(?<=[\s\u3400-\u9fff]))"
                           r"([A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*){0,3})"
                           r"\s*(?:股價|股价|股份|公司|宣布|宣佈|表示|公告)")


# What a regulator, a government, a hospital or "the company" is called: never the issuer.
_AGENCY = re.compile(r"管理局|监督|監督|药监|藥監|食品|当局|當局|政府|委员会|委員会|省|厚生|機構|"
                     r"机构|規制|规制|審査|审评|審評|該公司|该公司|本公司|^公司|医院|醫院|病院|大学|"
                     r"大學|研究所")


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
        m = next((m for m in form.finditer(text) if not _AGENCY.search(m.group(1))), None)
        if m:
            english = _ENGLISH_AFTER.match(text, m.end())
            if english:
                return english.group(1) or english.group(2), True
            return m.group(1), False
    m = _LATIN_IN_CJK.search(text)
    if m and not m.group(1).isupper():
        return m.group(1), True
    return None
