"""Work run in a separate process: the Slack app under load, and start-up / memory.

`python -m bench.child serve-app --db PATH --api-url URL --secret S` opens the
store, builds the real Bolt app and HTTP server on a free port, prints
`PORT <n>`, and serves until its stdin closes — the benchmark process plays
Slack's clients, so their threads do not share this process's GIL.

`python -m bench.child startup --db PATH --sources FILE` is the bot's start:
settings, store, runtime, scheduler started; it prints `READY`, lets every
source's first poll run, exercises the store (queries and one write) and prints
`RSS <peak KiB>` (VmHWM).
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak_rss_kb() -> int:
    """Peak resident memory of this process image, in KiB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child
    of a big benchmark process would report its parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def serve_app(db: Path, api_url: str, secret: str) -> int:
    from bot.app import build_app, serve_http
    from bot.store import Store

    store = Store(db)
    app = build_app(store=store, sources=[], signing_secret=secret,
                    bot_token="xoxb-bench-token", api_url=api_url)
    server = serve_http(app, port=0, host="127.0.0.1")
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.shutdown()
    store.close()
    return 0


def startup(db: Path, sources: Path) -> int:
    """Start like `python -m bot` does, then load the store the way a busy hour would."""
    try:
        from bot.config import load_settings
        from bot.runtime import Runtime
        from bot.scheduler import build_scheduler
    except ImportError as exc:  # a stage still missing: measure the store alone
        print(f"MODE store only (runtime unavailable: {exc})", flush=True)
        return _store_only(db)
    settings = load_settings({"BOT_DB_PATH": str(db), "SOURCES_FILE": str(sources),
                              "LOG_LEVEL": "WARNING"}, dotenv_path=None)
    try:
        rt = Runtime.open(settings, exclusive=True)
    except Exception as exc:  # an integration bug: still measure what can be measured
        print(f"MODE store only (Runtime.open failed: {type(exc).__name__}: {exc})", flush=True)
        return _store_only(db)
    scheduler = build_scheduler(rt.poller, rt.sources, tz=settings.tz)
    scheduler.start()
    print("READY", flush=True)
    names = {s.name for s in rt.sources}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the first poll of every source runs at start
        states = rt.store.source_states()
        if all(n in states and states[n].last_attempt for n in names):
            break
        time.sleep(0.05)
    _exercise(rt.store)
    scheduler.shutdown(wait=True)
    rt.close()
    print(f"RSS {_peak_rss_kb()}", flush=True)
    return 0


def _store_only(db: Path) -> int:
    from bot.store import Store

    store = Store(db)
    print("READY", flush=True)
    _exercise(store)
    store.close()
    print(f"RSS {_peak_rss_kb()}", flush=True)
    return 0


def _exercise(store: Any) -> None:
    """Queries the commands make, and one full write (serialisation doubles the data)."""
    for record in store.held_drugs()[:50]:
        store.timeline(record.id)
        store.find_drug(record.name)
    store.recent_events(20)
    store.save_source_state(store.source_state("bench-startup"))


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    sub = parser.add_subparsers(dest="what", required=True)
    app = sub.add_parser("serve-app")
    app.add_argument("--db", type=Path, required=True)
    app.add_argument("--api-url", required=True)
    app.add_argument("--secret", required=True)
    start = sub.add_parser("startup")
    start.add_argument("--db", type=Path, required=True)
    start.add_argument("--sources", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "serve-app":
        return serve_app(args.db, args.api_url, args.secret)
    return startup(args.db, args.sources)


if __name__ == "__main__":
    raise SystemExit(main())
