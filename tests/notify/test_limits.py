"""Slack's Block Kit limits as the builders see them."""

from __future__ import annotations

from bot.notify import limits


def test_limits_are_the_ones_docs_dependencies_lists() -> None:
    """Read from slack_sdk's block classes; a release that changes one shows up here
    (and docs/DEPENDENCIES.md, "Slack: Block Kit limits", needs the same change)."""
    assert (limits.MAX_BLOCKS, limits.MAX_VIEW_BLOCKS) == (50, 100)
    assert (limits.MAX_SECTION, limits.MAX_HEADER) == (3000, 150)
    assert limits.MAX_CONTEXT_ELEMENTS == 10
    assert (limits.MAX_BUTTON_TEXT, limits.MAX_BUTTON_VALUE) == (75, 2000)
