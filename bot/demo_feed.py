"""The demo's news feed: the bundled sample (bot/data/demo/feed.xml) served on loopback.

`DemoFeed` splits the sample into days and renders the RSS of the days revealed so
far; `FeedServer` serves it at http://127.0.0.1:<free port>/feed.xml in a thread, so
the demo polls it with the real sources code over real HTTP, as `run` polls a
publisher. Nothing here is the test suite's fake (loopback/): the product ships its
own, smaller server.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

SAMPLE = Path(__file__).parent / "data" / "demo" / "feed.xml"
FEED_PATH = "/feed.xml"


@dataclass(frozen=True)
class DemoItem:
    title: str
    day: date
    element: ET.Element


class DemoFeed:
    """The sample feed, revealed one day at a time."""

    def __init__(self, path: Path = SAMPLE) -> None:
        root = ET.parse(path).getroot()
        channel = root.find("channel")
        if channel is None:
            raise ValueError(f"{path} has no <channel>")
        self._channel = channel
        self.items = sorted(
            (DemoItem(el.findtext("title", ""), _day(el.findtext("pubDate", "")), el)
             for el in channel.findall("item")),
            key=lambda item: item.day,
        )
        self._shown = 0
        self._lock = threading.Lock()

    def days(self) -> list[date]:
        return sorted({item.day for item in self.items})

    def reveal_until(self, day: date) -> list[DemoItem]:
        """Show every item dated up to `day`; returns the ones that are new."""
        with self._lock:
            before = self._shown
            self._shown = sum(1 for item in self.items if item.day <= day)
            return self.items[before:self._shown]

    def rss(self) -> bytes:
        """The feed as it stands: the channel with the revealed items, newest first."""
        with self._lock:
            shown = self.items[: self._shown]
        rss = ET.Element("rss", version="2.0")
        channel = ET.SubElement(rss, "channel")
        for child in self._channel:
            if child.tag != "item":
                channel.append(child)
        for item in reversed(shown):
            channel.append(item.element)
        body: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
        return body


def _day(text: str) -> date:
    return parsedate_to_datetime(text).date()


class FeedServer:
    """`feed.rss()` at /feed.xml on 127.0.0.1, on a free port, in a background thread."""

    def __init__(self, feed: DemoFeed) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != FEED_PATH:
                    self.send_error(404)
                    return
                body = feed.rss()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return  # the demo's output is the alerts, not request lines

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="demo-feed", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{FEED_PATH}"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
