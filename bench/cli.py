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
    commit,
    conditional_get,
    extraction,
    lookups,
    open_cli,
    poll_tick,
    run_memory,
)

# (number, name, title, run): `--only` takes numbers or names.
SCENARIOS: tuple[tuple[str, str, str, Callable[[Context], list[Row]]], ...] = (
    ("1", "extraction", "1 extraction", extraction.run),
    ("2", "poll-tick", "2 poll tick", poll_tick.run),
    ("3", "commit", "3 commit", commit.run),
    ("4", "lookups", "4 lookups", lookups.run),
    ("5", "conditional-get", "5 conditional GET", conditional_get.run),
    ("6", "alert-latency", "6 alert latency", alert_latency.run),
    ("7", "run", "7 run: start-up, memory", run_memory.run),
    ("8", "open-cli", "8 open, CLI", open_cli.run),
)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()}))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--sizes wants numbers like 1000,10000: {exc}") from exc
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("--sizes wants store sizes of at least 100 items")
    return sizes


def _only(text: str) -> set[str]:
    wanted = {s.strip().lower() for s in text.split(",") if s.strip()}
    known = {key for number, name, _, _ in SCENARIOS for key in (number, name)}
    unknown = wanted - known
    if unknown:
        choices = ", ".join(f"{number} {name}" for number, name, _, _ in SCENARIOS)
        raise argparse.ArgumentTypeError(f"unknown scenario {sorted(unknown)}; "
                                         f"choose from: {choices}")
    return wanted


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__,
        epilog="Scenarios: " + "; ".join(f"{n} {name}" for n, name, _, _ in SCENARIOS)
        + ". bench/NOTES.md says what each measures.")
    parser.add_argument("--sizes", type=_sizes, default=(1000, 10_000, 100_000),
                        help="store sizes in items (default 1000,10000,100000; add 1000000 "
                             "to measure 1M instead of extrapolating it)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per measurement (default 5; at most 3 from 100k up)")
    parser.add_argument("--smoke", action="store_true",
                        help="smallest size, one repeat, every scenario, seconds; writes no file")
    parser.add_argument("--only", type=_only, default=set(),
                        help="comma-separated scenario numbers or names, e.g. 1,3 or extraction")
    parser.add_argument("--size", "--item-size", dest="item_size", type=int, default=None,
                        help="extraction: items of about this many characters (default: the "
                             "600–1,200-character mix and the bench's 1–2 KB items)")
    parser.add_argument("-n", "--items", dest="items", type=int, default=None,
                        help="extraction: how many items (default 2,000; 100 in smoke runs)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="where to write the report (full runs only)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The bench's feeds poll every few seconds on purpose; the warning is for real servers.
    logging.getLogger("bot.config").setLevel(logging.ERROR)
    sizes = (min(args.sizes),) if args.smoke else args.sizes
    repeat = 1 if args.smoke else max(1, args.repeat)
    work = Path(tempfile.mkdtemp(prefix="holdwatch-bench-"))
    ctx = Context(sizes=sizes, repeat=repeat, smoke=args.smoke, work=work,
                  item_size=args.item_size, items=args.items)
    started = time.perf_counter()
    rows: list[Row] = []
    crashed = []
    try:
        for number, name, title, scenario in SCENARIOS:
            if args.only and not {number, name} & args.only:
                continue
            print(f"[{title}]", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                rows += scenario(ctx)
            except NotAvailable as exc:
                rows.append(Row(title, "—", "", "", verdict="not available", note=str(exc)))
                print(f"  not available: {exc}", file=sys.stderr)
            except Exception as exc:  # one broken scenario must not hide the others
                traceback.print_exc()
                crashed.append(title)
                rows.append(Row(title, "—", "", "", verdict="CRASHED", note=repr(exc)))
            print(f"  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(report.text_table(rows))
    print(f"\n{report.speed_line(ctx.loops)}", file=sys.stderr)
    print(f"{seconds:.1f} s in all", file=sys.stderr)
    if not args.smoke and not args.only and args.item_size is None:
        command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
        text = report.markdown(rows, machine.describe(), command=command.strip(),
                               seconds=seconds, loops=ctx.loops, prose=_prose())
        report.write(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 1 if crashed else 0


def _prose() -> str:
    path = Path(__file__).with_name("NOTES.md")
    return path.read_text(encoding="utf-8") if path.exists() else ""
