"""HTML to plain text for feed summaries and filing exhibits.

Keeps the words, drops tags, scripts and styles, decodes entities, and caps
the length (docs/DEPENDENCIES.md, "feedparser 6": cap every extracted field). Escaping for
Slack is the notifier's job; this only produces text.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 20_000

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
     "table", "ul", "ol", "section", "article", "blockquote", "pre", "hr", "title"}
)  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def clean(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """NFC, no control characters, collapsed spaces, at most `limit` characters."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text).strip()
    return text[:limit]


def html_to_text(markup: str, limit: int = MAX_TEXT_CHARS) -> str:
    """The visible text of an HTML fragment or page."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return clean("".join(collector.parts), limit)


def one_line(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """Like `clean` but on one line (titles)."""
    return clean(text.replace("\n", " "), limit).replace("\n", " ")
