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
         r"|[A-Z][a-z]{2,}\s?-\d+[A-Za-z]?|[A-Z]{1,3}\d{5,}|[A-Z]{2,3}\d{3}\s?-\s?\d{3}"
         # camel case with a lower-case head: "alloSHRINK", "pheNIX", "iMMagine-1"
         # (possessive: tried at every lower-case letter, it must fail without backtracking)
         r"|[a-z]{1,6}+[A-Z]{2,}+[A-Za-z]*(?:-?\d+)?)")
# A name with another in brackets: "CA209-602 (CheckMate-602)"; a list of them.
_NAMED = rf"{_NAME}(?:\s*\({_NAME}\))?"
_PHASE = r"(?:Phase|phase|PhII|PhI|Ph)\s*(?:[0-9IV]+[ab]?(?:\s?/\s?[0-9IV]+[ab]?)?)"
# (a list may name the phase of each: "the Phase 1/2 HGB-206 and Phase 3 HGB-210 studies")
_NAMES = rf"{_NAMED}(?:\s*(?:,|and|or|&)\s*(?:{_PHASE}\s+)?{_NAMED})*"
_STUDY_WORD = r"(?:clinical\s+)?(?:trials?|stud(?:y|ies)|program(?:me)?\s+of\s+studies|protocol)"
# Each pattern is tried only from an anchor (a study word, "Phase", an NCT id, a labelled
# line) found first by a cheap search: the name patterns would be slow at every position.
# (Each starts with a character class, so the engine scans for its first letter.)
# Study words in English and in the languages news copy comes in, and a study's named part
# ("the INNOVATE Phase 3 segment").
# (one character class first, so the engine scans for it: "Trial", "Study", "Studie",
# "Protocol", "Segment", "ensayo", "essai", "estudio", "étude")
_STUDY_ANCHOR = re.compile(r"[TtSsPpEeÉé](?:rials?|tud(?:y|ies|ien|ie|es?)|rotocol|egments?|"
                           r"nsayos?|ssais?|studios?)\b")
# A capitalised word that ends a study's name ("the TakeAim Leukemia study"), not one that
# describes the study.
_SECOND_WORD = (r"(?:\s+(?!(?:Phase|Trial|Study|Studies|Clinical|Pivotal|Program|Registrational|"
                r"Global|Open|Randomi[sz]ed|Confirmatory)\b)[A-Z][a-z]{3,})?")
# "the MAGNITUDE trial", "Phase 3 HOPE-B study", "MAGNITUDE and MAGNITUDE-2 trials",
# "Phase 2/3 (INNOVATE) trial"
_BEFORE_STUDY = re.compile(
    rf"(?<![\w-])\(?({_NAMES}{_SECOND_WORD})\)?\s+(?:\((?:NCT\d{{8}})\)\s+)?"
    rf"(?:{_PHASE}\s+)?(?:clinical\s+)?$")
# "two trials (CA204142 and CA209039)", "a third trial, CA209-602 (CheckMate-602), remains",
# "el estudio fundamental fase III, ENHANCE, ..."
_AFTER_STUDY = re.compile(rf"(?:\s*\(|,\s+|(?:\s+[\w/.-]+){{1,4}}?,\s+(?=\S+,))({_NAMES})[),]")
# A name and then what it is: "IGNITE DMD, its Phase I/II study", "iMMagine-1 - a phase 2
# trial" (read back from the study word).
_APPOSITIVE = re.compile(
    rf"(?<![\w-])({_NAME}(?:\s+[A-Z]{{2,}}\b)?)\s*(?:,|—|–|\s-)\s+(?:its|a|an|the|their|"
    rf"el|la|un|una|le|l'|ein|eine|die|der)\s+(?:[\w/.'-]+\s+){{0,5}}$")
