"""Scores extractor output against the heldout2 expectations.

Expected records use two conventions: "A|B" means either spelling is right
(labels, company, drug names, targets), and a leading "?" marks a drug or
target that is only implied by the text: finding it is not required and
reporting it is not wrong.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

EVENT_LABELS = ("hold", "partial_hold", "lift", "partial_lift")
LABELS = ("none", *EVENT_LABELS)
HOLD_SIDE = {"hold", "partial_hold"}
LIFT_SIDE = {"lift", "partial_lift"}

# Trailing words that differ between how a company is named and its legal name.
_LEGAL_WORDS = {
    "inc", "incorporated", "corp", "corporation", "ltd", "limited", "plc", "holdings",
    "holding", "co", "company", "sa", "ag", "nv", "se", "gmbh", "llc", "spa", "kk", "b",
}
_CJK_LEGAL = ("股份有限公司", "控股有限公司", "有限公司", "株式会社", "控股")


def norm_name(text: str) -> str:
    """Case-, hyphen-, space- and punctuation-insensitive form of a drug or target name."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


def norm_company(text: str) -> str:
    """Company name without case, punctuation or trailing legal-form words."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace(".", "")
    for suffix in _CJK_LEGAL:
        folded = folded.replace(suffix, " ")
    words = re.sub(r"[\W_]+", " ", folded).split()
    while words and words[-1] in _LEGAL_WORDS:
        words.pop()
    return " ".join(words)


def _alternatives(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _split_optional(entries: list[str]) -> tuple[list[str], list[str]]:
    required = [e for e in entries if not e.startswith("?")]
    optional = [e[1:] for e in entries if e.startswith("?")]
    return required, optional


def _drug_keys(drug: dict) -> set[str]:
    names = [*_alternatives(drug["name"].lstrip("?")), *drug.get("aliases", [])]
    return {norm_name(n) for n in names if norm_name(n)}


def _target_keys(entry: str) -> set[str]:
    return {norm_name(a) for a in _alternatives(entry)}


@dataclass
class Tally:
    """Found / total counter for one recall or precision figure."""

    hit: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hit / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += ok

    def __str__(self) -> str:
        return f"{self.rate:6.1%} ({self.hit}/{self.total})"


@dataclass
class Report:
    """Every figure the held-out report prints, plus the failing cases behind them."""

    labels: Tally = field(default_factory=Tally)
    confusion: Counter = field(default_factory=Counter)
    hold_lift_swaps: list[str] = field(default_factory=list)
    false_events: Tally = field(default_factory=Tally)
    missed_events: Tally = field(default_factory=Tally)
    drug_recall: Tally = field(default_factory=Tally)
    drug_precision: Tally = field(default_factory=Tally)
    target_recall: Tally = field(default_factory=Tally)
    target_precision: Tally = field(default_factory=Tally)
    company: Tally = field(default_factory=Tally)
    company_short_ok: Tally = field(default_factory=Tally)
    ticker: Tally = field(default_factory=Tally)
    nct_recall: Tally = field(default_factory=Tally)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, kind: str, line: str) -> None:
        self.failures.setdefault(kind, []).append(line)


def _score_label(report: Report, exp: dict, got: dict) -> None:
    allowed = _alternatives(exp["label"])
    label = got.get("label")
    report.labels.add(label in allowed)
    report.confusion[(allowed[0], label)] += 1
    if allowed[0] == "none":
        report.false_events.add(label != "none")
    else:
        report.missed_events.add(label == "none")
    if label not in allowed:
        report.fail("label", f"{exp['id']}: expected {exp['label']}, got {label}")
        if _side(set(allowed)) and _side({label}) and _side(set(allowed)) != _side({label}):
            report.hold_lift_swaps.append(f"{exp['id']}: {exp['label']} -> {label}")


def _side(labels: set) -> str | None:
    """'hold' or 'lift' when every label is on that side of the hold/lift divide."""
    if labels <= HOLD_SIDE:
        return "hold"
    if labels <= LIFT_SIDE:
        return "lift"
    return None


def _score_drugs(report: Report, exp: dict, got: dict) -> None:
    predicted = [_drug_keys(d) for d in got.get("drugs") or []]
    all_expected = [_drug_keys(d) for d in exp["drugs"]]
    for drug, keys in zip(exp["drugs"], all_expected, strict=True):
        if drug["name"].startswith("?"):
            continue
        found = any(keys & p for p in predicted)
        report.drug_recall.add(found)
        if not found:
            report.fail("drug missed", f"{exp['id']}: {drug['name']} (got {_names(got)})")
    for drug, keys in zip(got.get("drugs") or [], predicted, strict=True):
        ok = any(keys & e for e in all_expected)
        report.drug_precision.add(ok)
        if not ok:
            report.fail("drug spurious", f"{exp['id']}: {drug.get('name')!r}")


def _names(got: dict) -> list[str]:
    return [d.get("name") for d in got.get("drugs") or []]


def _score_targets(report: Report, exp: dict, got: dict) -> None:
    required, optional = _split_optional(exp["targets"])
    predicted = {norm_name(t): t for t in got.get("targets") or []}
    for entry in required:
        found = bool(_target_keys(entry) & predicted.keys())
        report.target_recall.add(found)
        if not found:
            report.fail("target missed", f"{exp['id']}: {entry} (got {sorted(predicted.values())})")
    known: set[str] = set()
    for entry in required + optional:
        known |= _target_keys(entry)
    for key, raw in predicted.items():
        report.target_precision.add(key in known)
        if key not in known:
            report.fail("target spurious", f"{exp['id']}: {raw!r}")


def _score_company(report: Report, exp: dict, got: dict) -> None:
    if not exp.get("company"):
        return
    wanted = {norm_company(a) for a in _alternatives(exp["company"])}
    company = got.get("company") or ""
    got_name = norm_company(company)
    ok = got_name in wanted
    report.company.add(ok)
    # Also count a bare short name ("Rocket" for Rocket Pharmaceuticals) as a near miss.
    report.company_short_ok.add(ok or any(_word_prefix(got_name, w) for w in wanted))
    if not ok:
        report.fail("company", f"{exp['id']}: expected {exp['company']!r}, got {company!r}")


def _word_prefix(short: str, full: str) -> bool:
    return bool(short) and (full.split()[: len(short.split())] == short.split())


def _score_ids(report: Report, exp: dict, got: dict) -> None:
    if exp.get("ticker"):
        wanted = exp["ticker"].upper().split(".")[0]
        ticker = (got.get("ticker") or "").upper().split(".")[0].split(":")[-1].strip()
        report.ticker.add(ticker == wanted)
        if ticker != wanted:
            report.fail("ticker", f"{exp['id']}: expected {exp['ticker']}, got {got.get('ticker')}")
    for nct in exp["nct_ids"]:
        report.nct_recall.add(nct in (got.get("nct_ids") or []))


def score(expected: list[dict], outputs: list[dict]) -> Report:
    """Compare outputs (same order as expected) and return the full report."""
    report = Report()
    for exp, got in zip(expected, outputs, strict=True):
        _score_label(report, exp, got)
        _score_company(report, exp, got)
        _score_ids(report, exp, got)
        if _alternatives(exp["label"])[0] != "none":
            _score_drugs(report, exp, got)
            _score_targets(report, exp, got)
    return report


def render(report: Report) -> str:
    """The report as text, for `pytest -s` and for failure messages."""
    lines = [
        f"label accuracy      {report.labels}",
        f"false events (neg)  {report.false_events}",
        f"missed events       {report.missed_events}",
        f"hold<->lift swaps   {len(report.hold_lift_swaps)} {report.hold_lift_swaps}",
        f"drug recall         {report.drug_recall}",
        f"drug precision      {report.drug_precision}",
        f"target recall       {report.target_recall}",
        f"target precision    {report.target_precision}",
        f"company accuracy    {report.company}",
        f"company (short ok)  {report.company_short_ok}",
        f"ticker accuracy     {report.ticker}",
        f"nct recall          {report.nct_recall}",
        "confusion (rows expected, columns got):",
        "                " + "".join(f"{c:>14}" for c in LABELS),
    ]
    for row in LABELS:
        counts = "".join(f"{report.confusion[(row, col)]:>14}" for col in LABELS)
        lines.append(f"{row:>16}{counts}")
    for kind, cases in report.failures.items():
        lines.append(f"-- {kind} ({len(cases)})")
        lines.extend(f"   {case}" for case in cases)
    return "\n".join(lines)
