"""The operator's log, quiet at INFO: what others' libraries repeat is said once.

- Bolt reads SLACK_BOT_TOKEN from the environment by itself, then warns on every
  start that this token "will be unused" because we hand it the WebClient built
  from the same token: `DropBoltTokenNotice` drops that one record.
- APScheduler warns "maximum number of running instances reached" each time a job
  falls due while its previous run is still going, which is every few seconds for
  a slow feed on a short interval. `OverrunLog` says it once per overrun instead
  (the run that is late, and the interval it overran); `DropSkippedRuns` drops the
  repeated warning.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot import messages

log = logging.getLogger("holdwatch.scheduler")

SKIPPED_RUN = "skipped: maximum number of running instances reached"



class DropBoltTokenNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


class DropSkippedRuns(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return SKIPPED_RUN not in record.getMessage()


def quiet_libraries() -> None:
    """Install the two filters on the loggers that emit those records."""
    logging.getLogger("slack_bolt.App").addFilter(DropBoltTokenNotice())
    logging.getLogger("apscheduler.scheduler").addFilter(DropSkippedRuns())


class OverrunLog:
    """APScheduler listener: one line when a job is still running at its next due time."""

    MASK = EVENT_JOB_MAX_INSTANCES | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR

    def __init__(self, scheduler: Any) -> None:
        self._scheduler = scheduler
        self._late: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        job_id = str(event.job_id)
        with self._lock:
            if event.code != EVENT_JOB_MAX_INSTANCES:
                self._late.discard(job_id)  # the run ended: a later overrun is news again
                return
            if job_id in self._late:
                return
            self._late.add(job_id)
        job = self._scheduler.get_job(job_id)
        name = job.name if job is not None else job_id
        seconds = getattr(getattr(job, "trigger", None), "interval_length", None)
        log.warning("%s", messages.overrun(str(name), seconds))
