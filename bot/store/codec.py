"""Frozen dataclasses <-> JSON-ready dicts, one compiled decoder and encoder per class.

Only the store converts (docs/ARCHITECTURE.md, bot/store/): dates and
datetimes become ISO strings, tuples become lists, nested dataclasses become
dicts — and back. A row may carry store-internal keys (`_drugs`, …); decoders
ignore keys they do not know.

Why compiled: the type hints are read once per class (`typing.get_type_hints`,
`get_origin`) and turned into the source of one Python function per class,
which then decodes a row with plain attribute and type checks — no reflection
per row (a 100k-item store used to spend seconds in `get_origin`/`isinstance`).

Decoding validates: a row is a file's content, and a file that parses may
still be wrong (a delivery with `seq: "x"`, a list where a date belongs). Any
mismatch raises `RowError` naming the field, what it held and what it should
hold; the store then treats the file as damaged (issue 14) instead of letting
a `TypeError` escape at the first query.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from sys import intern
from typing import Any, TypeVar

from bot import models

T = TypeVar("T")


class RowError(ValueError):
    """A stored row does not have the shape its dataclass needs."""


# ---------------------------------------------------------------------- public


def to_row(obj: object) -> Any:
    """The JSON-ready form of a dataclass (or of a plain value inside one)."""
    encode = _ENCODERS.get(type(obj))
    if encode is None:
        if not (dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
            return _plain(obj)
        encode = _ENCODERS[type(obj)] = _compile_encoder(type(obj))
    return encode(obj)


def from_row(cls: type[T], row: Any) -> T:
    """CLS from its stored row; RowError when the row does not fit CLS's fields."""
    return decoder(cls)(row)


