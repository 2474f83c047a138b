"""Child processes of the bench: helpers started with `python -m bench.child …`,
and timed runs of the bot's own commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from bench.harness import ROOT, NotAvailable

# Variables a developer's shell may carry that would change what a child bot does.
_FOREIGN = ("SLACK_", "BOT_", "SOURCES_FILE", "ALERT_CHANNEL", "ADMIN_CHANNEL", "SEC_USER_AGENT",
            "LOG_LEVEL", "DIGEST_", "PORT", "TZ")


def bot_env(extra: Mapping[str, str]) -> dict[str, str]:
    """This environment without holdwatch settings, plus EXTRA, with the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


@contextmanager
def helper(args: Sequence[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m bench.child ARGS` until the block ends; yields it and its first line
    (`PORT <n>`). Its stdin closing tells it to stop."""
    child = subprocess.Popen([sys.executable, "-m", "bench.child", *args], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    try:
        if not line.startswith("PORT "):
            _, err = child.communicate(timeout=30)
            raise NotAvailable(f"bench.child {args[0]} did not start: "
                               f"{err.strip().splitlines()[-1:]}")
        yield child, line
    finally:
        stop(child)


def stop(child: subprocess.Popen[str]) -> None:
    if child.stdin is not None and not child.stdin.closed:
        child.stdin.close()
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()
