"""Target names: the store files drugs under canonical target names, through a lexicon it is
given.

The lexicon maps "CLDN18.2" / "claudin 18.2" to "Claudin18.2". It is the extractor's
(`bot.extract.targets.canonical_target`), handed over by the composition root
(bot/runtime.py, `TARGET_LEXICON`) as notify's `NameRules` are: the store does not
import the extractor, so a one-shot `python -m bot drug` never loads it. A name the
lexicon does not know (or no lexicon, or a lexicon that fails) keeps its raw,
upper-cased value, so storing an event never breaks on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from bot.models import Candidate
from bot.store.names import fold

Lexicon = Callable[[str], str | None]  # a spelling -> its canonical target, None if unknown


def no_lexicon(name: str) -> str | None:
    return None


@dataclass(frozen=True)
class TargetNames:
    lexicon: Lexicon = no_lexicon

    def canonical(self, name: str) -> str:
        try:
            found = self.lexicon(name)
        except Exception:  # a lexicon bug must not break storing an event
            found = None
        return found or name.strip().upper()

    def canonicals(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.canonical(n) for n in names if n.strip()))

    def key(self, name: str) -> str:
        """What drugs are indexed by: "CLDN18.2" and "claudin 18.2" share one key."""
        return fold(self.canonical(name))

    def of_report(self, cand: Candidate) -> Candidate:
        """CAND with every target (its own and its drugs') under its canonical name."""
        ex = cand.extraction
        drugs = tuple(replace(m, targets=self.canonicals(m.targets)) for m in ex.drugs)
        return replace(cand, extraction=replace(ex, targets=self.canonicals(ex.targets),
                                                drugs=drugs))


NO_LEXICON = TargetNames()  # raw names, upper-cased: what a store without a lexicon uses
