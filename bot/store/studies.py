"""Trials are trials (pure): study names the extractor took for drugs become trials.

"ELIMYN18" (from "the ELIMYN18.2 trial") or "ST-02" (from "CT041-ST-02") must never
become a drug that `/drug` finds, `/target` lists or an alert shows. The extractor
lists named studies in `Extraction.trials`; when it misses one, these rules catch the
mention in the event layer. Each rule is named and carries an example (text, mention)
it must catch; tests/store/test_studies.py runs them all.

A mention that carries other names ("zevor-cel (CT053)") or an INN is a drug whatever
the text says next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.models import Candidate, DrugMention, Trial
from bot.store.names import drug_key, name_rank

_STUDY_WORDS = r"(?:trial|study|studies|trials|cohort)"
_GLUE = r"[\s\-‐‑–—_./·]*"
_DRUG_CODE = re.compile(r"^[A-Za-z]{1,5}[- ]?\d{2,}[A-Za-z]?$")


@dataclass(frozen=True)
class StudyRule:
    """A way a text shows that NAME is a study: `find(name, text)` gives the study's
    full name (and NCT id) when it does."""

    name: str
    find: Callable[[str, str], Trial | None]
    example_text: str
    example_mention: str


@lru_cache(maxsize=4096)
def _spelled(name: str) -> str:
    chunks = re.findall(r"[^\W\d_]+|\d+", name)
    return _GLUE.join(re.escape(c) for c in chunks)


@lru_cache(maxsize=8192)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _present(name: str) -> re.Pattern[str]:
    """NAME as a whole word, with the spelling freedom of drug names."""
    return _compiled(rf"(?<![^\W_]){_spelled(name) or '(?!)'}(?![^\W_])")


_TAIL = re.compile(r"[.\-]\d+(?:\.\d+)?(?![^\W_])")  # ".2" of ELIMYN18.2
_CODE_BEFORE = re.compile(r"(?<![^\W_])[A-Za-z]{1,6}-?\d+[-_]$")  # "CT041-" of CT041-ST-02


def _listed(trials: tuple[Trial, ...]) -> Callable[[str, str], Trial | None]:
    """A name the extractor listed as a trial (or the head of one: ELIMYN18 of ELIMYN18.2)."""

    def find(name: str, _text: str) -> Trial | None:
        key = drug_key(name)
        for trial in trials:
            tkey = drug_key(trial.name or "")
            if tkey and (tkey == key or (tkey.startswith(key) and len(key) >= 4
                                         and not tkey[len(key)].isalpha())):
                return trial
        return None

    return find


def _nct_linked(name: str, text: str) -> Trial | None:
    """'ELIMYN18.2 (NCT04404595)': a study acronym followed by a registry id. A drug code
    is followed by its trial's id all the time ('CT041 (NCT04581473)'): not counted."""
    return None if drug_code_like(name) else _nct_after(name, text)


def _nct_after(name: str, text: str) -> Trial | None:
    m = _compiled(rf"(?<![^\W_])({_spelled(name)}[\w.\-]*)(?:\s+{_STUDY_WORDS})?\s*[(\[,]"
                  r"\s*(?:ClinicalTrials\.gov(?:\s+identifier)?:?\s*)?(NCT\d{8})").search(text)
    return Trial(m.group(1), m.group(2).upper()) if m else None


def _cut_from_longer(name: str, text: str) -> Trial | None:
    """'ELIMYN18' where the text only ever says 'ELIMYN18.2 trial': the mention is the
    head of a longer study name that ends in a number."""
    found = list(_present(name).finditer(text))
    tails = [_TAIL.match(text, m.end()) for m in found]
    if not found or not all(tails):
        return None
    first = found[0]
    return Trial(text[first.start():tails[0].end()])  # type: ignore[union-attr]


def _suffix_of_code(name: str, text: str) -> Trial | None:
    """'ST-02' where the text says 'CT041-ST-02': a protocol number after a drug code."""
    found = list(_present(name).finditer(text))
    heads = [_CODE_BEFORE.search(text[max(0, m.start() - 16):m.start()]) for m in found]
    if not found or not all(heads):
        return None
    first, head = found[0], heads[0]
    return Trial(head.group(0) + first.group(0))  # type: ignore[union-attr]


def _named_as_study(name: str, text: str) -> Trial | None:
    """'the LUMMICAR-2 trial': a study acronym used as a study's name. A drug code is
    used that way all the time ('the CT071 trial'), so codes never count here."""
    if drug_code_like(name):
        return None
    as_study = _compiled(rf"(?<![^\W_]){_spelled(name)}(?![^\W_])\s+(?:phase\s+\w+\s+)?"
                         rf"(?:pivotal\s+|registrational\s+|confirmatory\s+)?{_STUDY_WORDS}\b")
    return Trial(name) if as_study.search(text) else None