_PHASE_ANCHOR = re.compile(r"[Pp]h(?:ase)?\s*[0-9IV]")
_AFTER_PHASE = re.compile(rf"{_PHASE}\s+({_NAME})\b")
_CALLED = re.compile(rf"\b(?:trial|study),?\s+(?:called|named|known\s+as|dubbed)\s+({_NAME})")
# "CheckMate-039: A phase 1 study of ..."
_LABEL_ANCHOR = re.compile(r":\s+(?:An?|The)\s+(?:\S+\s+){0,4}?(?:trial|study)\b")
_LABELLED = re.compile(rf"(?:^|\n)\W*({_NAME})$")
_BEFORE_NCT = re.compile(rf"(?<![\w-])({_NAME})\s*(?:{_STUDY_WORD}\s*)?[(,;:]\s*$")
_AFTER_NCT = re.compile(rf"\s*[(,;]\s*({_NAME})\b")
_REACH = 160  # characters before an anchor a name (list) may start
_NEAR = 48  # ... and within which the last name of a list stands
_NAME_SHAPE = re.compile(r"[A-Z][A-Za-z]*[A-Z]|[A-Z][a-z]+\s?-\d|[A-Z]{1,3}\d{3}")
_PHASE_WORD = re.compile(r"[0-9IV]+[ab]?(?:/[0-9IV]+[ab]?)?")
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
    found: dict[str, Trial] = {}
    paired: set[str] = set()
    for m in _NCT.finditer(text) if "NCT" in text else ():
        nct = m.group().upper()
        named = (_BEFORE_NCT.search(text, max(0, m.start() - _REACH), m.start())
                 or _AFTER_NCT.match(text, m.end()))
        if named and _is_name(named.group(1)):
            _add(found, named.group(1), nct)
            paired.add(nct)
    lists = []
    for m in _STUDY_ANCHOR.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-"):
            continue  # inside a word
        # Most study words follow an ordinary word ("the pivotal study"): the name pattern
        # runs only when the word before looks like a name.
        near = text[max(0, m.start() - _NEAR) : m.start()]
        if _looks_named(near):
            lists.append(_before_study(text, m.start()))
        if _appositive_tail(near):
            lists.append(_APPOSITIVE.search(text, max(0, m.start() - _REACH), m.start()))
        after = text[m.end() : m.end() + _NEAR]
        comma = after.find(", ")
        if _NAME_SHAPE.match(text, m.end()) or after.startswith(" (") or (
                comma >= 0 and _NAME_SHAPE.match(after, comma + 2)):
            lists.append(_AFTER_STUDY.match(text, m.end()))
    for m in _PHASE_ANCHOR.finditer(text):
        if not (m.start() and text[m.start() - 1].isalnum()):
            lists.append(_AFTER_PHASE.match(text, m.start()))
    if "called" in text or "named" in text or "known as" in text or "dubbed" in text:
        lists.extend(_CALLED.finditer(text))
    for m in _LABEL_ANCHOR.finditer(text) if ":" in text else ():
        lists.append(_LABELLED.search(text, max(0, m.start() - 40), m.start()))
    for match in lists:
        if match is None:
            continue
        for name in _SPLIT.split(match.group(1)):
            if name and _is_name(name):
                _add(found, name, None)
    for name in _code_families(text):
        _add(found, name, None)
    trials = sorted(found.values(), key=lambda t: _first_at(text, t))
    for nct in dict.fromkeys(n.upper() for n in (_NCT.findall(text) if "NCT" in text else ())):
        if nct not in paired:
            trials.append(Trial(None, nct))
    return trials


_SKIPPED = frozenset({"clinical", "phase", "ph", "and", "or", "&"})


def _looks_named(before: str) -> bool:
    """Whether the last word before a study word (past "clinical", "Phase 2", an NCT id, one
    capitalised word of the name: "TakeAim Leukemia") has a name's shape: two capitals, or
    capitals and digits."""
    second = False
    for word in reversed(before.split()[-5:]):
        word = word.strip("(),;:")
        if not word or word.lower() in _SKIPPED or word.startswith("NCT") or _PHASE_WORD.fullmatch(
                word):
            continue
        if _NAME_SHAPE.search(word) or word[0] in "-0123456789":
            return True
        if second or not word[:1].isupper():
            return False
        second = True  # a capitalised word: the name may stand before it
    return False


# A family of studies written in lower case ("keynote-183, keynote-185 and keynote-023",
# as wire briefs lower-case them): a word and a number, the word used with two numbers.
_LOWER_NUMBER = re.compile(r"-\d{2,4}(?![\w-])")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]{5,}$")
_NOT_FAMILIES = frozenset({"covid", "grade", "stage", "class", "phase", "cycle", "level",
                           "month", "weeks", "cohort", "visit", "study", "trial", "dose", "type",
                           "interleukin", "factor", "sars", "version", "model", "series"})


_DETERMINERS = frozenset({"its", "a", "an", "the", "their", "el", "la", "un", "una", "le", "l'",
                          "ein", "eine", "die", "der"})


def _before_study(text: str, at: int) -> re.Match[str] | None:
    """_BEFORE_STUDY searched before a study word: first in the last _NEAR characters (the
    last name of a list always matches there), the whole reach only when the match may go
    on to the left (it starts at the window's edge, or after a list's separator)."""
    start = max(0, at - _NEAR)
    m = _BEFORE_STUDY.search(text, start, at)
    if m and start > 0:
        lead = text[max(start, m.start() - 8) : m.start()]
        if m.start() <= start + 2 or "," in lead or "and" in lead or "or" in lead or "&" in lead:
            return _BEFORE_STUDY.search(text, max(0, at - _REACH), at)
    return m


def _appositive_tail(near: str) -> bool:
    """Whether the words before a study word open an apposition: ", its Phase 1/2 study"."""
    cut = max(near.rfind(","), near.rfind("—"), near.rfind("–"), near.rfind(" - ") + 2)
    if cut < 0:
        return False
    words = near[cut + 1 :].split()
    return 0 < len(words) <= 6 and words[0].lower() in _DETERMINERS


def _code_families(text: str) -> list[str]:
    """The lower-case names of a family of studies (a word used with two numbers)."""
    words: dict[str, list[str]] = {}
    for m in _LOWER_NUMBER.finditer(text):
        if not (m.start() and text[m.start() - 1].islower()):
            continue
        head = _LOWER_WORD.search(text, max(0, m.start() - 20), m.start())
        if head and head.group() not in _NOT_FAMILIES:
            words.setdefault(head.group(), []).append(text[head.start() : m.end()])
    return [name for names in words.values() if len(set(names)) > 1 for name in names]


def _first_at(text: str, trial: Trial) -> int:
    at = text.find(trial.name or "")
    return at if at >= 0 else len(text)


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
