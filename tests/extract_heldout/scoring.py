"""Scores extractor output against the held-out expectations and renders a readable report.

Matching is deliberately lenient about spelling (case, hyphens, spaces, punctuation) and strict
about meaning: a drug is found when any of its names matches any name the extractor gave it.
An expected company or target may list alternatives separated by "|" where the canonical
spelling is a judgement call. An expected drug marked ``"optional": true``, or an expected target
prefixed with "?" (implied by the transgene, payload or mechanism rather than named), is not
required for recall but is not counted against precision either.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

LABELS = ("hold", "partial_hold", "lift", "partial_lift", "none")
HOLDS = frozenset({"hold", "partial_hold"})
LIFTS = frozenset({"lift", "partial_lift"})
_CORPORATE_WORDS = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "ltd",
        "limited",
        "holdings",
        "holding",
        "plc",
        "sa",
        "se",
        "nv",
        "ag",
        "gmbh",
        "llc",
        "company",
        "group",
        "the",
    }
)


def norm_name(text: str) -> str:
    """Case-, width-, hyphen- and space-insensitive key for drug and target names."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _company_words(text: str) -> list[str]:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    return [w for w in words if w not in _CORPORATE_WORDS]


def company_matches(expected: str, got: str | None) -> bool:
    """True when `got` names the expected issuer: equal after dropping corporate suffixes, or
    one name is the leading words of the other ("Intellia" for "Intellia Therapeutics")."""
    if not got:
        return False
    have = _company_words(got)
    for option in expected.split("|"):
        want = _company_words(option)
        if want and have and (want[: len(have)] == have or have[: len(want)] == want):
            return True
    return False


def _drug_keys(drug: dict) -> set[str]:
    names = [drug.get("name") or "", *(drug.get("aliases") or [])]
    return {norm_name(n) for n in names if norm_name(n)}


@dataclass
class Score:
    """Counts accumulated over the corpus; ratios are computed on demand."""

    n: int = 0
    label_ok: int = 0
    confusion: Counter = field(default_factory=Counter)
    hold_lift_swaps: list[str] = field(default_factory=list)
    negatives: int = 0
    false_events: list[str] = field(default_factory=list)
    drugs_expected: int = 0
    drugs_found: int = 0
    drugs_output: int = 0
    drugs_output_ok: int = 0
    targets_expected: int = 0
    targets_found: int = 0
    targets_output: int = 0
    targets_output_ok: int = 0
    companies_expected: int = 0
    companies_ok: int = 0
    event_companies_expected: int = 0
    event_companies_ok: int = 0
    tickers_expected: int = 0
    tickers_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def ratio(self, part: str, whole: str) -> float:
        """`part` / `whole` for two counter attributes, 1.0 when the whole is empty."""
        total = getattr(self, whole)
        return getattr(self, part) / total if total else 1.0


def score_item(score: Score, expected: dict, got: dict) -> None:
    """Adds one item's comparison to `score`, recording a readable line per miss."""
    item_id, want_label, got_label = expected["id"], expected["label"], got.get("label")
    problems: list[str] = []
    score.n += 1
    score.confusion[(want_label, got_label)] += 1
    if got_label == want_label:
        score.label_ok += 1
    else:
        problems.append(f"label {want_label} -> {got_label}")
    if (want_label in HOLDS and got_label in LIFTS) or (want_label in LIFTS and got_label in HOLDS):
        score.hold_lift_swaps.append(item_id)
    if want_label == "none":
        score.negatives += 1
        if got_label != "none":
            score.false_events.append(item_id)
    is_event = want_label != "none"
    if is_event:
        problems += _score_drugs(score, expected.get("drugs") or [], got.get("drugs") or [])
        problems += _score_targets(score, expected.get("targets") or [], got.get("targets") or [])
    problems += _score_company(score, expected, got, is_event)
    if expected.get("ticker"):
        score.tickers_expected += 1
        options = {norm_name(t) for t in expected["ticker"].split("|")}
        if norm_name(got.get("ticker") or "") in options:
            score.tickers_ok += 1
        else:
            problems.append(f"ticker {expected['ticker']} -> {got.get('ticker')}")
    if problems:
        score.misses.append(f"{item_id}: " + "; ".join(problems))


def _score_drugs(score: Score, want: list[dict], got: list[dict]) -> list[str]:
    problems = []
    got_keys = [_drug_keys(d) for d in got]
    for drug in want:
        if drug.get("optional"):
            continue
        score.drugs_expected += 1
        if any(_drug_keys(drug) & keys for keys in got_keys):
            score.drugs_found += 1
        else:
            problems.append(f"drug missed {drug['name']}")
    want_keys = [_drug_keys(d) for d in want]
    for drug, keys in zip(got, got_keys, strict=True):
        score.drugs_output += 1
        if any(keys & w for w in want_keys):
            score.drugs_output_ok += 1
        else:
            problems.append(f"extra drug {drug.get('name')!r}")
    return problems


def _score_targets(score: Score, want: list[str], got: list[str]) -> list[str]:
    problems = []
    got_keys = {norm_name(t) for t in got}
    want_keys = set()
    for target in want:
        options = {norm_name(o) for o in target.lstrip("?").split("|")}
        want_keys |= options
        if target.startswith("?"):
            continue
        score.targets_expected += 1
        if options & got_keys:
            score.targets_found += 1
        else:
            problems.append(f"target missed {target}")
    for target in got:
        score.targets_output += 1
        if norm_name(target) in want_keys:
            score.targets_output_ok += 1
        else:
            problems.append(f"extra target {target!r}")
    return problems


def _score_company(score: Score, expected: dict, got: dict, is_event: bool) -> list[str]:
    if not expected.get("company"):
        return []
    ok = company_matches(expected["company"], got.get("company"))
    score.companies_expected += 1
    score.companies_ok += ok
    if is_event:
        score.event_companies_expected += 1
        score.event_companies_ok += ok
    return [] if ok else [f"company {expected['company']!r} -> {got.get('company')!r}"]


def report(score: Score) -> str:
    """The whole report: headline metrics, confusion table, hold/lift swaps, per-item misses."""
    lines = [
        f"held-out items: {score.n}",
        f"label accuracy:        {score.ratio('label_ok', 'n'):.1%}",
        f"false-event rate (neg): {len(score.false_events)}/{score.negatives}"
        f"  {score.false_events}",
        f"hold<->lift confusions: {score.hold_lift_swaps}",
        f"drug recall (events):   {score.ratio('drugs_found', 'drugs_expected'):.1%}"
        f"  precision {score.ratio('drugs_output_ok', 'drugs_output'):.1%}",
        f"target recall (events): {score.ratio('targets_found', 'targets_expected'):.1%}"
        f"  precision {score.ratio('targets_output_ok', 'targets_output'):.1%}",
        "company accuracy:       events "
        f"{score.ratio('event_companies_ok', 'event_companies_expected'):.1%}"
        f"  all {score.ratio('companies_ok', 'companies_expected'):.1%}",
        f"ticker accuracy:        {score.ratio('tickers_ok', 'tickers_expected'):.1%}",
        "",
        "confusion (rows expected, columns extracted):",
        "expected\\got  " + " ".join(f"{g[:12]:>12}" for g in LABELS),
    ]
    for want in LABELS:
        cells = " ".join(f"{score.confusion[(want, got)]:>12}" for got in LABELS)
        lines.append(f"{want:<13} {cells}")
    lines += ["", "per-item misses:", *score.misses]
    return "\n".join(lines)
