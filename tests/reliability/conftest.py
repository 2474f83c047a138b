"""The process-level fault tests are all `slow` (their fixtures are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives whole bot processes or a full poll under load: `slow`.
    They stay in the default run and in CI; `pytest -m "not slow"` leaves them out."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)

