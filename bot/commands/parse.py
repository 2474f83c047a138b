"""The text after a slash command → what the user asked for, or the usage to show.

Pure: no store, no Slack. `/holds subscribe indication multiple myeloma only
holds public` becomes `HoldsRequest("subscribe", kind="indication",
value="multiple myeloma", only="holds")` with `public=True`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot import messages
from bot.models import SUBSCRIPTION_KINDS

DEFAULT_RECENT = 10
MAX_RECENT = 50

Action = Literal[
    "help", "recent", "active", "subscribe", "unsubscribe", "subscriptions", "status", "digest"
]
_PLAIN_ACTIONS = ("help", "active", "subscriptions", "status")
_KIND_PLURALS = {"targets": "target", "drugs": "drug", "companies": "company",
                 "indications": "indication", "keywords": "keyword"}
_ONLY = {"holds": "holds", "hold": "holds", "lifts": "lifts", "lift": "lifts"}


@dataclass(frozen=True)
class HoldsRequest:
    action: Action
    kind: str | None = None
    value: str = ""
    only: Literal["holds", "lifts"] | None = None
    n: int = DEFAULT_RECENT
    on: bool = False


@dataclass(frozen=True)
class Usage:
    """The request could not be understood: say this (and the help, if `show_help`)."""

    message: str
    show_help: bool = False


def split_public(text: str) -> tuple[str, bool]:
    """Strip a trailing `public` word: the answer then goes to the channel."""
    words = text.split()
    if words and words[-1].lower() == "public":
        return " ".join(words[:-1]), True
    return " ".join(words), False


def parse_holds(text: str) -> HoldsRequest | Usage:
    words = text.split()
    if not words:
        return HoldsRequest("help")
    action, rest = words[0].lower(), words[1:]
    if action in _PLAIN_ACTIONS:
        return HoldsRequest(action)  # type: ignore[arg-type]
    if action == "recent":
        return _recent(rest)
    if action in ("subscribe", "unsubscribe"):
        return _subscription(action, rest)
    if action == "digest":
        if len(rest) == 1 and rest[0].lower() in ("on", "off"):
            return HoldsRequest("digest", on=rest[0].lower() == "on")
        return Usage(messages.USAGE_DIGEST)
    return Usage(messages.unknown_subcommand(words[0]), show_help=True)


def _recent(rest: list[str]) -> HoldsRequest | Usage:
    if not rest:
        return HoldsRequest("recent")
    if len(rest) == 1 and rest[0].isdigit() and 1 <= int(rest[0]) <= MAX_RECENT:
        return HoldsRequest("recent", n=int(rest[0]))
    return Usage(messages.USAGE_RECENT.format(max_n=MAX_RECENT))


def _subscription(action: str, rest: list[str]) -> HoldsRequest | Usage:
    usage = messages.USAGE_SUBSCRIBE if action == "subscribe" else messages.USAGE_UNSUBSCRIBE
    if not rest:
        return Usage(usage)
    kind = _KIND_PLURALS.get(rest[0].lower(), rest[0].lower())
    if kind not in SUBSCRIPTION_KINDS:
        return Usage(messages.bad_kind(rest[0], SUBSCRIPTION_KINDS) + " " + usage)
    words = rest[1:]
    only = None
    if action == "subscribe" and len(words) >= 2 and words[-2].lower() == "only":
        only = _ONLY.get(words[-1].lower())
        if only is None:
            return Usage(messages.bad_only(words[-1]))
        words = words[:-2]
    elif action == "subscribe" and words and words[-1].lower() == "only":
        return Usage(messages.bad_only(""))
    value = " ".join(words)
    if kind != "all" and not value:
        return Usage(messages.missing_value(kind))
    return HoldsRequest(action, kind=kind, value=value, only=only)  # type: ignore[arg-type]
