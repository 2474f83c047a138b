"""A headline's short issuer name made whole from the body: "Rocket" -> "Rocket Pharmaceuticals".

Headlines shorten names; the body usually writes the full one once. A longer name counts
only when it starts with the short one and ends with a word company names end with.
"""

from __future__ import annotations

import re

# Last words of company names: a headline's "Rocket" is the body's "Rocket Pharmaceuticals".
_COMPANY_WORD = re.compile(
    r"(?:Pharm\w*|\w*[Tt]herapeutics|Bio|Bio[a-z]+|\w*[Ss]ciences?|Oncology|Medicines?|"
    r"Genetics|Genomics|Health|Healthcare|Labs?|Laboratories|Immun\w*|Vaccines?|Medical|Rx|"
    r"Diagnostics|Technologies|Holdings|Group|Biologics|Cell|Cells|Genetix|KGaA)"
)
_NEXT_WORDS = re.compile(r"(?: +[A-Z][\w&.\-]*){1,3}")


def longer_name(name: str, where: str) -> str | None:
    """A longer name in `where` that starts with a short `name` and ends like a company's."""
    words = name.split()
    if len(words) > 2 or _COMPANY_WORD.fullmatch(words[-1]):
        return None
    at = where.find(name + " ")
    while at >= 0:
        if at == 0 or not where[at - 1].isalnum():
            m = _NEXT_WORDS.match(where, at + len(name))
            extra = m.group().split() if m else []
            while extra and not _COMPANY_WORD.fullmatch(extra[-1].rstrip(".,")):
                extra.pop()
            if extra:
                return " ".join([name, *extra])
        at = where.find(name + " ", at + 1)
    return None
