"""Frozen dataclasses <-> JSON-ready dicts, driven by the type hints in bot.models.

Only the store converts (docs/ARCHITECTURE.md, bot/store/): dates and datetimes become ISO strings,
tuples become lists, nested dataclasses become dicts — and back. Unknown keys
in a row are ignored, so a row may carry store-internal fields.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from bot import models

T = TypeVar("T")


def to_row(obj: object) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_row(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [to_row(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_row(v) for k, v in obj.items()}
    return obj


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    key: type = cls  # the caches below key on the class (mypy cannot tell type[T] hashes)
    hints = _hints(key)
    kwargs = {name: _decode(hints[name], row[name]) for name in _field_names(key) if name in row}
    return cls(**kwargs)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_decode(inner, v) for v in value)
    if origin in (Mapping, dict) or hint is Mapping:
        return dict(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_row(hint, value)
    return value
