"""No Slack token or response_url secret in any log line, whichever library logs it."""

from __future__ import annotations

import io
import logging

import pytest

from bot.logredact import REDACTED, RedactingFormatter, install, redact

SECRET_URL = "https://hooks.slack.com/commands/T0HOLDWCH/1234567/Zx9SECRETtoken"


@pytest.mark.parametrize("line, secret", [
    (f"Going to retry the same request: POST {SECRET_URL}", "Zx9SECRETtoken"),
    ("A retry handler found: for POST https://hooks.slack.com/actions/T1/2/abcSECRET - err",
     "abcSECRET"),
    ("client token xoxb-1111-2222-SECRETbot", "SECRETbot"),
    ("app token xapp-1-A0HOLD-3-SECRETapp", "SECRETapp"),
    ("{'Authorization': 'Bearer xoxp-SECRETuser'}", "SECRETuser"),
])
def test_rules_redact_each_secret(line: str, secret: str) -> None:
    assert secret not in redact(line) and REDACTED in redact(line)


def test_formatter_redacts_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.logredact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        install(logger)
        assert isinstance(handler.formatter, RedactingFormatter)
        logger.warning("retrying %s", SECRET_URL)
        try:
            raise ConnectionError(f"cannot reach {SECRET_URL}")
        except ConnectionError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Zx9SECRETtoken" not in text
    assert text.count(REDACTED) == 2 and "WARNING retrying https://hooks.slack.com" in text
