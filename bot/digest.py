"""The weekly digest: new holds, lifts with durations, drugs still held, counts by target.

`digest_reply` is pure over store queries; `send_digest` posts it to
ALERT_CHANNEL and every channel that asked (`/holds digest on`). An empty week
sends nothing unless `force`. One channel failing does not stop the others.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import display, messages
from bot.commands import render
from bot.commands.kit import Doc, Fmt, Reply, compose, fallback
from bot.models import HOLD_LABELS, LIFT_LABELS, DrugRecord, Event
from bot.notify.blocks import Message

log = logging.getLogger(__name__)

DIGEST_EVENT_TYPE = "holdwatch_digest"
DIGEST_DAYS = 7
MAX_TARGETS_SHOWN = 15


class DigestStore(Protocol):
    def events_between(self, start: date, end: date) -> list[Event]: ...
    def held_drugs(self) -> list[DrugRecord]: ...
    def digest_channels(self) -> list[str]: ...


def digest_reply(
    store: DigestStore,
    *,
    start: date,
    end: date,
    tz: str = "UTC",
    force: bool = False,
    today: date | None = None,
) -> Reply | None:
    """The digest of events dated `start` ≤ date ≤ `end`; None for an empty week unless `force`.

    `tz` is the zone the dates were computed in (named in the footer); days on hold
    are counted to `today`, by default the day after `end` (the day it is sent).
    """
    today = today or end + timedelta(days=1)
    events = sorted(store.events_between(start, end), key=lambda e: (e.date, e.id))
    if not events and not force:
        return None
    holds = [e for e in events if e.label in HOLD_LABELS]
    lifts = [e for e in events if e.label in LIFT_LABELS]
    held = sorted(store.held_drugs(), key=lambda d: (d.status_since or end, d.name.casefold()))
    by_target = _target_counts(events)

    def doc(f: Fmt) -> Doc:
        paragraphs: list[list[str]] = []
        if not events:
            paragraphs.append([messages.DIGEST_EMPTY])
        for title, chosen in ((messages.DIGEST_NEW_HOLDS, holds), (messages.DIGEST_LIFTS, lifts)):
            if chosen:
                paragraphs.append([f.bold(f"{title} ({len(chosen)})"),
                                   *(render.event_line(f, e) for e in chosen)])
        if held:
            paragraphs.append([f.bold(f"{messages.DIGEST_STILL_HELD} ({len(held)})"),
                               *(render.drug_line(f, d, today) for d in held)])
        if by_target:
            counts = " · ".join(f"{f.esc(t)}: {n}" for t, n in by_target[:MAX_TARGETS_SHOWN])
            paragraphs.append([f"{f.bold(messages.DIGEST_BY_TARGET)}: {counts}"])
        paragraphs.append([f"Dates in {f.esc(tz)}."])
        return messages.digest_title(display.day_span(start, end)), paragraphs

    return compose(doc)


def digest_message(reply: Reply, *, start: date, end: date) -> Message:
    """A digest reply as a Slack message: escaped fallback text, blocks, metadata."""
    metadata = {"event_type": DIGEST_EVENT_TYPE,
                "event_payload": {"start": start.isoformat(), "end": end.isoformat()}}
    return Message(text=fallback(reply), blocks=tuple(reply.blocks), metadata=metadata)


def _target_counts(events: Iterable[Event]) -> list[tuple[str, int]]:
    """How many events touched each target (an event counts once per target)."""
    counts: Counter[str] = Counter()
    for event in events:
        targets = {*event.targets, *(t for d in event.drugs for t in d.targets)}
        counts.update(targets)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def digest_window(now: datetime, tz: str, days: int = DIGEST_DAYS) -> tuple[date, date]:
    """The last `days` local dates ending yesterday, so a Monday digest covers Mon–Sun."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return today - timedelta(days=days), today - timedelta(days=1)


def destinations(channels: Sequence[str | None], store: DigestStore) -> list[str]:
    """ALERT_CHANNEL (given) and every channel that asked for the digest, once each."""
    return list(dict.fromkeys(c for c in [*channels, *store.digest_channels()] if c))


def send_digest(
    store: DigestStore,
    client: WebClient,
    *,
    channels: Sequence[str | None],
    now: datetime,
    tz: str = "UTC",
    force: bool = False,
) -> list[str]:
    """Post the digest of the past week; returns the channels it reached."""
    start, end = digest_window(now, tz)
    today = now.astimezone(ZoneInfo(tz)).date()
    reply = digest_reply(store, start=start, end=end, tz=tz, force=force, today=today)
    if reply is None:
        log.info("digest: no events between %s and %s; nothing sent", start, end)
        return []
    message = digest_message(reply, start=start, end=end)
    reached = post_digest(client, message, channels=destinations(channels, store))
    log.info("digest %s – %s sent to %d channel(s)", start, end, len(reached))
    return reached


def post_digest(
    client: WebClient, message: Message, *, channels: Sequence[str | None]
) -> list[str]:
    """Post `message` to each channel once; one failing does not stop the others."""
    reached = []
    for channel in dict.fromkeys(c for c in channels if c):
        try:
            client.chat_postMessage(
                channel=channel, text=message.text, blocks=list(message.blocks),
                metadata=message.metadata, unfurl_links=False, unfurl_media=False,
            )
        except SlackApiError as exc:
            log.warning("digest: posting to %s failed: %s; the other channels still get it",
                        channel, exc.response.get("error", exc))
            continue
        except OSError as exc:  # Slack unreachable: the next channel will fail the same way
            log.warning("digest: Slack could not be reached (%s); not posted", exc)
            break
        reached.append(channel)
    return reached
