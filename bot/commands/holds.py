"""`/holds …`: recent, active, subscribe, unsubscribe, subscriptions, digest, status, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.commands import replies
from bot.commands.context import CommandContext
from bot.commands.kit import Reply, section, text_reply
from bot.commands.parse import HoldsRequest, Usage, parse_holds, split_public
from bot.commands.respond import answer, apologising, describe, subscription_owner
from bot.commands.subscriptions import subscribe, unsubscribe
from bot.notify.escape import mrkdwn


def register(app: App, ctx: CommandContext) -> None:
    def holds(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()  # within Slack's 3 s; the answer follows through response_url
        with apologising(respond, describe(command)):
            text, public = split_public(command.get("text") or "")
            answer(respond, holds_reply(ctx, parse_holds(text), command), public=public)

    app.command("/holds")(holds)


def holds_reply(
    ctx: CommandContext, request: HoldsRequest | Usage, command: dict[str, Any]
) -> Reply:
    """The answer to one parsed `/holds` request made from `command`'s channel by its user."""
    if isinstance(request, Usage):
        return _usage(request)
    store = ctx.store
    owner, owner_type = subscription_owner(command)
    action = request.action
    if action == "recent":
        return replies.recent_reply(store, request.n)
    if action == "active":
        return replies.active_reply(store, ctx.today())
    if action == "status":
        return replies.status_reply(ctx.sources, store.source_states(), ctx.clock(),
                                    tz=ctx.tz)
    if action == "subscriptions":
        return replies.subscriptions_reply(store.subscriptions(owner))
    if action == "subscribe":
        return subscribe(
            store, owner=owner, owner_type=owner_type,
            kind=request.kind or "", value=request.value, only=request.only,
            created_by=command.get("user_id"),
        )
    if action == "unsubscribe":
        return unsubscribe(
            store, owner=owner, owner_type=owner_type,
            kind=request.kind or "", value=request.value,
        )
    if action == "digest":
        store.set_digest(str(command.get("channel_id") or owner), request.on)
        return text_reply(messages.digest_set(request.on))
    return replies.help_reply()


def _usage(usage: Usage) -> Reply:
    if not usage.show_help:
        return text_reply(usage.message)
    help_ = replies.help_reply()
    return Reply(
        text=f"{usage.message}\n\n{help_.text}",
        blocks=[section(mrkdwn(usage.message)), *help_.blocks],
    )
