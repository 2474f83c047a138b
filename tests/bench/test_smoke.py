"""The benchmark suite still runs end to end (nothing here is timed or asserted on speed)."""

from __future__ import annotations

import ast
import contextlib
import subprocess
import sys
from pathlib import Path

from bench.cli import SCENARIOS, build_parser
from bench.harness import Row, extrapolated_row, secs, stats
from bench.report import markdown, text_table
from bench.rows import CommitLog
from bench.speed import Loop

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_run_covers_every_scenario_and_writes_nothing(tmp_path: Path) -> None:
    """`python -m bench --smoke` exits 0, reports every scenario, writes no report."""
    out = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=110, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for _, _, title, _ in SCENARIOS:
        assert f"\n{title} " in table, f"scenario {title!r} missing from:\n{table}"
    assert "CRASHED" not in table
    assert "not available" not in table, table
    assert "machine speed: the fixed loop took" in done.stderr
    assert not out.exists()


def test_stats_median_spread_and_p99() -> None:
    """Statistics use the median, the min–max spread and a nearest-rank 99th percentile."""
    s = stats([float(v) for v in range(1, 101)])
    assert (s.n, s.median, s.low, s.high, s.p99) == (100, 50.5, 1.0, 100.0, 99.0)
    assert stats([3.0]).spread(str) == "(1 run)"


def test_extrapolated_row_continues_the_two_largest_sizes_to_a_million() -> None:
    """10k → 1 s and 100k → 2 s continue to 12 s at 1M, set against the 100k figure."""
    row = extrapolated_row("8 open, CLI", "wall", {1000: 0.5, 10_000: 1.0, 100_000: 2.0}, secs,
                           note=" (note)")
    assert row is not None
    assert (row.size, row.value, row.reference, row.ratio) == (
        "1,000,000 (extrapolated)", secs(12.0), f"measured at 100,000: {secs(2.0)}", "6.00×")
    assert row.note == "linear through the 10,000 and 100,000 figures (note)"
    assert extrapolated_row("x", "wall", {1000: 1.0, 10_000: 2.0}, secs) is None


def test_report_writes_reference_and_ratio_columns() -> None:
    """The markdown report carries the machine, the run's speed, every row with its
    same-run reference and ratio, and lists rows with a target again under Targets."""
    rows = [Row("1 extraction", "items/s", "100", "2,500/s", "", "loop 0.400 s CPU",
                "1,000 items/loop", "≥ 2,000/s", "met", "a|b"),
            Row("2 poll tick", "CPU", "1,000", "0.5 s", "", "sha1 1 ms", "500×")]
    text = markdown(rows, [("CPU", "Test CPU")], command="python -m bench", seconds=60,
                    loops=[Loop(0.4, 0.41)], prose="Notes.")
    assert "- **CPU**: Test CPU" in text
    assert ("| 1 extraction | items/s | 100 | 2,500/s |  | loop 0.400 s CPU | 1,000 items/loop "
            "| ≥ 2,000/s | met | a\\|b |") in text
    targets = text.split("## Targets")[1].split("## All results")[0]
    assert "1 extraction" in targets and "2 poll tick" not in targets
    assert "the fixed loop took 0.400–0.400 s CPU" in text
    assert "sha1 1 ms" in text_table(rows) and "500×" in text_table(rows)


def test_loop_scales_to_the_reference_core() -> None:
    """A machine twice as slow as the reference core halves into reference-core seconds;
    wall time is scaled by the CPU speed too, so waiting on a busy machine still counts."""
    from bench.speed import REFERENCE_LOOP_CPU

    slow = Loop(cpu=2 * REFERENCE_LOOP_CPU, wall=4 * REFERENCE_LOOP_CPU)
    assert slow.factor == 2.0
    assert slow.on_ref_cpu(1.0) == 0.5
    assert slow.on_ref_wall(1.0) == 0.5


def test_changed_rows_are_what_the_store_committed() -> None:
    """Commits seen through the store's database are merged (last version of a row counts
    once, a deleted row by its key); a failed commit adds nothing; unhooked afterwards."""

    class Db:
        def __init__(self) -> None:
            self.calls = 0

        def commit(self, changes: dict, *extra: object) -> None:
            self.calls += 1
            if "boom" in changes:
                raise OSError("disk full")

    class Store:
        def __init__(self) -> None:
            self._db = Db()

    store = Store()
    with CommitLog(store) as log:
        store._db.commit({"items": {"a": {"id": "a"}, "b": {"id": "b", "n": 1}}})
        store._db.commit({"items": {"b": {"id": "b", "n": 2}}, "drugs": {"gone": None}},
                         "snapshot")
        with contextlib.suppress(OSError):
            store._db.commit({"boom": {"x": {"id": "x"}}})
        change = log.take()
    assert change is not None and change.commits == 2
    assert change.bytes == (len('{"id":"a"}') + len('{"id":"b","n":2}') + len("gone"))
    assert log.take() is not None and log.take().rows == {}
    assert "commit" not in vars(store._db) and store._db.calls == 3
    assert CommitLog(object()).__enter__().take() is None


def test_only_accepts_numbers_and_names() -> None:
    """`--only extraction --size 900` is the extraction measurement the extractor uses."""
    args = build_parser().parse_args(["--only", "extraction", "--size", "900"])
    assert args.only == {"extraction"} and args.item_size == 900


def test_bench_imports_nothing_from_tests() -> None:
    """One harness: bench/ stands on its own (issue 16)."""
    for path in (ROOT / "bench").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n == "tests" or n.startswith("tests.") for n in names), path
