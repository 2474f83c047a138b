"""Secrets never reach a log line: Slack tokens and the secret part of webhook URLs.

A slash command's `response_url` is a bearer credential (anyone holding it can post
in the channel for 30 minutes), and the SDK's retry logger prints it whole at INFO
(`Going to retry the same request: POST https://hooks.slack.com/commands/T…/…/…`).
Formatting, not filtering, is where this is enforced: `RedactingFormatter` redacts
the finished line, so the message, its arguments, a traceback and stack info are
all covered, whichever library logged them.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# Each rule: (name, pattern, replacement), with the example it exists for.
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # https://hooks.slack.com/commands/T0001/1234/AbCdEf -> https://hooks.slack.com/commands/[redacted]
    ("webhook path", re.compile(
        r"(?P<keep>https?://[^/\s'\"<>]+/(?:commands|actions|services|workflows|triggers)/)"
        r"[^\s'\"<>)]+"), rf"\g<keep>{REDACTED}"),
    # xoxb-123-456-abc, xoxp-…, xapp-1-A…, xoxe.xoxp-1-…
    ("slack token", re.compile(r"\b(?P<keep>xox[abeoprs]|xapp)[-.][A-Za-z0-9.\-]+"),
     rf"\g<keep>-{REDACTED}"),
    # Authorization: Bearer <anything>
    ("bearer", re.compile(r"(?P<keep>Bearer\s+)[^\s'\",}]+", re.IGNORECASE),
     rf"\g<keep>{REDACTED}"),
)


def redact(text: str) -> str:
    """`text` with every secret the rules know replaced by [redacted]."""
    for _name, pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """A Formatter whose every output line went through `redact`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def install(logger: logging.Logger | None = None) -> None:
    """Make every handler of `logger` (the root logger) redact what it writes."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        current = handler.formatter
        fmt = current._fmt if current else None  # keep the configured format
        datefmt = current.datefmt if current else None
        handler.setFormatter(RedactingFormatter(fmt, datefmt))
