"""Scores the extractor on the development corpus (tests/fixtures/corpus/*.jsonl).

Each corpus line is an input item plus `expected`: the label, the drugs (each a
list of acceptable names) and the targets (canonical symbols). A drug counts as
found when any of its names is among any extracted drug's names.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.extract import extract
from bot.extract.text import fold
from bot.models import LABELS, Extraction, Item, label_family

CORPUS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def load_corpus() -> list[dict]:
    rows = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip())
    return rows


def item_of(row: dict) -> Item:
    return Item(source="corpus", key=row["id"], title=row["title"], text=row.get("text", ""))


@dataclass
class Score:
    total: int = 0
    correct: int = 0
    confusion: Counter = field(default_factory=Counter)
    hold_lift_swaps: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    drugs_expected: int = 0
    drugs_found: int = 0
    drugs_extracted: int = 0
    drugs_extracted_ok: int = 0
    targets_expected: int = 0
    targets_found: int = 0
    negatives: int = 0
    false_events: int = 0
    misses: list[str] = field(default_factory=list)
    companies_expected: int = 0
    companies_found: int = 0

    @property
    def company_accuracy(self) -> float:
        return self.companies_found / self.companies_expected if self.companies_expected else 1.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def drug_recall(self) -> float:
        return self.drugs_found / self.drugs_expected if self.drugs_expected else 1.0

    @property
    def drug_precision(self) -> float:
        return self.drugs_extracted_ok / self.drugs_extracted if self.drugs_extracted else 1.0

    @property
    def target_recall(self) -> float:
        return self.targets_found / self.targets_expected if self.targets_expected else 1.0

    @property
    def false_event_rate(self) -> float:
        return self.false_events / self.negatives if self.negatives else 0.0

    def table(self) -> str:
        """Per-label confusion table: rows expected, columns extracted."""
        head = "expected\\got".ljust(14) + "".join(lab[:12].rjust(13) for lab in LABELS)
        lines = [head]
        for exp in LABELS:
            cells = "".join(str(self.confusion[(exp, got)]).rjust(13) for got in LABELS)
            lines.append(exp.ljust(14) + cells)
        return "\n".join(lines)

    def report(self) -> str:
        return (
            f"accuracy {self.accuracy:.3f} ({self.correct}/{self.total}), "
            f"drug recall {self.drug_recall:.3f}, drug precision {self.drug_precision:.3f}, "
            f"target recall {self.target_recall:.3f}, false events {self.false_event_rate:.3f}, "
            f"company {self.company_accuracy:.3f}\n"
            f"{self.table()}\nwrong labels: {self.wrong}\nhold<->lift: {self.hold_lift_swaps}\n"
            f"entity misses: {self.misses}"
        )


def score(rows: list[dict]) -> Score:
    s = Score()
    for row in rows:
        exp = row["expected"]
        got = extract(item_of(row))
        _score_label(s, row["id"], exp["label"], got.label)
        _score_entities(s, row["id"], exp, got)
    return s


def _score_label(s: Score, item_id: str, expected: str, got: str) -> None:
    s.total += 1
    s.confusion[(expected, got)] += 1
    if expected == got:
        s.correct += 1
    else:
        s.wrong.append(f"{item_id}: {expected}->{got}")
    families = {label_family(expected), label_family(got)}
    if families == {"hold", "lift"}:
        s.hold_lift_swaps.append(item_id)
    if expected == "none":
        s.negatives += 1
        s.false_events += got != "none"


def _score_entities(s: Score, item_id: str, exp: dict, got: Extraction) -> None:
    if exp.get("company"):  # optional: the issuer, compared without case
        s.companies_expected += 1
        if got.company and got.company.casefold() == exp["company"].casefold():
            s.companies_found += 1
        else:
            s.misses.append(f"{item_id}: company {exp['company']!r} -> {got.company!r}")
    got_names = [{fold(n) for n in d.names} for d in got.drugs]
    all_got = set().union(*got_names) if got_names else set()
    expected_names = [{fold(n) for n in names} for names in exp.get("drugs", [])]
    for names in expected_names:
        s.drugs_expected += 1
        if names & all_got:
            s.drugs_found += 1
        else:
            s.misses.append(f"{item_id}: drug {sorted(names)}")
    all_expected = set().union(*expected_names) if expected_names else set()
    for names in got_names:
        s.drugs_extracted += 1
        if names & all_expected:
            s.drugs_extracted_ok += 1
        else:
            s.misses.append(f"{item_id}: extra drug {sorted(names)}")
    for target in exp.get("targets", []):
        s.targets_expected += 1
        if target in got.targets:
            s.targets_found += 1
        else:
            s.misses.append(f"{item_id}: target {target}")
