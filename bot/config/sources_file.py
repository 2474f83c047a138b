"""The sources file (docs/DESIGN.md "Sources file"): TOML -> SourceConfig, strictly.

Unknown keys are refused rather than ignored, so a typo like `intervall`
fails the start with the file, the source and the key named.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.models import SourceConfig

log = logging.getLogger(__name__)

SOURCE_KINDS = ("rss", "clinicaltrials", "edgar")
_INTERVAL = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.I)

_SOURCE_KEYS = {
    "name", "kind", "url", "interval", "enabled", "note", "query", "forms",
    "archives_url", "outlet",
}


def parse_interval(text: str) -> float:
    """'45s', '10m', '1h', '1h30m' -> seconds."""
    match = _INTERVAL.match(text or "")
    if not text or not text.strip() or not match or not any(match.groups()):
        raise ValueError(f"{text!r} is not an interval; use forms like '45s', '10m', '1h'")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return float(total)


def _source(where: str, raw: Mapping[str, Any]) -> SourceConfig:
    unknown = sorted(set(raw) - _SOURCE_KEYS)
    if unknown:
        raise ConfigError(where, f"unknown key(s) {', '.join(unknown)}; "
                                 f"allowed: {', '.join(sorted(_SOURCE_KEYS))}")
    for key in ("name", "kind", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(where, f"'{key}' is required and must be a non-empty string")
    if raw["kind"] not in SOURCE_KINDS:
        raise ConfigError(where, f"kind {raw['kind']!r} is not one of {', '.join(SOURCE_KINDS)}")
    for key in ("url", "archives_url"):
        if key in raw and not re.match(r"^https?://\S+$", str(raw[key])):
            raise ConfigError(where, f"{key} {raw[key]!r} is not an http(s) URL")
    try:
        interval = parse_interval(str(raw.get("interval", "10m")))
    except ValueError as exc:
        raise ConfigError(where, f"interval: {exc}") from None
    forms = raw.get("forms", [])
    if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
        raise ConfigError(where, "forms must be a list of strings, e.g. [\"8-K\", \"6-K\"]")
    for key in ("note", "query", "outlet"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(where, f"{key} must be a string in quotes")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(where, "enabled must be true or false")
    return SourceConfig(
        name=raw["name"].strip(),
        kind=raw["kind"],
        url=raw["url"].strip(),
        interval_seconds=interval,
        enabled=enabled,
        note=str(raw.get("note", "")),
        query=raw.get("query"),
        forms=tuple(forms),
        archives_url=raw.get("archives_url"),
        outlet=raw.get("outlet"),
    )


def load_sources(path: Path) -> list[SourceConfig]:
    """Parse the sources TOML file (docs/DESIGN.md 'Sources file')."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"SOURCES_FILE {path}", f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"SOURCES_FILE {path}", "is not UTF-8 text; is it the right "
                                                  "file?") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"SOURCES_FILE {path}", f"is not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"SOURCES_FILE {path}", "has no [[source]] entries")
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise ConfigError(f"SOURCES_FILE {path}", f"source #{index} is not a table; each "
                                                      "source is a [[source]] section")
        label = raw.get("name") if isinstance(raw.get("name"), str) else f"#{index}"
        source = _source(f"SOURCES_FILE {path}: source {label}", raw)
        if source.name in seen:
            raise ConfigError(f"SOURCES_FILE {path}", f"source name {source.name!r} is used "
                                                      "twice; names must be unique")
        seen.add(source.name)
        sources.append(source)
    frequent = [s.name for s in sources if s.interval_seconds < 60]
    if frequent:  # one line for all of them
        log.warning("SOURCES_FILE %s: %s poll%s more often than once a minute; fine locally, "
                    "impolite to real servers", path, ", ".join(frequent),
                    "s" if len(frequent) == 1 else "")
    return sources


def usable_sources(sources: list[SourceConfig], *, sec_user_agent: str | None,
                   warn: bool = True) -> list[SourceConfig]:
    """Turn off, with one warning for all of them, the sources this configuration cannot
    poll (`warn=False` when the caller shows their notes itself, as `status` does).

    SEC refuses anonymous clients, so without SEC_USER_AGENT an EDGAR source
    would fail every cycle and page the admin channel for a missing setting.
    """
    usable, skipped = [], []
    for source in sources:
        if source.kind == "edgar" and source.enabled and not sec_user_agent:
            skipped.append(source.name)
            source = replace(source, enabled=False,
                             note="skipped: SEC_USER_AGENT is not set (SEC asks for a name "
                                  "and email)")
        usable.append(source)
    if skipped and warn:
        log.warning("EDGAR source%s %s skipped: set SEC_USER_AGENT='Name email' to poll SEC "
                    "EDGAR", "s" if len(skipped) > 1 else "", ", ".join(skipped))
    return usable
