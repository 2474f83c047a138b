"""Slack's Block Kit limits, in one place.

A payload with one field over a limit is refused whole (`invalid_blocks`) and the
alert or answer is lost, so every builder (notify/blocks.py, commands/kit.py)
takes its numbers from here. Text is cut to a limit by bot/notify/escape.py
(`mrkdwn(text, limit)`, `plain(text, limit)`, `shorten`), which never leaves half
an entity or a link. Background: docs/DEPENDENCIES.md, "Slack: Block Kit limits".

The numbers are written here rather than read from slack_sdk's block classes
(which validate against them): importing `slack_sdk.models` runs
`slack_sdk/__init__`, which loads the whole Web API client, and the text replies
of a one-shot `python -m bot drug` go through these limits. tests/notify/test_limits.py
checks every number against the class that carries it, so an SDK release that
changes one fails there.
"""

from __future__ import annotations

MAX_BLOCKS = 50  # blocks in one message (on no slack_sdk class)
MAX_VIEW_BLOCKS = 100  # blocks in a Home tab or a modal (View.blocks_max_length)
MAX_SECTION = 3000  # a section's text (SectionBlock.text_max_length)
MAX_HEADER = 150  # a header's plain text (HeaderBlock.text_max_length)
MAX_CONTEXT_ELEMENTS = 10  # elements of a context block (ContextBlock.elements_max_length)
MAX_BUTTON_TEXT = 75  # a button's label (ButtonElement.text_max_length)
MAX_BUTTON_VALUE = 2000  # a button's value (ButtonElement.value_max_length)
