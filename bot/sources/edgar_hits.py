"""SEC EDGAR full-text search hits -> filings (pure).

EFTS returns one hit per matching *document* (`_id` = "<adsh>:<filename>"),
so one 8-K with a press release in EX-99.1 and EX-99.2 is several hits: we
group them by accession number (`adsh`). Company and ticker come from
`display_names` ("Name  (TICK)  (CIK 0001234567)", spacing varies). URLs are
built from the CIK without leading zeros and the accession without dashes
(docs/DEPENDENCIES.md, "SEC EDGAR full-text search").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

_DISPLAY = re.compile(
    r"^\s*(?P<name>.*?)\s*(?:\((?P<tickers>[^()]*)\)\s*)?\(CIK\s+(?P<cik>\d+)\)\s*$"
)
_EX99 = re.compile(r"^EX-99(?:\.(\d+))?", re.I)


@dataclass(frozen=True)
class Document:
    filename: str
    file_type: str
    description: str
    sequence: int


@dataclass(frozen=True)
class Filing:
    adsh: str
    cik: str  # without leading zeros
    company: str | None
    ticker: str | None
    form: str
    file_date: date | None
    documents: tuple[Document, ...]

    def folder(self, archives_url: str) -> str:
        return f"{archives_url.rstrip('/')}/{self.cik}/{self.adsh.replace('-', '')}"

    def index_url(self, archives_url: str) -> str:
        return f"{self.folder(archives_url)}/{self.adsh}-index.htm"

    def document_url(self, archives_url: str, document: Document) -> str:
        return f"{self.folder(archives_url)}/{document.filename}"


def parse_display_name(display: str) -> tuple[str, str | None, str | None]:
    """("Eliem Therapeutics, Inc.", "ELYM", "1768446") from a display name."""
    match = _DISPLAY.match(display or "")
    if not match:
        return display.strip(), None, None
    tickers = [t.strip() for t in (match["tickers"] or "").split(",") if t.strip()]
    return match["name"].strip(), (tickers[0] if tickers else None), str(int(match["cik"]))


def group_hits(hits: Iterable[Mapping[str, Any]]) -> list[Filing]:
    """One Filing per accession number, in first-seen order; malformed hits skipped."""
    grouped: dict[str, dict[str, Any]] = {}
    for hit in hits:
        src = hit.get("_source") or {}
        adsh = str(src.get("adsh") or "").strip()
        doc_id = str(hit.get("_id") or "")
        if not adsh or ":" not in doc_id:
            continue
        filename = doc_id.split(":", 1)[1]
        entry = grouped.setdefault(adsh, {"src": src, "docs": {}})
        entry["docs"].setdefault(
            filename,
            Document(
                filename=filename,
                file_type=str(src.get("file_type") or ""),
                description=str(src.get("file_description") or ""),
                sequence=_int(src.get("sequence")),
            ),
        )
    filings = []
    for adsh, entry in grouped.items():
        filing = _filing(adsh, entry["src"], tuple(entry["docs"].values()))
        if filing is not None:
            filings.append(filing)
    return filings


def _filing(adsh: str, src: Mapping[str, Any], docs: tuple[Document, ...]) -> Filing | None:
    ciks = [str(c) for c in src.get("ciks") or () if str(c).isdigit()]
    names = [parse_display_name(str(d)) for d in src.get("display_names") or ()]
    # A filer agent may be listed beside the company: prefer a name with a ticker.
    chosen = next((n for n in names if n[1]), names[0] if names else (None, None, None))
    cik = chosen[2] or (str(int(ciks[0])) if ciks else None)
    if cik is None:
        return None
    return Filing(
        adsh=adsh,
        cik=cik,
        company=chosen[0] or None,
        ticker=chosen[1],
        form=str(src.get("form") or (src.get("root_forms") or [""])[0]),
        file_date=_date(src.get("file_date")),
        documents=docs,
    )


def best_document(filing: Filing) -> Document:
    """The press release if there is one (lowest EX-99.x), else the main document."""
    exhibits = [d for d in filing.documents if _EX99.match(d.file_type)]
    if exhibits:
        return min(exhibits, key=lambda d: (_ex_number(d.file_type), d.sequence))
    main = [d for d in filing.documents if d.file_type.upper() == filing.form.upper()]
    return (main or sorted(filing.documents, key=lambda d: d.sequence or 10**6))[0]


def _ex_number(file_type: str) -> int:
    match = _EX99.match(file_type)
    return int(match.group(1)) if match and match.group(1) else 0


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
