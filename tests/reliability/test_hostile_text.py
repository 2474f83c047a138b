"""T5: feed text that tries to ping the workspace or disguise a link, end to end.

Judged on the exact JSON the fake Slack received from a real `poll --once`
process: nothing from a feed may become a live mention, broadcast or link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loopback.fake_slack import FakeSlack
from loopback.feed_server import FeedServer
from tests.e2e.conftest import rss
from tests.reliability.harness import (
    ALERT_CHANNEL,
    BENIGN_ENTRY,
    FEED_PATH,
    Entry,
    alert_posts,
    bot_env,
    company,
    run_once,
)

ZW_RTL = "\u200b\u200e\u202e\u2066\ufeff"


def _hostile(n: int, title_tail: str, text_tail: str = "") -> Entry:
    """A hold announcement (so it is posted) with hostile text, as raw RSS markup."""
    co = company(n)
    title = f"{co.name} Announces FDA Clinical Hold on {co.code} {title_tail}"
    text = (f"{co.name} today announced that the FDA placed a clinical hold on the Phase 1 "
            f"trial of {co.code}. {text_tail}")
    return (f"hostile-{n}", title, text, "Wed, 06 Nov 2024 08:00:00 GMT")


# Raw RSS: `&lt;` here is what a feed sends to mean a literal `<` in the title.
HOSTILE = [
    _hostile(300, "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U12345&gt; "
                  "&lt;!subteam^S1&gt; &lt;#C123&gt;", "Ping &lt;@U999|boss&gt; now"),
    _hostile(301, "&lt;https://evil.example|FDA.gov&gt; click",
             "See &lt;https://evil.example/x|https://www.fda.gov/&gt;"),
    _hostile(302, "&amp;lt;!channel&amp;gt; (double-escaped)", "&amp;lt;!here&amp;gt;"),
    _hostile(303, "<![CDATA[<!here> and <@U777>]]>", "<![CDATA[<!channel> <#C42|general>]]>"),
    _hostile(304, f"@{ZW_RTL}channel \u202edetfil{ZW_RTL} `code` *bold* ~x~ <![CDATA[|]]>",
             f"{ZW_RTL}"),
    # A link whose URL carries `|label`: used raw it would read "FDA.gov" and go elsewhere.
    ("hostile-305|FDA.gov", *_hostile(305, "update")[1:]),
]
# The feed's own title is shown in every alert (the outlet): the one feed text that is.
HOSTILE_OUTLET = (f"Wire &lt;!channel&gt; &lt;@U123&gt; &lt;#C123&gt; "
                  f"&lt;https://evil.example|FDA.gov&gt; &amp;lt;!here&amp;gt; {ZW_RTL}")
CLEAN_LINKS = {f"https://example.org/news/hostile-{n}" for n in range(300, 305)}

LIVE_TOKEN = re.compile(r"<\s*[!@#]")  # a mention, broadcast or channel link Slack would parse
LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_hostile_titles_reach_slack_as_inert_text(
    tmp_path: Path, feed_server: FeedServer, fake_slack: FakeSlack,
) -> None:
    """Mentions, disguised links, entities, CDATA and bidi tricks are posted as plain text."""
    feed_server.add(FEED_PATH, rss(BENIGN_ENTRY))
    env = bot_env(tmp_path, feed_server, fake_slack)
    assert run_once(tmp_path, env).returncode == 0
    feed = rss(*HOSTILE, BENIGN_ENTRY).replace("<title>Press releases</title>",
                                               f"<title>{HOSTILE_OUTLET}</title>", 1)
    feed_server.add(FEED_PATH, feed)
    proc = run_once(tmp_path, env)
    assert proc.returncode == 0, proc.stderr

    posts = alert_posts(fake_slack)
    for n in range(300, 306):  # each hostile item was really posted, so the checks bite
        code = company(n).code
        assert any(code in json.dumps(p) for p in posts), code
    shown = json.dumps(posts)
    assert "&lt;!channel&gt;" in shown and "&lt;@U123&gt;" in shown  # shown as text
    for call in fake_slack.calls:
        if not call.method.startswith("chat."):
            continue
        for text in _strings({k: v for k, v in call.params.items() if k != "metadata"}):
            assert not LIVE_TOKEN.search(text), (call.method, text)
            assert not INVISIBLE.search(text), (call.method, ascii(text))
            for url, _label in LINK.findall(text):  # only links built from clean item URLs
                assert url in CLEAN_LINKS, text
    for post in posts:
        assert post["channel"] == ALERT_CHANNEL
        assert post.get("unfurl_links") is False and post.get("unfurl_media") is False, post
        assert "link_names" not in post and "parse" not in post, post
