"""One name per company (issue 12): every event and drug of a company carries the same one.

Reports spell a company many ways: "CARsgen", "CARsgen Therapeutics", "CARsgen
Therapeutics Holdings Limited". `names.same_company` says which spellings are one
company; this book keeps the name shown for it — its fullest spelling, as written
("CARsgen Therapeutics Holdings Limited"; a descriptor like "Hong Kong-listed" is
not part of it) — and says when a fuller spelling replaces the name shown so far,
so the store renames what it holds. Alerts, /drug, subscriptions and
the digest then all see one company. Pure, in memory; rebuilt from the stored events
and drugs, whose names it chose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.store.names import company_clean, company_words, fold, same_company

# Words a faulty company reading can drag in after the name ("CARsgen Therapeutics
# Announces"): a spelling with one of them is never the fuller name.
_NOT_NAME = ("announces announced says said receives received reports reported shares stock "
             "gets halts lifts places puts wins faces hit hits")
NOT_NAME_WORDS = frozenset(_NOT_NAME.split())


@dataclass(frozen=True)
class Naming:
    shown: str | None  # the name to store and show
    replaced: str | None = None  # the name shown so far, when SHOWN replaces it


class CompanyBook:
    def __init__(self, names: Iterable[str | None] = ()) -> None:
        self._by_word: dict[str, list[str]] = {}
        for name in names:
            self.name(name)

    def name(self, raw: str | None) -> Naming:
        """The name shown for RAW's company, learning RAW."""
        if not raw or not raw.strip():
            return Naming(None)
        shown = company_clean(raw)
        words = company_words(shown)
        if not words:
            return Naming(raw.strip())
        tail = self._known_tail(shown)
        if tail is not None:
            return Naming(tail)
        known = self._by_word.setdefault(words[0], [])
        for i, old in enumerate(known):
            if not same_company(old, shown):
                continue
            if _fuller(shown, old):
                known[i] = shown
                return Naming(shown, replaced=old)
            return Naming(old)
        known.append(shown)
        return Naming(shown)

    def _known_tail(self, shown: str) -> str | None:
        """A known company that SHOWN ends with, when SHOWN itself is not known
        ("Chinese drugmaker CARsgen" after "CARsgen Therapeutics" was seen)."""
        if self.shown(shown) is not None:
            return None
        tokens = shown.split()
        for i in range(1, len(tokens)):
            known = self.shown(" ".join(tokens[i:]))
            if known is not None:
                return known
        return None

    def shown(self, raw: str | None) -> str | None:
        """The name shown for RAW's company without learning it (None if unknown)."""
        if not raw:
            return None
        words = company_words(raw)
        for old in self._by_word.get(words[0], []) if words else []:
            if same_company(old, raw):
                return old
        return None


def _fuller(new: str, old: str) -> bool:
    """NEW says more than OLD (more name words, else more legal words), and the extra
    words look like a name's words."""
    extra = new.split()[len(old.split()):]
    more = (len(company_words(new)), len(new)) > (len(company_words(old)), len(old))
    if not more or not extra:
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() for w in extra) and not any(
        fold(w).strip(",.") in NOT_NAME_WORDS for w in extra)
