"""The machine's speed, measured in the same run as every figure it scales.

`loop()` is a fixed pure-Python workload (dict updates, string building, integer
arithmetic: what the interpreter spends the bot's time on). Timed right before a
scenario measures, it tells how fast this machine is at that moment; a figure
divided by it is a count of loops, which compares across machines and runs, and
a figure scaled by `REFERENCE_LOOP_CPU / loop` (the loop's CPU time, for CPU and
wall figures alike) is that figure "on the reference core" — the core on which
the loop takes exactly REFERENCE_LOOP_CPU seconds of CPU (the bench's 2-core AMD
EPYC when quiet; calibrated once, never changed, so targets like "start-up < 2 s
on the reference core" keep their meaning).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

LOOP_N = 2_000_000
REFERENCE_LOOP_CPU = 0.355  # seconds of CPU the loop takes on the reference core


def loop(n: int = LOOP_N) -> int:
    """The fixed workload. Do not change it: every recorded ratio depends on it."""
    table: dict[str, int] = {}
    words: list[str] = []
    total = 0
    for i in range(n):
        key = "k" + str(i % 997)
        table[key] = table.get(key, 0) + i
        if i % 7 == 0:
            words.append(key.upper())
        total += len(key)
    return total + len(" ".join(words[:1000])) + len(table)


@dataclass(frozen=True)
class Loop:
    """One timing of `loop()`: CPU seconds of the calling thread and wall seconds."""

    cpu: float
    wall: float

    @property
    def factor(self) -> float:
        """How much slower than the reference core this machine is now (CPU)."""
        return self.cpu / REFERENCE_LOOP_CPU

    def on_ref_cpu(self, cpu_seconds: float) -> float:
        """CPU seconds measured now, as seconds on the reference core."""
        return cpu_seconds * REFERENCE_LOOP_CPU / self.cpu

    def on_ref_wall(self, wall_seconds: float) -> float:
        """Wall seconds measured now, on the reference core: scaled by the CPU speed like
        CPU time, so time lost waiting on a busy machine is not discounted."""
        return wall_seconds * REFERENCE_LOOP_CPU / self.cpu

    def describe(self) -> str:
        return f"loop {self.cpu:.3f} s CPU ({self.factor:.2f}× the ref core)"


def measure(runs: int = 3) -> Loop:
    """The median of `runs` timings of the loop, taken back to back."""
    cpus, walls = [], []
    for _ in range(max(1, runs)):
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        loop()
        cpus.append(time.thread_time() - cpu0)
        walls.append(time.perf_counter() - wall0)
    return Loop(statistics.median(cpus), statistics.median(walls))


def python_start(runs: int = 5) -> list[float]:
    """Wall seconds of `python -c pass` (spawn to exit), the floor of any CLI command."""
    out = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        out.append(time.perf_counter() - started)
    return out


if __name__ == "__main__":  # calibration: python -m bench.speed
    for _ in range(5):
        print(measure(1))
