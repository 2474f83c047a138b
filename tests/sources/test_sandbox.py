"""Feeds are parsed in worker processes that a deadline and a memory cap can stop."""

from __future__ import annotations

import os
import threading

import pytest

from bot.errors import SourceError
from bot.models import SourceConfig
from bot.sources.sandbox import ParserPool
from tests.e2e.conftest import rss
from tests.reliability.harness import hold_entry, news_entries
from tests.sources.hostile import ENCODED_BOMBS, GUARD_REASON
from tests.timing import wait_until

SOURCE = SourceConfig(name="press", kind="rss", url="https://wire.example.org/feed")
HEADERS = {"content-type": "application/rss+xml"}  # no charset: the body says
SMALL = rss(hold_entry(1)).encode()
# About 4 MB and 8,000 entries: a few seconds of feedparser on any machine.
BIG = rss(*news_entries(8000, lift_every=0)).encode()


@pytest.fixture
def pool():
    pools: list[ParserPool] = []

    def make(**kwargs) -> ParserPool:
        pools.append(ParserPool(**kwargs))
        return pools[-1]

    yield make
    for made in pools:
        made.close()


def _parse(pool: ParserPool, body: bytes = SMALL, **kwargs):
    return pool.parse(body, source=SOURCE, url=SOURCE.url, headers=HEADERS, **kwargs)


def test_parse_runs_in_a_separate_process_and_is_reused(pool) -> None:
    """Items come back from a worker process; the next parse uses the same worker."""
    parser = pool()
    assert [i.key for i in _parse(parser).items] == ["hold-1"]
    workers = parser.pids()
    assert len(workers) == 1 and workers[0] != os.getpid()
    assert [i.key for i in _parse(parser, unseen=lambda ids: ids).items] == ["hold-1"]
    assert parser.pids() == workers


def test_guard_refusal_comes_back_as_the_sources_error(pool) -> None:
    parser = pool()
    with pytest.raises(SourceError, match=GUARD_REASON):
        _parse(parser, ENCODED_BOMBS["utf-7"]())
    assert [i.key for i in _parse(parser).items] == ["hold-1"]  # the worker is still good


def test_a_parse_past_its_deadline_is_stopped_and_the_next_one_works(pool) -> None:
    """The worker is killed at the deadline; the source fails with that reason."""
    parser = pool(deadline=0.05)
    with pytest.raises(SourceError, match=r"longer than 0\.05 s; stopped"):
        _parse(parser, BIG)
    assert parser.pids() == []
    parser.deadline = 60.0
    assert [i.key for i in _parse(parser).items] == ["hold-1"]


def test_a_parse_over_the_memory_cap_fails_alone(pool) -> None:
    """A worker whose parse needs more than its address-space limit answers with an error
    (MemoryError stays inside it); a fresh worker takes the next feed."""
    parser = pool(memory_mb=50)
    with pytest.raises(SourceError, match="more memory than the parser's limit"):
        _parse(parser, BIG)
    assert [i.key for i in _parse(parser).items] == ["hold-1"]


def test_a_slow_parse_does_not_hold_up_another_source(pool) -> None:
    """With two workers, a small feed is parsed while a big one is still being parsed."""
    parser = pool(workers=2, deadline=120)
    done: list[str] = []

    def big() -> None:
        _parse(parser, BIG)
        done.append("big")

    thread = threading.Thread(target=big)
    thread.start()
    wait_until(lambda: len(parser.pids()) == 1, timeout=30, what="the big parse to start")
    _parse(parser)
    done.append("small")
    thread.join(timeout=120)
    assert done == ["small", "big"]


def test_answers_cannot_carry_arbitrary_objects() -> None:
    """The parent unpickles worker answers with an allow-list."""
    import io
    import pickle

    from bot.sources.sandbox import _AnswerUnpickler

    evil = pickle.dumps(("ok", os.system))
    with pytest.raises(pickle.UnpicklingError, match="may not contain"):
        _AnswerUnpickler(io.BytesIO(evil)).load()
