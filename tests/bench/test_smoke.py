"""The benchmark suite still runs end to end (nothing here is timed or asserted on speed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.harness import Row, stats
from bench.report import markdown, text_table

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_run_covers_every_scenario_and_writes_nothing(tmp_path: Path) -> None:
    """`python -m bench --smoke` exits 0, reports all seven scenarios, writes no report."""
    out = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=110, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for number in range(1, 8):
        assert f"\n{number} " in table, f"scenario {number} missing from:\n{table}"
    assert "CRASHED" not in table
    assert not out.exists()


def test_stats_median_spread_and_p99() -> None:
    """Statistics use the median, the min–max spread and a nearest-rank 99th percentile."""
    s = stats([float(v) for v in range(1, 101)])
    assert (s.n, s.median, s.low, s.high, s.p99) == (100, 50.5, 1.0, 100.0, 99.0)
    assert stats([3.0]).spread(str) == "(1 run)"


def test_report_lists_rows_and_machine() -> None:
    """The markdown report carries the machine description, every row and its note."""
    rows = [Row("1 extraction", "items/s", "100", "2,500/s", "", "≥ 2,000/s", "met", "a|b")]
    text = markdown(rows, [("CPU", "Test CPU")], command="python -m bench", seconds=60,
                    prose="Notes.")
    assert "- **CPU**: Test CPU" in text
    assert "| 1 extraction | items/s | 100 | 2,500/s |  | ≥ 2,000/s | met | a\\|b |" in text
    assert "2,500/s" in text_table(rows)
