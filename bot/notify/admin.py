"""Operational notices for whoever runs the bot: ADMIN_CHANNEL, or the log.

A notice is a side channel: it must never break the thing it reports on, so
`notice` swallows every error (and logs it).
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.notify.escape import mrkdwn

MAX_NOTICE = 3000


class AdminNotices:
    def __init__(
        self,
        client: WebClient | None,
        channel: str | None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._client = client
        self._channel = channel
        self._log = logger or logging.getLogger(__name__)
        self.sent: list[str] = []  # what was noticed, for status and tests

    def notice(self, text: str) -> None:
        """Post `text` to the admin channel, or log it as a warning when there is none."""
        self.sent.append(text)
        if self._client is None or not self._channel:
            self._log.warning("admin notice: %s", text)
            return
        try:
            self._client.chat_postMessage(
                channel=self._channel,
                text=":warning: " + mrkdwn(text, MAX_NOTICE),
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:  # a failing notice must not break delivery or polling
            self._log.warning("admin notice not posted to %s (%s): %s", self._channel, exc, text)