def drug_code_like(name: str) -> bool:
    """A development code (CT071, AB-101, BNT326, LY3537982), not a study acronym with a
    short number (KarMMa-3, ELIMYN18, LUMMICAR-2)."""
    return bool(_DRUG_CODE.match(name.strip()))


GENERAL_RULES: tuple[StudyRule, ...] = (
    StudyRule("nct_linked", _nct_linked,
              "Patients in ELIMYN18.2 (NCT04404595) were dosed.", "ELIMYN18.2"),
    StudyRule("cut_from_longer_name", _cut_from_longer,
              "The ELIMYN18.2 trial of satri-cel was paused.", "ELIMYN18"),
    StudyRule("suffix_of_drug_code", _suffix_of_code,
              "Enrolment in CT041-ST-02 stopped.", "ST-02"),
    StudyRule("named_as_study", _named_as_study,
              "The LUMMICAR-2 study in the US was put on hold.", "LUMMICAR-2"),
)


def study_of(
    mention: DrugMention, text: str, trials: tuple[Trial, ...] = (),
    known: Callable[[str], bool] = lambda _name: False,
) -> Trial | None:
    """The study MENTION really names, or None when it is a drug. KNOWN(name): the store
    knows NAME as one of a drug's names (then it stays a drug)."""
    if mention.aliases or any(name_rank(n) <= 1 for n in mention.names):
        return None  # an INN or a short name ("satri-cel") is a drug's name
    if known(mention.name):
        return None
    listed = _listed(trials)(mention.name, text)
    if listed is not None:
        return listed
    if not _present(mention.name).search(text):
        return None  # every other rule needs the name in the text
    for rule in GENERAL_RULES:
        found = rule.find(mention.name, text)
        if found is not None:
            return found
    return None


def separate(cand: Candidate, known: Callable[[str], bool] = lambda _name: False) -> Candidate:
    """CAND with study names moved from its drugs to its trials (NCT ids paired when the
    text pairs them)."""
    ex = cand.extraction
    text = f"{cand.item.title}\n{cand.item.text}"
    drugs: list[DrugMention] = []
    trials = list(ex.trials)
    for mention in ex.drugs:
        study = study_of(mention, text, ex.trials, known)
        if study is None:
            drugs.append(mention)
        elif not any(_same_trial(study, t) for t in trials):
            trials.append(study)
    trials = [_with_nct(t, text) for t in trials]
    drug_keys = {drug_key(n) for m in drugs for n in m.names}
    for nct in ex.nct_ids:
        if not any((t.nct_id or "").upper() == nct.upper() for t in trials):
            named = _named_before(nct, text)
            if named and drug_key(named) not in drug_keys:
                trials.append(Trial(named, nct.upper()))
    if len(drugs) == len(ex.drugs) and tuple(trials) == ex.trials:
        return cand
    return replace(cand, extraction=replace(ex, drugs=tuple(drugs), trials=tuple(trials)))


_BEFORE_NCT = r"(?<![^\W_])([A-Z][\w.\-]*[A-Za-z0-9])(?:\s+{words})?\s*[(\[,]\s*{nct}\b"


def _named_before(nct: str, text: str) -> str | None:
    """The study acronym written right before an NCT id ("LUMMICAR-2 (NCT03915184)"), if
    it looks like one: capitals and not a drug code ("CT041 (NCT…)" names the drug)."""
    pattern = _compiled(_BEFORE_NCT.format(words=_STUDY_WORDS, nct=re.escape(nct)))
    for match in pattern.finditer(text):
        name = match.group(1)
        capitals = sum(c.isupper() for c in name)
        if capitals >= 2 and not drug_code_like(name) and name.upper() != name.lower():
            return name
    return None


def _same_trial(a: Trial, b: Trial) -> bool:
    if a.nct_id and b.nct_id:
        return a.nct_id.upper() == b.nct_id.upper()
    ka, kb = drug_key(a.name or ""), drug_key(b.name or "")
    return bool(ka and kb) and (ka.startswith(kb) or kb.startswith(ka))


def _with_nct(trial: Trial, text: str) -> Trial:
    if trial.nct_id or not trial.name:
        return trial
    linked = _nct_after(trial.name, text)
    return replace(trial, nct_id=linked.nct_id) if linked else trial

