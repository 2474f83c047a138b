"""Extraction: one item -> a label and its entities (pure; no I/O beyond reading lexicons).

Public API (docs/ARCHITECTURE.md): `extract`, `extraction_to_record`, `run_jsonl`,
`AliasBook`; lexicons in `targets` and `indications`.
"""

from bot.extract.aliases import AliasBook
from bot.extract.engine import extract
from bot.extract.jsonl import extraction_to_record, run_jsonl

__all__ = ["AliasBook", "extract", "extraction_to_record", "run_jsonl"]
