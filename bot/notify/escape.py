"""Make untrusted text (feed titles, company names, outlets) safe to show in Slack.

Slack parses `<…>` in mrkdwn *and* in the top-level `text` as mentions
(`<!channel>`, `<@U…>`, `<#C…>`) and links (`<https://evil|FDA.gov>`). Only
`&`, `<` and `>` are control characters, so escaping those three turns every
such token into inert text; Slack does not re-parse decoded entities, so a
feed's `&lt;!here&gt;` stays text too (its `&` is escaped). We never send
`link_names` or `parse=full`, so a bare "@channel" does not notify either.

Links are the bot's own: `link(url, label)` writes `<url|label>` only for a URL
that `safe_url` accepted, with the label escaped.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

ELLIPSIS = "…"
MAX_URL = 2000

# Zero-width characters and bidi controls can hide or reorder what a reader sees
# (an RTL override turns "lifted" into something else on screen).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufe00-\ufe0f\U000e0000-\U000e007f]"
)
_WHITESPACE = re.compile(r"\s+")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# plain_text fields are not parsed, but we keep angle brackets out of them anyway so
# that no payload anywhere carries a raw `<!…>` copied from a feed.
_PLAIN_SWAP = str.maketrans({"<": "‹", ">": "›"})
# `|` would split URL from label, `<>` would end the link; an entity could decode to one.
_URL_FORBIDDEN = re.compile(r"[\s|<>\"'`\\^{}]|&(lt|gt|#)", re.IGNORECASE)


def clean(text: object) -> str:
    """Drop control, zero-width and bidi characters; collapse whitespace."""
    raw = "" if text is None else str(text)
    raw = _INVISIBLE.sub("", raw)
    raw = "".join(
        ch if not unicodedata.category(ch).startswith("C") else " "
        for ch in raw
    )
    return _WHITESPACE.sub(" ", raw).strip()


def mrkdwn(text: object, limit: int | None = None) -> str:
    """Untrusted text as inert mrkdwn, at most `limit` characters after escaping."""
    pieces = [_ESCAPES.get(ch, ch) for ch in clean(text)]
    return _fit(pieces, limit)


def plain(text: object, limit: int | None = None) -> str:
    """Untrusted text for a plain_text field (e.g. a header), at most `limit` chars."""
    return _fit(list(clean(text).translate(_PLAIN_SWAP)), limit)


def _fit(pieces: list[str], limit: int | None) -> str:
    """Join pieces, cutting whole pieces (never half an entity) to fit `limit`."""
    joined = "".join(pieces)
    if limit is None or len(joined) <= limit:
        return joined
    out: list[str] = []
    used = 0
    budget = max(limit - len(ELLIPSIS), 0)
    for piece in pieces:
        if used + len(piece) > budget:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).rstrip() + ELLIPSIS


def shorten(escaped: str, limit: int) -> str:
    """Cut already-escaped mrkdwn to at most `limit` characters, never inside an entity
    (`&lt;`) or a link the bot wrote (`<url|label>`): half of either shows as garbage
    (`&l…`) or breaks the markup. Prefer `mrkdwn(text, limit)`, which cuts before
    escaping; this is for text assembled from pieces that were escaped one by one."""
    if len(escaped) <= limit:
        return escaped
    cut = max(limit - len(ELLIPSIS), 0)
    amp = escaped.rfind("&", 0, cut)
    if amp >= 0 and ";" not in escaped[amp:cut]:
        cut = amp
    opened = escaped.rfind("<", 0, cut)
    if opened >= 0 and ">" not in escaped[opened:cut]:
        cut = opened
    return escaped[:cut].rstrip() + ELLIPSIS


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) URL with a host that cannot break out of `<url|…>`."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or len(candidate) > MAX_URL or _URL_FORBIDDEN.search(candidate):
        return None
    if any(unicodedata.category(ch).startswith("C") for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def link(url: object, label: object, limit: int = 200) -> str:
    """`<url|label>` when the URL is safe, else just the escaped label."""
    shown = mrkdwn(label, limit) or "link"
    checked = safe_url(url)
    if checked is None:
        return shown
    return f"<{checked}|{shown}>"
