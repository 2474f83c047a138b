"""Reports held back briefly: they name no company and no drug, and match no open event.

Such a report (issue 12: "CARsgen hit by FDA hold" with the company not read) is not
an event yet: nobody can follow it, and the report that names the company may be a
minute behind. It waits here, as a *held* event, for GROUP_WAIT:

- a later report that its words name (the company, a drug, the ticker) takes it in,
  and it reaches people as part of that event (`absorbable`);
- held reports of one story wait together: two reports join when they share a
  distinctive token (a proper name or a code, bot.store.mentions.distinctive);
- when the wait is over and it is still unattributed, it becomes an event of its own
  and is posted once, as such (`due`).

Held events are stored like events (so a crash keeps them) but kept apart from them:
no query, alert or subscription sees one until it is released.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.models import Event, label_family
from bot.store.mentions import Known, distinctive, named


@dataclass
class HeldReports:
    events: dict[str, Event] = field(default_factory=dict)

    def story_of(self, text: str, label: str, when: date, window_days: int) -> Event | None:
        """The held event TEXT continues (same family, in the window, a shared token)."""
        tokens = distinctive(text)
        if not tokens:
            return None
        for held in self._near(label, when, window_days):
            if tokens & distinctive(_text(held)):
                return held
        return None

    def absorbable(self, known: Known, label: str, when: date, window_days: int,
                   tokens: frozenset[str] = frozenset()) -> list[Event]:
        """Held events whose words name the event KNOWN describes, or (TOKENS: the
        distinctive tokens of an event that names no company either) share a token."""
        return [h for h in self._near(label, when, window_days)
                if named(_text(h), known) or tokens & distinctive(_text(h))]

    def due(self, now: datetime, wait: timedelta) -> list[Event]:
        """Held events whose wait is over, oldest first."""
        return sorted((h for h in self.events.values()
                       if h.created_at is None or h.created_at + wait <= now),
                      key=lambda h: (h.created_at or now, h.id))

    def next_due(self, wait: timedelta) -> datetime | None:
        times = [h.created_at + wait for h in self.events.values() if h.created_at]
        return min(times) if times else None

    def _near(self, label: str, when: date, window_days: int) -> Iterable[Event]:
        family = label_family(label)
        for held in sorted(self.events.values(), key=lambda h: h.id):
            if label_family(held.label) == family and abs((held.date - when).days) <= window_days:
                yield held


def tokens_of(event: Event) -> frozenset[str]:
    return distinctive(_text(event))


def _text(event: Event) -> str:
    return "\n".join([*(s.title for s in event.sources), event.keywords_text])
