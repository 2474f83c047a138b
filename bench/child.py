"""Work run in a separate process: the Slack app under load, and start-up / memory.

`python -m bench.child serve-app --db PATH --api-url URL --secret S` opens the
store, builds the real Bolt app and HTTP server on a free port, prints
`PORT <n>`, and serves until its stdin closes — the benchmark process plays
Slack's clients, so their threads do not share this process's GIL.

`python -m bench.child startup --db PATH --sources FILE` is the bot's start:
settings, store, runtime, scheduler started; it prints `READY <seconds since
process start>` then exercises the store (queries and one commit) and prints
`RSS <peak kilobytes>`.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path


def _since_start() -> float:
    """Seconds since this process was created (kernel start time, not import time)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        import os

        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def serve_app(db: Path, api_url: str, secret: str, backlog: int | None) -> int:
    from http.server import ThreadingHTTPServer

    from bot.app import build_app, serve_http
    from bot.store import Store

    if backlog:  # what-if: the listen queue the stdlib server asks for is only 5
        ThreadingHTTPServer.request_queue_size = backlog

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
    from bot.config import load_settings
    from bot.runtime import Runtime
    from bot.scheduler import build_scheduler

    settings = load_settings({"BOT_DB_PATH": str(db), "SOURCES_FILE": str(sources),
                              "LOG_LEVEL": "WARNING"}, dotenv_path=None)
    rt = Runtime.open(settings, exclusive=True)
    scheduler = build_scheduler(rt.poller, rt.sources, tz=settings.tz)
    scheduler.start()
    print(f"READY {_since_start():.3f}", flush=True)
    store = rt.store
    t0 = time.perf_counter()
    stats = store.stats()
    for record in store.held_drugs()[:50]:
        store.timeline(record.id)
        store.find_drug(record.name)
    store.recent_events(20)
    store.save_source_state(store.source_state("bench-startup"))  # one full write
    print(f"WORK {time.perf_counter() - t0:.3f} items={stats['items']}", flush=True)
    scheduler.shutdown(wait=True)
    rt.close()
    print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    sub = parser.add_subparsers(dest="what", required=True)
    app = sub.add_parser("serve-app")
    app.add_argument("--db", type=Path, required=True)
    app.add_argument("--api-url", required=True)
    app.add_argument("--secret", required=True)
    app.add_argument("--backlog", type=int, default=None)
    start = sub.add_parser("startup")
    start.add_argument("--db", type=Path, required=True)
    start.add_argument("--sources", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "serve-app":
        return serve_app(args.db, args.api_url, args.secret, args.backlog)
    return startup(args.db, args.sources)


if __name__ == "__main__":
    raise SystemExit(main())
