"""The outbox relay against the fake Slack server and the real store: faults, order, threads."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, date, datetime

import pytest
from slack_sdk import WebClient

from bot.models import SourceState, Subscription
from bot.notify import routing
from bot.notify.admin import AdminNotices
from bot.notify.slack import SlackNotifier
from bot.store import Store
from loopback.fake_slack import FakeSlack
from tests.notify.support import ZEVOR, candidate
from tests.timing import FakeClock

ALERT = "CALERT"


class World:
    """Store + fake Slack + relay, wired the way the pipeline wires them."""

    def __init__(self, path, slack: FakeSlack, subs: list[Subscription]) -> None:
        self.store = Store(path, clock=lambda: datetime(2024, 11, 1, tzinfo=UTC))
        self.slack = slack
        self.subs = subs
        self.clock = FakeClock()
        self.client = WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])
        self.admin = AdminNotices(self.client, "CADMIN", logging.getLogger("test.admin"))
        self.relay = self.notifier()

    def notifier(self, **options) -> SlackNotifier:
        return SlackNotifier(self.client, self.store, admin=self.admin, sleep=self.clock.sleep,
                             clock=self.clock, **options)

    def commit(self, *candidates):
        def decide(change, view):
            return routing.decide(change, subscriptions=self.subs, alert_channel=ALERT,
                                  posted=view.posted_delivery)

        return self.store.commit_poll(SourceState(name="news"), [], list(candidates),
                                      decide=decide)

    def event_ids_in(self, channel: str) -> list[str]:
        """Event ids of the messages in a channel, oldest first (what people saw)."""
        return [m["metadata"]["event_payload"]["event_id"]
                for m in self.slack.history(channel) if "metadata" in m]


@pytest.fixture
def world(tmp_path):
    with FakeSlack() as slack:
        built = World(tmp_path / "db.json", slack,
                      [Subscription("C2", "channel", "all", ""),
                       Subscription("C3", "channel", "target", "BCMA")])
        yield built
        built.store.close()


def test_post_is_safe_and_recorded(world):
    """A post carries metadata, no unfurling, no link_names/parse; the row gets Slack's ts."""
    world.commit(candidate(1))
    report = world.relay.deliver_pending()
    assert report.posted == 3 and report.failed == report.pending == 0
    post = world.slack.posts[0]
    assert post["channel"] == ALERT and post["unfurl_links"] is False
    assert post["unfurl_media"] is False and "link_names" not in post and "parse" not in post
    assert post["metadata"]["event_type"] == "holdwatch_event"
    rows = [world.store.posted_delivery(post["metadata"]["event_payload"]["event_id"], c)
            for c in (ALERT, "C2", "C3")]
    assert all(r is not None and r.ts and r.channel for r in rows)


def test_429_every_third_and_500_every_fifth_deliver_all_in_order_once(world):
    """With 429 on every 3rd post and 500 on every 5th, every alert arrives once, in order."""
    world.slack.fail("chat.postMessage", status=429, retry_after=2, every=3)
    world.slack.fail("chat.postMessage", status=500, every=5)
    changes = world.commit(*[candidate(n, day=date(2024, 1, n)) for n in range(1, 11)])
    expected = [c.event.id for c in changes]
    report = world.relay.deliver_pending()
    assert report.posted == 30 and report.pending == 0 and report.failed == 0
    for channel in (ALERT, "C2", "C3"):
        assert world.event_ids_in(channel) == expected
    assert 2 in world.clock.sleeps  # Retry-After honoured
    assert world.store.pending_deliveries() == []


def test_posts_to_one_channel_are_paced(world):
    """Posts to one channel are at least a second apart (on the injected clock)."""
    world.commit(*[candidate(n, day=date(2024, 1, n)) for n in range(1, 5)])
    posted_at: list[tuple[str, float]] = []
    original = world.client.chat_postMessage

    def timed(**kwargs):
        posted_at.append((kwargs["channel"], world.clock.now))
        return original(**kwargs)

    world.client.chat_postMessage = timed
    world.relay.deliver_pending()
    times = [t for channel, t in posted_at if channel == ALERT]
    assert len(times) == 4
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


