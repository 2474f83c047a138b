"""The one corpus scorer: every corpus test and every outside sample is scored here.

    python -m tests.extract.scoring --items ITEMS.jsonl --labels LABELS.jsonl \\
        [--extracted OUT.jsonl] [--failures] [--json]

Without `--extracted` the extractor is run on the items (exactly as `python -m bot extract`
runs it); with it, OUT.jsonl (that command's output, e.g. from an older extractor) is scored
instead. Gold formats and conventions: tests/extract/gold.py.

Figures: label accuracy; false events on gold-`none` items; hold<->lift family confusions;
items refused (error lines); drug recall and precision, target recall and company, scored on
gold event items (a gold drug is found when any of its names equals any name of an
extracted drug, ignoring case, hyphens and spaces; targets compared through the target
lexicon; companies without legal suffixes and kind-of-company words); trials; the same by
language, title/no title and form; and the 3-line headline rule as a baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.extract import run_jsonl
from bot.models import LABELS, label_family
from tests.extract.gold import (
    Gold,
    company_key,
    fold,
    headline,
    load_embedded,
    load_pair,
    read_jsonl,
    target_key,
)

REFUSED = "refused"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS_DIR = FIXTURES / "corpus"  # the dev corpus: items carrying their gold as "expected"


@dataclass
class Tally:
    """hit of total, e.g. drugs found of drugs expected."""

    hit: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.hit / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += ok

    def __str__(self) -> str:
        return "   n/a" if self.rate is None else f"{self.rate:6.3f} ({self.hit}/{self.total})"


@dataclass
class Figures:
    """Every figure of one set of items (the whole sample, or one language, form...)."""

    labels: Tally = field(default_factory=Tally)
    false_events: Tally = field(default_factory=Tally)  # hit = a gold-none item got an event
    swaps: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    drug_recall: Tally = field(default_factory=Tally)
    drug_precision: Tally = field(default_factory=Tally)
    target_recall: Tally = field(default_factory=Tally)
    company: Tally = field(default_factory=Tally)  # gold event items that name a company
    company_all: Tally = field(default_factory=Tally)  # every item that names one
    trial_recall: Tally = field(default_factory=Tally)
    trials_as_drugs: list[str] = field(default_factory=list)
    baseline: Tally = field(default_factory=Tally)  # the 3-line headline rule's accuracy
    baseline_false_events: Tally = field(default_factory=Tally)
    confusion: Counter = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return self.labels.total


@dataclass(frozen=True)
class Failure:
    """One wrongly read item, with what was expected, what came out, and why it is wrong."""

    id: str
    gold: str
    got: str
    reasons: tuple[str, ...]
    headline: str = ""
    evidence: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Report:
    overall: Figures = field(default_factory=Figures)
    groups: dict[str, dict[str, Figures]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)


def headline_rule(title: str) -> str:
    """The 3-line baseline: "lift"/"remov" in the headline -> lift, "hold" -> hold, else none."""
    low = title.lower()
    if "lift" in low or "remov" in low:
        return "lift"
    return "hold" if "hold" in low else "none"


def run_extractor(items: Sequence[dict]) -> list[dict]:
    """The extractor's JSON-lines output for `items`, as `python -m bot extract` writes it."""
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return [json.loads(line) for line in run_jsonl(lines)]


def align(items: Sequence[dict], outputs: Sequence[dict]) -> list[dict]:
    """One output record per item: by position when the counts agree, else by id."""
    if len(outputs) == len(items):
        return list(outputs)
    by_id = {str(o.get("id")): o for o in outputs if o.get("id") is not None}
    return [by_id.get(str(i["id"]), {"id": i["id"], "error": "no output line for this item"})
            for i in items]


def score(items: Sequence[dict], golds: Sequence[Gold],
          outputs: Sequence[dict] | None = None) -> Report:
    """Score `outputs` (or the extractor run on `items`) against `golds`, item by item."""
    if len(items) != len(golds):
        raise ValueError(f"{len(items)} items but {len(golds)} gold records")
    produced = align(items, outputs) if outputs is not None else run_extractor(items)
    report = Report()
    for item, gold, got in zip(items, golds, produced, strict=True):
        title = str(item.get("title") or "").strip()
        groups = {"language": gold.lang, "title": "title" if title else "no title",
                  "form": gold.form}
        targets = [report.overall] + [
            report.groups.setdefault(kind, {}).setdefault(value, Figures())
            for kind, value in groups.items()]
        reasons: list[str] = []
        for figures in targets:
            reasons = _score_item(figures, item, gold, got)
        if reasons:
            report.failures.append(Failure(
                gold.id, "|".join(gold.labels), _label(got), tuple(reasons), headline(item),
                tuple(got.get("evidence") or ()), gold.note))
    return report


