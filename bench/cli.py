"""`python -m bench`: run every scenario, print the table, write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import machine, report
from bench.harness import ROOT, Context, NotAvailable, Row
from bench.scenarios import (
    alert_latency,
    conditional_get,
    extraction,
    lookups,
    naive_tinydb,
    poll_cycle,
    startup_memory,
)

SCENARIOS: tuple[tuple[str, Callable[[Context], list[Row]]], ...] = (
    ("1 extraction", extraction.run),
    ("2 poll cycle", poll_cycle.run),
    ("3 store vs naive TinyDB", naive_tinydb.run),
    ("4 lookups", lookups.run),
    ("5 conditional GET", conditional_get.run),
    ("6 alert latency", alert_latency.run),
    ("7 memory and start-up", startup_memory.run),
)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()}))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--sizes wants numbers like 1000,10000: {exc}") from exc
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("--sizes wants store sizes of at least 100 items")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=_sizes, default=(1000, 10_000, 100_000),
                        help="store sizes in items (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--smoke", action="store_true",
                        help="smallest size, one repeat, a few seconds; writes no file")
    parser.add_argument("--only", default="", help="comma-separated scenario numbers, e.g. 1,3")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="where to write the report (full runs only)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sizes = (min(args.sizes),) if args.smoke else args.sizes
    repeat = 1 if args.smoke else max(1, args.repeat)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    work = Path(tempfile.mkdtemp(prefix="holdwatch-bench-"))
    ctx = Context(sizes=sizes, repeat=repeat, smoke=args.smoke, work=work)
    started = time.perf_counter()
    rows: list[Row] = []
    crashed = []
    try:
        for name, scenario in SCENARIOS:
            if only and name.split()[0] not in only:
                continue
            print(f"[{name}]", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                rows += scenario(ctx)
            except NotAvailable as exc:
                rows.append(Row(name, "—", "", "", verdict="not available", note=str(exc)))
                print(f"  not available: {exc}", file=sys.stderr)
            except Exception as exc:  # one broken scenario must not hide the others
                traceback.print_exc()
                crashed.append(name)
                rows.append(Row(name, "—", "", "", verdict="CRASHED", note=repr(exc)))
            print(f"  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(report.text_table(rows))
    print(f"\n{seconds:.1f} s in all", file=sys.stderr)
    if not args.smoke and not only:
        command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
        text = report.markdown(rows, machine.describe(), command=command.strip(),
                               seconds=seconds, prose=_prose())
        report.write(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 1 if crashed else 0


def _prose() -> str:
    path = Path(__file__).with_name("NOTES.md")
    return path.read_text(encoding="utf-8") if path.exists() else ""
