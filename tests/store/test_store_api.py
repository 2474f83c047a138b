"""The Store API other stages use: polls, outbox, subscriptions, digest, source states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.models import DeliveryPlan, Item, SourceState, Subscription
from tests.store.support import NOW, add, cand, drug, open_store


def items(n: int, source: str = "news") -> list[Item]:
    return [Item(source=source, key=f"k{i}", title=f"story {i}") for i in range(n)]


def test_one_file_write_per_poll_of_500_items(tmp_path):
    """commit_poll with 500 items and 50 candidates writes the file exactly once."""
    s = open_store(tmp_path / "db.json")
    cands = [cand(f"c{i}", "hold", date(2024, 1, 1), drug(f"DR-{i}"), company=f"Co{i} Inc")
             for i in range(50)]
    before = s.writes
    changes = s.commit_poll(
        SourceState(name="news", etag='"e"'), items(500) + [c.item for c in cands], cands,
        decide=lambda change, view: [DeliveryPlan("C1", "post", change.event.id)],
    )
    assert s.writes == before + 1
    assert len(changes) == 50 and s.stats()["items"] == 550
    assert len(s.pending_deliveries()) == 50
    s.close()


def test_first_run_baseline_marks_items_seen_and_nothing_else(tmp_path):
    """With candidates=[] the items become seen and the validators saved; no events."""
    s = open_store(tmp_path / "db.json")
    state = SourceState(name="news", etag='"abc"', baselined=True)
    assert s.commit_poll(state, items(20), []) == []
    assert s.unseen(i.id for i in items(21)) == {"news:k20"}
    assert s.source_state("news") == state
    assert s.stats()["events"] == 0
    s.close()


def test_source_state_round_trips_with_datetimes(tmp_path):
    """Every SourceState field, datetimes and cursor included, survives a reopen."""
    state = SourceState(
        name="edgar", etag='W/"x"', last_modified="Wed, 01 May 2024 10:00:00 GMT",
        baselined=True, last_success=NOW, last_attempt=NOW, last_error="HTTP 503",
        last_error_at=NOW - timedelta(hours=1), consecutive_failures=2, items_last_time=7,
        next_poll=NOW + timedelta(minutes=10), backoff_until=NOW + timedelta(minutes=5),
        failure_notified=True, cursor={"since": "2024-05-01", "seen": ["a", "b"]},
    )
    s = open_store(tmp_path / "db.json")
    s.save_source_state(state)
    assert s.source_state("other") == SourceState(name="other")
    s.close()
    again = open_store(tmp_path / "db.json")
    assert again.source_state("edgar") == state
    assert again.source_states() == {"edgar": state}
    again.close()


def test_decide_rows_outbox_order_and_marking(tmp_path):
    """Decided plans become pending rows in seq order; a repeated plan is ignored;
    marking counts attempts and keeps the Slack ts."""
    s = open_store(tmp_path / "db.json")
    seen_views = []

    def decide(change, view):
        seen_views.append(view.event(change.event.id) == change.event)
        return [DeliveryPlan("C1", "post", change.event.id),
                DeliveryPlan("U9", "post", change.event.id)]

    s.commit_poll(SourceState(name="news"), [], [cand("a", "hold", date(2024, 1, 1), drug("X-1"))],
                  decide=decide)
    (ev,) = s.recent_events(5)
    assert seen_views == [True]
    assert s.add_deliveries([DeliveryPlan("C1", "post", ev.id)]) == []
    pending = s.pending_deliveries()
    assert [(d.destination, d.seq, d.status) for d in pending] == [
        ("C1", 1, "pending"), ("U9", 2, "pending")]
    failed = s.mark_delivery(pending[1].id, status="failed", error="channel_not_found")
    assert (failed.attempts, failed.error, failed.updated_at) == (1, "channel_not_found", NOW)
    posted = s.mark_delivery(pending[0].id, status="posted", ts="1700.1", channel="C1")
    assert s.posted_delivery(ev.id, "C1") == posted and posted.ts == "1700.1"
    assert s.posted_delivery(ev.id, "U9") is None
    assert s.pending_deliveries() == []
    assert s.stats()["deliveries"] == {"pending": 0, "posted": 1, "failed": 1}
    (digest,) = s.add_deliveries([DeliveryPlan("C2", "post", ev.id)])
    assert digest.seq == 3
    assert [d.destination for d in s.deliveries_for(ev.id)] == ["C1", "U9", "C2"]
    with pytest.raises(KeyError, match="nope"):
        s.mark_delivery("nope", status="posted")
    s.close()
    assert open_store(tmp_path / "db.json").deliveries_for(ev.id)[0] == posted


def test_subscriptions_and_digest_flags(tmp_path):
    """Adding twice returns False; removal is by owner/kind/value; digest flags persist."""
    s = open_store(tmp_path / "db.json")
    a = Subscription("C1", "channel", "target", "BCMA", display="bcma")
    b = Subscription("U1", "user", "drug", "zevor-cel", only="lifts")
    assert s.add_subscription(a) and s.add_subscription(b)
    assert not s.add_subscription(a)
    assert s.subscriptions("C1") == [a] and s.subscriptions() == [a, b]
    assert s.remove_subscription("U1", "drug", "ZEVOR-CEL")
    assert not s.remove_subscription("U1", "drug", "zevor-cel")
    s.set_digest("C1", True)
    s.set_digest("C2", True)
    s.set_digest("C2", False)
    s.close()
    again = open_store(tmp_path / "db.json")
    assert again.subscriptions() == [a] and again.digest_channels() == ["C1"]
    again.close()


def test_event_queries_and_open_hold_timeline(tmp_path):
    """recent_events is newest first and filters labels; events_between is inclusive;
    an open hold shows its days so far by the store clock; known_names lists vocab."""
    s = open_store(tmp_path / "db.json", now=datetime(2024, 3, 31, tzinfo=UTC))
    add(s, cand("a", "partial_hold", date(2024, 3, 1), drug("CT041", targets=["CLDN18.2"]),
                indications=["gastric cancer"]))
    add(s, cand("b", "hold", date(2024, 3, 20), drug("ABC-1"), company="Acme Bio"))
    add(s, cand("c", "lift", date(2024, 3, 25), drug("XYZ-9"), company="Zeta Pharma"))
    assert [e.label for e in s.recent_events(10)] == ["lift", "hold", "partial_hold"]
    assert [e.label for e in s.recent_events(10, labels=("hold", "partial_hold"))] == [
        "hold", "partial_hold"]
    assert [e.label for e in s.recent_events(1)] == ["lift"]
    between = s.events_between(date(2024, 3, 1), datetime(2024, 3, 20, 23, tzinfo=UTC))
    assert [e.label for e in between] == ["partial_hold", "hold"]
    held = s.held_drugs()
    assert [(d.name, d.status) for d in held] == [("ABC-1", "on_hold"), ("CT041", "partial_hold")]
    (entry,) = s.timeline(s.find_drug("CT041").drug.id)
    assert entry.ongoing_days == 30 and entry.hold_days is None
    assert s.timeline("drug:unknown") == []
    assert s.known_names("company") == ["Acme Bio", "CARsgen Therapeutics", "Zeta Pharma"]
    assert "gastric cancer" in s.known_names("indication")
    assert set(s.known_names("drug")) == {"CT041", "ABC-1", "XYZ-9"}
    with pytest.raises(ValueError, match="unknown kind"):
        s.known_names("planet")
    s.close()


def test_find_drug_suggests_close_names(tmp_path):
    """An unknown name gets up to three close canonical names, nothing when far off."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("a", "hold", date(2024, 1, 1),
                drug("zevorcabtagene autoleucel", "zevor-cel", "CT053"),
                drug("satricabtagene autoleucel", "satri-cel", "CT041")))
    match = s.find_drug("zevor-cell")
    assert match.drug is None and match.suggestions[0] == "zevorcabtagene autoleucel"
    assert len(match.suggestions) <= 3
    assert s.find_drug("pembrolizumab").suggestions == ()
    s.close()


def test_stats_counts(tmp_path):
    """stats() reports items, events, drugs, subscriptions, writes and the files' size
    (snapshot and journal)."""
    s = open_store(tmp_path / "db.json")
    add(s, cand("a", "hold", date(2024, 1, 1), drug("X-1"), drug("X-2")))
    st = s.stats()
    assert (st["items"], st["events"], st["drugs"], st["subscriptions"]) == (1, 1, 2, 0)
    assert st["writes"] == s.writes >= 1
    files = [tmp_path / "db.json", tmp_path / "db.json.journal"]
    assert st["file_bytes"] == sum(f.stat().st_size for f in files) > 0
    s.close()
