"""Who gets an event and how: subscription matching and notification decisions."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from bot.models import Delivery, DeliveryPlan, EventChange, Subscription
from bot.notify import routing
from bot.runtime import ROUTING_NAMES
from tests.notify.support import hold_event, lift_event, source

# With the name rules the composition root injects (the lexicons, the store's company rule).
matches = partial(routing.matches, names=ROUTING_NAMES)
decide = partial(routing.decide, names=ROUTING_NAMES)


def sub(owner: str, kind: str, value: str, only: str | None = None) -> Subscription:
    owner_type = "user" if owner.startswith("U") else "channel"
    return Subscription(owner=owner, owner_type=owner_type, kind=kind, value=value, only=only)


def never_posted(event_id: str, destination: str) -> Delivery | None:
    return None


def posted_in(*pairs: tuple[str, str], status: str = "posted"):
    def lookup(event_id: str, destination: str) -> Delivery | None:
        if (event_id, destination) in pairs:
            return Delivery(id="x", seq=1, destination=destination, action="post",
                            event_id=event_id, status=status, ts="1.1")
        return None
    return lookup


def test_target_matching_is_alias_aware():
    """A CLDN18.2 subscription matches a Claudin18.2 event; case and spacing do not matter."""
    event = hold_event()
    assert matches(sub("C1", "target", "CLDN18.2"), event)
    assert matches(sub("C1", "target", "claudin 18.2"), event)
    assert matches(sub("C1", "target", "bcma"), event)
    assert not matches(sub("C1", "target", "CD19"), event)


def test_drug_matching_uses_every_name():
    """A drug subscription matches any of the event's names, ignoring case, spaces, hyphens."""
    event = hold_event()
    for value in ("CT053", "ct-053", "Zevor-Cel", "zevorcabtagene autoleucel", "CT071"):
        assert matches(sub("C1", "drug", value), event), value
    assert not matches(sub("C1", "drug", "cilta-cel"), event)


def test_drug_matching_can_use_the_store_alias_book():
    """Given drug_names, a subscription to a name the event does not mention still matches."""
    event = hold_event(drugs=hold_event().drugs[2:])  # only CT071
    names = {"CT071": ("CT071", "examplecel")}
    assert not matches(sub("C1", "drug", "examplecel"), event)
    assert matches(sub("C1", "drug", "examplecel"), event,
                   drug_names=lambda n: names.get(n, ()))


def test_company_indication_keyword_and_all():
    """Company (normalised or ticker), indication (lexicon), keyword (word boundary), all."""
    event = hold_event()
    assert matches(sub("C1", "company", "CARsgen"), event)
    assert matches(sub("C1", "company", "carsgen therapeutics holdings limited"), event)
    assert matches(sub("C1", "company", "2171.hk"), event)
    assert not matches(sub("C1", "company", "Carsgenix"), event)
    assert matches(sub("C1", "indication", "MM"), event)
    assert not matches(sub("C1", "indication", "lymphoma"), event)
    assert matches(sub("C1", "keyword", "cell therapy"), event)
    assert matches(sub("C1", "keyword", "CAR-T"), event)
    assert not matches(sub("C1", "keyword", "cell"), replace(event, keywords_text="cells"))
    assert matches(sub("C1", "keyword", "hold story"), event)  # source titles count too
    assert matches(sub("C1", "all", ""), event)


def test_only_filters_by_label_family():
    """'only holds' ignores lifts and 'only lifts' ignores holds (partial ones included)."""
    holds, lifts = sub("C1", "all", "", "holds"), sub("C1", "all", "", "lifts")
    assert matches(holds, hold_event(label="partial_hold")) and not matches(holds, lift_event())
    assert matches(lifts, lift_event(label="partial_lift")) and not matches(lifts, hold_event())


def test_three_matching_subscriptions_in_two_channels_make_two_posts():
    """One event, three matching subscriptions over two channels → exactly two posts."""
    subs = [sub("C1", "target", "BCMA"), sub("C1", "drug", "CT053"),
            sub("C2", "company", "CARsgen"), sub("C3", "target", "CD19")]
    change = EventChange("new", hold_event(), source(1))
    plans = decide(change, subscriptions=subs, alert_channel=None, posted=never_posted)
    assert plans == [DeliveryPlan("C1", "post", "ev-hold"), DeliveryPlan("C2", "post", "ev-hold")]


