"""`python -m bot drug|target|status`: one-shot answers from the database.

A lookup runs beside a bot that owns the file, so it opens the store read-only (no
lock taken, nothing written or moved), and the store reads only the tables the
answer needs (bot/store/store.py). Nothing else is built: no Slack or HTTP client,
no scheduler, no extractor. Start-up is most of what a lookup costs, so this module
imports only what the three answers use; tests/test_cli_imports.py checks what
`drug` and `status` load, and bench scenario 8 times `drug` against a bare
`python -c pass` (issue 15: at most 5× at 100k stored items).
"""

from __future__ import annotations

import sys
from contextlib import closing
from datetime import UTC, datetime
from typing import TextIO

from bot import messages
from bot.commands import replies
from bot.config import Settings, load_sources, usable_sources
from bot.store import Store
from bot.store.lockfile import DatabaseLock
from bot.store.targets import Lexicon


def drug_command(settings: Settings, name: str, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    # No target lexicon: a drug's answer asks the store nothing by target.
    with closing(Store(settings.db_path, read_only=True)) as store:
        today = datetime.now(settings.zone).date()
        reply = replies.drug_reply(store, name, today=today, curated=_curated_group)
        out.write(reply.text.rstrip() + "\n")
    return 0


def _curated_group(name: str) -> tuple[str, ...] | None:
    """NAME's drug in the curated alias file; asked only when the store knows no such drug."""
    # Imported here, not above: the file is read by the extractor's AliasBook, and
    # importing any part of bot.extract loads the whole extractor, which costs more
    # than the rest of a lookup. A drug the store knows never needs it.
    from bot.commands.vocab import curated_group

    return curated_group(name)


def target_command(settings: Settings, name: str, *, lexicon: Lexicon,
                   out: TextIO | None = None) -> int:
    """LEXICON: the target lexicon (the extractor's), which the caller imports."""
    out = out or sys.stdout
    with closing(Store(settings.db_path, read_only=True, target_lexicon=lexicon)) as store:
        today = datetime.now(settings.zone).date()
        reply = replies.target_reply(store, name, today=today, canonical=lexicon)
        out.write(reply.text.rstrip() + "\n")
    return 0


def status_command(settings: Settings, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    pid = DatabaseLock(settings.db_path).holder()
    running = messages.running_pid(pid) if pid else None
    # The skipped EDGAR sources are listed below with why; no warning line besides.
    sources = usable_sources(load_sources(settings.sources_file),
                             sec_user_agent=settings.sec_user_agent, warn=False)
    with closing(Store(settings.db_path, read_only=True)) as store:
        reply = replies.status_reply(sources, store.source_states(), datetime.now(UTC),
                                     tz=settings.tz, running=running)
        out.write(reply.text.rstrip() + "\n")
    return 0
