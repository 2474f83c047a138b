"""Measuring and reporting: samples, statistics, result rows, the scenario context.

A scenario is a function `run(ctx) -> list[Row]`. A scenario whose component is
missing raises `NotAvailable`; the runner turns it into a "not available" row so
the suite never crashes on an unfinished stage.

Every figure is reported next to a reference measured in the same run (the
fixed Python loop of bench/speed.py, `json.loads` of the same file, SQLite on the
same rows, a bare interpreter start …) and as the ratio of the two, because the
speed of a shared machine drifts several-fold between runs; the ratio is what
compares across runs and machines.
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

from bench import speed

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
    """One line of the results table.

    `reference` names the same-run reference and its value; `ratio` is the
    figure divided by it (for machine-speed references also the figure on the
    reference core). `verdict` is "met", "NOT MET", "" (no target at this
    size) or "not available".
    """

    scenario: str
    metric: str
    size: str
    value: str
    spread: str = ""
    reference: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""
    note: str = ""


def verdict(met: bool | None) -> str:
    if met is None:
        return ""
    return "met" if met else "NOT MET"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.3f} s"


def times(x: float) -> str:
    """A ratio: 0.42×, 6.8×, 1,100×."""
    if x >= 100:
        return f"{x:,.0f}×"
    if x >= 10:
        return f"{x:.1f}×"
    return f"{x:.2f}×"


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def size_label(size: int) -> str:
    return f"{size:,}"


@dataclass
class Context:
    """What every scenario gets: sizes, repeats, a work folder, the machine's speed."""

    sizes: tuple[int, ...]
    repeat: int
    smoke: bool
    work: Path
    item_size: int | None = None  # extraction: characters per item, None = the default mix
    items: int | None = None  # extraction: how many items, None = the default
    out: TextIO = sys.stderr
    built: dict[Any, Any] = field(default_factory=dict)  # size -> bench.stores.Built
    loops: list[speed.Loop] = field(default_factory=list)  # every loop timed in this run

    @property
    def largest(self) -> int:
        return max(self.sizes)

    @property
    def smallest(self) -> int:
        return min(self.sizes)

    def log(self, text: str) -> None:
        print(f"  · {text}", file=self.out, flush=True)

    def repeats_for(self, size: int) -> int:
        """Fewer repeats from 100k up so the full run stays within minutes."""
        return max(1, self.repeat if size < 100_000 else min(self.repeat, 3))

    def loop(self) -> speed.Loop:
        """The fixed Python loop timed now (the machine's speed at this moment)."""
        timed_loop = speed.measure(runs=1 if self.smoke else 3)
        self.loops.append(timed_loop)
        return timed_loop


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # CPU time of the calling thread only (servers run in other threads)


def timed(func: Callable[[], object]) -> tuple[Timing, object]:
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    result = func()
    return Timing(time.perf_counter() - wall0, time.thread_time() - cpu0), result


def extrapolate(figures: dict[int, float], to: int = 1_000_000) -> tuple[float, str] | None:
    """`figures` (size -> value) continued linearly to TO through the two largest sizes,
    and how; None unless both are from 10k up, the larger from 100k up (smaller runs
    say nothing about a million), or when TO was measured."""
    sizes = sorted(figures)
    if to in figures or len(sizes) < 2 or sizes[-2] < 10_000 or sizes[-1] < 100_000:
        return None
    a, b = sizes[-2:]
    slope = (figures[b] - figures[a]) / (b - a)
    how = f"linear through the {a:,} and {b:,} figures"
    if slope < 0:
        slope, how = 0.0, f"no growth measured between {a:,} and {b:,}: held at the {b:,} figure"
    return figures[b] + slope * (to - b), how


def extrapolated_row(scenario: str, metric: str, figures: dict[int, float],
                     fmt: Callable[[float], str], note: str = "") -> Row | None:
    """METRIC at 1,000,000 continued from FIGURES (`extrapolate`), against the largest
    measured figure; None when `extrapolate` declines."""
    guess = extrapolate(figures)
    if guess is None:
        return None
    largest = max(figures)
    return Row(scenario, metric, "1,000,000 (extrapolated)", fmt(guess[0]), "",
               f"measured at {size_label(largest)}: {fmt(figures[largest])}",
               times(guess[0] / figures[largest]), "", "", guess[1] + note)
