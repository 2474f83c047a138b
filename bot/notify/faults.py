"""The Slack boundary: one Web API call, foreign errors translated to `NotifyError`.

Slack's answers fall in three groups, and the relay treats each differently:

- rate limited (HTTP 429): nothing happened; wait `Retry-After` and try again
  (`NotifyError.retry_after` is set);
- maybe happened (5xx, a dropped connection, a timeout): the message may have been
  posted, so the relay looks for it before trying again (`retryable`, no `retry_after`);
- refused (`ok: false` with e.g. `channel_not_found`): retrying cannot help
  (`retryable=False`); the row is marked failed and an admin is told.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from bot.errors import NotifyError

DEFAULT_RETRY_AFTER = 1.0
# ok:false errors that describe Slack's trouble, not ours: worth another try.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
     "team_added_to_org"}
)
# What an operator should do about the usual permanent refusals.
ADVICE = {
    "channel_not_found": "check the channel id (ALERT_CHANNEL or the subscription)",
    "not_in_channel": "invite the bot to the channel (/invite @holdwatch)",
    "is_archived": "unarchive the channel or remove its subscriptions",
    "invalid_auth": "check SLACK_BOT_TOKEN",
    "account_inactive": "the bot token belongs to a deactivated app or user; reinstall the app",
    "token_revoked": "reinstall the app and update SLACK_BOT_TOKEN",
    "missing_scope": "add the missing scope in manifest.yml and reinstall the app",
    "msg_too_long": "a message was too long; please report this as a bug",
    "invalid_blocks": "a message was rejected by Block Kit; please report this as a bug",
}
_CONNECTION_ERRORS = (
    urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout,
    TimeoutError, OSError,
)


def call(
    method: Callable[..., SlackResponse], *, destination: str, event_id: str | None,
    **kwargs: Any,
) -> SlackResponse:
    """Run one WebClient method; raise NotifyError saying what went wrong and whether to retry."""
    try:
        return method(**kwargs)
    except SlackApiError as exc:
        raise _from_api_error(exc, destination, event_id) from exc
    except SlackClientError as exc:
        raise NotifyError(destination, f"Slack client error: {exc}", event_id=event_id,
                          retryable=False) from exc
    except _CONNECTION_ERRORS as exc:
        reason = f"no answer from Slack ({type(exc).__name__}: {exc})"
        raise NotifyError(destination, reason, event_id=event_id, retryable=True) from exc


def _from_api_error(exc: SlackApiError, destination: str, event_id: str | None) -> NotifyError:
    response = exc.response
    status = getattr(response, "status_code", 200) or 200
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"HTTP {status}")
    if status == 429 or error == "ratelimited":
        wait = _retry_after(getattr(response, "headers", {}) or {})
        return NotifyError(destination, f"rate limited (retry after {wait:g} s)",
                           event_id=event_id, retryable=True, retry_after=wait)
    if status >= 500 or error in TRANSIENT_ERRORS:
        return NotifyError(destination, f"Slack server error HTTP {status} ({error})",
                           event_id=event_id, retryable=True)
    advice = ADVICE.get(error)
    reason = f"{error}: {advice}" if advice else error
    return NotifyError(destination, reason, event_id=event_id, retryable=False)


def _retry_after(headers: dict[str, Any]) -> float:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER
