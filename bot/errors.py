"""The exception tree. Every error names where it happened and what to do.

    BotError
     ├── ConfigError    a setting or the sources file is wrong (names the variable/key)
     ├── SourceError    one source could not be fetched or parsed (names source + URL)
     ├── StorageError   the database file could not be read or written (names the path)
     └── NotifyError    Slack refused or failed a call (names the destination + event)

Foreign exceptions (httpx, OSError, SlackApiError) are translated at the
boundary with ``raise ... from exc`` so callers only need to know these.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error holdwatch raises on purpose."""


class ConfigError(BotError):
    def __init__(self, setting: str, problem: str) -> None:
        self.setting = setting
        self.problem = problem
        super().__init__(f"{setting}: {problem}")


class SourceError(BotError):
    def __init__(
        self,
        source: str,
        url: str,
        reason: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        self.source = source
        self.url = url
        self.reason = reason
        self.retry_after = retry_after
        self.status = status
        super().__init__(f"source {source!r} ({url}): {reason}")


class StorageError(BotError):
    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"database {path}: {reason}")


class NotifyError(BotError):
    def __init__(
        self,
        destination: str,
        reason: str,
        *,
        event_id: str | None = None,
        retryable: bool = True,
        retry_after: float | None = None,
    ) -> None:
        self.destination = destination
        self.reason = reason
        self.event_id = event_id
        self.retryable = retryable
        self.retry_after = retry_after
        where = f"{destination} (event {event_id})" if event_id else destination
        super().__init__(f"Slack delivery to {where}: {reason}")
