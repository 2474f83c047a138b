"""`python -m bot …`: the command-line interface of docs/DESIGN.md.

Parses the arguments and runs the command. The only place that calls
`logging.basicConfig`. Every command turns a BotError into one line on stderr and
exit status 2, never a traceback.

Each command's module is imported when that command runs (`_run`), not at the top
of this file: `run` needs Slack, HTTP, the scheduler and the extractor, and a
one-shot lookup must not pay for loading them (start-up is most of what
`python -m bot drug` costs; tests/test_cli_imports.py checks what it loads). The
lookups' own module, cli_lookups, is light and imported here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date

from bot import __version__, cli_lookups, logredact
from bot.config import Settings, load_settings
from bot.errors import BotError

EPILOG = """\
New here? `python -m bot demo` shows alerts, lookups and the digest offline in
half a minute. Configuration comes from the environment and a .env file (see
README.md). Without SLACK_BOT_TOKEN the bot runs in console mode and prints
alerts here.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="holdwatch: FDA clinical-hold events from public sources, told in Slack.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"holdwatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="scheduler + Slack app (the default command)",
                         description="Poll every enabled source on its schedule and serve "
                         "Slack: Socket Mode with SLACK_APP_TOKEN, HTTP with --http, console "
                         "mode without SLACK_BOT_TOKEN.")
    run.add_argument("--http", action="store_true",
                     help="serve POST /slack/events and GET /healthz on $PORT")

    poll = sub.add_parser("poll", help="one poll cycle now",
                          description="Poll sources once and print the new events.")
    poll.add_argument("--once", action="store_true", required=True,
                      help="poll once and exit (required; scheduled polling is `run`)")
    poll.add_argument("--source", metavar="NAME", help="only this source")
    poll.add_argument("--dry-run", action="store_true",
                      help="fetch and extract, but store and post nothing")
    poll.add_argument("--include-existing", action="store_true",
                      help="on a fresh store, treat what the sources already hold as news "
                      "and post it (normally the first poll only records it)")

    ext = sub.add_parser("extract", help="label JSON-lines items (no network, no store)",
                         description="Read items as JSON lines from FILE or stdin, write one "
                         "JSON line per item: label, company, drugs, targets, nct_ids, …")
    ext.add_argument("file", nargs="?", metavar="FILE", help="input file (default: stdin)")
    ext.add_argument("--explain", action="store_true",
                     help="add `rules`: the names of the rules that decided each label")

    drug = sub.add_parser("drug", help="look a drug up under any of its names",
                          description="The same answer as /drug NAME, as text.")
    drug.add_argument("name", nargs="+", metavar="NAME",
                      help="any of its names: INN, short name, code or brand (zevor-cel, CT053)")
    target = sub.add_parser("target", help="every drug against a target",
                            description="The same answer as /target NAME, as text.")
    target.add_argument("name", nargs="+", metavar="NAME",
                        help="a target under any spelling (CLDN18.2 = Claudin18.2)")

    back = sub.add_parser("backfill", help="load history into the store without posting",
                          description="Load history since a date (EDGAR and "
                          "ClinicalTrials.gov by date range, feeds by what they hold). "
                          "Nothing is posted. Safe to interrupt and run again.")
    back.add_argument("--since", required=True, type=_iso_date, metavar="YYYY-MM-DD",
                      help="load what the sources hold from this date on")
    back.add_argument("--source", metavar="NAME", help="only this source")

    sub.add_parser("status", help="each source's health, and whether a bot is running",
                   description="Whether a bot is running on this database, then per source: "
                   "last success, last error, consecutive failures and (while a bot runs) "
                   "the next poll.")

    digest = sub.add_parser("digest", help="the digest now (printed, or posted to Slack)",
                            description="Build the digest now: printed with --dry-run or in "
                            "console mode, else posted to ALERT_CHANNEL and every channel "
                            "that asked (/holds digest on). Without --since it covers what "
                            "the scheduled digest would: the seven days before today, in TZ.")
    digest.add_argument("--dry-run", action="store_true",
                        help="print the digest instead of posting it")
    digest.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                        help="cover events from this date up to today")

    demo = sub.add_parser("demo", help="see it work offline: a sample feed, alerts, lookups",
                          description="Replay a bundled sample feed (a dozen items written "
                          "for the demo) through the real pipeline into a throwaway store, "
                          "print the alerts as console mode does, then example lookups and "
                          "the digest. No network, no Slack, nothing kept.")
    demo.add_argument("--fast", action="store_true",
                      help="no pauses between steps (for scripts and tests)")
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("holdwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python -m bot demo | head`: the reader left; so do we
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "run"
    if command == "extract":  # no settings needed: pure
        from bot.cli_commands import extract_command  # the extractor (see the docstring)

        return extract_command(args.file, explain=args.explain)
    if command == "demo":  # its own settings: a throwaway store, a bundled feed
        from bot.demo import run_demo  # the whole bot, on loopback

        _configure_logging(Settings(log_level="WARNING"))
        return run_demo(fast=args.fast)
    try:
        settings = load_settings()
    except BotError as exc:
        print(f"holdwatch: configuration error: {exc}", file=sys.stderr)
        return 2
    _configure_logging(settings)
    try:
        return _run(command, args, settings)
    except BotError as exc:
        print(f"holdwatch: {exc}", file=sys.stderr)
        return 2


def _run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    """COMMAND, with the modules it needs imported now (see the module docstring)."""
    if command == "drug":
        return cli_lookups.drug_command(settings, " ".join(args.name))
    if command == "status":
        return cli_lookups.status_command(settings)
    if command == "target":
        from bot.extract.targets import canonical_target  # the target lexicon

        return cli_lookups.target_command(settings, " ".join(args.name),
                                          lexicon=canonical_target)
    if command == "run":
        from bot import cli_run  # Slack, the scheduler, the pipeline

        return cli_run.run_command(settings, http=getattr(args, "http", False))
    from bot import cli_commands  # the pipeline: sources, extractor, notifiers

    if command == "poll":
        return cli_commands.poll_command(settings, source=args.source, dry_run=args.dry_run,
                                         include_existing=args.include_existing)
    if command == "backfill":
        return cli_commands.backfill_command(settings, since=args.since, source=args.source)
    return cli_commands.digest_command(settings, dry_run=args.dry_run, since=args.since)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logredact.install()  # no token or response_url in any line, whoever logs it
    # httpx logs one INFO line per request and APScheduler one per job added or
    # run: noise that would bury the one summary line per source per poll.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
