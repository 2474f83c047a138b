"""One log line per poll round, instead of one warning per failing source per round.

Offline, ten sources fail every cycle with the same "Name or service not known";
the operator needs one line saying so and where to look. A round ends when every
enabled source has reported since the last summary (sources poll on their own
intervals, so a round runs at the pace of the slowest one); the summary counts the
sources that answered and names the others with their errors.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from bot import messages
from bot.pipeline import PollReport

log = logging.getLogger("holdwatch.poll")


def summary(outcomes: dict[str, str | None]) -> tuple[int, str]:
    """(log level, line) for one round: each source's error, or None when it answered."""
    failing = {name: error for name, error in outcomes.items() if error is not None}
    reached = len(outcomes) - len(failing)
    if not failing:
        return logging.INFO, messages.round_ok(reached)
    return logging.WARNING, messages.round_failing(reached, len(outcomes), failing)


class RoundLog:
    """Collects poll reports (thread-safe: sources poll in parallel); logs each round once."""

    def __init__(self, sources: Iterable[str]) -> None:
        self._expected = frozenset(sources)
        self._outcomes: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def __call__(self, report: PollReport) -> None:
        if report.source not in self._expected:
            return
        # A source backing off was not asked this time; it still counts as unreachable.
        error = report.error or (report.skipped if report.skipped else None)
        with self._lock:
            self._outcomes[report.source] = error
            if len(self._outcomes) < len(self._expected):
                return
            outcomes, self._outcomes = self._outcomes, {}
        level, line = summary(outcomes)
        log.log(level, "%s", line)
