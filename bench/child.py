"""Work run in a separate process, so its CPU, memory and GIL are not the bench's.

`python -m bench.child serve-app --db PATH --api-url URL --secret S` opens the
store, builds the real Bolt app and HTTP server on a free port, prints
`PORT <n>`, and serves until its stdin closes — the benchmark process plays
Slack's clients, so their threads do not share this process's GIL.

`python -m bench.child serve-feeds --dir DIR --feeds N` serves `/feed<i>.xml`
from the file `DIR/feed<i>.xml` (read on every request, so the parent changes a
feed by replacing its file) with an ETag when the file `DIR/ETAG` exists;
prints `PORT <n>` and serves until its stdin closes. The poll scenarios measure
the bench process's CPU, so the server must not run in it.

`python -m bench.child open --db PATH` prints `JSON <cpu s>` — `json.loads` of
every file of the store (its reference) — then `OPEN <cpu s>` — `Store(PATH)` as the bot
opens it (`stores.open_as_bot`) —
each in a fresh heap, CPU time of this thread.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import sys
import time
from pathlib import Path


def serve_app(db: Path, api_url: str, secret: str) -> int:
    from bench.stores import open_as_bot
    from bot.app import build_app, serve_http

    store = open_as_bot(db)
    app = build_app(store=store, sources=[], signing_secret=secret,
                    bot_token="xoxb-bench-token", api_url=api_url)
    server = serve_http(app, port=0, host="127.0.0.1")
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.shutdown()
    store.close()
    return 0


def serve_feeds(folder: Path, feeds: int) -> int:
    from loopback.feed_server import FeedServer, RecordedRequest, Reply

    def handler(name: str):  # type: ignore[no-untyped-def]
        def answer(_request: RecordedRequest) -> Reply:
            body = (folder / name).read_bytes()
            etag = (f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                    if (folder / "ETAG").exists() else None)
            return Reply(body=body, content_type="application/rss+xml", etag=etag)
        return answer

    with FeedServer() as server:
        for f in range(feeds):
            server.handle(f"/feed{f}.xml", handler(f"feed{f}.xml"))
        print(f"PORT {server.base_url.rsplit(':', 1)[1]}", flush=True)
        sys.stdin.read()
    return 0


def load_json(path: Path) -> object:
    """json.loads of a file: one document, or one per line (a journal)."""
    data = path.read_bytes()
    try:
        return json.loads(data)
    except ValueError:
        return [json.loads(line) for line in data.splitlines() if line.strip()]


def open_store(db: Path) -> int:
    from bench.stores import open_as_bot, store_files

    files = store_files(db)
    for path in files:  # warm the page cache for both
        path.read_bytes()
    gc.collect()
    start = time.thread_time()
    loaded = [load_json(path) for path in files]
    print(f"JSON {time.thread_time() - start:.6f} {sum(p.stat().st_size for p in files)}",
          flush=True)
    del loaded
    gc.collect()
    start = time.thread_time()
    store = open_as_bot(db)
    print(f"OPEN {time.thread_time() - start:.6f}", flush=True)
    store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    sub = parser.add_subparsers(dest="what", required=True)
    app = sub.add_parser("serve-app")
    app.add_argument("--db", type=Path, required=True)
    app.add_argument("--api-url", required=True)
    app.add_argument("--secret", required=True)
    feeds = sub.add_parser("serve-feeds")
    feeds.add_argument("--dir", type=Path, required=True)
    feeds.add_argument("--feeds", type=int, required=True)
    opening = sub.add_parser("open")
    opening.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "serve-app":
        return serve_app(args.db, args.api_url, args.secret)
    if args.what == "serve-feeds":
        return serve_feeds(args.dir, args.feeds)
    return open_store(args.db)


if __name__ == "__main__":
    raise SystemExit(main())
