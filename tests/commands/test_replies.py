"""Reply builders over a real store: plain text complete, Block Kit within Slack's limits."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.commands import replies
from bot.commands.home_view import home_view
from bot.commands.kit import Reply
from bot.commands.vocab import curated_group, resolve
from bot.extract.targets import canonical_target
from bot.models import (
    Candidate,
    DrugMention,
    Extraction,
    SourceConfig,
    SourceState,
    Subscription,
)
from bot.notify.limits import MAX_BLOCKS, MAX_HEADER, MAX_SECTION
from bot.store import Store
from tests.commands.seed import NOW, TODAY, item, seeded_store

LONG_NAME = "mabtagene " * 30  # 300 characters


def assert_within_limits(reply: Reply, max_blocks: int = MAX_BLOCKS) -> None:
    assert 1 <= len(reply.blocks) <= max_blocks
    for block in reply.blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION


def busy_store(tmp_path: Path, cycles: int = 40) -> Store:
    """One drug held and lifted `cycles` times, every report with a long title and outlet."""
    store = Store(tmp_path / "busy.json", clock=lambda: NOW)
    drug = DrugMention(LONG_NAME.strip(), ("BZ-1", "busy-cel"), ("CD19",))
    cands = []
    start = date(2010, 1, 1)
    for n in range(cycles * 2):
        label = "hold" if n % 2 == 0 else "lift"
        day = start + timedelta(days=40 * n)
        cands.append(Candidate(
            item(f"busy-{n}", f"{label} {n} " + "x" * 400, day, outlet="Outlet " + "o" * 150),
            Extraction(label=label, company="Busy Bio " + "b" * 200, drugs=(drug,),
                       targets=("CD19",))))
    store.commit_poll(SourceState("news", baselined=True), [c.item for c in cands], cands)
    return store


def test_long_history_fits_block_limits_and_text_is_complete(tmp_path: Path) -> None:
    """80 events on one drug: blocks stay within limits, the plain text keeps every entry."""
    store = busy_store(tmp_path)
    try:
        reply = replies.drug_reply(store, "busy-cel", today=TODAY, curated=curated_group)
        recent = replies.recent_reply(store, 50)
        target = replies.target_reply(store, "CD19", today=TODAY,
                                       canonical=canonical_target)
    finally:
        store.close()
    for each in (reply, recent, target):
        assert_within_limits(each)
    assert reply.text.count("\n• ") == 80
    assert "after 40 days on hold" in reply.text
    assert recent.text.count("\n• ") == 50


def test_recent_count_is_clamped(tmp_path: Path) -> None:
    """recent_reply never asks for more than 50 nor fewer than 1 events."""
    store = busy_store(tmp_path, cycles=30)
    try:
        assert replies.recent_reply(store, 500).text.count("\n• ") == 50
        assert replies.recent_reply(store, 0).text.count("\n• ") == 1
    finally:
        store.close()


def test_empty_store_answers_kindly(tmp_path: Path) -> None:
    """An empty store gives 'nothing yet' answers, not empty messages."""
    store = Store(tmp_path / "empty.json", clock=lambda: NOW)
    try:
        assert "No clinical-hold events" in replies.recent_reply(store, 5).text
        assert "No drug is on clinical hold" in replies.active_reply(store, TODAY).text
        answer = replies.drug_reply(store, "x", today=TODAY, curated=curated_group).text
        assert "No drug called “x”" in answer
    finally:
        store.close()


def test_subscriptions_reply_escapes_and_words(tmp_path: Path) -> None:
    """Subscriptions are listed sorted, with filters, and typed text is escaped in blocks."""
    subs = [Subscription("C1", "channel", "keyword", "<!here> gene", "<!here> gene", "lifts"),
            Subscription("C1", "channel", "all", "*")]
    reply = replies.subscriptions_reply(subs)
    assert reply.text.splitlines()[2:] == ["• all events",
                                           "• keyword ‹!here› gene — lifts only"]
    assert "&lt;!here&gt; gene" in reply.blocks[1]["text"]["text"]


def test_resolve_each_kind(tmp_path: Path) -> None:
    """Subscription values resolve through the store and the lexicons; unknowns suggest."""
    store = seeded_store(tmp_path)
    try:
        assert resolve(store, "drug", "satri-cel").value == "satricabtagene autoleucel"
        assert resolve(store, "target", "cldn 18.2").value == "Claudin18.2"
        assert resolve(store, "company", "carsgen therapeutics").known
        assert resolve(store, "keyword", "  Gene   Therapy ").value == "gene therapy"
        assert resolve(store, "all", "").value == "*"
        unknown = resolve(store, "company", "CARsgen Therapeutix")
        assert not unknown.known and "CARsgen Therapeutics" in unknown.suggestions
    finally:
        store.close()


def test_resolve_drug_from_the_curated_alias_file_on_an_empty_store(tmp_path: Path) -> None:
    """CT041 is in bot/data/aliases.toml: known before any event names it."""
    store = Store(tmp_path / "empty.json")
    try:
        found = resolve(store, "drug", "CT041")
        assert (found.value, found.known) == ("satricabtagene autoleucel", True)
        near = resolve(store, "drug", "satri-cell")
        assert not near.known and near.suggestions == ("satricabtagene autoleucel",)
    finally:
        store.close()


def test_home_view_stays_within_100_blocks(tmp_path: Path) -> None:
    """Many held drugs, events and subscriptions still make a valid Home (≤ 100 blocks)."""
    store = busy_store(tmp_path)
    subs = [Subscription("U1", "user", "keyword", f"word {n}") for n in range(70)]
    try:
        view = home_view(held=store.held_drugs(), recent=store.recent_events(10), subs=subs,
                         today=TODAY)
    finally:
        store.close()
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= MAX_SECTION
               for b in view["blocks"] if b["type"] == "section")
    assert "30 more" in str(view["blocks"])


def test_status_times_are_shown_in_the_configured_zone() -> None:
    """Last success / next poll are clock times in TZ, named by the zone's abbreviation."""
    source = SourceConfig("press", "rss", "https://example.org/feed")
    state = SourceState("press", last_success=NOW, next_poll=NOW + timedelta(minutes=10))
    text = replies.status_reply([source], {"press": state}, NOW, tz="Asia/Tokyo").text
    assert "4 Nov 2024 18:00 JST" in text and "4 Nov 2024 18:10 JST" in text
    utc = replies.status_reply([source], {"press": state}, NOW).text
    assert "4 Nov 2024 09:00 UTC" in utc
