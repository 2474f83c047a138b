"""One-shot lookups load only what their answer needs (bot/cli.py, bot/cli_lookups.py).

Start-up is most of what `python -m bot drug NAME` costs, so `drug` and `status` must
not load Slack, HTTP, the scheduler, feed parsing or the extractor, which `run` needs.
Each case runs the real command in a fresh interpreter (through runpy, as `-m` does)
on a seeded database and lists the modules it loaded: names, not time (bench/
scenario 8 measures the time against a bare `python -c pass`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.commands.seed import seeded_store

REPO = Path(__file__).resolve().parents[1]
RUNNER = """\
import runpy, sys
sys.argv = ["bot", *sys.argv[1:]]
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    code = stop.code
print("LOADED", *sorted(sys.modules), file=sys.stderr)
sys.exit(code)
"""
RUN_ONLY = ("slack_sdk", "slack_bolt", "httpx", "feedparser", "apscheduler", "waitress",
            "bot.pipeline", "bot.sources", "bot.notify.slack", "bot.scheduler")
EXTRACTOR = "bot.extract"


def lookup(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    """What `python -m bot ARGS` printed, and the top modules it loaded."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO),
           "HOME": str(tmp_path), "BOT_DB_PATH": str(tmp_path / "holdwatch.json")}
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    [loaded] = [line.split()[1:] for line in done.stderr.splitlines()
                if line.startswith("LOADED ")]
    return done.stdout, set(loaded)


def loaded_of(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in loaded or any(m.startswith(n + ".") for m in loaded))


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    seeded_store(tmp_path).close()
    return tmp_path


def test_drug_loads_neither_slack_http_scheduler_nor_extractor(seeded: Path) -> None:
    out, loaded = lookup(seeded, "drug", "zevor-cel")
    assert "zevorcabtagene autoleucel" in out and "Hold history" in out
    assert loaded_of(loaded, (*RUN_ONLY, EXTRACTOR)) == []


def test_status_loads_neither_slack_http_scheduler_nor_extractor(seeded: Path) -> None:
    out, loaded = lookup(seeded, "status")
    assert "No holdwatch bot is running" in out
    assert loaded_of(loaded, (*RUN_ONLY, EXTRACTOR)) == []


def test_target_loads_the_target_lexicon_and_nothing_run_needs(seeded: Path) -> None:
    out, loaded = lookup(seeded, "target", "CLDN18.2")
    assert "Drugs against Claudin18.2" in out and "satricabtagene autoleucel" in out
    assert loaded_of(loaded, RUN_ONLY) == []


def test_a_drug_only_the_curated_file_knows_loads_it_then(seeded: Path) -> None:
    """The curated alias file is read by the extractor's code: loaded for this answer."""
    out, loaded = lookup(seeded, "drug", "cilta-cel")
    assert "ciltacabtagene autoleucel" in out and "is a known drug" in out
    assert EXTRACTOR in loaded
    assert loaded_of(loaded, RUN_ONLY) == []
