"""Whether a headline names something of its own: a drug, a sponsor, one trial.

"Clinical hold" is the FDA's term of art and always means one; a bare "hold" or "halt" does
not: "FDA Puts Hold On Adaptive Trials" is a figure of speech about a kind of trial, "FDA
increasingly halting human trials" a trend. Such a headline is an event only when it names
its referent: a drug (a code, an INN, a brand), a company, a possessive ("Acme's"),
a ticker, or one trial, study or drug in the singular (a bare plural is generic).
"""

from __future__ import annotations

import re

from bot.extract import names
from bot.extract.company import first_match

_POSSESSIVE = re.compile(r"\b(?!(?:FDA|Agency|Regulator|US|U\.S)['’])[A-Z][\w&.-]*['’]s?\b")
_OWNER = re.compile(r"\b(?:company['’]s|firm['’]s|drugmaker['’]s|sponsor['’]s)\b", re.IGNORECASE)
_TICKER = re.compile(r"\((?:[A-Z]+\s*:\s*)?[A-Z]{2,5}(?:\.[A-Z]{1,2})?\)|\$[A-Z]{2,5}\b")
# One trial, drug or therapy: a count noun in the singular names a particular one.
# It heads its noun phrase: "decentralized trial rules" are rules, not a trial.
_SINGULAR = re.compile(r"\b(?:trial|study|drug|therapy|vaccine|program|programme|candidate|"
                       r"treatment|medicine|product|asset|IND|compound|cohort)\b(?![-\w])"
                       r"(?=\s*(?:$|[,;:.!?)\-–]|(?:of|in|for|after|over|at|to|with|as|amid|on|"
                       r"following|due|and|or|over|because|until|pending|by)\b))",
                       re.IGNORECASE)


def has_referent(headline: str, body: str = "") -> bool:
    """Whether `headline` names a drug, a sponsor or one trial of its own. A sponsor read
    from a title-case headline must be written again in the body, when there is one ("On
    Adaptive Trials" names no company: the body says "adaptive clinical trial designs")."""
    if _SINGULAR.search(headline) or _OWNER.search(headline) or _TICKER.search(headline):
        return True
    if _POSSESSIVE.search(headline):
        return True
    if any(names.code_ok(m) for m in names.CODE.finditer(headline)):
        return True
    if names.inn_spans(headline) or any(names.short_names(headline)) or any(
            names.brands(headline)):
        return True
    company = first_match(headline, "")
    return company is not None and (not body or company in body)
