"""`python -m bot demo`: the sample feed through the real pipeline, lookups and the digest.

Driven through the real CLI in a subprocess and judged by what it prints; the pacing
and the network are checked in-process with an injected sleep and a socket guard.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import demo
from bot.demo_feed import DemoFeed

REPO = Path(__file__).resolve().parents[1]


def run_demo_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
                 stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    # A configured Slack token in the environment must not make the demo post anywhere.
    clean = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
             "SLACK_BOT_TOKEN": "xoxb-must-not-be-used", "SLACK_API_URL": "http://10.255.255.1:9/",
             **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", "demo", *args], cwd=tmp_path, env=clean,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=90,
                          check=False)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> str:
    result = run_demo_cli(tmp_path_factory.mktemp("demo"), "--fast")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_multi_outlet_hold_is_one_alert_with_three_outlets(printed: str) -> None:
    """Three outlets' stories of CARsgen's hold print as one alert linking all three."""
    assert printed.count("[console] 🛑 Clinical hold: CARsgen Therapeutics\n") == 1
    alert = printed.split("🛑 Clinical hold: CARsgen Therapeutics\n", 1)[1].split("\n\n", 1)[0]
    for outlet in ("The Hold Report (https://", "Trial Wire (https://",
                   "Pipeline Weekly (https://"):
        assert outlet in alert
    assert "Date: 12 Dec 2023" in alert and "Reason: CMC (manufacturing)" in alert
    assert "zevorcabtagene autoleucel (zevor-cel, CT053) — BCMA" in alert


def test_the_lift_months_later_replies_in_the_hold_thread_with_its_duration(printed: str) -> None:
    """The lift is a reply in the hold's thread, 324 days on; the hold alert is updated."""
    assert "↳ reply in the hold's thread: ✅ Clinical hold lifted: CARsgen Therapeutics" in printed
    assert "After 324 days on hold (hold of 12 Dec 2023)" in printed
    assert "✎ updated: 🛑 Clinical hold: CARsgen Therapeutics\n  + ✅ Lifted on 31 Oct 2024" \
        in printed


def test_partial_hold_and_non_english_release_alert(printed: str) -> None:
    """A partial hold and a German release ('klinischen Stopp') each give an alert."""
    assert "[console] ⚠ Partial clinical hold: Halvorsen Therapeutics" in printed
    assert "[console] 🛑 Clinical hold: Auenfeld Biologics" in printed
    assert "FDA verhängt klinischen Stopp" in printed


def test_hard_negatives_are_shown_as_not_alerted(printed: str) -> None:
    """Risk factors, a voluntary pause, another regulator, an approval and an analysis
    piece are each listed as not alerted, and none has an alert."""
    for company in ("Tessaly Oncology", "Quillmark Bio", "Northbay Pharma",
                    "Pellucid Therapeutics", "What the CARsgen holds taught"):
        [line] = [line for line in printed.splitlines() if company in line]
        assert line.startswith("  not alerted (no new FDA hold decision): ")
    headlines = [line for line in printed.splitlines() if line.startswith("[console] ")]
    assert len(headlines) == 6  # hold, partial hold, German hold, lift, two updates


def test_ends_with_lookups_and_the_digest(printed: str) -> None:
    """drug CT041, target BCMA, holds active and the digest, answered from the demo store."""
    tail = printed.split("$ python -m bot drug CT041", 1)[1]
    drug, rest = tail.split("$ python -m bot target BCMA", 1)
    assert "satricabtagene autoleucel" in drug and "No hold in force (lifted) since 31 Oct 2024" \
        in drug
    assert "Hold lifted after 324 days on hold" in drug
    target, rest = rest.split("/holds active", 1)
    assert "zevorcabtagene autoleucel" in target
    active, digest = rest.split("$ python -m bot digest --dry-run --since 2023-12-12", 1)
    assert "2 drugs on clinical hold" in active and "HLV-311" in active and "AFB-204" in active
    assert "Clinical holds, 12 Dec 2023 – " in digest
    assert "New holds (3)" in digest and "Holds lifted (1)" in digest
    assert "Still on hold (2)" in digest and "BCMA: 2" in digest


def test_plain_output_when_not_a_terminal(printed: str) -> None:
    """Piped output carries no colour codes."""
    assert "\033[" not in printed


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path, no_color: str,
                                              coloured: bool) -> None:
    """On a terminal the headlines are coloured (red hold, green lift); NO_COLOR turns it off."""
    leader, follower = os.openpty()
    try:
        env = {"TERM": "xterm", **({"NO_COLOR": no_color} if no_color else {})}
        result = run_demo_cli(tmp_path, "--fast", env=env, stdout=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    out = b"".join(chunks).decode("utf-8", errors="replace")
    assert result.returncode == 0, result.stderr
    assert "Clinical hold: CARsgen Therapeutics" in out
    assert ("\033[1;31m" in out and "\033[1;32m" in out) is coloured
    assert ("\033[" in out) is coloured


def test_pacing_stays_under_30_seconds_by_count() -> None:
    """Paced for a person (a pause before each day and lookup), but the pauses add up to
    well under 30 s: counted through an injected sleep, not timed."""
    pauses: list[float] = []
    out = io.StringIO()
    assert demo.run_demo(out=out, sleep=pauses.append) == 0
    days = len(DemoFeed().days())
    assert len(pauses) == days + len(demo.LOOKUPS) + 1
    assert 10 <= sum(pauses) <= 25
    assert demo.run_demo(fast=True, out=io.StringIO(), sleep=pauses.append) == 0
    assert len(pauses) == days + len(demo.LOOKUPS) + 1  # --fast: no pause at all


def test_no_connection_leaves_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection the demo opens goes to 127.0.0.1 (its own feed server)."""
    seen: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        assert address[0] == "127.0.0.1", f"the demo tried to reach {address}"
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    assert demo.run_demo(fast=True, out=io.StringIO()) == 0
    assert seen  # it did poll its feed over HTTP


def test_the_product_does_not_import_the_test_fakes() -> None:
    """bot.demo serves its own feed: neither loopback/ nor tests/ is imported."""
    code = ("import sys, bot.demo, bot.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('loopback', 'tests')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
