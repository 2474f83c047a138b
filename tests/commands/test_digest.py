"""The weekly digest: content, empty weeks, destinations, one failing channel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from slack_sdk import WebClient

from bot.digest import digest_message, digest_reply, digest_window, send_digest
from loopback.fake_slack import FakeSlack
from tests.commands.seed import seeded_store

MONDAY = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)


def test_window_is_the_previous_seven_local_days() -> None:
    """A Monday-morning digest covers Monday to Sunday of the week before, in TZ."""
    assert digest_window(MONDAY, "UTC") == (date(2024, 10, 28), date(2024, 11, 3))
    late_sunday_utc = datetime(2024, 11, 3, 23, 30, tzinfo=UTC)
    assert digest_window(late_sunday_utc, "Asia/Hong_Kong")[1] == date(2024, 11, 3)


def test_digest_lists_holds_lifts_still_held_and_targets(tmp_path: Path) -> None:
    """New holds, lifts with durations, drugs still held and counts by target are all there."""
    store = seeded_store(tmp_path)
    try:
        week = {"start": date(2024, 10, 28), "end": date(2024, 11, 3)}
        reply = digest_reply(store, **week)
    finally:
        store.close()
    assert reply is not None
    message = digest_message(reply, **week)
    blocks = "\n".join(b.get("text", {}).get("text", "") for b in message.blocks)
    assert message.blocks[0]["text"]["text"] == "Clinical holds, 28 Oct – 3 Nov 2024"
    assert "*New holds (1)*" in blocks and "HX-101" in blocks
    assert "*Holds lifted (1)*" in blocks and "after 167 days on hold" in blocks
    assert "*Still on hold (1)*" in blocks and "for 6 days" in blocks
    assert "BCMA: 2" in blocks and "Claudin18.2: 1" in blocks
    assert "17 May 2024" not in blocks  # the hold itself was months before this week
    assert "<!channel>" not in blocks + message.text
    assert message.metadata["event_type"] == "holdwatch_digest"


def test_console_digest_text_is_complete_plain_text(tmp_path: Path) -> None:
    """The digest printed in console mode has every section, as plain text."""
    store = seeded_store(tmp_path)
    try:
        reply = digest_reply(store, start=date(2024, 10, 28), end=date(2024, 11, 3))
    finally:
        store.close()
    assert reply is not None
    assert reply.text.startswith("Clinical holds, 28 Oct – 3 Nov 2024")
    for part in ("New holds (1)", "HX-101", "after 167 days on hold", "Still on hold (1)",
                 "BCMA: 2"):
        assert part in reply.text
    assert "*" not in reply.text  # no mrkdwn in the terminal


def test_empty_week_sends_nothing_unless_forced(tmp_path: Path) -> None:
    """A week without events gives no digest; `force` gives one that says it was quiet."""
    store = seeded_store(tmp_path)
    try:
        quiet = (date(2024, 8, 1), date(2024, 8, 7))
        assert digest_reply(store, start=quiet[0], end=quiet[1]) is None
        forced = digest_reply(store, start=quiet[0], end=quiet[1], force=True)
    finally:
        store.close()
    assert forced is not None
    assert "No clinical-hold events in this period." in forced.text
    assert "Still on hold" in forced.text  # still worth knowing in a forced digest


def test_send_goes_to_alert_channel_and_opted_in_channels_once(tmp_path: Path) -> None:
    """ALERT_CHANNEL plus `/holds digest on` channels each get one post; a failing one is
    skipped without stopping the rest."""
    store = seeded_store(tmp_path)
    store.set_digest("C0DIGEST1", True)
    store.set_digest("C0ALERTS1", True)  # also the alert channel: posted once
    store.set_digest("C0GONE", True)
    with FakeSlack() as fake:
        fake.fail("chat.postMessage", error="channel_not_found", channel="C0GONE", times=None)
        client = WebClient(token="xoxb-test", base_url=fake.url)
        try:
            reached = send_digest(store, client, channels=["C0ALERTS1", None], now=MONDAY)
        finally:
            store.close()
        posts = fake.posts
    assert reached == ["C0ALERTS1", "C0DIGEST1"]
    assert [p["channel"] for p in posts] == ["C0ALERTS1", "C0DIGEST1"]
    assert posts[0]["metadata"]["event_type"] == "holdwatch_digest"
    assert posts[0]["unfurl_links"] in (False, "false", "0")


def test_send_on_an_empty_week_posts_nothing(tmp_path: Path) -> None:
    """No events in the window → no post anywhere."""
    store = seeded_store(tmp_path)
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        try:
            reached = send_digest(store, client, channels=["C0ALERTS1"],
                                  now=datetime(2024, 8, 12, 9, 0, tzinfo=UTC))
        finally:
            store.close()
        assert reached == [] and fake.posts == []
