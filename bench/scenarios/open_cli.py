"""Scenario 8: opening the store, and the CLI lookups, over an N-item store.

- **store open**: `Store(path)` in a fresh process (`bench.child open`), CPU of
  its thread, against the same-run reference `json.loads` of the same file(s)
  in that process just before (target ≤ 2×).
- **CLI `drug NAME`** (and `target NAME`): the real `python -m bot drug …`
  spawned and waited for, wall seconds, against a bare `python -c pass` timed
  alongside (target ≤ 5× at 100k). Its peak RSS comes from one more run inside a
  wrapper that reads VmHWM at exit (runpy, as `-m` does).

The slope between the two largest sizes extrapolates to 1M items when 1M was not
measured.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench import stores
from bench.harness import (
    ROOT,
    Context,
    NotAvailable,
    Row,
    extrapolated_row,
    secs,
    size_label,
    stats,
    times,
    verdict,
)
from bench.procs import bot_env
from bench.rig import write_sources
from bench.speed import python_start

SCENARIO = "8 open, CLI"
TARGET_OPEN = 2.0
TARGET_CLI = 5.0
# A lookup that decodes nothing it does not need: SQLite on the same rows, one shot.
_SQLITE_LOOKUP = ("import json, sqlite3, sys\n"
                  "db = sqlite3.connect(sys.argv[1])\n"
                  "like = '%' + json.dumps(sys.argv[2])[1:-1] + '%'\n"
                  "find = \"SELECT key, doc FROM rows WHERE tbl = ? AND doc LIKE ?\"\n"
                  "drugs = db.execute(find, ('drugs', like)).fetchall()\n"
                  "events = [db.execute(find, ('events', '%' + key + '%')).fetchall()\n"
                  "          for key, _ in drugs]\n"
                  "print(len(drugs), sum(map(len, events)))")
_WRAPPED = ("import re, runpy, sys\n"
            "sys.argv = ['bot', *sys.argv[1:]]\n"
            "try:\n"
            "    runpy.run_module('bot', run_name='__main__', alter_sys=True)\n"
            "except SystemExit:\n"
            "    pass\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print('HWM', hwm, file=sys.stderr)")


def _open_once(db: Path) -> tuple[float, float, int]:
    """(json.loads CPU, Store open CPU, bytes) from a fresh process."""
    done = subprocess.run([sys.executable, "-m", "bench.child", "open", "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    found = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line}
    if done.returncode != 0 or "OPEN" not in found:
        raise NotAvailable(f"opening the store failed: {done.stderr.strip().splitlines()[-1:]}")
    return float(found["JSON"][0]), float(found["OPEN"][0]), int(found["JSON"][1])


def _cli(ctx: Context, db: Path, args: list[str]) -> tuple[float, str]:
    """Wall seconds of `python -m bot ARGS`, and a problem ('' when it answered)."""
    env = bot_env({"BOT_DB_PATH": str(db), "SOURCES_FILE": str(_sources(ctx)),
                   "LOG_LEVEL": "WARNING"})
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ctx.work, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        return wall, f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-200:]}"
    return wall, ""


def _cli_peak_mb(ctx: Context, db: Path, args: list[str]) -> float | None:
    env = bot_env({"BOT_DB_PATH": str(db), "SOURCES_FILE": str(_sources(ctx)),
                   "LOG_LEVEL": "WARNING"})
    done = subprocess.run([sys.executable, "-c", _WRAPPED, *args], cwd=ctx.work, env=env,
                          capture_output=True, text=True, check=False)
    for line in done.stderr.splitlines():
        if line.startswith("HWM "):
            return int(line.split()[1]) / 1024
    return None


def _sqlite_lookup(path: Path, name: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _SQLITE_LOOKUP, str(path), name], check=True,
                   capture_output=True)
    return time.perf_counter() - started


def _sources(ctx: Context) -> Path:
    path = ctx.work / "cli-sources.toml"
    if not path.exists():
        write_sources(path, [("cli", "http://127.0.0.1:9/unused.xml")])
    return path


def run(ctx: Context) -> list[Row]:
    stores.store_class()
    out: list[Row] = []
    open_cpu: dict[int, float] = {}
    cli_wall: dict[int, float] = {}
    for size in ctx.sizes:
        built = stores.built(ctx, size)
        repeats = ctx.repeats_for(size)
        opens = [_open_once(stores.copy_of(ctx, size, "open")) for _ in range(repeats)]
        js, ours = stats([o[0] for o in opens]), stats([o[1] for o in opens])
        ratio = ours.median / max(js.median, 1e-9)
        out.append(Row(SCENARIO, "store open: CPU", size_label(size), secs(ours.median),
                       ours.spread(secs), f"json.loads of the same file {secs(js.median)}",
                       times(ratio), f"≤ {TARGET_OPEN:g}× at 100k",
                       verdict(ratio <= TARGET_OPEN) if size >= 100_000 else "",
                       f"{opens[0][2] / 1e6:.1f} MB on disk; fresh process per run"))
        open_cpu[size] = ours.median
        db = stores.copy_of(ctx, size, "cli")
        drug = built.names.drugs[0]
        sqlite = built.sqlite  # the same rows in SQLite
        for command, name in (("drug", drug.name), ("target", drug.target)):
            walls, bare, oneshot, problems = [], [], [], set()
            for _ in range(repeats):  # interleaved, so all see the same machine
                wall, problem = _cli(ctx, db, [command, name])
                walls.append(wall)
                bare += python_start(1)
                if sqlite is not None and command == "drug":
                    oneshot.append(_sqlite_lookup(sqlite, name))
                if problem:
                    problems.add(problem)
            w, b = stats(walls), stats(bare)
            ratio = w.median / max(b.median, 1e-9)
            peak = _cli_peak_mb(ctx, db, [command, name])
            judged = command == "drug" and size >= 100_000
            out.append(Row(
                SCENARIO, f"CLI `{command} NAME`: wall", size_label(size), secs(w.median),
                w.spread(secs), f"python -c pass {secs(b.median)}", times(ratio),
                f"≤ {TARGET_CLI:g}× at 100k" if command == "drug" else "",
                verdict(ratio <= TARGET_CLI and not problems) if judged else "",
                (f"peak RSS {peak:.0f} MB" if peak is not None else "peak RSS unknown")
                + (f"; SQLite one-shot on the same rows {secs(stats(oneshot).median)}"
                   if oneshot else "")
                + (f"; FAILED: {sorted(problems)[0]}" if problems else "")))
            if command == "drug":
                cli_wall[size] = w.median
        ctx.log(f"open/CLI at {size:,}: open {ours.median:.2f} s ({ratio:.1f}× json)")
    out += _extrapolated(open_cpu, cli_wall)
    return out


def _extrapolated(open_cpu: dict[int, float], cli_wall: dict[int, float]) -> list[Row]:
    rows = (extrapolated_row(SCENARIO, metric, figures, secs)
            for metric, figures in (("store open: CPU", open_cpu),
                                    ("CLI `drug NAME`: wall", cli_wall)))
    return [row for row in rows if row is not None]
