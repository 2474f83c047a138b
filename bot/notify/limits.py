"""Slack's Block Kit limits, and the one rule for cutting plain text to fit them.

A payload with one field over a limit is refused whole (`invalid_blocks`) and the
alert or answer is lost, so every builder (notify/blocks.py, commands/kit.py)
takes its numbers from here. Where slack_sdk's block classes carry a limit (they
validate against it), it is read from them; a message's block count is not on
any class. Background: docs/DEPENDENCIES.md, "Slack: Block Kit limits".
"""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, ContextBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

MAX_BLOCKS = 50  # blocks in one message
MAX_VIEW_BLOCKS: int = View.blocks_max_length  # blocks in a Home tab or a modal (100)
MAX_SECTION: int = SectionBlock.text_max_length  # a section's text (3,000 characters)
MAX_HEADER: int = HeaderBlock.text_max_length  # a header's plain text (150 characters)
MAX_CONTEXT_ELEMENTS: int = ContextBlock.elements_max_length  # elements of a context block (10)
MAX_BUTTON_TEXT: int = ButtonElement.text_max_length  # a button's label (75 characters)
MAX_BUTTON_VALUE: int = ButtonElement.value_max_length  # a button's value (2,000 characters)

ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    """TEXT, or its first LIMIT - 1 characters and an ellipsis when it is longer.

    For text not yet escaped; escaped text is cut by `escape.mrkdwn(text, limit)`,
    which never splits an entity.
    """
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
