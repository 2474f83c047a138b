"""The feed-parsing worker process: `python -m bot.sources.parse_worker MEMORY_MB CPU_SECONDS`.

Started and fed by `bot.sources.sandbox`. It caps its own address space
(RLIMIT_AS) before reading anything, and before each parse gives itself a
CPU budget (RLIMIT_CPU, so even a parse nobody is waiting for any more ends),
then answers requests on stdin/stdout until stdin closes (the bot exited).

Messages are length-prefixed pickles (`sandbox.send` / `sandbox.receive`).
Request: `{"body", "headers", "source", "url", "filter"}`. Answers:
`("unseen?", [ids])` (the parent replies with the unseen ones), then
`("ok", ParsedFeed)` or `("error", reason)`. After a MemoryError the worker
answers and exits, so the next parse starts with a fresh heap.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import sys
from collections.abc import Collection, Iterable
from typing import Any, BinaryIO

from bot.errors import SourceError
from bot.sources.rss import read_feed
from bot.sources.sandbox import receive, send

EXIT_AFTER_MEMORY_ERROR = 3


def main(argv: list[str]) -> int:
    memory_mb, cpu_seconds = int(argv[1]), float(argv[2])
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the bot; it closes our stdin
    requests = sys.stdin.buffer
    # The protocol owns fd 1; anything printed by accident goes to stderr instead.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while True:
        request = receive(requests)
        if request is None:
            return 0
        _give_cpu_budget(cpu_seconds)
        answer, exit_code = _serve(request, requests, answers)
        send(answers, answer)
        if exit_code is not None:
            return exit_code


def _serve(request: dict[str, Any], requests: BinaryIO,
           answers: BinaryIO) -> tuple[tuple[str, Any], int | None]:
    def unseen(ids: Iterable[str]) -> Collection[str]:
        send(answers, ("unseen?", list(ids)))
        reply = receive(requests)
        if reply is None:  # the bot is gone: nobody wants this answer
            raise SystemExit(0)
        return set(reply)

    try:
        parsed = read_feed(request["body"], source=request["source"], url=request["url"],
                           headers=request["headers"],
                           unseen=unseen if request.get("filter") else None)
    except SourceError as exc:
        return ("error", exc.reason), None
    except MemoryError:
        request.clear()
        gc.collect()
        return ("error", "parsing it needed more memory than the parser's limit"), \
            EXIT_AFTER_MEMORY_ERROR
    except RecursionError:
        return ("error", "nested too deeply to parse"), None
    except Exception as exc:  # a feedparser bug on this input: this source fails, not the bot
        return ("error", f"the feed parser failed: {type(exc).__name__}: {exc}"), None
    return ("ok", parsed), None


def _give_cpu_budget(seconds: float) -> None:
    """Let this process use `seconds` more CPU from now on; past that the kernel ends it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft = int(used + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