def decoder(cls: type[T]) -> Callable[[Any], T]:
    """The compiled decoder of CLS (built on first use, then reused)."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = _compile_decoder(cls)
    return found


def plain(value: object) -> Any:
    """A Mapping/tuple/date value made JSON-ready (used for free-form fields like cursors)."""
    return _plain(value)


# ---------------------------------------------------------------------- checks
# Helpers the generated code calls; each returns the converted value or raises RowError.


def _bad(field: str, value: object, expected: str) -> RowError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return RowError(f"field {field!r} is {shown} ({type(value).__name__}), expected {expected}")


def _date(field: str, value: object) -> date:
    if type(value) is str:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(field, value, "a date (YYYY-MM-DD)")


def _datetime(field: str, value: object) -> datetime:
    if type(value) is str:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(field, value, "a date and time (ISO 8601)")


def _list(field: str, value: object) -> list[Any]:
    if type(value) is not list:
        raise _bad(field, value, "a list")
    return value


def _strings(field: str, value: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise _bad(field, value, "a list of strings")
    out = []
    for text in value:
        if type(text) is not str:
            raise _bad(field, value, "a list of strings")
        out.append(intern(text) if len(text) <= SHARED_LEN else text)
    return tuple(out)


# Short strings repeat across rows (outlets, companies, targets, labels, ids that link
# rows): decoders intern them, one shared copy each. Long ones (titles, report text) not.
SHARED_LEN = 64



def _mapping(field: str, value: object) -> dict[str, Any]:
    if type(value) is not dict:
        raise _bad(field, value, "an object")
    return value


def _nested(field: str, decode: Callable[[Any], Any], value: object) -> Any:
    try:
        return decode(value)
    except RowError as exc:
        raise RowError(f"in {field!r}: {exc}") from None


# --------------------------------------------------------------------- compile


def _compile_decoder(cls: type) -> Callable[[Any], Any]:
    """Source of `decode(row)` for CLS, exec'd once: one type check per field, defaults
    left to the dataclass. (Filling a new instance's `__dict__` directly would be twice as
    fast, but a materialised `__dict__` costs ~60 bytes more per object than the compact
    attribute storage `__init__` leaves: memory is the scarcer resource at 100k items.)"""
    hints = typing.get_type_hints(cls, vars(models))
    env: dict[str, Any] = {
        "cls": cls, "RowError": RowError, "_bad": _bad, "_date": _date,
        "_datetime": _datetime, "_list": _list, "_strings": _strings, "_mapping": _mapping,
        "_nested": _nested, "intern": intern, "int": int, "str": str, "bool": bool,
        "float": float, "dict": dict, "tuple": tuple, "type": type,
    }
    lines = [
        "def decode(row):",
        "    if type(row) is not dict:",
        f"        raise RowError(f'expected an object for a {cls.__name__}, "
        "got {type(row).__name__}')",
        "    get = row.get",
        "    kw = {}",
    ]
    for n, f in enumerate(dataclasses.fields(cls)):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        lines.append(f"    v = get({f.name!r}, row)")
        lines.append("    if v is row:")
        if required:
            lines.append(f"        raise RowError({f'field {f.name!r} is missing'!r})")
        else:
            lines.append("        pass")
        lines.append("    else:")
        for line in _check(hints[f.name], f.name, "v", env, f"t{n}"):
            lines.append("        " + line)
        lines.append(f"        kw[{f.name!r}] = v")
    lines.append("    return cls(**kw)")
    exec("\n".join(lines), env)  # our own generated source, from our own type hints
    return env["decode"]  # type: ignore[no-any-return]


def _check(hint: Any, field: str, var: str, env: dict[str, Any], tag: str) -> list[str]:
    """Statements that check VAR against HINT and leave the converted value in VAR."""
    origin = typing.get_origin(hint)
    name = repr(field)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{field}: unions other than X | None are not stored")
        inner = _check(options[0], field, var, env, tag)
        return [f"if {var} is not None:", *("    " + line for line in inner)]
    if origin is typing.Literal:
        env[tag] = frozenset(typing.get_args(hint))
        allowed = " | ".join(sorted(map(str, typing.get_args(hint))))
        return [f"if type({var}) is not str or {var} not in {tag}:",
                f"    raise _bad({name}, {var}, {allowed!r})",
                f"{var} = intern({var})"]
    if origin is tuple:
        inner_hint = typing.get_args(hint)[0]
        if inner_hint is str:
            return [f"{var} = _strings({name}, {var})"]
        if dataclasses.is_dataclass(inner_hint) and isinstance(inner_hint, type):
            env[tag] = decoder(inner_hint)
            return [f"{var} = tuple(_nested({name}, {tag}, x) for x in _list({name}, {var}))"]
        raise TypeError(f"{field}: tuple of {inner_hint} is not stored")
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        return [f"{var} = _mapping({name}, {var})"]
    if hint is str:
        return [f"if type({var}) is not str:", f"    raise _bad({name}, {var}, 'a string')",
                f"if len({var}) <= {SHARED_LEN}:", f"    {var} = intern({var})"]
    if hint is bool:
        return [f"if type({var}) is not bool:", f"    raise _bad({name}, {var}, 'true or false')"]
    if hint is int:
        return [f"if type({var}) is not int:", f"    raise _bad({name}, {var}, 'an integer')"]
    if hint is float:
        return [f"if type({var}) is not float and type({var}) is not int:",
                f"    raise _bad({name}, {var}, 'a number')",
                f"{var} = float({var})"]
    if hint is datetime:
        return [f"{var} = _datetime({name}, {var})"]
    if hint is date:
        return [f"{var} = _date({name}, {var})"]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        env[tag] = decoder(hint)
        return [f"{var} = _nested({name}, {tag}, {var})"]
    raise TypeError(f"{field}: {hint!r} is not a stored type")


def _compile_encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    hints = typing.get_type_hints(cls, vars(models))
    env: dict[str, Any] = {"_plain": _plain, "to_row": to_row}
    parts = []
    for n, f in enumerate(dataclasses.fields(cls)):
        parts.append(f"{f.name!r}: {_encode(hints[f.name], f'o.{f.name}', env, f'e{n}')}")
    source = "def encode(o):\n    return {" + ", ".join(parts) + "}"
    exec(source, env)  # our own generated source, from our own type hints
    return env["encode"]  # type: ignore[no-any-return]


def _encode(hint: Any, expr: str, env: dict[str, Any], tag: str) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        converted = _encode(inner, expr, env, tag)
        return expr if converted == expr else f"(None if {expr} is None else {converted})"
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(inner):
            return f"[to_row(x) for x in {expr}]"
        return f"list({expr})"
    if hint in (date, datetime):
        return f"{expr}.isoformat()"
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        return f"_plain({expr})"
    if dataclasses.is_dataclass(hint):
        return f"to_row({expr})"
    return expr  # str, int, bool, float, Literal: stored as they are


def _plain(obj: object) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_row(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [_plain(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    return obj


_DECODERS: dict[type, Callable[[Any], Any]] = {}
_ENCODERS: dict[type, Callable[[Any], Any]] = {}