def test_alert_channel_gets_everything_once_and_users_get_dms():
    """ALERT_CHANNEL comes first and is not doubled; a user's subscription is a DM to them."""
    subs = [sub("CALERT", "all", ""), sub("U42", "target", "BCMA")]
    change = EventChange("new", hold_event(), source(1))
    plans = decide(change, subscriptions=subs, alert_channel="CALERT", posted=never_posted)
    assert [(p.destination, p.action) for p in plans] == [("CALERT", "post"), ("U42", "post")]


def test_lift_replies_in_hold_thread_where_hold_was_posted():
    """A lift is a broadcast reply + hold update where the hold was posted, a post elsewhere."""
    subs = [sub("C1", "all", ""), sub("C2", "all", "")]
    change = EventChange("new", lift_event(), source(10, primary=True), linked_hold=hold_event())
    plans = decide(change, subscriptions=subs, alert_channel=None,
                   posted=posted_in(("ev-hold", "C1")))
    assert plans == [
        DeliveryPlan("C1", "reply", "ev-lift", item_id="news:10", parent_event_id="ev-hold",
                     broadcast=True),
        DeliveryPlan("C1", "update", "ev-hold", item_id="news:10"),
        DeliveryPlan("C2", "post", "ev-lift"),
    ]


def test_failed_hold_delivery_does_not_count_as_posted():
    """A hold whose delivery failed is not replied to: the lift is posted on its own."""
    change = EventChange("new", lift_event(), source(10), linked_hold=hold_event())
    plans = decide(change, subscriptions=[sub("C1", "all", "")], alert_channel=None,
                   posted=posted_in(("ev-hold", "C1"), status="failed"))
    assert plans == [DeliveryPlan("C1", "post", "ev-lift")]


def test_new_source_updates_and_replies_only_when_primary():
    """Another report → update where posted; a reply only for a primary source; no new post."""
    subs = [sub("C1", "all", ""), sub("C2", "all", "")]
    posted = posted_in(("ev-hold", "C1"), ("ev-hold", "C2"))
    news = decide(EventChange("new_source", hold_event(), source(3)),
                  subscriptions=subs, alert_channel=None, posted=posted)
    assert news == [DeliveryPlan("C1", "update", "ev-hold", item_id="news:3"),
                    DeliveryPlan("C2", "update", "ev-hold", item_id="news:3")]
    filing = decide(EventChange("late_report", hold_event(), source(4, primary=True)),
                    subscriptions=subs[:1], alert_channel=None, posted=posted)
    assert filing == [
        DeliveryPlan("C1", "update", "ev-hold", item_id="news:4"),
        DeliveryPlan("C1", "reply", "ev-hold", item_id="news:4", parent_event_id="ev-hold"),
    ]


def test_fresh_report_that_names_the_target_reaches_its_new_subscriber():
    """A drugless first report went to ALERT_CHANNEL; the release naming BCMA then reaches
    the BCMA subscriber once (a post), while ALERT_CHANNEL only gets an update."""
    subs = [sub("C9", "target", "BCMA")]
    posted = posted_in(("ev-hold", "CALERT"))
    change = EventChange("new_source", hold_event(), source(5, primary=True))
    plans = decide(change, subscriptions=subs, alert_channel="CALERT", posted=posted)
    assert plans == [
        DeliveryPlan("CALERT", "update", "ev-hold", item_id="news:5"),
        DeliveryPlan("CALERT", "reply", "ev-hold", item_id="news:5", parent_event_id="ev-hold"),
        DeliveryPlan("C9", "post", "ev-hold"),
    ]
    late = decide(EventChange("late_report", hold_event(), source(6)), subscriptions=subs,
                  alert_channel="CALERT", posted=posted)
    assert late == [DeliveryPlan("CALERT", "update", "ev-hold", item_id="news:6")]
    failed = posted_in(("ev-hold", "CALERT"), ("ev-hold", "C9"), status="failed")
    assert decide(change, subscriptions=subs, alert_channel=None, posted=failed) == []
