"""What a drug name looks like: INNs by their stems, short names, code names.

Used both to find drug mentions in text (`drugs.py`) and to rank the names of
one drug (`aliases.py`: the INN is the canonical name, then the short name,
then the code, then a brand).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Second words of two-word INNs: cell therapies, gene therapies, ADC payloads, PEG.
_SECOND_WORD = (
    r"(?:[a-z]*(?:leucel|parvovec|repvec|temcel|vedotin|tecan|emtansine|mafodotin|tesirine|lisbac|"
    r"talirine|ozogamicin|tansine|pegol|sudotox|aritox|meran|ziclumeran|dezaparvovec|siran|rsen))"
)
_FIRST_WORD = r"(?:[a-z]{3,}(?:gene|mab|ran|cel|cept|kin|ase|tide|nib|cin|bart|tug|mig))"
MULTIWORD_INN = re.compile(rf"\b({_FIRST_WORD}\s+{_SECOND_WORD})\b", re.IGNORECASE)

_STEMS = (
    r"mab|cept|tinib|anib|enib|ciclib|parib|lisib|degib|zomib|sertib|rasib|[a-z]ib|stat|"
    r"vir|ersen|siran|tide|cel|platin|taxel|rubicin|lutamide|dostat|vec|kinra|"
    r"glutide|ferase|plase|lintide|parin|xaban|gatran|afusp|clax|bart|tug|mig|imod|grastim|"
    r"leukin|gepant|dir|arotene"
)
SINGLE_INN = re.compile(rf"\b([A-Za-z][a-z]{{3,}}(?:{_STEMS}))(?:-[a-z]{{4}})?\b")
# "zevor-cel", "Cilta-cel", "T-DXd", "Dato-DXd", "T-DM1", "T-VEC", "mRNA-1273"
SHORT_NAME = re.compile(
    r"\b([A-Za-z]{2,8}-cel|[A-Za-z0-9]{1,6}-DXd|T-DM1|T-VEC|mRNA-\d{3,4}|nex-z|"
    r"[a-z]{2,5}-[a-z]{2,}(?:siran|rsen))\b"
)
# "CT053", "NTLA-2001", "ALLO-501A", "RP-A501", "BMN 307", "BNT326"
# A mixed-case prefix ("Debio-1143") needs the hyphen; a space only follows all-caps prefixes.
# CJK text glues words to codes ("对CT041、"), so the edges are ASCII-only.
# (The prefix starts with its capital and checks the character before it after: a pattern
# that starts with a look-behind is tried at every position, one that starts with [A-Z] is
# found by a scan for capitals.)
CODE = re.compile(
    r"(?P<prefix>[A-Z](?<![A-Za-z0-9.\-][A-Z])(?:-[A-Z]{2,6}|[A-Z]{1,5}|[a-z][A-Za-z]{0,4}(?=-)))"
    r"(?P<sep>[- ]?)"
    r"(?P<num>[A-Z]{0,3}\d{1,8}[A-Za-z]{0,2})(?![A-Za-z0-9])"
)
# Brands: a capitalised word marked ® or ™.
BRAND = re.compile(r"\b([A-Z][A-Za-z0-9]{2,20})\s?(?:®|™|\(R\)|\(TM\))")

# Every SHORT_NAME match contains one of these, every BRAND match one of those: a text
# without them is not searched (both patterns start with \b, tried at every position).
_SHORT_NAME_MARKS = ("-cel", "-DXd", "T-DM1", "T-VEC", "mRNA-", "nex-z", "siran", "rsen")
_BRAND_MARKS = ("®", "™", "(R)", "(TM)")


# Product names in camel case: a lower-case word with capitals glued to its end
# ("miroliverELAP", "miroliverELAPtm" with its trademark as letters), and mixed-case codes
# ("XmAb14045"). A lower-case letter before two capitals is rare in prose: it is found
# first, and the word read around it.
# (one scan, starting with a capital: two capitals after a lower-case letter, or a mixed-case
# code)
_CAMEL = re.compile(r"[A-Z](?:(?<=[a-z][A-Z])[A-Z]|[a-z][A-Z][a-z]?\d{3,6}[A-Z]?(?![\w-]))")
_CAMEL_REACH = 800  # product names are written in the headline and the lead
_CAMEL_HEAD = re.compile(r"[a-z]{3,}$")
# A name that a platform or technology word follows names the platform, not a product.
_PLATFORM = re.compile(r"\s+(?:platform|technology|technologies|system|engine|library)\b",
                       re.IGNORECASE)
_CAMEL_TAIL = re.compile(r"[A-Z]{2,}[A-Z0-9]*(?:tm|TM)?(?![\w-])")


def camel_products(text: str) -> list[tuple[str, int, int]]:
    """Camel-case product names and mixed-case codes as (name, start, end)."""
    found = []
    for m in _CAMEL.finditer(text, 0, _CAMEL_REACH):
        at = m.start()
        if m.end() - at > 2:  # a mixed-case code: "XmAb14045"
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "-_"):
                found.append((m.group(), at, m.end()))
            continue
        head = _CAMEL_HEAD.search(text, max(0, at - 31), at)
        tail = _CAMEL_TAIL.match(text, at)
        if head and tail and (head.start() == 0 or not (
                text[head.start() - 1].isalnum() or text[head.start() - 1] in "-_.@/")) and not (
                _PLATFORM.match(text, tail.end())):
            name = text[head.start() : tail.end()]
            name = name[:-2] if name.endswith(("tm", "TM")) else name
            found.append((name, head.start(), head.start() + len(name)))
    return found


def short_names(text: str) -> Iterator[re.Match[str]]:
    """SHORT_NAME.finditer(text), skipping texts that cannot contain one."""
    if any(mark in text for mark in _SHORT_NAME_MARKS):
        yield from SHORT_NAME.finditer(text)


def brands(text: str) -> Iterator[re.Match[str]]:
    """BRAND.finditer(text), skipping texts without a ® or ™ mark."""
    if any(mark in text for mark in _BRAND_MARKS):
        yield from BRAND.finditer(text)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_DRUGS = _words(
    """cancel excel parcel marcel barcel oncogene transgene antigene progene polygene
    thermostat rheostat hemostat peptide nucleotide oligonucleotide polypeptide dipeptide
    riptide yuletide eventide concept except intercept accept precept percept andersen
    petersen pedersen jensen carotene betacarotene autoleucel ciloleucel maraleucel vicleucel
    autotemcel
    autogedtemcel cardiac sahib squib brunei lebensraum rebeca tribe nadir"""
)
# Upper-case prefixes that make code-like tokens that are not drugs.
_NOT_CODE_PREFIXES = _words(
    """NCT FY CY EX ASU SIC ICD CFR BLA NDA IND MAA ANDA SNDA SBLA ISO GMP HK HKD HKEX USD RMB
    EUR GBP JPY SSE SZSE TSE TSX ASX LSE AIM SIX KRX NYSE NASDAQ OTC COVID SARS HIV HPV EBV
    CMV HBV HCV ASCO ASH EHA ESMO AACR SITC ASGCT ACR AAN ADA WCLC SABCS ISTH ATS ERS EASL
    AASLD CROI ESC AHA ACC JPM IAS CEST EST EDT PST PDT GMT UTC CET ET PT UK US USA EU SEC
    PDUFA WHO FTSE MSCI DOW ISIN CIK ID NO REG RULE ITEM FORM PCT WO EP DE CN JP KR GB
    AUD CAD CHF ECOG NYHA HLA IL GLP CDK FGF FGFR TGF KRAS NRAS HRAS TP BRCA IDH ATR PD CD
    CTLA LAG TIM CAR CAR-T BCMA EGFR HER ALK ROS RET MET JAK BTK PI PIK PARP WEE PLK MDM
    KPI FDA NMPA PMDA EMA MHRA CDE TGA NICE IRB DSMB LDL HDL MRI PET ECG EKG QT DNA RNA
    MRNA SIRNA ASO AAV LNP AUC IC EC ORR CR PR SD PFS OS DOR MRD NK TCR ADC BITE TCE GVHD
    CRS ICANS SAE AE TEAE DLT MTD RPD MOA CEO CFO COO CMO CSO PHD MD MBA LLC INC LTD PLC
    SA AG NV SE GMBH CO CORP SPAC IPO ATM PIPE RMAT BTD ODD PRV EUA NASH MASH ALS SMA DMD
    MM AML ALL CLL CML MDS DLBCL NSCLC SCLC HCC CRC TNBC SCD TDT PKU LGMD XLMTM GBM"""
)


# Abbreviations that are also company code prefixes when a hyphen and 3+ digits follow:
# "ORR" alone is objective response rate, "ORR-115" a drug.
_CODE_WITH_NUMBER = _words("ORR CR PR SD OS DOR PFS MRD NK TCR ADC AAV LNP ASO DLT")
# Legal suffixes are never hyphenated to a number: "AG-120", "CO-101" are drug codes.
_LEGAL_CODE_PREFIXES = _words("AG SA NV SE CO")


_SECOND_SUFFIXES = (
    "leucel", "parvovec", "repvec", "temcel", "vedotin", "tecan", "emtansine", "mafodotin",
    "tesirine", "talirine", "ozogamicin", "tansine", "pegol", "sudotox", "aritox", "meran",
    "siran", "rsen", "lisbac",
)
_FIRST_SUFFIXES = ("gene", "mab", "ran", "cel", "cept", "kin", "ase", "tide", "nib", "cin",
                   "bart", "tug", "mig")
_SINGLE_SUFFIXES = tuple(_STEMS.replace("[a-z]ib", "ib").split("|"))
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
Trie = dict[str, "Trie"]  # one letter -> the rest; "" marks a whole word


def _ending_in(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """_WORD restricted to words ending (any case) in one of `suffixes`, found in C.

    The endings are checked as a trie read backwards (last letter, then the one before),
    so most words fail on one look-behind instead of one per suffix.
    """
    kept = {s.lower() for s in suffixes if not any(s != t and s.endswith(t) for t in suffixes)}
    trie: Trie = {}
    for suffix in kept:
        node = trie
        for ch in reversed(suffix):
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: Trie, tail: str) -> str:
        if "" in node:  # a whole suffix is behind: no kept suffix extends another
            return ""
        alts = [f"(?<={re.escape(ch + tail)})" + render(child, ch + tail)
                for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return re.compile(r"\b[A-Za-z]{4,}+\b(?i:" + render(trie, "") + ")")


# The words inn_spans acts on: single-word INNs and second words of two-word INNs.
_CANDIDATE = _ending_in(_SINGLE_SUFFIXES + _SECOND_SUFFIXES)


def inn_spans(text: str) -> list[tuple[str, int, int]]:
    """INNs in text as (name, start, end): two-word ones first claimed, then single words.

    Only words with an INN ending are visited (one regex finds them); the first word of a
    two-word INN is the word just before, across whitespace only. That is the word a walk
    over every word would hold as "previous", unless it was itself the second word of a
    two-word INN, which such a walk never reuses.
    """
    found: list[tuple[str, int, int]] = []
    paired_end = -1  # end of the last second word of a two-word INN
    # French and Spanish copy writes INNs with accents ("palovarotène"): the shapes are read
    # on the text without them (the same length), the names reported as written.
    scan = text.translate(_UNACCENTED) if _ACCENTED.search(text) else text
    for m in _CANDIDATE.finditer(scan):
        word = m.group().lower()
        first = _word_before(scan, m.start()) if word.endswith(_SECOND_SUFFIXES) else None
        if first is not None and first[1] != paired_end and scan[first[0] : first[1]].lower(
        ).endswith(_FIRST_SUFFIXES):
            if found and found[-1][1] == first[0]:
                found.pop()
            found.append((f"{text[first[0] : first[1]]} {text[m.start() : m.end()]}".lower(),
                          first[0], m.end()))
            paired_end = m.end()
            continue
        if word.endswith(_SINGLE_SUFFIXES) and word not in _NOT_DRUGS and len(word) >= 5:
            end = m.end()
            suffix = _BIOSIMILAR.match(text, end)
            name = word if scan is text else text[m.start() : end].lower()
            found.append((name + (suffix.group() if suffix else ""), m.start(),
                          suffix.end() if suffix else end))
    return found


_ACCENTED = re.compile("[À-ÖØ-öø-ÿ]")
_UNACCENTED = str.maketrans("àáâãäåèéêëìíîïòóôõöùúûüýÿñçÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝÑÇ",
                            "aaaaaaeeeeiiiiooooouuuuyyncAAAAAAEEEEIIIIOOOOOUUUUYNC")


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD_CHAR = re.compile(r"\w")


def _word_before(text: str, start: int) -> tuple[int, int] | None:
    """Span of the _WORD match separated from `start` by whitespace only, if there is one."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == start:
        return None
    begin = end
    while begin > 0 and text[begin - 1] in _ASCII_LETTERS:
        begin -= 1
    if end - begin < 4 or (begin > 0 and _WORD_CHAR.match(text, begin - 1)):
        return None  # too short, or glued to a digit or letter (no \b): not a _WORD match
    return begin, end


