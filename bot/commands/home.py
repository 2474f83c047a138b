"""App Home: published on `app_home_opened`, republished after a remove button."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands.context import CommandContext
from bot.commands.home_view import REMOVE_ACTION_ID, home_view, remove_value
from bot.commands.subscriptions import SubscriptionStore
from bot.models import Subscription

log = logging.getLogger(__name__)

RECENT_ON_HOME = 10


def user_subscriptions(store: SubscriptionStore, user: str) -> list[Subscription]:
    """The user's own (DM) subscriptions and the channel ones they made."""
    subs = [s for s in store.subscriptions() if s.owner == user or s.created_by == user]
    return sorted(subs, key=lambda s: (s.owner_type != "user", s.kind, s.value.casefold()))


def chosen(subs: Sequence[Subscription], value: str) -> Subscription | None:
    """The subscription a remove button names: by its short id (`remove_value`), or by
    the JSON value Home views published before the id (they may still be on screen)."""
    for sub in subs:
        if remove_value(sub) == value:
            return sub
    try:
        legacy = json.loads(value)
        wanted = (legacy["owner"], legacy["kind"], legacy["value"])
    except (ValueError, TypeError, KeyError):
        return None
    return next((s for s in subs if (s.owner, s.kind, s.value) == wanted), None)


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
            # A user removes only what is theirs: the value is looked up among them.
            sub = chosen(user_subscriptions(ctx.store, user), action.get("value") or "")
            if sub is not None:
                ctx.store.remove_subscription(sub.owner, sub.kind, sub.value)
            else:
                log.warning("App Home remove by %s of a subscription not theirs or gone", user)
            publish_home(ctx, client, user)
        except Exception:
            log.exception("App Home remove for %s failed", user)

    app.event("app_home_opened")(on_home_opened)
    app.action(REMOVE_ACTION_ID)(on_remove)
