"""Every user-facing wording of the Slack surface and the lookup CLI, in one place.

Texts here are plain text: values are interpolated raw, and the caller escapes
the finished string for mrkdwn when it goes to Slack (`commands.kit.text_reply`).
Backticks are fine in both renderings, so usage lines keep them.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence

# ------------------------------------------------------------------ vocabulary

LABEL_WORDS: dict[str, str] = {
    "hold": "Clinical hold",
    "partial_hold": "Partial clinical hold",
    "lift": "Hold lifted",
    "partial_lift": "Hold partly lifted",
    "none": "Not a hold decision",
}
LABEL_EMOJI: dict[str, str] = {
    "hold": ":octagonal_sign:",
    "partial_hold": ":warning:",
    "lift": ":white_check_mark:",
    "partial_lift": ":large_yellow_circle:",
    "none": ":grey_question:",
}
STATUS_WORDS: dict[str, str] = {
    "on_hold": "On clinical hold",
    "partial_hold": "On partial clinical hold",
    "cleared": "No hold in force (lifted)",
    "unknown": "Status unknown",
}
STATUS_EMOJI: dict[str, str] = {
    "on_hold": ":red_circle:",
    "partial_hold": ":large_orange_circle:",
    "cleared": ":large_green_circle:",
    "unknown": ":white_circle:",
}
ONLY_WORDS: dict[str, str] = {"holds": "holds only", "lifts": "lifts only"}

# ----------------------------------------------------------------------- usage

USAGE_DRUG = "Usage: `/drug NAME` — e.g. `/drug zevor-cel` (add `public` to share the answer)."
USAGE_TARGET = "Usage: `/target NAME` — e.g. `/target BCMA` (add `public` to share the answer)."
USAGE_SUBSCRIBE = (
    "Usage: `/holds subscribe KIND VALUE [only holds|lifts]` where KIND is "
    "target, drug, company, indication, keyword or all — e.g. `/holds subscribe target BCMA`, "
    "`/holds subscribe indication multiple myeloma only holds`, `/holds subscribe all`."
)
USAGE_UNSUBSCRIBE = (
    "Usage: `/holds unsubscribe KIND VALUE` — e.g. `/holds unsubscribe target BCMA`."
)
USAGE_RECENT = "Usage: `/holds recent [N]` — N is a number from 1 to {max_n}."
USAGE_DIGEST = "Usage: `/holds digest on` or `/holds digest off`."

HELP_TITLE = "holdwatch — FDA clinical holds, placed and lifted"
HELP_LINES: tuple[str, ...] = (
    "`/drug NAME` — a drug under any of its names: status, targets, company, hold history.",
    "`/target NAME` — every drug against a target (CLDN18.2 = Claudin18.2) with its status.",
    "`/holds recent [N]` — the last N events (default 10).",
    "`/holds active` — drugs on clinical hold now, with days on hold.",
    "`/holds subscribe KIND VALUE [only holds|lifts]` — alerts here for a target, drug, "
    "company, indication, keyword, or `all`. In a DM with the bot, alerts come to you. A "
    "name close to a known one gets “did you mean”; quote it (\"BCM\") to keep it as typed.",
    "`/holds unsubscribe KIND VALUE` — stop one subscription.",
    "`/holds subscriptions` — what this channel (or you, in a DM) is subscribed to.",
    "`/holds digest on|off` — a weekly summary in this channel.",
    "`/holds status` — health of every source the bot watches.",
    "`/holds help` — this help.",
)
HELP_FOOTER = (
    "Answers are visible only to you; add `public` at the end to post them to the channel."
)


def unknown_subcommand(word: str) -> str:
    return f"I don't know `/holds {word}`. Here is what I can do:"


def bad_kind(kind: str, kinds: Sequence[str]) -> str:
    return f"“{kind}” is not a subscription kind. Use one of: {', '.join(kinds)}."


def missing_value(kind: str) -> str:
    return f"Which {kind}? Add it after the kind, e.g. `/holds subscribe {kind} VALUE`."


def bad_only(text: str) -> str:
    return f"“only {text}” is not understood: use `only holds` or `only lifts`."


# -------------------------------------------------------------- confirmations

APOLOGY = (
    "Sorry, something went wrong while answering that. It has been logged; "
    "please try again in a minute."
)


def _what(kind: str, value: str) -> str:
    return "all events" if kind == "all" else f"{kind} “{value}”"


def _filter(only: str | None) -> str:
    return ONLY_WORDS[only] if only else "holds and lifts"


def subscribed(kind: str, value: str, owner_words: str, only: str | None) -> str:
    tail = f" ({ONLY_WORDS[only]})" if only else ""
    return f"Subscribed {owner_words} to {_what(kind, value)}{tail}."


def already_subscribed(kind: str, value: str, owner_words: str, only: str | None = None) -> str:
    return (f"{owner_words.capitalize()} already subscribed to {_what(kind, value)} "
            f"({_filter(only)}); nothing changed.")


def refiltered(kind: str, value: str, owner_type: str, only: str | None,
               before: str | None) -> str:
    """The same subscription asked for again with another `only`: say what it is now."""
    whose = "Your" if owner_type == "user" else "This channel's"
    return (f"{whose} subscription to {_what(kind, value)} is now {_filter(only)} "
            f"(it was {_filter(before)}).")


def not_yet_known(kind: str, value: str) -> str:
    return (f"“{value}” is not yet known as a {kind}; alerts will come once an event "
            "names it.")


def resolved_as(typed: str, canonical: str) -> str:
    return f"(“{typed}” is {canonical}.)"


def did_you_mean(kind: str, typed: str, suggestions: Sequence[str]) -> str:
    """An unknown value close to known names: nothing is stored (subscriptions.py)."""
    first = suggestions[0]
    return (f"“{typed}” → did you mean {_either(suggestions)}? Nothing was stored. Send "
            f"`/holds subscribe {kind} {first}`, or put the name in quotes "
            f"(`/holds subscribe {kind} \"{typed}\"`) to watch for it exactly as typed.")


def _either(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def value_too_long(kind: str, length: int, limit: int) -> str:
    return (f"That {kind} is {length:,} characters long; the limit is {limit}. "
            "Nothing was stored.")


def unsubscribed(kind: str, value: str, owner_words: str) -> str:
    return f"Unsubscribed {owner_words} from {_what(kind, value)}."


def not_subscribed(kind: str, value: str, owner_words: str,
                   close: Sequence[str] = ()) -> str:
    text = f"{owner_words.capitalize()} had no subscription to {_what(kind, value)}."
    if close:
        return text + f" Did you mean {_either(close)}?"
    return text + " See `/holds subscriptions` for the list."


def owner_words(owner_type: str) -> str:
    """How a confirmation names who owns a subscription."""
    return "you" if owner_type == "user" else "this channel"


BUTTON_STALE = "That button no longer works; use `/holds subscribe KIND VALUE` instead."


def digest_set(on: bool) -> str:
    if on:
        return "This channel will get the weekly digest."
    return "This channel will no longer get the weekly digest."


# -------------------------------------------------------------------- lookups

def drug_not_found(name: str, suggestions: Sequence[str]) -> str:
    text = f"No drug called “{name}” is in the hold history."
    if suggestions:
        text += f" Did you mean {_either(suggestions)}?"
    return text


def drug_without_history(name: str, names: Sequence[str]) -> str:
    """A drug the curated alias list knows but no event has named yet."""
    also = f" ({', '.join(names[1:])})" if names[1:] else ""
    return (f"{names[0]}{also} is a known drug, but no clinical-hold event naming "
            f"“{name}” is in the hold history yet. `/holds subscribe drug {name}` alerts "
            "you when one is.")


def target_not_found(name: str, suggestions: Sequence[str]) -> str:
    text = f"No drug against “{name}” is in the hold history."
    if suggestions:
        text += f" Did you mean {_either(suggestions)}?"
    return text


SHARED_REPORTS = "(from reports naming it with other drugs)"
NO_RECENT = "No clinical-hold events are recorded yet."
NO_ACTIVE = "No drug is on clinical hold right now, as far as the watched sources tell."
NO_SUBSCRIPTIONS = (
    "No subscriptions here yet. Try `/holds subscribe target BCMA` or `/holds subscribe all`."
)
RUNNING_HERE = "holdwatch is running and polling these sources."
NOT_RUNNING = (
    "No holdwatch bot is running on this database, so nothing is being polled; "
    "start one with `python -m bot`."
)


def running_pid(pid: str) -> str:
    return f"A holdwatch bot is running on this database (pid {pid}) and polling these sources."


NO_SOURCES = "No sources are configured. Check the sources file (SOURCES_FILE)."
NEVER = "never"

# ----------------------------------------------------------------------- home

HOME_HELD = "Drugs on clinical hold now"
HOME_RECENT = "Latest events"
HOME_SUBS = "Your subscriptions"
HOME_NO_SUBS = "No subscriptions yet. Send me `/holds subscribe target BCMA` in this DM."
HOME_REMOVE = "Remove"

# --------------------------------------------------------------------- digest


def digest_title(span: str) -> str:
    return f"Clinical holds, {span}"


DIGEST_NEW_HOLDS = "New holds"
DIGEST_LIFTS = "Holds lifted"
DIGEST_STILL_HELD = "Still on hold"
DIGEST_BY_TARGET = "Events by target"
DIGEST_EMPTY = "No clinical-hold events in this period."
DIGEST_NOWHERE = (
    "the digest has no channel to go to: set ALERT_CHANNEL, or send `/holds digest on` in "
    "a channel; `python -m bot digest --dry-run` prints it here"
)


def digest_posted(reached: Sequence[str]) -> str:
    if not reached:
        return "digest: not posted to any channel (see the warnings above)"
    return f"digest posted to {len(reached)} channel(s): {', '.join(reached)}"

# ---------------------------------------------------------------- operator CLI

MAX_FAILING_NAMED = 5


def port_problem(port: int, errno_: int | None, reason: str | None) -> str:
    """Why HTTP mode could not listen on PORT, and what to do."""
    if errno_ == errno.EADDRINUSE:
        return (f"port {port} is already in use (another holdwatch or another server); stop "
                "it, or set PORT to a free port")
    if errno_ == errno.EACCES:
        return (f"port {port} needs administrator rights on this machine; set PORT to a port "
                "from 1024 up")
    return f"cannot listen on port {port} ({reason or 'unknown error'}); set PORT to another port"


def overrun(job: str, interval: float | None) -> str:
    every = f" ({interval:g} s)" if interval else ""
    return (f"{job} is still running at its next due time{every}; the runs due meanwhile are "
            "skipped until it ends (said once per overrun). A longer interval in SOURCES_FILE "
            "avoids this.")


def round_ok(n: int) -> str:
    return f"{n} of {n} sources reachable"


def round_failing(reached: int, total: int, failing: dict[str, str]) -> str:
    """One line for a poll round in which sources failed (bot/poll_rounds.py)."""
    hint = "see `python -m bot status`"
    errors = set(failing.values())
    if reached == 0:
        common = f" (all: {next(iter(errors))})" if len(errors) == 1 else ""
        return f"0 of {total} sources reachable{common}: network unreachable? {hint}"
    named = [f"{name} ({error})" for name, error in sorted(failing.items())]
    if len(named) > MAX_FAILING_NAMED:
        named = [*named[:MAX_FAILING_NAMED], f"{len(named) - MAX_FAILING_NAMED} more"]
    return f"{reached} of {total} sources reachable; failing: {', '.join(named)}; {hint}"



FIRST_POLL_NOTE = (
    "first poll of a new source: what it already listed was recorded as seen and not "
    "posted (no flood of history). To post them anyway, run "
    "`python -m bot poll --once --include-existing` on a fresh database; to load older "
    "history without posting, `python -m bot backfill --since YYYY-MM-DD`."
)
CONSOLE_MODE_BANNER = (
    "console mode: SLACK_BOT_TOKEN is not set, so alerts are printed here instead of posted; "
    "set it (and SLACK_APP_TOKEN or --http) to run in Slack"
)
POST_ONLY_WARNING = (
    "neither SLACK_APP_TOKEN nor --http: alerts will be posted, but slash commands, buttons "
    "and App Home get no answers; set SLACK_APP_TOKEN (Socket Mode) or run with --http"
)
STORAGE_FAILING = (
    "holdwatch cannot write its database ({error}). New items are not marked seen and "
    "nothing is posted until it can; polls retry every cycle. Free disk space or fix "
    "permissions on BOT_DB_PATH."
)
STORAGE_RECOVERED = "holdwatch can write its database again; the missed items are being caught up."
SOCKET_GIVE_UP = (
    "holdwatch lost its Slack Socket Mode connection {minutes} minutes ago and could not "
    "reconnect; it is exiting so its supervisor restarts it. Slash commands fail until then."
)

# ------------------------------------------------------------------------ demo

DEMO_INTRO = "holdwatch demo: {n} news items, replayed a day at a time through the real pipeline"
DEMO_ABOUT = (
    "Console mode, a throwaway database, a feed served on this machine: no network, no "
    "Slack.\nCARsgen's holds (Dec 2023) and their lift (Oct 2024) are real events in our "
    "own words; the other companies and outlets are made up."
)
DEMO_END = (
    "That was the demo. Run the bot: `python -m bot` (console mode until SLACK_BOT_TOKEN is "
    "set; see README.md for Slack). Nothing was kept."
)


def demo_day(day: str, new: int) -> str:
    return f"── {day}: {new} new item{'s' if new != 1 else ''} in the feed ──"


def demo_skipped(title: str) -> str:
    return f"  not alerted (no new FDA hold decision): {title}"

