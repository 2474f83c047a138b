"""/holds subscribe|unsubscribe|subscriptions|digest and the alert's subscribe buttons."""

from __future__ import annotations

import pytest

from bot.notify.blocks import SUBSCRIBE_ACTION_ID, subscribe_value
from tests.slack.harness import CHANNEL, DM, USER, Harness, answer_text


def test_subscribe_drug_alias_stores_canonical_name(bot: Harness) -> None:
    """`subscribe drug CT053` in a channel stores the channel's subscription to the INN."""
    text = answer_text(bot.command("/holds", "subscribe drug CT053"))
    assert "Subscribed this channel to drug “zevorcabtagene autoleucel”" in text
    [sub] = bot.store.subscriptions()
    assert (sub.owner, sub.owner_type, sub.kind) == (CHANNEL, "channel", "drug")
    assert (sub.value, sub.display, sub.created_by) == ("zevorcabtagene autoleucel", "CT053", USER)


def test_subscribe_target_alias_and_only(bot: Harness) -> None:
    """`subscribe target CLDN18.2 only lifts` stores Claudin18.2 with the lifts-only filter."""
    text = answer_text(bot.command("/holds", "subscribe target CLDN18.2 only lifts"))
    assert "Claudin18.2" in text and "lifts only" in text
    [sub] = bot.store.subscriptions(CHANNEL)
    assert (sub.kind, sub.value, sub.only) == ("target", "Claudin18.2", "lifts")


def test_subscribe_twice_changes_nothing(bot: Harness) -> None:
    """A repeated subscription is reported as already there and stored once."""
    bot.command("/holds", "subscribe target BCMA")
    text = answer_text(bot.command("/holds", "subscribe target bcma"))
    assert "already subscribed" in text
    assert len(bot.store.subscriptions(CHANNEL)) == 1


def test_subscribing_again_with_another_filter_says_what_changed(bot: Harness) -> None:
    """`subscribe target BCMA only holds` then `… only lifts`, then plain: the filter follows
    and each reply says what the subscription is now."""
    bot.command("/holds", "subscribe target BCMA only holds")
    text = answer_text(bot.command("/holds", "subscribe target bcma only lifts"))
    assert "This channel's subscription to target “BCMA” is now lifts only" in text
    assert "(it was holds only)" in text
    [sub] = bot.store.subscriptions(CHANNEL)
    assert sub.only == "lifts"
    text = answer_text(bot.command("/holds", "subscribe target BCMA"))
    assert "is now holds and lifts (it was lifts only)" in text
    [sub] = bot.store.subscriptions(CHANNEL)
    assert sub.only is None


@pytest.mark.parametrize(("kind", "typed", "offered"), [
    ("target", "BCM", "BCMA"),
    ("drug", "zevor-cell", "zevorcabtagene autoleucel"),
    ("company", "CARsgen Therapeutix", "CARsgen Therapeutics"),
    ("indication", "multiple myelom", "multiple myeloma"),
])
def test_a_near_miss_is_not_stored_and_the_reply_asks(
    bot: Harness, kind: str, typed: str, offered: str
) -> None:
    """One rule for every kind: close to a known name → "did you mean", nothing stored."""
    text = answer_text(bot.command("/holds", f"subscribe {kind} {typed}"))
    assert f"“{typed}” → did you mean {offered}" in text
    assert "Nothing was stored" in text
    assert bot.store.subscriptions() == []


def test_a_quoted_value_is_stored_exactly_as_typed(bot: Harness) -> None:
    """`subscribe target "BCM"` (Slack's curly quotes too) keeps BCM and says it is unknown."""
    text = answer_text(bot.command("/holds", "subscribe target “BCM”"))
    assert "Subscribed this channel to target “BCM”" in text
    assert "“BCM” is not yet known as a target" in text
    assert [s.value for s in bot.store.subscriptions(CHANNEL)] == ["BCM"]


def test_an_unknown_value_with_nothing_close_is_stored_and_said(bot: Harness) -> None:
    """A drug no list knows yet (nothing close) is watched for, and the reply says so."""
    text = answer_text(bot.command("/holds", "subscribe drug QX-4471"))
    assert "Subscribed this channel to drug “QX-4471”" in text
    assert "“QX-4471” is not yet known as a drug; alerts will come once an event names it" in text
    assert [s.value for s in bot.store.subscriptions(CHANNEL)] == ["QX-4471"]


def test_corrections_are_said_not_silent(bot: Harness) -> None:
    """`zevorcel` is stored as the drug's canonical name, and the reply names the change."""
    text = answer_text(bot.command("/holds", "subscribe drug zevorcel"))
    assert "Subscribed this channel to drug “zevorcabtagene autoleucel”" in text
    assert "(“zevorcel” is zevorcabtagene autoleucel.)" in text


