"""App Home through the Events API: published on app_home_opened, remove buttons, retries."""

from __future__ import annotations

import json

from bot.commands.home_view import REMOVE_ACTION_ID
from bot.models import Subscription
from tests.slack.harness import CHANNEL, DM, USER, Harness, answer_text


def home_opened(user: str = USER, tab: str = "home") -> dict:
    return {"type": "app_home_opened", "user": user, "channel": "D0ANALYST", "tab": tab,
            "event_ts": "1700000000.000100"}


def published_text(view: dict) -> str:
    return "\n".join(str(b.get("text", {}).get("text", "")) for b in view["blocks"])


def test_home_shows_held_drugs_events_and_subscriptions(bot: Harness) -> None:
    """app_home_opened publishes the user's Home: held drugs with days, events, subscriptions."""
    bot.store.add_subscription(Subscription(USER, "user", "target", "BCMA", "bcma"))
    bot.store.add_subscription(Subscription(CHANNEL, "channel", "drug", "CT071",
                                            created_by=USER))
    bot.store.add_subscription(Subscription("C0OTHER", "channel", "all", "*", created_by="U0X"))
    assert bot.event(home_opened(), event_id="Ev0001").status_code == 200
    assert bot.fake.wait_for("views.publish", 1)
    [call] = bot.fake.calls_to("views.publish")
    assert call["user_id"] == USER
    view = call["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = published_text(view)
    assert "HX-101" in text and "for 6 days" in text
    assert "Hold lifted after 167 days" in text
    assert "target BCMA" in text and f"drug CT071 — in <#{CHANNEL}>" in text
    assert "all events" not in text  # another user's subscription is not shown
    buttons = [b["accessory"] for b in view["blocks"] if "accessory" in b]
    assert {b["action_id"] for b in buttons} == {REMOVE_ACTION_ID}
    assert len(buttons) == 2


def test_remove_button_unsubscribes_and_republishes(bot: Harness) -> None:
    """The Home remove button deletes that subscription and publishes the Home again (here
    with the JSON value Home views carried before the short id: they may still be open)."""
    sub = Subscription(USER, "user", "target", "BCMA")
    bot.store.add_subscription(sub)
    value = json.dumps({"owner": USER, "kind": "target", "value": "BCMA"})
    assert bot.click(REMOVE_ACTION_ID, value, channel_id="D0ANALYST").status_code == 200
    assert bot.fake.wait_for("views.publish", 1)
    assert bot.store.subscriptions() == []
    assert "No subscriptions yet" in published_text(bot.fake.calls_to("views.publish")[0]["view"])


def test_remove_button_value_is_a_short_id_even_for_the_longest_value(bot: Harness) -> None:
    """A 100-character keyword (the cap) gets a short button value; clicking it removes it."""
    subscribed = answer_text(bot.command("/holds", "subscribe keyword " + "k" * 100,
                                         channel_id=DM, channel_name="directmessage"))
    assert "Subscribed you" in subscribed
    assert bot.event(home_opened(), event_id="Ev0010").status_code == 200
    assert bot.fake.wait_for("views.publish", 1)
    view = bot.fake.calls_to("views.publish")[0]["view"]
    [button] = [b["accessory"] for b in view["blocks"] if "accessory" in b]
    assert len(button["value"]) <= 40 and "k" * 10 not in button["value"]
    assert bot.click(REMOVE_ACTION_ID, button["value"], channel_id=DM).status_code == 200
    assert bot.fake.wait_for("views.publish", 2)
    assert bot.store.subscriptions() == []


def test_remove_button_cannot_remove_someone_elses_subscription(bot: Harness) -> None:
    """A remove value naming another owner's subscription changes nothing."""
    bot.store.add_subscription(Subscription("C0OTHER", "channel", "target", "BCMA",
                                            created_by="U0SOMEONE"))
    value = json.dumps({"owner": "C0OTHER", "kind": "target", "value": "BCMA"})
    bot.click(REMOVE_ACTION_ID, value)
    assert bot.fake.wait_for("views.publish", 1)
    assert len(bot.store.subscriptions()) == 1


def test_event_retries_run_the_handler_once(bot: Harness) -> None:
    """T10: the same event_id with retry 0, 1, 2 publishes once; another id publishes again."""
    for retry in (None, 1, 2):
        assert bot.event(home_opened(), event_id="Ev0002", retry_num=retry).status_code == 200
    assert bot.fake.wait_for("views.publish", 1)
    bot.event(home_opened(), event_id="Ev0003")
    assert bot.fake.wait_for("views.publish", 2)
    bot.settle()  # every handler those requests caused has finished: none repeats later
    assert len(bot.fake.calls_to("views.publish")) == 2


def test_a_retry_whose_original_never_arrived_is_processed(bot: Harness) -> None:
    """T10: retry 1 of an event whose first delivery was lost still runs the handler."""
    assert bot.event(home_opened(), event_id="Ev0004", retry_num=1).status_code == 200
    assert bot.fake.wait_for("views.publish", 1)


def test_messages_tab_publishes_nothing(bot: Harness) -> None:
    """Opening the Messages tab needs no Home view."""
    assert bot.event(home_opened(tab="messages"), event_id="Ev0005").status_code == 200
    bot.settle()
    assert bot.fake.calls_to("views.publish") == []