def _label(got: dict) -> str:
    return REFUSED if "error" in got else str(got.get("label"))


def _score_item(f: Figures, item: dict, gold: Gold, got: dict) -> list[str]:
    """Add one item to `f`; the reasons it is wrong (empty when right)."""
    reasons: list[str] = []
    label = _label(got)
    f.labels.add(label in gold.labels)
    f.confusion[(gold.label, label)] += 1
    if label == REFUSED:
        f.refused.append(gold.id)
        reasons.append(f"refused: {got.get('error')}")
    elif label not in gold.labels:
        reasons.append(f"label {gold.label} -> {label}")
    families = {label_family(gold.label), label_family(label)}
    if families == {"hold", "lift"} and label not in gold.labels:
        f.swaps.append(gold.id)
    rule = headline_rule(headline(item))
    f.baseline.add(rule in gold.labels)
    if not gold.is_event:
        f.false_events.add(label_family(label) != "none")
        f.baseline_false_events.add(rule != "none")
    if gold.company:
        ok = company_key(str(got.get("company") or "")) in {company_key(c) for c in gold.company}
        f.company_all.add(ok)
        if gold.is_event:
            f.company.add(ok)
            if not ok:
                reasons.append(f"company {gold.company[0]!r} -> {got.get('company')!r}")
    if gold.is_event and label != REFUSED:
        reasons += _entities(f, gold, got)
    return reasons


def _entities(f: Figures, gold: Gold, got: dict) -> list[str]:
    reasons = []
    got_drugs = [(d.get("name"), _drug_keys(d)) for d in got.get("drugs") or []]
    for drug in gold.drugs:
        if drug.optional:
            continue
        found = any(drug.keys() & keys for _, keys in got_drugs)
        f.drug_recall.add(found)
        if not found:
            reasons.append(f"drug missed {drug.names[0]!r}")
    trial_keys = {fold(t) for t in gold.trials}
    for name, keys in got_drugs:
        ok = any(keys & d.keys() for d in gold.drugs)
        f.drug_precision.add(ok)
        if not ok:
            as_trial = bool(keys & trial_keys)
            if as_trial:
                f.trials_as_drugs.append(f"{gold.id}: {name}")
            reasons.append(f"extra drug {name!r}" + (" (a trial)" if as_trial else ""))
    got_targets = {target_key(t) for t in got.get("targets") or []}
    for target in gold.targets:
        if target.optional:
            continue
        found = bool(target.keys() & got_targets)
        f.target_recall.add(found)
        if not found:
            reasons.append(f"target missed {target.options[0]!r}")
    got_trials = {fold(t.get(key) or "") for t in got.get("trials") or []
                  if isinstance(t, dict) for key in ("name", "nct_id")}
    for trial in gold.trials:
        f.trial_recall.add(fold(trial) in got_trials)
    return reasons


def _drug_keys(drug: dict) -> set[str]:
    names = [drug.get("name") or "", *(drug.get("aliases") or [])]
    return {fold(n) for n in names if fold(n)}


# ------------------------------------------------------------------------- output


def _headline_figures(f: Figures) -> dict[str, object]:
    return {
        "items": f.n,
        "label_accuracy": f.labels.rate,
        "false_events": {"count": f.false_events.hit, "of": f.false_events.total,
                         "rate": f.false_events.rate},
        "hold_lift_confusions": f.swaps,
        "refused": f.refused,
        "drug_recall": f.drug_recall.rate,
        "drug_precision": f.drug_precision.rate,
        "target_recall": f.target_recall.rate,
        "company_event_items": {"found": f.company.hit, "of": f.company.total,
                                "rate": f.company.rate},
        "company_all_items": f.company_all.rate,
        "trial_recall": f.trial_recall.rate,
        "trials_as_drugs": f.trials_as_drugs,
        "baseline_headline_rule": {"label_accuracy": f.baseline.rate,
                                   "false_event_rate": f.baseline_false_events.rate},
        "confusion": {f"{g}->{o}": c for (g, o), c in sorted(f.confusion.items())},
    }


