"""Gold labels for corpus scoring: one shape for every corpus format, and the matching rules.

Three formats are read into one `Gold` record:

- a labels file (`{"id", "label", "company", "drugs": [["name", "alias"], ...], "targets",
  "trials", "lang", "form", "note"}`), as the lead's blind samples are written;
- the dev corpus, whose items carry their gold under `"expected"`;
- the heldout corpora, whose drugs are `{"name", "aliases", "optional"}` objects.

Conventions shared by all: `"A|B"` lists acceptable alternatives (label, company, a drug
name, a target, a ticker); a leading `"?"` marks a drug or target only implied by the text
(finding it is not required, reporting it is not wrong).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.extract.targets import canonical_target
from bot.extract.text import clean, sentences
from bot.models import LABELS, label_family

# Words that name what kind of company it is rather than which: "CARsgen" is
# "CARsgen Therapeutics Holdings Limited", "Innate" is "Innate Pharma".
_COMPANY_NOISE = frozenset({
    "the", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
    "llc", "plc", "lp", "sa", "se", "nv", "ag", "gmbh", "spa", "kk", "ab", "as", "asa", "oyj",
    "bv", "holdings", "holding", "group", "therapeutics", "therapeutic", "pharmaceuticals",
    "pharmaceutical", "pharma", "pharmaceutica", "biopharma", "biopharmaceuticals",
    "biopharmaceutical", "biosciences", "bioscience", "biotherapeutics", "biotech",
    "biotechnology", "bio", "sciences", "medicines",
})
_CJK_LEGAL = ("股份有限公司", "控股有限公司", "有限公司", "株式会社", "控股")


def fold(text: str) -> str:
    """Case-, width-, hyphen-, space- and punctuation-insensitive key of a name."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def company_key(name: str) -> str:
    """A company name without case, punctuation, legal suffixes or kind-of-company words."""
    text = unicodedata.normalize("NFKC", name).casefold().replace(".", "")
    for suffix in _CJK_LEGAL:
        text = text.replace(suffix, " ")
    words = re.findall(r"\w+", text)
    kept = [w for w in words if w not in _COMPANY_NOISE]
    return " ".join(kept or words)


def target_key(name: str) -> str:
    """A target through the project's target lexicon ("CLDN18.2" == "Claudin 18.2")."""
    return fold(canonical_target(name) or name)


def alternatives(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True)
class GoldDrug:
    names: tuple[str, ...]
    optional: bool = False

    def keys(self) -> set[str]:
        return {fold(n) for n in self.names if fold(n)}


@dataclass(frozen=True)
class GoldTarget:
    options: tuple[str, ...]
    optional: bool = False

    def keys(self) -> set[str]:
        return {target_key(o) for o in self.options}


@dataclass(frozen=True)
class Gold:
    """What a blind labeller said one item is."""

    id: str
    labels: tuple[str, ...]  # acceptable labels, the main one first
    company: tuple[str, ...] = ()  # acceptable spellings; empty when not stated
    drugs: tuple[GoldDrug, ...] = ()
    targets: tuple[GoldTarget, ...] = ()
    trials: tuple[str, ...] = ()
    ticker: tuple[str, ...] = ()
    lang: str = "?"
    form: str = "?"
    note: str = ""

    @property
    def label(self) -> str:
        return self.labels[0]

    @property
    def is_event(self) -> bool:
        return label_family(self.label) != "none"


def gold_of(row: dict) -> Gold:
    """Read one gold record in any of the three formats; a bad record says what is wrong."""
    labels = alternatives(str(row.get("label") or ""))
    if not labels or any(lab not in LABELS for lab in labels):
        raise ValueError(f"gold {row.get('id')!r}: label {row.get('label')!r} is not one of "
                         f"{'|'.join(LABELS)}")
    company = row.get("company")
    ticker = row.get("ticker")
    return Gold(
        id=str(row["id"]),
        labels=labels,
        company=alternatives(company) if isinstance(company, str) else (),
        drugs=tuple(_drug(d) for d in row.get("drugs") or []),
        targets=tuple(_target(t) for t in row.get("targets") or []),
        trials=tuple(str(t) for t in row.get("trials") or []),
        ticker=alternatives(ticker) if isinstance(ticker, str) else (),
        lang=str(row.get("lang") or "?"),
        form=str(row.get("form") or "?"),
        note=str(row.get("note") or ""),
    )


def _drug(entry: object) -> GoldDrug:
    if isinstance(entry, dict):
        optional = bool(entry.get("optional"))
        first = str(entry.get("name") or "")
        names: list[str] = [first, *[str(a) for a in entry.get("aliases") or []]]
    elif isinstance(entry, list | tuple):
        names, optional = [str(n) for n in entry], False
    else:
        names, optional = [str(entry)], False
    if names and names[0].startswith("?"):
        names[0], optional = names[0][1:], True
    split = [alt for n in names for alt in alternatives(n)]
    return GoldDrug(tuple(split), optional)


def _target(entry: str) -> GoldTarget:
    optional = entry.startswith("?")
    return GoldTarget(alternatives(entry.lstrip("?")), optional)


def read_jsonl(path: Path) -> list[dict]:
    """Every object of a JSON-lines file (blank lines skipped); a bad line is named."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc})") from exc
    return rows


def load_pair(items: Path, labels: Path) -> tuple[list[dict], list[Gold]]:
    """Items and their gold from two files, matched by id; every item must have gold."""
    item_rows = read_jsonl(items)
    by_id = {str(row["id"]): gold_of(row) for row in read_jsonl(labels)}
    missing = [str(row.get("id")) for row in item_rows if str(row.get("id")) not in by_id]
    if missing:
        raise ValueError(f"{labels} has no label for items {missing[:5]} "
                         f"({len(missing)} in all); label every item or drop it")
    return item_rows, [by_id[str(row["id"])] for row in item_rows]


def load_embedded(paths: Iterable[Path]) -> tuple[list[dict], list[Gold]]:
    """Dev-corpus files, whose lines are items carrying their gold under "expected"."""
    items: list[dict] = []
    golds: list[Gold] = []
    for path in sorted(paths):
        for row in read_jsonl(path):
            expected = row["expected"]
            items.append({k: v for k, v in row.items() if k != "expected"})
            golds.append(gold_of({"id": row["id"], **expected}))
    return items, golds


def headline(item: dict) -> str:
    """The item's title, or its first sentence when it has none (DESIGN.md)."""
    title = str(item.get("title") or "").strip()
    if title:
        return title
    body = sentences(clean(str(item.get("text") or "")))
    return body[0] if body else ""
