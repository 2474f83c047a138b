"""Named studies ("the Phase 3 MAGNITUDE trial", "CheckMate-602", "LUMMICAR-2 (NCT03915184)")
and registry ids, kept apart from drugs.

A study name is a capitalised word of a study's shape (all capitals, or two capitals inside
one word: "MAGNITUDE", "CheckMate", "HOPE-B", "NEON-2", "ELIMYN18.2", a sponsor's protocol
code "CA204142") written as a study: next to "trial"/"study", after "Phase N", or paired
with an NCT id. Such a name is a trial, never a drug; an NCT id next to it is its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.extract.indications import canonical_indication
from bot.extract.targets import canonical_target
from bot.extract.text import fold
from bot.models import Trial

_NAME = (r"(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:(?:\s?-)?\d+(?:\.\d+)?[A-Za-z]?|-[A-Z]\b)?"
         r"|[A-Z][a-z]{2,}\s?-\d+[A-Za-z]?|[A-Z]{1,3}\d{5,}|[A-Z]{2,3}\d{3}\s?-\s?\d{3})")
# A name with another in brackets: "CA209-602 (CheckMate-602)"; a list of them.
_NAMED = rf"{_NAME}(?:\s*\({_NAME}\))?"
_NAMES = rf"{_NAMED}(?:\s*(?:,|and|or|&)\s*{_NAMED})*"
_STUDY_WORD = r"(?:clinical\s+)?(?:trials?|stud(?:y|ies)|program(?:me)?\s+of\s+studies|protocol)"
_PHASE = r"(?:Phase|phase|PhII|PhI|Ph)\s*(?:[0-9IV]+[ab]?(?:\s?/\s?[0-9IV]+[ab]?)?)"
# "the MAGNITUDE trial", "Phase 3 HOPE-B study", "MAGNITUDE and MAGNITUDE-2 trials"
_BEFORE_STUDY = re.compile(
    rf"\b({_NAMES})\s+(?:\((?:NCT\d{{8}})\)\s+)?(?:{_PHASE}\s+)?{_STUDY_WORD}\b")
# "two trials (CA204142 and CA209039)", "a third trial, CA209-602 (CheckMate-602), remains"
_AFTER_STUDY = re.compile(rf"\b(?:trials?|stud(?:y|ies))(?:\s*\(|,\s+)({_NAMES})[),]")
# "CheckMate-039: A phase 1 study of ..."
_LABELLED = re.compile(rf"(?:^|\n)\W*({_NAME}):\s+(?:An?|The)\s+(?:\S+\s+){{0,4}}?"
                       rf"(?:trial|study)\b")
_AFTER_PHASE = re.compile(rf"\b{_PHASE}\s+({_NAME})\b")
_CALLED = re.compile(rf"\b(?:trial|study),?\s+(?:called|named|known\s+as|dubbed)\s+({_NAME})")
_WITH_NCT = re.compile(
    rf"\b({_NAME})\s*(?:{_STUDY_WORD}\s*)?[(,;:]\s*(NCT\d{{8}})\b"
    rf"|\b(NCT\d{{8}})\s*[(,;]\s*({_NAME})\b")
_NCT = re.compile(r"\bNCT\d{8}\b")
_PROTOCOL = re.compile(r"[A-Z]{1,3}\d{5,}|[A-Z]{2,3}\d{3}-\d{3}")
_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b|&|\(|\))\s*")
# Capitalised words a study phrase starts with that are not names.
_NOT_NAMES = frozenset({
    "FDA", "IND", "INDS", "US", "USA", "UK", "EU", "NCT", "CAR", "CART", "CAR-T", "TCR", "ADC",
    "AAV", "NK", "DNA", "RNA", "MRNA", "PHASE", "THE", "COVID", "COVID-19", "SARS", "HIV",
    "US-BASED", "GMP", "CMC", "SAE", "DSMB", "IRB", "IDMC", "DMC", "MOA", "PK", "PD", "OK",
    "ASCO", "ASH", "ESMO", "AACR", "EHA", "II", "III", "IV", "NDA", "BLA", "MAA", "CRL", "RMAT",
    "CEO", "CFO",
})


def find_trials(text: str) -> list[Trial]:
    """The studies a text names, with their NCT ids where written beside them, then the NCT
    ids not tied to a name (each once, in order of first mention)."""
    if not any(w in text for w in ("rial", "tud", "hase", "NCT", "rotocol")):
        return []
    found: dict[str, Trial] = {}
    paired: set[str] = set()
    for m in _WITH_NCT.finditer(text) if "NCT" in text else ():
        name, nct = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if _is_name(name):
            _add(found, name, nct.upper())
            paired.add(nct.upper())
    for pattern in (_BEFORE_STUDY, _AFTER_STUDY, _AFTER_PHASE, _CALLED, _LABELLED):
        for m in pattern.finditer(text):
            for name in _SPLIT.split(m.group(1)):
                if name and _is_name(name):
                    _add(found, name, None)
    trials = list(found.values())
    for nct in dict.fromkeys(n.upper() for n in _NCT.findall(text)):
        if nct not in paired:
            trials.append(Trial(None, nct))
    return trials


def is_protocol_code(name: str) -> bool:
    """A sponsor's protocol number ("CA204142", "CA209-602"): a study, not a drug code."""
    return bool(_PROTOCOL.fullmatch(name))


def trial_keys(trials: Iterable[Trial]) -> set[str]:
    """Folded names of the named trials (to keep them out of the drugs)."""
    return {fold(t.name) for t in trials if t.name}


def _add(found: dict[str, Trial], name: str, nct: str | None) -> None:
    name = re.sub(r"\s*-\s*", "-", name.strip())
    key = fold(name)
    old = found.get(key)
    if old is None or (nct and not old.nct_id):
        found[key] = Trial(old.name if old else name, nct or (old.nct_id if old else None))


def _is_name(name: str) -> bool:
    name = re.sub(r"\s*-\s*", "-", name.strip())
    if _NCT.fullmatch(name):
        return False
    if _PROTOCOL.fullmatch(name):
        return True
    head = re.split(r"[\s-]", name)[0]
    if (head.upper() in _NOT_NAMES or len(re.sub(r"[^A-Za-z]", "", head)) < 3
            or _NCT.fullmatch(name)):
        return False
    # A target ("BCMA trial") or a disease ("DMD study") is not a study's name.
    return not (canonical_target(name) or canonical_indication(name) or canonical_target(head)
                or canonical_indication(head))
