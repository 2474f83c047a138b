"""Reply documents rendered twice: plain text for the CLI, Block Kit for Slack.

A reply is written once as a function of a `Fmt` (how to escape, bold, link),
then rendered with `PLAIN` (the complete readable text the CLI prints and Slack
uses as the notification fallback) and with `SLACK` (mrkdwn blocks). Every
stored string goes through `Fmt.esc`, so a hostile drug or company name is
shown as text, never as a mention or a disguised link. Blocks are packed within
Slack's limits (bot/notify/limits.py): 50 blocks, 3,000 characters a section, 150
a header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.notify.escape import mrkdwn, plain, safe_url, shorten
from bot.notify.limits import MAX_BLOCKS, MAX_HEADER, MAX_SECTION

MAX_FALLBACK_CHARS = 3000  # the notification fallback stays short

Block = dict[str, Any]  # one Block Kit block, as JSON


@dataclass(frozen=True)
class Reply:
    """An answer: complete plain text (CLI, notification fallback) and Block Kit blocks."""

    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class Fmt:
    """How to write one rendering: `slack=True` for mrkdwn, False for plain text."""

    slack: bool

    def esc(self, text: object) -> str:
        return mrkdwn(str(text)) if self.slack else plain(str(text))

    def bold(self, text: str) -> str:
        """Bold an already-escaped text."""
        return f"*{text}*" if self.slack else text

    def emoji(self, code: str) -> str:
        return f"{code} " if self.slack else ""

    def link(self, url: str | None, label: str) -> str:
        """A link only to a validated http(s) URL; otherwise just the label as text."""
        safe = safe_url(url) if url else None
        if safe is None:
            return self.esc(label)
        if self.slack:
            return f"<{safe}|{self.esc(label)}>"
        return f"{plain(label)} ({safe})"


PLAIN = Fmt(slack=False)
SLACK = Fmt(slack=True)

# A document: a title (raw text) and paragraphs, each a list of rendered lines.
Doc = tuple[str, list[list[str]]]


def truncate(text: str, limit: int) -> str:
    return shorten(text, limit)  # never half an entity or a link


def header(title: str) -> Block:
    text = truncate(plain(title), MAX_HEADER)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def section(text: str) -> Block:
    body = truncate(text, MAX_SECTION)
    return {"type": "section", "text": {"type": "mrkdwn", "text": body}}


def context(text: str) -> Block:
    # a context element is a text object, limited like a section's text
    element = {"type": "mrkdwn", "text": truncate(text, MAX_SECTION)}
    return {"type": "context", "elements": [element]}


def divider() -> Block:
    return {"type": "divider"}


def line_sections(lines: Sequence[str]) -> list[Block]:
    """Pack lines into as few sections as fit MAX_SECTION characters each (a long line is cut)."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        line = truncate(line, MAX_SECTION)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > MAX_SECTION:
            blocks.append(section(current))
            candidate = line
        current = candidate
    if current:
        blocks.append(section(current))
    return blocks


def fit(blocks: list[Block], *, max_blocks: int = MAX_BLOCKS, more: str = "…") -> list[Block]:
    """Keep a message within the block limit, saying that something was left out."""
    if len(blocks) <= max_blocks:
        return blocks
    left_out = len(blocks) - (max_blocks - 1)
    return [*blocks[: max_blocks - 1], context(f"{more} ({left_out} more parts not shown)")]


def compose(doc: Callable[[Fmt], Doc], *, max_blocks: int = MAX_BLOCKS) -> Reply:
    """Render one document as plain text and as Block Kit blocks."""
    title, paragraphs = doc(PLAIN)
    text = "\n\n".join([plain(title), *("\n".join(p) for p in paragraphs if p)])
    _, slack_paragraphs = doc(SLACK)
    blocks = [header(title)]
    for paragraph in slack_paragraphs:
        blocks.extend(line_sections(paragraph))
    return Reply(text=text, blocks=fit(blocks, max_blocks=max_blocks))


def text_reply(text: str) -> Reply:
    """A one-paragraph reply (usage, confirmation, error) from plain wording."""
    return Reply(text=text, blocks=[section(mrkdwn(text))])


def fallback(reply: Reply) -> str:
    """The top-level `text` of a Slack message: escaped, since Slack parses it as mrkdwn."""
    return mrkdwn(reply.text, MAX_FALLBACK_CHARS)  # cut before escaping
