"""Sending a `Reply` through Bolt's respond(), and never a stack trace to the user."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from slack_bolt import Respond

from bot import messages
from bot.commands.kit import Reply, fallback, text_reply

log = logging.getLogger(__name__)


def answer(respond: Respond, reply: Reply, *, public: bool = False) -> None:
    """Ephemeral by default; `public` posts the answer in the channel."""
    respond(
        text=fallback(reply),
        blocks=reply.blocks,
        response_type="in_channel" if public else "ephemeral",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
    )


@contextlib.contextmanager
def apologising(respond: Respond, what: str) -> Iterator[None]:
    """Any failure inside becomes a short apology to the user and a logged traceback."""
    try:
        yield
    except Exception:
        log.exception("answering %s failed", what)
        with contextlib.suppress(Exception):  # Slack may be the thing that failed
            answer(respond, text_reply(messages.APOLOGY))


def describe(command: Mapping[str, Any]) -> str:
    """`/holds subscribe …` for logs: the command and its first word, never tokens or URLs."""
    words = str(command.get("text") or "").split()
    return f"{command.get('command', '?')} {words[0] if words else ''}".strip()


def subscription_owner(
    command: Mapping[str, Any],
) -> tuple[str, Literal["channel", "user"]]:
    """(owner, owner_type): a DM with the bot belongs to the user, anything else to the channel."""
    channel = str(command.get("channel_id") or "")
    if channel.startswith("D") or command.get("channel_name") == "directmessage":
        return str(command.get("user_id") or ""), "user"
    return channel, "channel"
