"""Console mode (no SLACK_BOT_TOKEN): alerts are printed instead of posted.

Same contract as the Slack relay, so the pipeline and its guarantees do not
change: each pending row is rendered, printed, and marked posted. The text is the
Slack message's (compose.plain_text) made for a terminal: Slack's *bold* becomes
bold, the headline is coloured by what happened (red hold, yellow partial hold,
green lift) when the stream is a terminal and NO_COLOR is unset, and plain
otherwise. An update of an alert already printed is one line, not the alert again.
"""

from __future__ import annotations

import itertools
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.config import color_wanted
from bot.notify.blocks import Message
from bot.notify.compose import NotComposable, compose, plain_text
from bot.notify.grouping import due
from bot.notify.slack import DeliveryReport, OutboxStore

log = logging.getLogger(__name__)

RESET, BOLD, DIM = "\033[0m", "\033[1m", "\033[2m"
LABEL_COLOURS = {"hold": "\033[1;31m", "partial_hold": "\033[1;33m", "lift": "\033[1;32m",
                 "partial_lift": "\033[1;36m"}
_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")


class Terminal:
    """Slack mrkdwn, as already flattened by compose.plain_text, for a terminal."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def paint(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text

    def line(self, text: str) -> str:
        text = _BOLD.sub(lambda m: self.paint(BOLD, m.group(1)), text)
        text = _ITALIC.sub(lambda m: self.paint(DIM, m.group(1)), text)
        return "  │ " + text[1:] if text.startswith(">") else text

    def alert(self, message: Message, *, tag: str) -> str:
        """The whole alert: headline first (coloured), then every line of it."""
        head, *rest = plain_text(message).splitlines() or [""]
        colour = LABEL_COLOURS.get(_label(message), BOLD)
        return "\n".join([f"{tag}{self.paint(colour, head)}", *map(self.line, rest)])

    def update(self, message: Message, *, tag: str, before: list[str] | None) -> str:
        """An alert printed before, now changed: its headline and the lines that are new
        (the whole last line, its sources, when what it was is not known)."""
        head, *rest = plain_text(message).splitlines() or [""]
        known = set(before or ())
        new = [line for line in rest if line not in known] if before else rest[-1:]
        shown = [f"{tag}{self.paint(DIM, '✎ updated: ' + head)}"]
        return "\n".join([*shown, *(f"  + {self.line(line)}" for line in new)])


class ConsoleNotifier:
    def __init__(self, store: OutboxStore, stream: TextIO | None = None, *,
                 color: bool | None = None) -> None:
        self._store = store
        self._stream = stream or sys.stdout
        self._terminal = Terminal(color_wanted(self._stream) if color is None else color)
        self._numbers = itertools.count(1)
        self._printed: dict[tuple[str, str], list[str]] = {}  # what each alert said last

    def deliver_pending(self, now: datetime | None = None) -> DeliveryReport:
        posted = failed = unchanged = 0
        ready, waiting = due(self._store.pending_deliveries(), now or datetime.now(UTC))
        for row in ready:
            try:
                message = compose(row, self._store)
            except NotComposable as exc:
                log.error("cannot render delivery %s: %s", row.id, exc)
                self._store.mark_delivery(row.id, status="failed", error=str(exc))
                failed += 1
                continue
            tag = f"[{row.destination}] "
            key = (row.destination, row.event_id)
            if row.action == "update" and self._printed.get(key) == \
                    plain_text(message).splitlines()[1:]:
                # an edit that changes nothing is not shown, as the Slack relay sends none
                self._store.mark_delivery(row.id, status="posted", channel=row.destination)
                unchanged += 1
                continue
            if row.action == "update":
                text = self._terminal.update(message, tag=tag, before=self._printed.get(key))
            else:
                text = self._terminal.alert(
                    message, tag=tag + ("↳ reply in the hold's thread: "
                                        if row.action == "reply" else ""))
            self._printed[key] = plain_text(message).splitlines()[1:]
            print(text + "\n", file=self._stream, flush=True)
            self._store.mark_delivery(row.id, status="posted", ts=f"console-{next(self._numbers)}",
                                      channel=row.destination)
            posted += 1
        return DeliveryReport(posted=posted, failed=failed, waiting=len(waiting),
                              unchanged=unchanged)


def _label(message: Message) -> str:
    payload = message.metadata.get("event_payload") or {}
    return str(payload.get("label", ""))
