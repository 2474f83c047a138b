"""Truncation never cuts an escape sequence or a link in half (issue 14 item 7)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.commands.kit import Reply, fallback, line_sections, section
from bot.notify.escape import ELLIPSIS, mrkdwn, shorten

HALF_ENTITY = re.compile(r"&(?!(amp|lt|gt);)")


@given(st.text(alphabet="<>&ab ", max_size=60), st.integers(min_value=0, max_value=70))
def test_shorten_keeps_whole_entities(text: str, limit: int) -> None:
    cut = shorten(mrkdwn(text), limit)
    assert len(cut) <= max(limit, len(ELLIPSIS))
    assert not HALF_ENTITY.search(cut), cut


def test_shorten_keeps_whole_links() -> None:
    text = "see <https://example.org/a|the release> now"
    assert shorten(text, 20) == "see" + ELLIPSIS


def test_reply_fallback_and_sections_never_end_in_half_an_entity() -> None:
    """A reply full of `<` is cut to Slack's limits without leaving `&l…`."""
    hostile = "<" * 5000
    assert not HALF_ENTITY.search(fallback(Reply(text=hostile, blocks=[])))
    body = section(mrkdwn(hostile))["text"]["text"]
    assert len(body) <= 3000 and not HALF_ENTITY.search(body)
    for block in line_sections([mrkdwn("&" * 4000)]):
        assert not HALF_ENTITY.search(block["text"]["text"])
