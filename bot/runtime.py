"""The composition root: builds every long-lived object once, from Settings.

Nothing here decides anything; it wires sources, store, notifier and poller
together so the CLI's commands and the tests get the same assembly.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TextIO

from slack_sdk import WebClient

from bot import __version__
from bot.config import Settings, load_sources
from bot.extract.indications import canonical_indication
from bot.extract.targets import canonical_target
from bot.models import SourceConfig
from bot.notify.admin import AdminNotices
from bot.notify.console import ConsoleNotifier
from bot.notify.routing import NameRules
from bot.notify.slack import SlackNotifier
from bot.pipeline import Notifier, Poller
from bot.sources import HttpClient
from bot.store import Store
from bot.store.lockfile import DatabaseLock
from bot.store.names import same_company

log = logging.getLogger(__name__)

USER_AGENT = f"holdwatch/{__version__} (FDA clinical-hold alerts)"
# Subscriptions match targets and indications through the extractor's lexicons and
# companies by the store's rule; notify gets them from here instead of importing them.
ROUTING_NAMES = NameRules(canonical_target=canonical_target,
                          canonical_indication=canonical_indication,
                          same_company=same_company)


def utc_now() -> datetime:
    return datetime.now(UTC)


def usable_sources(
    sources: list[SourceConfig], settings: Settings, *, warn: bool = True
) -> list[SourceConfig]:
    """Turn off, with one warning for all of them, the sources this configuration cannot
    poll (`warn=False` when the caller shows their notes itself, as `status` does).

    SEC refuses anonymous clients, so without SEC_USER_AGENT an EDGAR source
    would fail every cycle and page the admin channel for a missing setting.
    """
    usable, skipped = [], []
    for source in sources:
        if source.kind == "edgar" and source.enabled and not settings.sec_user_agent:
            skipped.append(source.name)
            source = replace(source, enabled=False,
                             note="skipped: SEC_USER_AGENT is not set (SEC asks for a name "
                                  "and email)")
        usable.append(source)
    if skipped and warn:
        log.warning("EDGAR source%s %s skipped: set SEC_USER_AGENT='Name email' to poll SEC "
                    "EDGAR", "s" if len(skipped) > 1 else "", ", ".join(skipped))
    return usable


@dataclass
class Runtime:
    settings: Settings
    sources: list[SourceConfig]
    store: Store
    client: HttpClient
    web_client: WebClient | None
    notifier: Notifier
    admin: AdminNotices
    poller: Poller
    lock: DatabaseLock | None = None
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def open(
        cls, settings: Settings, *, exclusive: bool = True, console: TextIO | None = None,
        warn: bool = True,
    ) -> Runtime:
        """Build everything. `exclusive` takes the database lock (writers must)."""
        sources = usable_sources(load_sources(settings.sources_file), settings, warn=warn)
        lock = DatabaseLock(settings.db_path).acquire() if exclusive else None
        try:
            # Without the lock a bot may own the file: read it, never write it.
            store = Store(settings.db_path, cluster_window_days=settings.cluster_window_days,
                          item_detail_days=settings.item_detail_days, read_only=not exclusive,
                          group_wait=settings.group_wait)
        except Exception:
            if lock:
                lock.release()
            raise
        web_client = None
        if settings.slack_bot_token:
            # No SDK retry handlers: its connection-error retry can post twice; the
            # outbox relay owns retries and reconciles before re-posting.
            web_client = WebClient(
                token=settings.slack_bot_token, base_url=settings.slack_api_url,
                retry_handlers=[],
            )
        admin = AdminNotices(
            web_client, settings.admin_channel, logging.getLogger("holdwatch.admin")
        )
        if store.recovery:  # a corrupt file was moved aside at open: say so where people look
            admin.notice(store.recovery)
        notifier: Notifier
        if web_client is None:
            notifier = ConsoleNotifier(store, stream=console or sys.stdout)
        else:
            notifier = SlackNotifier(web_client, store, admin=admin)
        client = HttpClient(USER_AGENT)
        # What earlier items taught about drug names survives a restart through the
        # store's drug registry, so "CT053" alone still resolves to zevor-cel. Readers
        # (lookups, status) never extract: their alias book is never built.
        poller = Poller(
            store=store, client=client, notifier=notifier, admin=admin,
            alert_channel=settings.alert_channel, sec_user_agent=settings.sec_user_agent,
            failure_threshold=settings.failure_threshold, console=web_client is None,
            alias_seed=store.known_drug_groups, names=ROUTING_NAMES,
            group_wait=settings.group_wait,
        )
        if exclusive:
            poller.alias_book()
        return cls(settings, sources, store, client, web_client, notifier, admin, poller, lock)

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        names = ", ".join(s.name for s in self.sources)
        raise KeyError(f"no source named {name!r} in {self.settings.sources_file}; "
                       f"known: {names}")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.client.close()
        self.store.close()
        if self.lock:
            self.lock.release()