def as_json(report: Report, failures: bool = False) -> dict[str, object]:
    out: dict[str, object] = {
        **_headline_figures(report.overall),
        "groups": {kind: {value: _headline_figures(f) for value, f in sorted(values.items())}
                   for kind, values in report.groups.items()},
    }
    if failures:
        out["failures"] = [asdict(x) for x in report.failures]
    return out


def render(report: Report, failures: bool = False) -> str:
    """The report as text: figures, confusion table, groups, and (optionally) every failure."""
    f = report.overall
    lines = [
        f"items                  {f.n}",
        f"label accuracy         {f.labels}",
        f"  3-line headline rule {f.baseline}  (false events {f.baseline_false_events})",
        f"false events (none)    {f.false_events}",
        f"hold<->lift confusions {len(f.swaps)} {f.swaps}",
        f"refused items          {len(f.refused)} {f.refused}",
        "entities on gold event items:",
        f"  drug recall          {f.drug_recall}",
        f"  drug precision       {f.drug_precision}",
        f"  target recall        {f.target_recall}",
        f"  company found        {f.company}   (all items {f.company_all})",
        f"  trial recall         {f.trial_recall}   trials reported as drugs "
        f"{len(f.trials_as_drugs)}",
        "",
        "confusion (rows gold, columns extracted):",
        "gold\\got      " + "".join(f"{c[:12]:>13}" for c in (*LABELS, REFUSED)),
    ]
    for row in LABELS:
        cells = "".join(f"{f.confusion[(row, col)]:>13}" for col in (*LABELS, REFUSED))
        lines.append(f"{row:<14}{cells}")
    for kind, values in report.groups.items():
        lines += ["", f"by {kind}:", f"  {'':<18}{'n':>4} {'labels':>7} {'false ev':>9} "
                  f"{'refused':>8} {'drug rec':>9} {'company':>8} {'headline rule':>14}"]
        for value, g in sorted(values.items()):
            lines.append(
                f"  {value[:18]:<18}{g.n:>4} {_pct(g.labels)} {_count(g.false_events):>9} "
                f"{len(g.refused):>8} {_pct(g.drug_recall, 9)} {_pct(g.company, 8)} "
                f"{_pct(g.baseline, 14)}")
    if failures:
        lines += ["", f"failures ({len(report.failures)} items):"]
        for x in report.failures:
            lines.append(f"- {x.id}  gold {x.gold}  got {x.got}: {'; '.join(x.reasons)}")
            lines.append(f"    headline: {x.headline[:160]}")
            if x.evidence:
                lines.append(f"    evidence: {x.evidence[0][:200]}")
            if x.note:
                lines.append(f"    note: {x.note[:200]}")
    return "\n".join(lines)


def _pct(t: Tally, width: int = 7) -> str:
    return f"{'n/a' if t.rate is None else f'{t.rate:.2f}':>{width}}"


def _count(t: Tally) -> str:
    return f"{t.hit}/{t.total}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.extract.scoring",
        description="Score the extractor (or a saved `python -m bot extract` output) against "
                    "blind gold labels.")
    parser.add_argument("--items", type=Path, required=True, help="items, one JSON per line")
    parser.add_argument("--labels", type=Path,
                        help="gold labels by item id (omit when the items carry their gold "
                             'under "expected", as the dev corpus does)')
    parser.add_argument("--extracted", type=Path,
                        help="score this `python -m bot extract` output instead of running "
                             "the extractor")
    parser.add_argument("--failures", action="store_true", help="list every wrong item")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        items, golds = (load_pair(args.items, args.labels) if args.labels
                        else load_embedded([args.items]))
        outputs = None
        if args.extracted:
            outputs = read_jsonl(args.extracted)
        report = score(items, golds, outputs)
    except (OSError, ValueError, KeyError) as exc:
        print(f"scoring: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(report, args.failures), ensure_ascii=False, indent=1))
    else:
        print(render(report, args.failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
