"""The seam between `Store` and the parts mixed into it (queries, outbox, subscriptions).

`@locked` runs a store method under the store's one re-entrant lock. `Guard` is the
type of `Store._guard`, which a part declares (`_guard: Guard`) to make a change:
WORK records the rows to write in CHANGES, and the store writes them in one commit,
undoing memory if anything fails.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

from bot.store.db import Row

P = ParamSpec("P")
R = TypeVar("R")
Changes = dict[str, dict[str, Row | None]]  # table -> key -> row, or None to delete


class Guard(Protocol):
    def __call__(self, work: Callable[[Changes], R]) -> R: ...


def locked(method: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper
