"""Signed requests only (HTTP mode), and nothing secret in the logs.

Replaces Bolt's RequestVerification, which answers a non-numeric
`X-Slack-Request-Timestamp` with a 500 (int() raises inside the verifier) and
logs the signature and the whole body when a check fails
(docs/DEPENDENCIES.md, "Slack: request signatures").
Here every failure is a 401 with one log line naming the reason only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt.middleware.middleware import Middleware
from slack_bolt.middleware.middleware_error_handler import MiddlewareErrorHandler
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import Clock, SignatureVerifier

log = logging.getLogger(__name__)

_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class SignedRequestsOnly(Middleware):
    """Bolt middleware: the Slack signature must be valid and at most 5 minutes old."""

    def __init__(self, signing_secret: str | None, *, clock: Clock | None = None) -> None:
        self._verifier = (
            SignatureVerifier(signing_secret, clock=clock or Clock()) if signing_secret else None
        )

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        if req.mode == "socket_mode":  # the websocket is authenticated by the app token
            return next()
        reason = self._problem(req)
        if reason is None:
            return next()
        log.warning("rejected an unsigned or badly signed request: %s", reason)
        return BoltResponse(status=401, body={"error": "invalid request"})

    def _problem(self, req: BoltRequest) -> str | None:
        if self._verifier is None:
            return "no signing secret is configured (SLACK_SIGNING_SECRET)"
        timestamp = _first(req.headers, "x-slack-request-timestamp")
        signature = _first(req.headers, "x-slack-signature")
        if not _TIMESTAMP.match(timestamp):
            return "missing or non-numeric X-Slack-Request-Timestamp"
        if not _SIGNATURE.match(signature):
            return "missing or malformed X-Slack-Signature"
        if not self._verifier.is_valid(req.raw_body, timestamp, signature):
            return "signature mismatch or timestamp outside the 5-minute window"
        return None


def _first(headers: dict[str, Any], name: str) -> str:
    values = headers.get(name) or [""]
    return str(values[0] or "")


class MalformedRequests(MiddlewareErrorHandler):
    """Bolt's handler for exceptions raised by middleware or listener matching.

    Every such request already passed `SignedRequestsOnly` (the signature is checked
    before any middleware reads the body), so the exception means a signed body of a
    shape Bolt cannot read (an `event` that is a string, `authorizations` that is a
    number…): the answer is 400 and one log line naming the error, never a 500 and a
    traceback. The traceback is kept at DEBUG for the day it is our bug.
    """

    def handle(self, error: Exception, request: BoltRequest,
               response: BoltResponse | None) -> None:
        where = error.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        origin = (f" at {where.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{where.tb_lineno}"
                  if where is not None else "")
        log.warning("rejected a signed request Bolt could not read: %s: %s%s",
                    type(error).__name__, error, origin)
        log.debug("malformed request", exc_info=error)
        if response is not None:
            response.status = 400
            response.body = '{"error": "malformed request"}'
            response.headers["content-type"] = ["application/json;charset=utf-8"]