def test_channel_not_found_fails_that_destination_only(world):
    """A gone channel → its rows failed with the reason and one admin notice; others delivered."""
    world.slack.fail("chat.postMessage", error="channel_not_found", channel="C2", times=None)
    world.commit(candidate(1), candidate(2, day=date(2024, 1, 2)))
    report = world.relay.deliver_pending()
    assert report.posted == 4 and report.failed == 2
    assert len(world.event_ids_in(ALERT)) == 2 and len(world.event_ids_in("C3")) == 2
    rows = [world.store.deliveries_for(e) for e in world.event_ids_in(ALERT)]
    c2 = [d for group in rows for d in group if d.destination == "C2"]
    assert [d.status for d in c2] == ["failed", "failed"]
    assert all(d.error and d.error.startswith("channel_not_found") for d in c2)
    notices = [p for p in world.slack.posts if p["channel"] == "CADMIN"]
    assert len(notices) == 1 and "channel_not_found" in notices[0]["text"]


def test_answer_lost_after_posting_is_reconciled_not_reposted(world):
    """Slack posts, then drops the connection: the retry finds the metadata and adopts the ts."""
    world.slack.fail("chat.postMessage", drop=True, after_processing=True)
    world.slack.fail("chat.postMessage", status=502, after_processing=True, channel="C3")
    world.commit(candidate(1))
    report = world.relay.deliver_pending()
    assert report.adopted == 2 and report.posted == 1
    for channel in (ALERT, "C2", "C3"):
        assert len(world.event_ids_in(channel)) == 1
    assert world.slack.calls_to("conversations.history")
    event_id = world.event_ids_in(ALERT)[0]
    row = world.store.posted_delivery(event_id, ALERT)
    assert row.ts == world.slack.history(ALERT)[0]["ts"]


def test_restart_after_crash_window_adopts_instead_of_reposting(world):
    """A row left pending after an unanswered post is adopted by the next process, not reposted."""
    world.slack.fail("chat.postMessage", drop=True, after_processing=True, channel=ALERT)
    world.commit(candidate(1))
    first = world.notifier(max_attempts=1).deliver_pending()
    assert first.pending == 1
    restarted = world.notifier().deliver_pending()
    assert restarted.adopted == 1
    assert len(world.event_ids_in(ALERT)) == 1


def test_stuck_destination_keeps_order_and_recovers(world):
    """While one channel's first row stays pending, its later rows wait; other channels go on."""
    world.slack.fail("chat.postMessage", status=503, channel="C2", times=None)
    changes = world.commit(candidate(1), candidate(2, day=date(2024, 1, 2)))
    report = world.relay.deliver_pending()
    assert report.pending == 2 and report.posted == 4
    c2_attempts = [p for p in world.slack.calls_to("chat.postMessage") if p["channel"] == "C2"]
    first_id = changes[0].event.id
    assert {p["metadata"]["event_payload"]["event_id"] for p in c2_attempts} == {first_id}
    world.slack.clear_faults()
    assert world.relay.deliver_pending().posted == 2
    assert world.event_ids_in("C2") == [c.event.id for c in changes]


def test_rate_limited_forever_stays_pending_with_one_notice(world):
    """429 without end: rows stay pending, the admin hears once, all post after recovery."""
    world.slack.fail("chat.postMessage", status=429, channel=ALERT, times=None)
    world.commit(candidate(1))
    for _ in range(6):
        world.relay.deliver_pending()
    assert len(world.store.pending_deliveries()) == 1
    notices = [p for p in world.slack.posts if p["channel"] == "CADMIN"]
    assert len(notices) == 1
    assert 1.0 in world.clock.sleeps  # no Retry-After: the default wait
    world.slack.clear_faults()
    world.relay.deliver_pending()
    assert len(world.event_ids_in(ALERT)) == 1