def test_drug_from_the_curated_alias_file_on_a_fresh_store(fresh_bot: Harness) -> None:
    """`subscribe drug CT041` on an empty store: the curated alias file knows CT041."""
    text = answer_text(fresh_bot.command("/holds", "subscribe drug CT041"))
    assert "Subscribed this channel to drug “satricabtagene autoleucel”" in text
    assert "(“CT041” is satricabtagene autoleucel.)" in text
    assert "not yet known" not in text
    [sub] = fresh_bot.store.subscriptions(CHANNEL)
    assert (sub.value, sub.display) == ("satricabtagene autoleucel", "CT041")


@pytest.mark.parametrize("kind", ["keyword", "target", "drug"])
def test_values_longer_than_100_characters_are_refused(bot: Harness, kind: str) -> None:
    """A 5,000-character value is refused with its length and the limit; nothing stored."""
    text = answer_text(bot.command("/holds", f"subscribe {kind} " + "x" * 5000))
    assert f"That {kind} is 5,000 characters long; the limit is 100" in text
    assert bot.store.subscriptions() == []
    text = answer_text(bot.command("/holds", f"subscribe {kind} " + "y" * 100))
    assert "Subscribed this channel" in text


def test_subscription_in_dm_belongs_to_the_user(bot: Harness) -> None:
    """Subscribing in the bot's DM makes a user-owned subscription; the channel has none."""
    text = answer_text(bot.command("/holds", "subscribe company CARsgen Therapeutics",
                                   channel_id=DM, channel_name="directmessage"))
    assert "Subscribed you to company" in text
    [sub] = bot.store.subscriptions()
    assert (sub.owner, sub.owner_type) == (USER, "user")
    listed = answer_text(bot.command("/holds", "subscriptions", channel_id=DM,
                                     channel_name="directmessage"))
    assert "company CARsgen Therapeutics" in listed
    assert "No subscriptions here yet" in answer_text(bot.command("/holds", "subscriptions"))


def test_unsubscribe_by_alias_and_missing(bot: Harness) -> None:
    """Unsubscribing by another alias removes it; unsubscribing again says there was none."""
    bot.command("/holds", "subscribe drug zevor-cel")
    bot.command("/holds", "subscribe all only holds")
    assert "Unsubscribed this channel from drug" in answer_text(
        bot.command("/holds", "unsubscribe drug CT053"))
    assert [s.kind for s in bot.store.subscriptions(CHANNEL)] == ["all"]
    assert "had no subscription" in answer_text(bot.command("/holds", "unsubscribe drug CT053"))
    assert "Unsubscribed this channel from all events" in answer_text(
        bot.command("/holds", "unsubscribe all"))
    assert bot.store.subscriptions() == []


def test_subscriptions_lists_kind_value_and_filter(bot: Harness) -> None:
    """`subscriptions` lists each subscription with what the user typed and its filter."""
    bot.command("/holds", "subscribe indication MM only holds")
    bot.command("/holds", "subscribe keyword Gene Therapy")
    text = answer_text(bot.command("/holds", "subscriptions"))
    assert "2 subscriptions" in text
    assert "indication multiple myeloma (typed as “MM”) — holds only" in text
    assert "keyword gene therapy" in text


def test_subscribe_usage_errors(bot: Harness) -> None:
    """A bad kind or a missing value gets the usage, and nothing is stored."""
    assert "not a subscription kind" in answer_text(bot.command("/holds", "subscribe planet X"))
    assert "Which target?" in answer_text(bot.command("/holds", "subscribe target"))
    assert bot.store.subscriptions() == []


def test_digest_on_off(bot: Harness) -> None:
    """`digest on` adds the channel to the digest list; `digest off` removes it."""
    assert "will get the weekly digest" in answer_text(bot.command("/holds", "digest on"))
    assert bot.store.digest_channels() == [CHANNEL]
    assert "no longer" in answer_text(bot.command("/holds", "digest off"))
    assert bot.store.digest_channels() == []


def test_alert_button_subscribes_the_channel(bot: Harness) -> None:
    """Clicking an alert's subscribe button subscribes that channel and confirms ephemerally."""
    response = bot.click(SUBSCRIBE_ACTION_ID, subscribe_value("target", "BCMA"))
    assert response.status_code == 200
    assert bot.fake.wait_for("respond", 1)
    [confirmation] = bot.fake.responses
    assert confirmation["response_type"] == "ephemeral"
    assert confirmation.get("replace_original") in (False, "false")
    assert "Subscribed this channel to target “BCMA”" in answer_text(confirmation)
    [sub] = bot.store.subscriptions(CHANNEL)
    assert (sub.kind, sub.value, sub.created_by) == ("target", "BCMA", USER)


def test_suffixed_button_and_stale_value(bot: Harness) -> None:
    """The 2nd button's suffixed action id works; a malformed value subscribes nothing."""
    bot.click(f"{SUBSCRIBE_ACTION_ID}:1", subscribe_value("drug", "CT041"))
    bot.click(SUBSCRIBE_ACTION_ID, "not json")
    assert bot.fake.wait_for("respond", 2)
    texts = sorted(answer_text(r) for r in bot.fake.responses)
    assert any("satricabtagene autoleucel" in t for t in texts)
    assert any("no longer works" in t for t in texts)
    assert [s.value for s in bot.store.subscriptions()] == ["satricabtagene autoleucel"]
