"""One way to show a date, a moment, a reason and an outlet (bot/display.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot import display
from bot.models import Event, SourceRef
from bot.notify.blocks import alert_message


def ref(n: int, url: str | None, outlet: str | None, source: str = "news") -> SourceRef:
    return SourceRef(item_id=f"i{n}", source=source, title="t", url=url, outlet=outlet,
                     published=None)


@pytest.mark.parametrize(("value", "shown"), [
    (date(2024, 11, 1), "1 Nov 2024"), (date(2023, 12, 12), "12 Dec 2023"), (None, "date unknown"),
])
def test_day(value: date | None, shown: str) -> None:
    """Dates read `1 Nov 2024` everywhere: no locale can misread them."""
    assert display.day(value) == shown


def test_day_span_names_the_year_once_unless_it_changes() -> None:
    """A digest week: `28 Oct – 3 Nov 2024`; across New Year both years are named."""
    assert display.day_span(date(2024, 10, 28), date(2024, 11, 3)) == "28 Oct – 3 Nov 2024"
    assert display.day_span(date(2024, 12, 30), date(2025, 1, 5)) == "30 Dec 2024 – 5 Jan 2025"


def test_moment_is_shown_in_tz_with_the_zone_named() -> None:
    """A UTC moment shown in Tokyo time, zone abbreviated; a naive one counts as UTC."""
    at = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
    assert display.moment(at, "Asia/Tokyo") == "4 Nov 2024 18:00 JST"
    assert display.moment(at.replace(tzinfo=None)) == "4 Nov 2024 09:00 UTC"
    assert display.moment(at, "Asia/Dubai") == "4 Nov 2024 13:00 Asia/Dubai"


@pytest.mark.parametrize(("code", "shown"), [
    ("cmc", "CMC (manufacturing)"), ("clinical", "clinical / safety"),
    ("preclinical", "preclinical"), ("unknown", None), (None, None),
])
def test_reason(code: str | None, shown: str | None) -> None:
    """Reason codes in words, the same in alerts, answers and the digest."""
    assert display.reason(code) == shown


def test_outlet_label_prefers_the_named_outlet_then_the_domain() -> None:
    """The outlet a source named; else the link's domain (no `www.`); never the aggregator."""
    assert display.outlet_label(ref(1, "https://www.fiercebiotech.com/a", "Fierce Biotech")) \
        == "Fierce Biotech"
    assert display.outlet_label(ref(2, "https://www.statnews.com/a", None)) == "statnews.com"
    assert display.outlet_label(ref(3, "https://news.google.com/rss/articles/x", None,
                                    source="gnews")) == "gnews"


def test_three_outlets_under_one_feed_title_get_three_labels() -> None:
    """One feed title on three sites' stories: each link shows its own site instead."""
    refs = [ref(1, "https://www.fiercebiotech.com/a", "Biotech news"),
            ref(2, "https://endpts.com/b", "Biotech news"),
            ref(3, "https://www.biospace.com/c", "Biotech news"),
            ref(4, "https://www.carsgen.com/d", "CARsgen Therapeutics")]
    assert display.outlet_labels(refs) == ["fiercebiotech.com", "endpts.com", "biospace.com",
                                           "CARsgen Therapeutics"]


def test_two_stories_of_one_outlet_keep_its_name() -> None:
    """The same outlet twice (same site) keeps its name on both links."""
    refs = [ref(1, "https://www.fiercebiotech.com/a", "Fierce Biotech"),
            ref(2, "https://www.fiercebiotech.com/b", "Fierce Biotech")]
    assert display.outlet_labels(refs) == ["Fierce Biotech", "Fierce Biotech"]


def test_alert_sources_are_labelled_by_outlet_not_by_a_shared_feed_title() -> None:
    """An alert whose three reports carry one feed title links each by its own site."""
    refs = (ref(1, "https://www.fiercebiotech.com/a", "Biotech news"),
            ref(2, "https://endpts.com/b", "Biotech news"),
            ref(3, "https://www.biospace.com/c", "Biotech news"))
    event = Event(id="ev-1", label="hold", date=date(2024, 11, 1), company="Acme Bio",
                  ticker=None, drugs=(), targets=(), nct_ids=(), reason="cmc", sources=refs)
    message = alert_message(event)
    context = next(b for b in message.blocks if b["type"] == "context")
    texts = [e["text"] for e in context["elements"]]
    assert texts == ["<https://www.fiercebiotech.com/a|fiercebiotech.com>",
                     "<https://endpts.com/b|endpts.com>", "<https://www.biospace.com/c|biospace.com>"]
    summary = message.blocks[1]["text"]["text"]
    assert "*Date:* 1 Nov 2024" in summary and "*Reason:* CMC (manufacturing)" in summary
