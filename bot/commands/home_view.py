"""The App Home tab (pure): held drugs with days on hold, latest events, the user's
subscriptions each with a remove button. Within Slack's 100 blocks for Home tabs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot import display, messages
from bot.commands import render
from bot.commands.kit import (
    SLACK,
    Block,
    context,
    divider,
    fit,
    header,
    line_sections,
    section,
)
from bot.commands.replies import subscription_words
from bot.models import DrugRecord, Event, Subscription
from bot.notify.limits import MAX_VIEW_BLOCKS

REMOVE_ACTION_ID = "holdwatch_home_remove"
MAX_HOME_SUBSCRIPTIONS = 40
_SLACK_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")


def remove_value(sub: Subscription) -> str:
    """A short, fixed-length id for the remove button (Slack cuts values at 2,000
    characters; the subscription itself never goes into the button)."""
    return "sub:" + hashlib.sha256(sub.id.encode("utf-8")).hexdigest()[:24]


def home_view(
    *, held: Sequence[DrugRecord], recent: Sequence[Event], subs: Sequence[Subscription],
    today: date,
) -> dict[str, Any]:
    blocks: list[Block] = [header(messages.HOME_HELD)]
    held_lines = [render.drug_line(SLACK, d, today) for d in held]
    blocks += line_sections(held_lines) or [section(messages.NO_ACTIVE)]
    blocks += [divider(), header(messages.HOME_RECENT)]
    recent_lines = [render.event_line(SLACK, e) for e in recent]
    blocks += line_sections(recent_lines) or [section(messages.NO_RECENT)]
    blocks += [divider(), header(messages.HOME_SUBS)]
    if not subs:
        blocks.append(section(messages.HOME_NO_SUBS))
    for sub in subs[:MAX_HOME_SUBSCRIPTIONS]:
        blocks.append(_subscription_block(sub))
    if len(subs) > MAX_HOME_SUBSCRIPTIONS:
        blocks.append(context(f"{len(subs) - MAX_HOME_SUBSCRIPTIONS} more: `/holds subscriptions`"))
    blocks = fit(blocks, max_blocks=MAX_VIEW_BLOCKS - 1)
    blocks.append(context(f"Updated {display.day(today)}. `/holds help` lists every command."))
    return {"type": "home", "blocks": blocks}


def _subscription_block(sub: Subscription) -> Block:
    text = f"• {SLACK.esc(subscription_words(sub))}"
    if sub.owner_type == "channel" and _SLACK_ID.match(sub.owner):
        text += f" — in <#{sub.owner}>"
    block = section(text)
    block["accessory"] = {
        "type": "button",
        "action_id": REMOVE_ACTION_ID,
        "text": {"type": "plain_text", "text": messages.HOME_REMOVE},
        "style": "danger",
        "value": remove_value(sub),
    }
    return block
