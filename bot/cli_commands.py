"""What each `python -m bot` command does, once its arguments are parsed."""

from __future__ import annotations

import logging
import sys
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from bot import messages
from bot import sources as source_stage
from bot.commands import replies
from bot.config import Settings
from bot.digest import digest_message, digest_reply, digest_window, post_digest
from bot.extract import run_jsonl
from bot.models import Candidate, EventChange
from bot.pipeline import PollReport
from bot.poll_rounds import summary
from bot.runtime import Runtime, utc_now
from bot.store.lockfile import DatabaseLock

log = logging.getLogger("holdwatch")


# ------------------------------------------------------------------- extract


def extract_command(file: str | None, *, out: TextIO | None = None, explain: bool = False
                    ) -> int:
    out = out or sys.stdout
    if file is None:
        for line in run_jsonl(sys.stdin, explain=explain):
            out.write(line + "\n")
        return 0
    try:
        with Path(file).open(encoding="utf-8", errors="replace") as stream:
            for line in run_jsonl(stream, explain=explain):
                out.write(line + "\n")
    except OSError as exc:
        print(f"holdwatch: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


# ---------------------------------------------------------------------- poll


def _event_line(label: str, company: str | None, drugs: list[str], title: str) -> str:
    names = ", ".join(drugs) or "no drug named"
    return f"  [{label}] {company or 'unknown company'}: {names} — {title}"


def _print_report(report: PollReport, out: TextIO) -> None:
    out.write(report.summary() + "\n")
    if report.changes:
        for change in report.changes:
            _print_change(change, out)
    elif report.candidates and not report.baseline:
        for cand in report.candidates:
            _print_candidate(cand, out)


def _print_change(change: EventChange, out: TextIO) -> None:
    event = change.event
    note = "" if change.kind == "new" else f" ({change.kind.replace('_', ' ')})"
    out.write(_event_line(event.label, event.company, [d.name for d in event.drugs],
                          change.source.title) + note + "\n")


def _print_candidate(cand: Candidate, out: TextIO) -> None:
    ex = cand.extraction
    out.write(_event_line(ex.label, ex.company, [d.name for d in ex.drugs], cand.item.title)
              + "\n")


def poll_command(
    settings: Settings, *, source: str | None, dry_run: bool, include_existing: bool,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    with closing(Runtime.open(settings, exclusive=not dry_run, console=out)) as rt:
        try:
            chosen = [rt.source(source)] if source else [s for s in rt.sources if s.enabled]
        except KeyError as exc:
            print(f"holdwatch: {exc.args[0]}", file=sys.stderr)
            return 2
        if not dry_run:
            rt.poller.deliver()  # finish what a crash left pending before adding more
        # one store write for every source polled (issue 15: one commit per tick)
        reports = rt.poller.poll_many(chosen, dry_run=dry_run,
                                      include_existing=include_existing, force=True)
        failed = sum(report.error is not None for report in reports)
        for report in reports:
            _print_report(report, out)
        if not dry_run:  # one cycle: nothing more will arrive to group with (GROUP_WAIT)
            rt.poller.deliver(everything=True)
        if failed:
            _level, line = summary({r.source: r.error for r in reports})
            out.write(line + "\n")
        if any(r.baseline for r in reports) and not dry_run:
            out.write(messages.FIRST_POLL_NOTE + "\n")
        if dry_run:
            out.write("dry run: nothing was stored or posted\n")
    return 1 if failed and failed == len(chosen) else 0


# -------------------------------------------------------------------- lookups


def lookup_command(settings: Settings, kind: str, name: str, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with closing(Runtime.open(settings, exclusive=False)) as rt:
        today = datetime.now(settings.zone).date()
        if kind == "drug":
            reply = replies.drug_reply(rt.store, name, today=today)
        else:
            reply = replies.target_reply(rt.store, name, today=today)
        out.write(reply.text.rstrip() + "\n")
    return 0


def status_command(settings: Settings, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    pid = DatabaseLock(settings.db_path).holder()
    running = messages.running_pid(pid) if pid else None
    # The skipped EDGAR sources are listed below with why; no warning line besides.
    with closing(Runtime.open(settings, exclusive=False, warn=False)) as rt:
        reply = replies.status_reply(rt.sources, rt.store.source_states(), utc_now(),
                                     tz=settings.tz, running=running)
        out.write(reply.text.rstrip() + "\n")
    return 0


# --------------------------------------------------------------------- digest


def digest_command(
    settings: Settings, *, dry_run: bool, since: date | None, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    now = utc_now()
    today = now.astimezone(settings.zone).date()
    start, end = (since, today) if since else digest_window(now, settings.tz)
    if start > end:
        print(f"holdwatch: --since {start} is after today ({today}) in TZ {settings.tz}",
              file=sys.stderr)
        return 2
    with closing(Runtime.open(settings, exclusive=False, warn=False)) as rt:
        reply = digest_reply(rt.store, start=start, end=end, tz=settings.tz, force=True,
                             today=today)
        assert reply is not None  # force=True: an empty period still gives a reply
        if dry_run or rt.web_client is None:
            out.write(reply.text.rstrip() + "\n")
            return 0
        message = digest_message(reply, start=start, end=end)
        channels = [settings.alert_channel, *rt.store.digest_channels()]
        if not any(channels):
            print(f"holdwatch: {messages.DIGEST_NOWHERE}", file=sys.stderr)
            return 2
        reached = post_digest(rt.web_client, message, channels=channels)
    out.write(messages.digest_posted(reached) + "\n")
    return 0 if reached else 1


# ------------------------------------------------------------------- backfill


def _progress(stream: TextIO, source: str):  # type: ignore[no-untyped-def]
    def show(done: int, total: int | None) -> None:
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "#" * filled + "-" * (width - filled)
            stream.write(f"\r{source}: [{bar}] {done}/{total}")
        else:
            stream.write(f"\r{source}: {done} items")
        stream.flush()

    return show


def backfill_command(
    settings: Settings, *, since: date, source: str | None, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = sys.stderr
    with closing(Runtime.open(settings, exclusive=True, console=out)) as rt:
        try:
            chosen = [rt.source(source)] if source else [s for s in rt.sources if s.enabled]
        except KeyError as exc:
            print(f"holdwatch: {exc.args[0]}", file=err)
            return 2
        total_items = total_events = 0
        for src in chosen:
            pages = source_stage.backfill(
                src, since=since, client=rt.client, sec_user_agent=settings.sec_user_agent,
                progress=_progress(err, src.name),
            )
            try:
                for items in pages:
                    unseen = rt.store.unseen([i.id for i in items])
                    fresh = [i for i in items if i.id in unseen]
                    candidates = rt.poller.candidates(fresh)
                    state = rt.store.source_state(src.name)
                    # Each page is committed on its own: an interrupted backfill
                    # resumes by skipping what it already recorded.
                    changes = rt.store.commit_poll(state, fresh, candidates, decide=None)
                    total_items += len(fresh)
                    total_events += len(changes)
            except Exception as exc:  # one source failing must not stop the others
                err.write(f"\n{src.name}: backfill stopped: {exc}\n")
                continue
            err.write("\n")
        out.write(f"backfill: {total_items} new items, {total_events} event reports stored; "
                  "nothing was posted\n")
    return 0
