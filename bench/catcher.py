"""A loopback receiver for `response_url` posts that notes when each one arrives.

FakeSlack keeps response bodies but not their arrival times or paths; the
lookup scenario needs both to time each answer, so slash commands carry a
`response_url` pointing here, one path per request.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ResponseCatcher:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}  # path -> time.perf_counter() at arrival
        self._cond = threading.Condition()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                catcher._arrive(self.path)
                data = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> ResponseCatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def _arrive(self, path: str) -> None:
        with self._cond:
            self.arrived[path] = time.perf_counter()
            self._cond.notify_all()

    def wait(self, path: str, timeout: float = 10.0) -> float | None:
        """Arrival time of `path`, waiting up to `timeout` seconds; None if it never came."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while path not in self.arrived:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self.arrived[path]