_BIOSIMILAR = re.compile(r"-[a-z]{4}\b")


def is_multiword_inn(name: str) -> bool:
    return MULTIWORD_INN.fullmatch(_plain(name)) is not None


def is_inn(name: str) -> bool:
    """An International Nonproprietary Name (one or two words), not a short form or code."""
    if is_multiword_inn(name):
        return True
    plain = _plain(name)
    return SINGLE_INN.fullmatch(plain) is not None and plain.lower() not in _NOT_DRUGS


def _plain(name: str) -> str:
    return name if name.isascii() else name.translate(_UNACCENTED)


def is_short_name(name: str) -> bool:
    return SHORT_NAME.fullmatch(name) is not None


def code_ok(m: re.Match[str]) -> bool:
    """Whether a CODE match is plausibly a drug code rather than a year, gene or form."""
    prefix, sep, num = m.group("prefix"), m.group("sep"), m.group("num")
    if prefix.upper() in _NOT_CODE_PREFIXES and not (sep == "-" and num[:1].isdigit() and (
            prefix in _LEGAL_CODE_PREFIXES
            or (len(num) >= 3 and num.isdigit() and prefix in _CODE_WITH_NUMBER))):
        return False
    digits = re.sub(r"\D", "", num)
    letters_before = len(num) - len(num.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if letters_before > 1 and sep != "-":
        return False  # "ALPHA2"-like words, not codes
    if len(digits) < 2 and not (sep == "-" and prefix.isupper()):
        return False  # "HG-3" is a code; "AB1" is not
    if len(prefix) >= 5 and sep == "-" and digits.startswith("0"):
        return False  # trial acronyms: "KOMET-001", "MELANI-01"
    if len(digits) == 4 and digits[:2] in ("19", "20") and not num[0].isalpha() and not (
            sep == "-" and prefix.isupper()):
        return False  # a year: "ASCO 2024", "FY2025" (a hyphenated "QF-1902" is a code)
    return not (sep == " " and len(digits) < 3)


def is_code(name: str) -> bool:
    m = CODE.fullmatch(name)
    return m is not None and code_ok(m)


def rank(name: str) -> int:
    """Canonical-name preference: two-word INN, INN, short name, code, anything else."""
    if is_multiword_inn(name):
        return 0
    if is_inn(name):
        return 1
    if is_short_name(name):
        return 2
    if is_code(name):
        return 3
    return 4


def not_a_drug(word: str) -> bool:
    return word.lower() in _NOT_DRUGS
