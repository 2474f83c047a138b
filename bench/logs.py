"""Errors the measured code logged: a component that fails fast must not look fast."""

from __future__ import annotations

import logging


class ErrorCount(logging.Handler):
    """Counts ERROR records under one logger while installed (a context manager)."""

    def __init__(self, logger: str) -> None:
        super().__init__(logging.ERROR)
        self.logger = logging.getLogger(logger)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> ErrorCount:
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self)
