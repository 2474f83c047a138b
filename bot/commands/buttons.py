"""The subscribe buttons on alerts: one click subscribes the channel, an ephemeral confirms."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.commands.context import CommandContext
from bot.commands.kit import text_reply
from bot.commands.respond import answer, apologising, subscription_owner
from bot.commands.subscriptions import subscribe
from bot.models import SUBSCRIPTION_KINDS
from bot.notify.blocks import SUBSCRIBE_ACTION_RE  # the alert builder owns the button ids

log = logging.getLogger(__name__)


def button_choice(value: str | None) -> tuple[str, str] | None:
    """(kind, value) from a button's JSON value, or None when it is not one of ours."""
    try:
        choice = json.loads(value or "")
    except json.JSONDecodeError:
        return None
    if not isinstance(choice, dict):
        return None
    kind, name = choice.get("kind"), choice.get("value")
    if kind not in SUBSCRIPTION_KINDS or kind == "all" or not isinstance(name, str):
        return None
    return (kind, name.strip()) if name.strip() else None


def register(app: App, ctx: CommandContext) -> None:
    def on_click(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        with apologising(respond, "subscribe button"):
            channel = (body.get("channel") or {}).get("id") or (
                (body.get("container") or {}).get("channel_id"))
            user = (body.get("user") or {}).get("id")
            choice = button_choice(action.get("value"))
            if choice is None or not channel:
                log.warning("subscribe button with an unusable value %r in %s",
                            action.get("value"), channel)
                answer(respond, text_reply(messages.BUTTON_STALE))
                return
            owner, owner_type = subscription_owner({"channel_id": channel, "user_id": user})
            kind, value = choice
            reply = subscribe(ctx.store, owner=owner, owner_type=owner_type,
                              kind=kind, value=value, created_by=user)
            answer(respond, reply)

    app.action(SUBSCRIBE_ACTION_RE)(on_click)
