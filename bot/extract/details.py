"""Why the hold was placed (reason) and what it covers (scope), from the evidence sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence

_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cmc", re.compile(
        r"\b(?:cmc|chemistry,?\s+manufacturing|manufactur\w*|product\s+quality|potency\s+assay|"
        r"gmp|inspection|facility|release\s+(?:assay|testing|specification)|vial|container|"
        r"lentiviral\s+vector\s+(?:supply|manufactur\w*)|third-party\s+manufactur\w*)\b")),
    ("preclinical", re.compile(
        r"\b(?:preclinical|pre-clinical|nonclinical|non-clinical|animal|mouse|mice|rodent|primate|"
        r"toxicology\s+stud\w+|in\s+vivo\s+stud\w+)\b")),
    ("clinical", re.compile(
        r"\b(?:death|died|fatal\w*|grade\s+[345]|serious\s+adverse|adverse\s+event|sae|safety|"
        r"toxicit\w*|liver|hepat\w+|neurotox\w*|icans|cytokine\s+release|(?:secondary|new)\s+malignan\w+|"
        r"myelodysplastic|lymphocyte|patient\s+(?:case|event)|thrombo\w+|sepsis|guillain|"
        r"neuropathy|infection)\b")),
)
_PROGRAM = re.compile(
    r"\b(?:ind|inds|investigational\s+new\s+drug|program|programs|programme|all\s+(?:\S+\s+)?"
    r"(?:clinical\s+)?(?:trials|studies)|(?:trials|studies)\s+(?:of|evaluating|with)\s+|"
    r"clinical\s+development)\b"
)
_TRIAL = re.compile(r"\b(?:trial|study|phase\s+[0-9i]+|nct\d{8}|cohort|protocol)\b")


_CAUSE = re.compile(
    r"\b(?:due\s+to|because|following|after|related\s+to|based\s+on|cit\w+|reason\w*|concern\w*|"
    r"address\w*|question\w*|deficienc\w*|observation\w*|finding\w*|request\w*|resolv\w*|"
    r"caused|triggered|prompted|stemm\w*|arose|arising)\b"
)


def reason(evidence: Sequence[str], body: Sequence[str]) -> str | None:
    """cmc | preclinical | clinical when the hold's cause is stated, else None."""
    lowered = [s.lower() for s in (*evidence, *body[:15])]
    # The substring tests first: _CAUSE starts with \b and is tried at every position.
    causal = [low for low in lowered if ("hold" in low or "fda" in low) and _CAUSE.search(low)]
    for where in causal:
        for name, pattern in _REASONS:
            if pattern.search(where):
                return name
    return None


def scope(evidence: Sequence[str]) -> str | None:
    """program (an IND, all studies) or trial (one named study), from the evidence."""
    low = " ".join(evidence).lower()
    if _PROGRAM.search(low):
        return "program"
    if _TRIAL.search(low):
        return "trial"
    return None
