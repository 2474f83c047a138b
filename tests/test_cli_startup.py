"""Start-up failures through the real CLI: one line naming the setting and the fix, exit 2.

Each case runs `python -m bot` as an operator would, in a clean directory with a clean
environment, and reads what it printed. (The database path, BOT_DB_PATH, has its own
tests in tests/store.)
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli import build_parser
from loopback.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[1]
GOOD_SOURCES = ('[[source]]\nname = "press"\nkind = "rss"\nurl = "http://127.0.0.1:9/feed"\n'
                'interval = "1m"\n')


def run_bot(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "HOME": str(workdir),
             "BOT_DB_PATH": str(workdir / "db" / "holdwatch.json"), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=workdir, env=clean,
                          capture_output=True, text=True, timeout=60, check=False)


def assert_one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, nothing but one line on stderr, naming every word given; no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(GOOD_SOURCES)
    return path


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else is already listening on."""
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_port_already_in_use_is_one_line_naming_port(
    tmp_path: Path, sources: Path, taken_port: int, fake_slack: FakeSlack
) -> None:
    """HTTP mode on a taken PORT: one line naming PORT and the fix, exit 2, nothing polled."""
    result = run_bot(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cr3t",
                                "SLACK_API_URL": fake_slack.url, "PORT": str(taken_port),
                                "SOURCES_FILE": str(sources)}, "run", "--http")
    line = assert_one_line(result, "PORT", str(taken_port), "already in use",
                           "set PORT to a free port")
    assert line.startswith("holdwatch: ")


BadSetup = Callable[[Path], dict[str, str]]


def _sources_text(text: str | bytes) -> BadSetup:
    def setup(tmp: Path) -> dict[str, str]:
        path = tmp / "mine.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return {"SOURCES_FILE": str(path)}
    return setup


def _bad_dotenv(tmp: Path) -> dict[str, str]:
    (tmp / ".env").write_bytes(b"TZ=\xff\xfe\n")
    return {}


CASES: dict[str, tuple[BadSetup, tuple[str, ...]]] = {
    "sources file missing": (lambda tmp: {"SOURCES_FILE": str(tmp / "nope.toml")},
                             ("SOURCES_FILE", "does not exist")),
    "sources file is a directory": (lambda tmp: {"SOURCES_FILE": str(tmp)},
                                    ("SOURCES_FILE", "is a directory")),
    "sources file not TOML": (_sources_text("[[source]\nname = "),
                              ("SOURCES_FILE", "not valid TOML")),
    "sources file not text": (_sources_text(b"\x89PNG\r\n\x1a\n\xff\xfe"),
                              ("SOURCES_FILE", "not UTF-8")),
    "sources file typo": (_sources_text(GOOD_SOURCES + "intervall = '5m'\n"),
                          ("SOURCES_FILE", "press", "intervall")),
    "sources entry not a table": (_sources_text("source = [1, 2]\n"),
                                  ("SOURCES_FILE", "not a table")),
    "PORT not a number": (lambda tmp: {"PORT": "eighty"}, ("PORT", "not a whole number")),
    "PORT out of range": (lambda tmp: {"PORT": "70000"}, ("PORT", "1–65535")),
    "unknown TZ": (lambda tmp: {"TZ": "Mars/Olympus"}, ("TZ", "IANA")),
    "unreadable .env": (_bad_dotenv, (".env", "not UTF-8")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_start_up_failure_is_one_line(tmp_path: Path, case: str) -> None:
    """A bad setting stops `run` with one line naming it and what to do, exit 2."""
    setup, words = CASES[case]
    assert_one_line(run_bot(tmp_path, setup(tmp_path), "run"), *words)


def test_http_mode_without_signing_secret(tmp_path: Path, sources: Path) -> None:
    """`run --http` without SLACK_SIGNING_SECRET names the variable and where to find it."""
    result = run_bot(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-test", "SOURCES_FILE": str(sources)},
                     "run", "--http")
    assert_one_line(result, "SLACK_SIGNING_SECRET", "Basic Information")


def test_every_command_and_option_has_help_text() -> None:
    """`python -m bot COMMAND --help` explains every command and each of its options."""
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    listed = {choice.dest: choice.help for choice in commands._choices_actions}
    assert set(commands.choices) == set(listed) >= {"run", "poll", "extract", "drug", "target",
                                                    "backfill", "status", "digest", "demo"}
    for name, sub in commands.choices.items():
        assert listed[name] and sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
