"""Name normalisation for companies and drugs (pure).

Companies: "CARsgen", "CARsgen Therapeutics Holdings Limited" and
"CARsgen Therapeutics Co." are one company. We drop punctuation and legal
suffixes, compare case-insensitively, and treat a name whose words are a prefix
of the other's words as the same company.

Drugs: "zevor-cel" = "Zevor cel" = "zevorcel"; "CT-053" = "CT053".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEGAL_WORDS = _words(
    "inc incorporated corp corporation co company ltd limited llc plc ag sa nv se spa "
    "gmbh kg kgaa bv ab asa oy as holdings holding group lp llp pty kk"
)
_WORD = re.compile(r"[0-9a-z]+")
_DRUG_DROP = re.compile(r"[\s\-‐‑–—_.·/]+")
MIN_PREFIX_CHARS = 4  # a one-word prefix shorter than this ("Bio") is too vague to match

# Stems of International Nonproprietary Names (WHO stem book), most common in
# clinical-hold news; an INN is a lowercase word ending in one of them.
INN_STEMS = (
    "leucel",
    "cel",
    "mab",
    "tinib",
    "ciclib",
    "parib",
    "rafenib",
    "degib",
    "lisib",
    "zomib",
    "gene",
    "vec",
    "parvovec",
    "tide",
    "stat",
    "vir",
    "platin",
    "taxel",
    "rubicin",
    "sertib",
    "metinib",
    "tug",
    "cept",
    "kin",
    "ase",
    "sen",
    "siran",
    "rsen",
    "lutamide",
    "fenib",
    "dustat",
    "glutide",
    "mig",
    "ximab",
    "zumab",
)
INN_SECOND_WORDS = _words(
    "autoleucel ciloleucel maraleucel lisocabtagene vedotin deruxtecan emtansine "
    "govitecan mafodotin tesirine pasudotox ozogamicin soraldotin"
)
_CODE = re.compile(r"^[A-Za-z]{1,6}[- ]?\d")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=16384)
def company_words(name: str | None) -> tuple[str, ...]:
    """Lower-case words of a company name without legal suffixes."""
    if not name:
        return ()
    words = _WORD.findall(fold(name).replace("&", " and "))
    while words and words[-1] in LEGAL_WORDS:
        words.pop()
    return tuple(words)


def company_key(name: str | None) -> str:
    return " ".join(company_words(name))


# What a headline puts before a name ("Hong Kong-listed CARsgen", "Shanghai-based …").
_DESCRIPTOR = re.compile(
    r"^(?:[A-Z][\w.]*\s+)*[\w.]+-(?:listed|based|headquartered|registered|focused)\s+(?=\S)"
)


def company_clean(name: str) -> str:
    """The name as written, without a descriptor before it ("Hong Kong-listed CARsgen"
    -> "CARsgen") or stray punctuation around it."""
    return _DESCRIPTOR.sub("", name.strip()).strip(" ,;:") or name.strip()


def company_display(name: str) -> str:
    """The name without legal words after it, as texts often write it: "CARsgen
    Therapeutics Holdings Limited" -> "CARsgen Therapeutics"; "Acme Bio, Inc." ->
    "Acme Bio"; "Hong Kong-listed CARsgen" -> "CARsgen"."""
    tokens = company_clean(name).split()
    while len(tokens) > 1 and all(w in LEGAL_WORDS for w in _WORD.findall(fold(tokens[-1]))):
        tokens.pop()  # a legal word, or a lone "&" before one ("Pharma & Co")
    shown = " ".join(tokens).rstrip(" ,.;:")
    return shown or name.strip()


@lru_cache(maxsize=8192)
def company_forms(name: str | None) -> tuple[str, ...]:
    """How a text may name the company: in full, without legal words, and by its first
    word when that is distinctive enough ("CARsgen"); longest first."""
    if not name or not name.strip():
        return ()
    shown = company_display(name)
    forms = [name.strip(), shown]
    first = re.sub(r"(?:['’]s)?[,.;:]*$", "", shown.split()[0]) if shown.split() else ""
    if len(first) >= MIN_PREFIX_CHARS and first != shown:
        forms.append(first)
    return tuple(dict.fromkeys(forms))


def same_company(a: str | None, b: str | None) -> bool:
    """True when one name's words are a prefix of the other's (after normalising)."""
    wa, wb = company_words(a), company_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if long_[: len(short)] != short:
        return False
    return len(" ".join(short)) >= MIN_PREFIX_CHARS


def drug_key(name: str) -> str:
    """Case-, space- and hyphen-insensitive key of a drug name."""
    return _DRUG_DROP.sub("", fold(name).strip())


def is_inn(name: str) -> bool:
    """Looks like an INN: lowercase letters only, ending in a known stem."""
    words = name.strip().lower().split()
    if not words or any(not w.isalpha() or not w.isascii() for w in words):
        return False
    if len(words) == 2 and (words[1] in INN_SECOND_WORDS or words[1].endswith("leucel")):
        return True
    return len(words) == 1 and len(words[0]) >= 7 and words[0].endswith(INN_STEMS)


def is_code(name: str) -> bool:
    """A development code such as CT053, CT-053, AB-101."""
    return bool(_CODE.match(name.strip())) and any(c.isdigit() for c in name)


def name_rank(name: str) -> int:
    """0 INN, 1 short name ("zevor-cel"), 2 code ("CT053"), 3 anything else."""
    if is_inn(name):
        return 0
    if is_code(name):
        return 2
    if name.strip() and name.strip().replace("-", "").isalpha() and "-" in name:
        return 1
    return 3


def canonical_name(names: list[str] | tuple[str, ...]) -> str:
    """The name to show: INN when known, else short name, else code (ties: shortest, a-z)."""

    def order(n: str) -> tuple[int, int, str, str]:
        return (name_rank(n), len(n), n.lower(), n)

    best = min(names, key=order)
    return best.lower() if name_rank(best) == 0 else best
