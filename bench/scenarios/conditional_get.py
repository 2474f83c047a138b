"""Scenario 5: body bytes downloaded per poll of a feed that did not change.

The real `bot.sources.fetch` polls a 100-entry feed on the loopback FeedServer
once (a full download that stores the validators), then several more times
unchanged. The server counts what it sent: a matching If-None-Match /
If-Modified-Since gets a 304 with no body. Measured with ETag only,
Last-Modified only, both, and neither (the server cannot help: full body).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bench.corpus import Names, mixed_items
from bench.feeds import feed_source, rss
from bench.harness import Context, NotAvailable, Row, human_bytes, verdict

LAST_MODIFIED = "Fri, 30 May 2025 14:00:00 GMT"
VARIANTS = (("ETag", '"v1"', None), ("Last-Modified", None, LAST_MODIFIED),
            ("ETag + Last-Modified", '"v1"', LAST_MODIFIED), ("no validators", None, None))


def run(ctx: Context) -> list[Row]:
    try:
        from bot.models import SourceState
        from bot.sources import HttpClient, fetch
    except ImportError as exc:
        raise NotAvailable(f"bot.sources cannot be imported ({exc})") from exc
    from loopback.feed_server import FeedServer, Reply, not_modified

    body = rss("Bench feed", mixed_items(100, Names(50), random.Random(2)))
    polls = 1 if ctx.smoke else 10
    rows = []
    with FeedServer() as server, HttpClient("holdwatch-bench/1.0") as client:
        for name, etag, modified in VARIANTS:
            sent: list[int] = []
            reply = Reply(body=body, content_type="application/rss+xml", etag=etag,
                          last_modified=modified)

            def answer(request: object, reply: Reply = reply, sent: list[int] = sent) -> Reply:
                sent.append(0 if not_modified(request, reply) else len(body))
                return reply

            path = f"/{len(rows)}.xml"
            server.handle(path, answer)
            source = feed_source(f"cond-{len(rows)}", server.url(path))
            state = SourceState(source.name)
            unchanged = 0
            for _ in range(polls + 1):
                result = fetch(source, state, client, now=datetime.now(UTC))
                unchanged += result.not_modified
                state = result.state
            per_poll = sum(sent[1:]) / polls
            supported = etag is not None or modified is not None
            rows.append(Row(
                "5 conditional GET", f"body bytes per unchanged poll, {name}", "100 entries",
                human_bytes(per_poll), f"{polls} polls after the first",
                f"the full body {human_bytes(len(body))}", f"{per_poll / len(body):.0%}",
                "0 B" if supported else "(baseline)",
                verdict(per_poll == 0) if supported else "",
                f"first poll {human_bytes(sent[0])}; {unchanged}/{polls} answered 304"))
    return rows
