"""App Home: published on `app_home_opened`, republished after a remove button."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands.context import CommandContext
from bot.commands.home_view import REMOVE_ACTION_ID, home_view
from bot.commands.subscriptions import SubscriptionStore
from bot.models import Subscription

log = logging.getLogger(__name__)

RECENT_ON_HOME = 10


def user_subscriptions(store: SubscriptionStore, user: str) -> list[Subscription]:
    """The user's own (DM) subscriptions and the channel ones they made."""
    subs = [s for s in store.subscriptions() if s.owner == user or s.created_by == user]
    return sorted(subs, key=lambda s: (s.owner_type != "user", s.kind, s.value.casefold()))


def publish_home(ctx: CommandContext, client: WebClient, user: str) -> None:
    store = ctx.store
    view = home_view(held=store.held_drugs(), recent=store.recent_events(RECENT_ON_HOME),
                     subs=user_subscriptions(store, user), today=ctx.today())
    client.views_publish(user_id=user, view=view)


def register(app: App, ctx: CommandContext) -> None:
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return  # the Messages tab needs no view
        try:
            publish_home(ctx, client, event["user"])
        except Exception:
            log.exception("publishing App Home for %s failed", event.get("user"))

    def on_remove(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        user = (body.get("user") or {}).get("id") or ""
        try:
            choice = json.loads(action.get("value") or "{}")
            owner, kind, value = choice["owner"], choice["kind"], choice["value"]
            mine = {(s.owner, s.kind, s.value) for s in user_subscriptions(ctx.store, user)}
            if (owner, kind, value) in mine:  # a user removes only what is theirs
                ctx.store.remove_subscription(owner, kind, value)
            else:
                log.warning("App Home remove by %s of a subscription not theirs: %s", user, kind)
            publish_home(ctx, client, user)
        except Exception:
            log.exception("App Home remove for %s failed", user)

    app.event("app_home_opened")(on_home_opened)
    app.action(REMOVE_ACTION_ID)(on_remove)
