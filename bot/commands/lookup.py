"""`/drug NAME` and `/target NAME`: answers from the store, ephemeral unless `public`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.commands import replies
from bot.commands.context import CommandContext
from bot.commands.parse import split_public
from bot.commands.respond import answer, apologising, describe
from bot.commands.vocab import curated_group
from bot.extract.targets import canonical_target


def register(app: App, ctx: CommandContext) -> None:
    def drug(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()  # within Slack's 3 s; the answer follows through response_url
        with apologising(respond, describe(command)):
            name, public = split_public(command.get("text") or "")
            reply = replies.drug_reply(ctx.store, name, today=ctx.today(), curated=curated_group)
            answer(respond, reply, public=public)

    def target(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        with apologising(respond, describe(command)):
            name, public = split_public(command.get("text") or "")
            reply = replies.target_reply(ctx.store, name, today=ctx.today(),
                                         canonical=canonical_target)
            answer(respond, reply, public=public)

    app.command("/drug")(drug)
    app.command("/target")(target)
