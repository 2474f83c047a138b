"""Slack's Block Kit limits as the builders see them."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, ContextBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.notify import limits


def test_limits_are_the_ones_docs_dependencies_lists() -> None:
    """A change here needs the same change in docs/DEPENDENCIES.md, "Slack: Block Kit
    limits"."""
    assert (limits.MAX_BLOCKS, limits.MAX_VIEW_BLOCKS) == (50, 100)
    assert (limits.MAX_SECTION, limits.MAX_HEADER) == (3000, 150)
    assert limits.MAX_CONTEXT_ELEMENTS == 10
    assert (limits.MAX_BUTTON_TEXT, limits.MAX_BUTTON_VALUE) == (75, 2000)


def test_limits_agree_with_the_slack_sdk_classes_that_validate_them() -> None:
    """limits.py writes the numbers down (importing slack_sdk.models loads the whole
    client); a slack_sdk release that changes one shows up here."""
    ours_and_theirs = [
        (limits.MAX_VIEW_BLOCKS, View.blocks_max_length),
        (limits.MAX_SECTION, SectionBlock.text_max_length),
        (limits.MAX_HEADER, HeaderBlock.text_max_length),
        (limits.MAX_CONTEXT_ELEMENTS, ContextBlock.elements_max_length),
        (limits.MAX_BUTTON_TEXT, ButtonElement.text_max_length),
        (limits.MAX_BUTTON_VALUE, ButtonElement.value_max_length),
    ]
    for ours, theirs in ours_and_theirs:
        assert ours == theirs
