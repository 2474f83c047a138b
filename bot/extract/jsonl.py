"""The `python -m bot extract` engine: JSON lines in, one JSON line out per input line.

Input objects: ``id`` (required: a non-blank string, or a number, echoed as given), ``title``
and ``text`` (strings; at least one of them non-blank: an item without a title is read with
its first sentence as the headline), ``published`` (YYYY-MM-DD) and ``url`` (optional).
A malformed line yields ``{"id": <id or null>, "error": "<what is wrong and what is
expected>"}`` and the run goes on. Every input line gets exactly one output line, in
order: a blank or whitespace-only line yields ``{"id": null, "error": "empty line ..."}``,
so line counts match.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from bot.extract.engine import default_book, extract
from bot.models import Extraction, Item

_OPTIONAL_STRINGS = ("text", "published", "url")
_EMPTY = "empty line; expected one JSON object per line"


def extraction_to_record(item_id: object, extraction: Extraction, *, explain: bool = False
                         ) -> dict[str, Any]:
    """The docs/DESIGN.md output object: six required keys, then the optional ones that are
    known, the evidence, and (with `explain`) the names of the rules that fired."""
    record: dict[str, Any] = {
        "id": item_id,
        "label": extraction.label,
        "company": extraction.company,
        "drugs": [{"name": d.name, "aliases": list(d.aliases)} for d in extraction.drugs],
        "targets": list(extraction.targets),
        "nct_ids": list(extraction.nct_ids),
    }
    if extraction.ticker:
        record["ticker"] = extraction.ticker
    if extraction.indications:
        record["indications"] = list(extraction.indications)
    if extraction.reason:
        record["reason"] = extraction.reason
    if extraction.scope:
        record["scope"] = extraction.scope
    if extraction.trials:
        record["trials"] = [{"name": t.name, "nct_id": t.nct_id} for t in extraction.trials]
    record["evidence"] = list(extraction.evidence)
    if explain:
        record["rules"] = list(extraction.rules)
    return record


def parse_line(line: str) -> tuple[Item | None, object, str | None]:
    """(item, id, error): the item, or the id (if any) and why the line was refused.

    The id is returned as the input gave it (a number stays a number).
    """
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return None, None, f"line is not valid JSON ({exc}); expected one JSON object per line"
    if not isinstance(obj, dict):
        return None, None, (f"line is a JSON {type(obj).__name__}, expected an object with "
                            '"id" and "title" or "text"')
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | float):
        scalar = raw_id if isinstance(raw_id, bool) else None
        return None, scalar, ('"id" is missing or not a string or number; expected a '
                              "non-empty string or a number")
    if isinstance(raw_id, str) and not raw_id.strip():
        return None, None, '"id" is blank; expected a non-empty string or a number'
    item_id = raw_id
    for key in ("title", *_OPTIONAL_STRINGS):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return None, item_id, f'"{key}" is a {type(obj[key]).__name__}; expected a string'
    title, text = obj.get("title") or "", obj.get("text") or ""
    if not title.strip() and not text.strip():
        return None, item_id, ('"title" and "text" are both missing or blank; expected a '
                               "non-empty title or text")
    published = None
    if obj.get("published"):
        try:
            published = date.fromisoformat(obj["published"][:10])
        except ValueError:
            return None, item_id, (f'"published" is {obj["published"]!r}; expected a date '
                                   "written YYYY-MM-DD")
    item = Item(source="extract", key=str(item_id), title=title, text=text,
                url=obj.get("url"), published=published)
    return item, item_id, None


def run_jsonl(lines: Iterable[str], *, explain: bool = False) -> Iterator[str]:
    """One output JSON line per input line, in order; bad or empty lines become error lines.

    With `explain`, each line also lists the rules that fired (`rules`)."""
    book = default_book()
    for line in lines:
        if not line.strip():
            yield json.dumps({"id": None, "error": _EMPTY}, ensure_ascii=False)
            continue
        item, item_id, error = parse_line(line)
        if item is None:
            yield json.dumps({"id": item_id, "error": error}, ensure_ascii=False)
            continue
        record = extraction_to_record(item_id, extract(item, book), explain=explain)
        yield json.dumps(record, ensure_ascii=False)
