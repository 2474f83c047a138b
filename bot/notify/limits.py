"""Slack's Block Kit limits, in one place.

A payload with one field over a limit is refused whole (`invalid_blocks`) and the
alert or answer is lost, so every builder (notify/blocks.py, commands/kit.py)
takes its numbers from here. Where slack_sdk's block classes carry a limit (they
validate against it), it is read from them; a message's block count is not on
any class. Text is cut to a limit by bot/notify/escape.py (`mrkdwn(text, limit)`,
`plain(text, limit)`, `shorten`), which never leaves half an entity or a link.
Background: docs/DEPENDENCIES.md, "Slack: Block Kit limits".
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
