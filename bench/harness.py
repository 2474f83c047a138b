"""Measuring and reporting: samples, statistics, result rows, the scenario context.

A scenario is a function `run(ctx) -> list[Row]`. A scenario whose component is
missing raises `NotAvailable`; the runner turns it into a "not available" row so
the suite never crashes on an unfinished stage.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent


class NotAvailable(Exception):
    """The component a scenario measures is missing or broken; the reason says which."""


@dataclass(frozen=True)
class Stats:
    n: int
    median: float
    low: float
    high: float
    p99: float

    def spread(self, fmt: Callable[[float], str]) -> str:
        if self.n < 2:
            return "(1 run)"
        return f"{fmt(self.low)}–{fmt(self.high)} (n={self.n})"


def stats(values: Sequence[float]) -> Stats:
    """Median, min, max and the 99th percentile (nearest rank) of some samples."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(0, math.ceil(0.99 * len(ordered)) - 1)  # nearest rank
    return Stats(len(ordered), statistics.median(ordered), ordered[0], ordered[-1], ordered[rank])


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    scenario: str
    metric: str
    size: str
    value: str
    spread: str = ""
    target: str = ""
    verdict: str = ""  # "met", "not met", "" (no target) or "not available"
    note: str = ""


def verdict(met: bool | None) -> str:
    if met is None:
        return ""
    return "met" if met else "NOT MET"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.3f} s"


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@dataclass
class Context:
    """What every scenario gets: the sizes, repeats, a work folder and a logger."""

    sizes: tuple[int, ...]
    repeat: int
    smoke: bool
    work: Path
    out: TextIO = sys.stderr
    built: dict[int, Any] = field(default_factory=dict)  # size -> bench.stores.Built

    @property
    def largest(self) -> int:
        return max(self.sizes)

    def log(self, text: str) -> None:
        print(f"  · {text}", file=self.out, flush=True)

    def repeats_for(self, size: int) -> int:
        """Fewer repeats at 100k so the full run stays within minutes."""
        return max(1, self.repeat if size < 100_000 else min(self.repeat, 3))


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # CPU time of the calling thread only (servers run in other threads)


def timed(func: Callable[[], object]) -> tuple[Timing, object]:
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    result = func()
    return Timing(time.perf_counter() - wall0, time.thread_time() - cpu0), result