def test_lift_replies_in_hold_thread_and_updates_hold(world):
    """A lift is a broadcast reply in the hold's thread, and the hold message says it was lifted."""
    world.subs = [Subscription("U42", "user", "drug", "CT053")]
    hold = world.commit(candidate(1, drugs=(ZEVOR,), company="CARsgen Therapeutics"))[0].event
    world.relay.deliver_pending()
    hold_ts = world.store.posted_delivery(hold.id, ALERT).ts
    lift = world.commit(candidate(9, "lift", day=date(2024, 10, 31), drugs=(ZEVOR,),
                                  company="CARsgen Therapeutics", primary=True))[0].event
    report = world.relay.deliver_pending()
    assert report.posted == 4  # reply + update, in the alert channel and the DM
    replies = [p for p in world.slack.posts if p.get("thread_ts")]
    assert sorted(p["channel"][0] for p in replies) == ["C", "D"]  # alert channel and the DM
    assert all(p["reply_broadcast"] is True for p in replies)
    assert replies[0]["thread_ts"] == hold_ts and replies[0]["reply_broadcast"] is True
    assert replies[0]["metadata"]["event_payload"]["event_id"] == lift.id
    updated = world.slack.history(ALERT)[0]
    assert updated["ts"] == hold_ts and "Lifted on 31 Oct 2024 after 324 days" in updated["text"]
    dm = world.slack.calls_to("conversations.open")
    assert dm and dm[0]["users"] == "U42"
    assert len([m for m in world.slack.history(ALERT) if not m.get("thread_ts")]) == 1


def test_new_primary_source_is_an_update_plus_thread_reply(world):
    """A later primary report edits the alert and replies in its thread; no second post."""
    hold = world.commit(candidate(1, drugs=(ZEVOR,), company="CARsgen Therapeutics"))[0].event
    world.relay.deliver_pending()
    world.commit(candidate(2, day=date(2023, 12, 13), drugs=(ZEVOR,), outlet="SEC EDGAR",
                           company="CARsgen Therapeutics", primary=True))
    world.relay.deliver_pending()
    top = [m for m in world.slack.history(ALERT) if not m.get("thread_ts")]
    assert len(top) == 1 and "SEC EDGAR" in str(top[0]["blocks"])
    reply = [m for m in world.slack.history(ALERT) if m.get("thread_ts")]
    assert len(reply) == 1 and reply[0]["thread_ts"] == top[0]["ts"]
    assert reply[0]["metadata"]["event_payload"]["event_id"] == hold.id


def test_hostile_titles_reach_slack_inert(world):
    """Mentions and disguised links in feed text arrive escaped in the JSON sent to Slack."""
    title = "Hold <!channel> <!here> <@U12345> <#C1> <https://evil.example|FDA.gov> \u202e"
    world.commit(candidate(1, title=title, company="Evil <!everyone> Corp",
                           outlet="<https://evil.example|FDA.gov>",
                           url="https://evil.example|FDA.gov"))
    world.relay.deliver_pending()
    for post in world.slack.posts:
        sent = str(post["text"]) + str(post["blocks"])
        for bad in ("<!", "<@", "<#", "<https://evil", "\u202e"):
            assert bad not in sent


def test_sdk_retry_handlers_are_not_used_by_the_relay(world):
    """Given a client with the SDK's default retry handlers, a lost answer still posts once."""
    sdk_default = WebClient(token="xoxb-test", base_url=world.slack.url)
    assert sdk_default.retry_handlers  # ConnectionErrorRetryHandler would re-send blindly
    relay = SlackNotifier(sdk_default, world.store, admin=world.admin,
                          sleep=world.clock.sleep, clock=world.clock)
    world.slack.fail("chat.postMessage", drop=True, after_processing=True, channel=ALERT)
    world.commit(candidate(1))
    report = relay.deliver_pending()
    assert report.adopted == 1
    assert len(world.event_ids_in(ALERT)) == 1
