"""One shared, polite and bounded HTTP client for every source.

Why not plain `httpx.get`:
- httpx timeouts bound *inactivity*, not the whole request: a server dripping
  one byte every few seconds (in the headers or the body) keeps it alive
  forever, and a hung fetch stalls an APScheduler job for good. A watchdog
  (`watchdog.py`) shuts the request's socket down at the overall deadline,
  whatever it is waiting for. Connections are not kept alive, so every
  request's socket is known from the moment it connects.
- httpx decodes gzip a raw chunk at a time (64 KiB can become 64 MiB), so we
  count raw bytes on the wire and decode ourselves with a bounded decoder.
- Redirects are followed by hand (at most `max_redirects`, http/https only),
  so each hop goes through the per-host rate limiter.
Foreign errors are translated into `SourceError` naming the URL and reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.errors import SourceError
from bot.sources.decompress import BodyTooLarge, BoundedDecoder, DecodeFailed
from bot.sources.ratelimit import DEFAULT_MIN_INTERVALS, HostRateLimiter
from bot.sources.watchdog import WATCHDOG, Deadline, Watchdog

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds of inactivity (connect, read, write, pool)
DEFAULT_MAX_BYTES = 5_000_000  # per response, raw and decoded
DEFAULT_DEADLINE = 30.0  # seconds for the whole request, redirects included
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_LATER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Response:
    """A complete response. `headers` has lower-case names."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class _Budget:
    """What one `get` may spend, over all its redirects."""

    source: str  # the source's name, for errors
    max_bytes: int
    deadline: float  # seconds, as configured
    expires: float  # the clock reading at which the deadline is over

    def late(self, url: str) -> SourceError:
        return SourceError(self.source, url, f"gave up after the {self.deadline:g}s deadline")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class HttpClient:
    """Wraps ONE `httpx.Client`; thread-safe; close it when done (or use `with`)."""

    def __init__(
        self,
        user_agent: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        min_intervals: Mapping[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
        watchdog: Watchdog = WATCHDOG,
    ) -> None:
        self._timeout = timeout
        self._watchdog = watchdog
        self._max_redirects = max_redirects
        self._clock = clock
        self.limiter = HostRateLimiter({**DEFAULT_MIN_INTERVALS, **(min_intervals or {})})
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            transport=transport,
            # No keep-alive: a reused connection's socket is not reported to the
            # watchdog before its headers arrive. Feeds are polled minutes apart anyway.
            limits=httpx.Limits(max_keepalive_connections=0),
            follow_redirects=False,
            trust_env=False,  # no proxies or .netrc credentials picked up from the host
        )

    def limit(self, hosts: Iterable[str], min_interval: float) -> None:
        """Space requests to these hosts (one shared bucket) by `min_interval` seconds."""
        self.limiter.limit(hosts, min_interval)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        deadline: float = DEFAULT_DEADLINE,
        source: str = "?",
    ) -> Response:
        """GET `url`; 2xx or 304 (empty body) come back, everything else raises SourceError."""
        request_headers = dict(headers or {})
        # Validators go back byte-for-byte as the server sent them.
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        budget = _Budget(source, max_bytes, deadline, self._clock() + deadline)
        current, current_params = url, params
        for _hop in range(self._max_redirects + 1):
            host = _checked_host(current, source)
            self.limiter.wait(host)
            outcome = self._once(current, current_params, request_headers, budget)
            if isinstance(outcome, Response):
                return outcome
            current, current_params = urljoin(current, outcome), None
        raise SourceError(
            source, url, f"too many redirects (more than {self._max_redirects}); last {current}"
        )

    def _once(self, url: str, params: Mapping[str, str] | None, headers: Mapping[str, str],
              budget: _Budget) -> Response | str:
        """One request: a Response, or the Location of a redirect."""
        source = budget.source
        remaining = budget.expires - self._clock()
        if remaining <= 0:
            raise budget.late(url)
        timeout = httpx.Timeout(min(self._timeout, remaining))
        guard = Deadline()
        try:
            with self._watchdog.armed(remaining, guard.fire):
                outcome = self._exchange(url, params, headers, budget, timeout, guard)
        except httpx.HTTPError as exc:
            if guard.fired:
                raise budget.late(url) from exc
            if isinstance(exc, httpx.TimeoutException):
                raise SourceError(source, url, f"timed out ({type(exc).__name__})") from exc
            raise SourceError(source, url, f"request failed: {type(exc).__name__}: {exc}") \
                from exc
        if guard.fired:  # a body without a length ends at EOF, and shutdown is an EOF
            raise budget.late(url)
        return outcome

    def _exchange(self, url: str, params: Mapping[str, str] | None,
                  headers: Mapping[str, str], budget: _Budget, timeout: httpx.Timeout,
                  guard: Deadline) -> Response | str:
        source = budget.source
        with self._client.stream(
            "GET", url, params=params, headers=headers, timeout=timeout,
            extensions={"trace": guard.trace},
        ) as resp:
            guard.watch(resp.extensions.get("network_stream"))
            shown = str(resp.url)
            status = resp.status_code
            if status in REDIRECT_STATUSES and resp.headers.get("location"):
                return resp.headers["location"]
            if status == 304:
                return Response(304, b"", _lower(resp.headers), shown)
            if status in RETRY_LATER_STATUSES:
                wait = parse_retry_after(resp.headers.get("retry-after"), datetime.now(UTC))
                raise SourceError(
                    source,
                    shown,
                    f"HTTP {status} {resp.reason_phrase}".strip(),
                    retry_after=wait,
                    status=status,
                )
            if not 200 <= status < 300:
                raise SourceError(
                    source, shown, f"HTTP {status} {resp.reason_phrase}".strip(), status=status
                )
            body = self._read(resp, budget)
            return Response(status, body, _lower(resp.headers), shown)

    def _read(self, resp: httpx.Response, budget: _Budget) -> bytes:
        url, source, max_bytes = str(resp.url), budget.source, budget.max_bytes
        too_big = f"response larger than {max_bytes} bytes"
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(source, url, f"{too_big} (Content-Length {declared})")
        try:
            decoder = BoundedDecoder(resp.headers.get("content-encoding", ""), max_bytes)
            parts: list[bytes] = []
            raw = 0
            for chunk in resp.iter_raw():
                raw += len(chunk)
                if raw > max_bytes:
                    raise BodyTooLarge
                if self._clock() > budget.expires:
                    raise budget.late(url)
                parts.append(decoder.feed(chunk))
            parts.append(decoder.finish())
        except BodyTooLarge as exc:
            raise SourceError(source, url, too_big) from exc
        except DecodeFailed as exc:
            raise SourceError(source, url, str(exc)) from exc
        return b"".join(parts)


def _checked_host(url: str, source: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(source, url, "only http(s) URLs can be fetched")
    return parts.hostname


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}
