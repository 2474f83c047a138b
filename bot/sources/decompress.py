"""Bounded decoding of gzip/deflate response bodies.

httpx decodes a whole raw chunk at once: 64 KiB of gzip can become 64 MiB
before a caller sees it (docs/DEPENDENCIES.md, "httpx 0.28"). We read raw bytes and
decode them here with zlib's `max_length`, so the decoded size never exceeds
the cap by more than one byte, whatever the compression ratio.
"""

from __future__ import annotations

import zlib


class BodyTooLarge(Exception):
    """The decoded body would exceed the cap."""


class DecodeFailed(Exception):
    """The body is not valid data for its Content-Encoding."""


class BoundedDecoder:
    """Decodes one response body of a given Content-Encoding, up to `max_bytes`."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        encoding = (encoding or "identity").strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            # "deflate" is zlib-wrapped by the RFC but raw in some servers: 32+ auto-detects
            # zlib/gzip headers; raw deflate is retried on the first error.
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)
        else:
            raise DecodeFailed(f"unsupported Content-Encoding {encoding!r}")
        self._encoding = encoding
        self._max = max_bytes
        self._size = 0
        self._started = False

    def _decompress(self, data: bytes) -> bytes:
        assert self._zlib is not None
        out = bytearray()
        while data:
            room = self._max - self._size - len(out)
            try:
                piece = self._zlib.decompress(data, room + 1)
            except zlib.error as exc:
                if self._encoding == "deflate" and not self._started and not out:
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise DecodeFailed(f"invalid {self._encoding} data: {exc}") from exc
            self._started = True
            out += piece
            if self._size + len(out) > self._max:
                raise BodyTooLarge
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                break  # trailing garbage after the stream is ignored, as browsers do
        return bytes(out)

    def feed(self, chunk: bytes) -> bytes:
        """Decode one raw chunk; raises BodyTooLarge past the cap."""
        out = chunk if self._zlib is None else self._decompress(chunk)
        if self._zlib is None and self._size + len(out) > self._max:
            raise BodyTooLarge
        self._size += len(out)
        return out

    def finish(self) -> bytes:
        """Flush what zlib still holds (bounded too)."""
        if self._zlib is None:
            return b""
        rest = self._zlib.flush()
        if self._size + len(rest) > self._max:
            raise BodyTooLarge
        self._size += len(rest)
        return rest
