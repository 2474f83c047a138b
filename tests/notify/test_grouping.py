"""GROUP_WAIT (issue 12): reports arriving together reach people as one message; later
reports only edit it; one edit per message per cycle; never a second broadcast.

Real store, real routing (as the pipeline wires it), the relay against the fake Slack.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.models import SourceState, Subscription
from bot.notify import grouping, routing
from bot.notify.admin import AdminNotices
from bot.notify.slack import SlackNotifier
from bot.store import Store
from loopback.fake_slack import FakeSlack
from tests.notify.support import ZEVOR, candidate
from tests.timing import FakeClock

ALERT = "CALERT"
T0 = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
WAIT = timedelta(seconds=60)


class World:
    def __init__(self, path, slack: FakeSlack) -> None:
        self.now = T0
        self.store = Store(path, clock=lambda: self.now, group_wait=WAIT.total_seconds())
        self.slack = slack
        self.subs = [Subscription("C2", "channel", "target", "BCMA")]
        client = WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])
        admin = AdminNotices(client, "CADMIN", logging.getLogger("test.admin"))
        paced = FakeClock()  # the relay's pacing sleeps move this clock, not the test
        self.relay = SlackNotifier(client, self.store, admin=admin, sleep=paced.sleep,
                                   clock=paced)

    def commit(self, *candidates):
        def decide(change, view):
            return routing.decide(
                change, subscriptions=self.subs, alert_channel=ALERT, group_wait=WAIT,
                posted=lambda e, d: routing.first_news(view.deliveries_for(e), d))

        return self.store.commit_poll(SourceState(name="news"), [c.item for c in candidates],
                                      list(candidates), decide=decide)

    def deliver(self, after: timedelta = timedelta(0)):
        self.now = T0 + after
        return self.relay.deliver_pending(now=self.now)


@pytest.fixture
def world(tmp_path):
    with FakeSlack() as slack:
        built = World(tmp_path / "db.json", slack)
        yield built
        built.store.close()


def hold(n: int, day: date = date(2023, 12, 12), **kw):
    return candidate(n, drugs=(ZEVOR,), company="CARsgen Therapeutics", day=day, **kw)


def test_first_post_waits_and_then_shows_every_report_that_came_meanwhile(world):
    """Report 1 is not posted before GROUP_WAIT; report 2 arrives meanwhile; one post per
    destination, listing both sources, and no edit at all."""
    world.commit(hold(1))
    report = world.deliver(timedelta(seconds=30))
    assert report.waiting == 2 and world.slack.posts == []
    world.commit(hold(2, day=date(2023, 12, 13), outlet="Endpoints"))
    world.deliver(timedelta(seconds=59))
    assert world.slack.posts == []
    world.deliver(WAIT)
    assert [p["channel"] for p in world.slack.posts] == [ALERT, "C2"]
    context = world.slack.posts[0]["blocks"][-2]
    assert "Fierce Biotech" in str(context) and "Endpoints" in str(context)
    assert world.slack.calls_to("chat.update") == []


def test_later_reports_edit_once_per_message_and_identical_edits_are_not_sent(world):
    """After the post, three reports in one poll make one chat.update per destination; an
    edit that would show the same message again is not sent."""
    world.commit(hold(1))
    world.deliver(WAIT)
    world.commit(*(hold(n, day=date(2023, 12, 13), outlet=f"Outlet {n}") for n in (2, 3, 4)))
    world.deliver(WAIT)
    updates = world.slack.calls_to("chat.update")
    assert sorted(u["channel"] for u in updates) == sorted([ALERT, "C2"])
    assert "Outlet 4" in str(updates[0]["blocks"])
    assert world.store.pending_deliveries() == []
    assert len(world.slack.posts) == 2  # never a second top-level post


def test_two_lift_reports_together_give_one_broadcast_reply(world):
    """The hold is posted; two lift reports arrive in one poll: one broadcast reply in the
    hold's thread per destination, the hold edited once, no top-level lift post."""
    world.commit(hold(1))
    world.deliver(WAIT)
    lift_day = date(2024, 10, 31)
    world.commit(hold(8, day=lift_day, label="lift"), hold(9, day=lift_day, label="lift"))
    assert world.deliver(WAIT + timedelta(seconds=59)).waiting == 4  # 2 replies, 2 edits
    world.deliver(2 * WAIT)
    replies = [p for p in world.slack.posts if p.get("thread_ts")]
    assert [(p["channel"], p.get("reply_broadcast")) for p in replies] == [
        (ALERT, True), ("C2", True)]
    assert len([p for p in world.slack.posts if not p.get("thread_ts")]) == 2  # the holds
    assert "324 days" in replies[0]["text"]
    assert len(world.slack.calls_to("chat.update")) == 2  # each hold message, once


def test_waiting_rows_block_only_their_own_event():
    """grouping.due: a waiting post holds back the later rows about its event in that
    destination, not other events' rows."""
    from bot.models import Delivery

    later = T0 + WAIT
    rows = [Delivery("a", 1, "C1", "post", "ev1", not_before=later),
            Delivery("b", 2, "C1", "post", "ev2"),
            Delivery("c", 3, "C1", "update", "ev1"),
            Delivery("d", 4, "C1", "reply", "ev3", parent_event_id="ev1"),
            Delivery("e", 5, "C9", "update", "ev1")]
    ready, waiting = grouping.due(rows, T0)
    assert [r.id for r in ready] == ["b", "e"] and [r.id for r in waiting] == ["a", "c", "d"]
    assert grouping.next_due(rows, T0) == later
    assert grouping.due(rows, later)[1] == []


def test_a_row_tried_before_is_edited_not_left_to_render(world):
    """First news that was tried once (it may be in Slack already) counts as told: a
    later report edits it instead of waiting for it."""
    world.commit(hold(1))
    (row, *_) = world.store.pending_deliveries()
    world.store.mark_delivery(row.id, status="pending")  # an attempt recorded, answer lost
    (change,) = world.commit(hold(2, day=date(2023, 12, 13)))
    plans = routing.decide(change, subscriptions=[], alert_channel=ALERT, group_wait=WAIT,
                           posted=lambda e, d: routing.first_news(
                               world.store.deliveries_for(e), d))
    assert [p.action for p in plans] == ["update"]


@pytest.mark.parametrize(("raw", "seconds"), [(None, 60.0), ("0", 0.0), ("0s", 0.0),
                                              ("45s", 45.0), ("2m", 120.0), ("1h", 3600.0)])
def test_group_wait_setting_reads_durations(raw, seconds):
    """GROUP_WAIT takes the sources' duration format, or 0; the default is 60 s."""
    from bot.config import load_settings

    env = {} if raw is None else {"GROUP_WAIT": raw}
    assert load_settings(env, dotenv_path=None).group_wait == seconds


@pytest.mark.parametrize("raw", ["soon", "-5s", "2h"])
def test_a_bad_group_wait_is_one_line_naming_the_variable(raw):
    """A value that is no duration, or over an hour, stops the start with one line."""
    from bot.config import load_settings
    from bot.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        load_settings({"GROUP_WAIT": raw}, dotenv_path=None)
    text = str(caught.value)
    assert text.startswith("GROUP_WAIT") and "\n" not in text and raw in text
