"""Parsing the text of /holds into a request or a usage message."""

from __future__ import annotations

import pytest

from bot.commands.parse import HoldsRequest, Usage, parse_holds, split_public


def test_public_is_stripped_only_at_the_end() -> None:
    """A trailing `public` makes the answer public; elsewhere it is part of the value."""
    assert split_public("zevor-cel public") == ("zevor-cel", True)
    assert split_public("  zevor-cel  ") == ("zevor-cel", False)
    assert split_public("subscribe keyword public health") == (
        "subscribe keyword public health", False)


def test_subscribe_with_multiword_value_and_only() -> None:
    """`only holds` is peeled off the end; the rest of the words are the value."""
    assert parse_holds("subscribe indication multiple myeloma only holds") == HoldsRequest(
        "subscribe", kind="indication", value="multiple myeloma", only="holds")
    assert parse_holds("SUBSCRIBE Targets BCMA") == HoldsRequest(
        "subscribe", kind="target", value="BCMA")
    assert parse_holds("subscribe all only lifts") == HoldsRequest(
        "subscribe", kind="all", only="lifts")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("subscribe", "Usage: `/holds subscribe"),
        ("subscribe planet Mars", "not a subscription kind"),
        ("subscribe target", "Which target?"),
        ("subscribe target BCMA only sometimes", "only sometimes"),
        ("unsubscribe drug", "Which drug?"),
        ("recent many", "/holds recent [N]"),
        ("recent 500", "/holds recent [N]"),
        ("digest maybe", "/holds digest on"),
    ],
)
def test_bad_arguments_give_usage(text: str, fragment: str) -> None:
    """Missing or malformed arguments produce a usage message naming the problem."""
    result = parse_holds(text)
    assert isinstance(result, Usage)
    assert fragment in result.message


def test_unknown_subcommand_shows_help() -> None:
    """An unknown sub-command is named back and the full help follows."""
    result = parse_holds("frobnicate now")
    assert isinstance(result, Usage) and result.show_help
    assert "frobnicate" in result.message


def test_simple_actions() -> None:
    """Empty text is help; recent takes an optional count; digest takes on/off."""
    assert parse_holds("") == HoldsRequest("help")
    assert parse_holds("recent") == HoldsRequest("recent", n=10)
    assert parse_holds("recent 3") == HoldsRequest("recent", n=3)
    assert parse_holds("active") == HoldsRequest("active")
    assert parse_holds("digest ON") == HoldsRequest("digest", on=True)
    assert parse_holds("status") == HoldsRequest("status")
