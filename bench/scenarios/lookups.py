"""Scenario 4: `/drug`, `/target`, `/holds active` latency through the signed HTTP endpoint.

The real Bolt app and HTTP server run in a child process (`bench.child
serve-app`) over a copy of the N-item store, with its Web API pointed at
FakeSlack. This process plays Slack: it signs each slash command with the
signing secret (slack_sdk SignatureVerifier), POSTs it to /slack/events, and
times (a) the HTTP ack and (b) the answer's arrival at the command's
`response_url` (a loopback catcher). Concurrency is closed-loop: c clients,
each sending its next command once its previous answer arrived. The figure is
the answer's p99; its same-run references are the same command at c=1 and the
fixed loop (for the p99 on the reference core, the target's unit).
A refused or reset connection is counted as a failure in the row's note (the
stdlib server's backlog of 5 used to cause both at c=20; bot/app.py now asks for
SOMAXCONN).
"""

from __future__ import annotations

import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from urllib.parse import urlencode

from bench import stores
from bench.catcher import ResponseCatcher
from bench.harness import Context, NotAvailable, Row, Stats, ms, size_label, stats, times, verdict
from bench.procs import helper
from bench.speed import Loop

SCENARIO = "4 lookups"
SECRET = "bench-signing-secret"
TARGET_P99 = 0.050
_ids = count()


class Slash:
    """Signs and sends slash commands to the app's /slack/events."""

    def __init__(self, port: int, catcher: ResponseCatcher) -> None:
        from slack_sdk.signature import SignatureVerifier

        self.port = port
        self.catcher = catcher
        self.verifier = SignatureVerifier(SECRET)

    def send(self, command: str, text: str) -> tuple[float, float]:
        """(seconds to the ack, seconds to the answer at response_url)."""
        path = f"/respond/{next(_ids)}"
        body = urlencode({
            "token": "unused", "team_id": "T0HOLDWCH", "team_domain": "holdwatch",
            "channel_id": "C0BENCH01", "channel_name": "bench", "user_id": "U0BENCH01",
            "user_name": "bench", "command": command, "text": text,
            "api_app_id": "A0BENCH01", "trigger_id": "1.2.3",
            "response_url": self.catcher.url(path)})
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp,
                                                                         body=body)}
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        acked = time.perf_counter()
        if response.status != 200:
            raise RuntimeError(f"{command} {text!r}: HTTP {response.status} from the app")
        arrived = self.catcher.wait(path)
        if arrived is None:
            raise RuntimeError(f"{command} {text!r}: no answer at response_url within 10 s")
        return acked - start, arrived - start


def _queries(ctx: Context, size: int) -> dict[str, list[str]]:
    names = stores.built(ctx, size).names
    drugs = names.drugs[:200]
    return {
        "/drug": [d.name if i % 2 else d.code for i, d in enumerate(drugs)],
        "/target": sorted({d.target for d in drugs})[:100],
        "/holds": ["active"],
    }


def _measure(slash: Slash, command: str, texts: list[str], requests: int,
             clients: int) -> tuple[list[float], list[float], list[str]]:
    """Ack and answer times of the requests that succeeded, and the failures' reasons."""
    jobs = [texts[i % len(texts)] for i in range(requests)]

    def one(text: str) -> tuple[float, float] | str:
        try:
            return slash.send(command, text)
        except (OSError, RuntimeError) as exc:  # a refused or reset connection is a result
            return f"{type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, jobs))
    ok = [r for r in results if not isinstance(r, str)]
    return [r[0] for r in ok], [r[1] for r in ok], [r for r in results if isinstance(r, str)]


def run(ctx: Context) -> list[Row]:
    try:
        import bot.app  # noqa: F401
    except ImportError as exc:
        raise NotAvailable(f"bot.app cannot be imported ({exc})") from exc
    from loopback.fake_slack import FakeSlack

    rows: list[Row] = []
    per_level = {1: 3, 20: 20} if ctx.smoke else {1: 100, 20: 300}
    for size in ctx.sizes:
        db = stores.copy_of(ctx, size, "lookups")
        with FakeSlack() as slack, ResponseCatcher() as catcher, helper(
                ["serve-app", "--db", str(db), "--api-url", slack.url, "--secret", SECRET]
        ) as (_, line):
            slash = Slash(int(line.split()[1]), catcher)
            loop = ctx.loop()
            for command, texts in _queries(ctx, size).items():
                _measure(slash, command, texts, 5, 1)  # warm-up
                single: Stats | None = None
                for clients, requests in per_level.items():
                    acks, answers, errors = _measure(slash, command, texts, requests, clients)
                    row, measured = _row(size, command, clients, acks, answers, errors, single,
                                         loop)
                    rows.append(row)
                    single = single or measured
        ctx.log(f"lookups at {size:,} done")
    return rows


def _row(size: int, command: str, clients: int, acks: list[float], answers: list[float],
         errors: list[str], single: Stats | None, loop: Loop) -> tuple[Row, Stats | None]:
    """The answer latency at this concurrency, against c=1 from the same run."""
    name = f"{command} active" if command == "/holds" else command
    judged = clients >= 20 and size >= 100_000
    target = f"p99 < {TARGET_P99 * 1000:.0f} ms on ref core (c=20, 100k)" if clients >= 20 else ""
    failed = f"; {len(errors)} FAILED ({errors[0]})" if errors else ""
    metric = f"{name} c={clients}: answer p99"
    if not answers:
        return Row(SCENARIO, metric, size_label(size), "—", target=target, verdict="NOT MET",
                   note=f"every request failed{failed}"), None
    s, ack = stats(answers), stats(acks)
    on_ref = loop.on_ref_wall(s.p99)
    if single is None:
        reference, ratio = loop.describe(), f"{on_ref * 1000:.1f} ms on ref core"
    else:
        reference = f"c=1 p99 {ms(single.p99)}"
        ratio = f"{times(s.p99 / single.p99)}; {on_ref * 1000:.1f} ms on ref core"
    return Row(SCENARIO, metric, size_label(size), ms(s.p99),
               f"p50 {ms(s.median)}, max {ms(s.high)}", reference, ratio, target,
               verdict(on_ref < TARGET_P99 and not errors) if judged else "",
               f"{s.n} requests; until the answer reached response_url; HTTP ack p50 "
               f"{ms(ack.median)}, p99 {ms(ack.p99)}{failed}"), s
