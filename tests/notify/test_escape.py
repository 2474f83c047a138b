"""Hostile feed text never becomes a mention, a disguised link or hidden text in Slack."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import DrugMention
from bot.notify import blocks
from bot.notify.escape import link, mrkdwn, plain, safe_url
from tests.notify.support import hold_event, lift_event, source

HOSTILE = [
    "<!channel>", "<!here>", "<!everyone>", "<@U12345>", "<#C12345>", "<!subteam^S1>",
    "<https://evil.example|FDA.gov>", "&lt;!here&gt;", "&#60;!channel&#62;", "<![CDATA[<!here>]]>",
    "\u202e", "\u200b", "\u2066", "\ufeff", "`", "*", "|", "<", ">", "&", "@channel",
    "https://evil.example?x|fda.gov",
]
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
TOKEN = re.compile(r"<([^<>]*)>")
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), min_size=1, max_size=12
).map("".join)


def test_mrkdwn_escapes_only_the_three_control_characters():
    """&, < and > are escaped; quotes and other text are left alone."""
    assert mrkdwn('Hold <!channel> & "CT053"') == 'Hold &lt;!channel&gt; &amp; "CT053"'
    assert mrkdwn("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"


def test_invisible_characters_are_stripped_and_whitespace_collapsed():
    """Zero-width and bidi-override characters disappear; runs of whitespace become one."""
    assert mrkdwn("li\u200bfted\u202e  on \n hold\ufeff") == "lifted on hold"


def test_truncation_never_cuts_an_entity():
    """Truncation ends with an ellipsis and never leaves half of '&amp;'."""
    cut = mrkdwn("a&b&c&d&e&f", 10)
    assert cut.endswith("…") and len(cut) <= 10
    assert not re.search(r"&(?!amp;)", cut)


def test_plain_keeps_angle_brackets_out():
    """plain_text output carries no raw angle brackets."""
    assert "<" not in plain("<!channel> news") and ">" not in plain("<!channel> news")
    assert plain("x" * 200, 150).endswith("…") and len(plain("x" * 200, 150)) == 150


def test_safe_url_accepts_only_plain_http_urls():
    """Only http(s) URLs with a host and no link-breaking characters are accepted."""
    assert safe_url("https://www.sec.gov/Archives/x.htm?a=1&b=2") is not None
    for bad in ("javascript:alert(1)", "https://evil.example|FDA.gov", "https:///nohost",
                "ftp://x.org/a", "https://x.org/a b", "https://x.org/<!here>", None,
                "https://x.org/&lt;!here&gt;", "https://x.org/\u202e"):
        assert safe_url(bad) is None, bad


def test_link_escapes_label_and_drops_unsafe_url():
    """A link label is escaped; an unsafe URL leaves only the escaped label."""
    assert link("https://fda.gov/x", "<!here>") == "<https://fda.gov/x|&lt;!here&gt;>"
    assert link("https://evil.example|FDA.gov", "FDA.gov") == "FDA.gov"


def posted_strings(message: blocks.Message) -> list[str]:
    """Every string a message sends that Slack renders (not button values)."""
    found = [message.text]

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key == "text":
            found.append(node)

    walk(list(message.blocks))
    return found


def assert_inert(message: blocks.Message, allowed_urls: set[str]) -> None:
    for text in posted_strings(message):
        assert not INVISIBLE.search(text)
        for token in TOKEN.findall(text):
            url, sep, _label = token.partition("|")
            assert sep and url in allowed_urls, f"live token <{token}> in {text!r}"
        assert "<!" not in text and "<@" not in text and "<#" not in text


@settings(max_examples=60, deadline=None)
@given(company=hostile_text, drug=hostile_text, title=hostile_text, outlet=hostile_text,
       url=hostile_text, alias=hostile_text, target=hostile_text)
def test_generated_hostile_text_never_goes_live(company, drug, title, outlet, url, alias, target):
    """Whatever feeds put in names, titles, outlets and URLs, no mention or foreign link is live."""
    ref = source(1, title=title, outlet=outlet, url=url, primary=True)
    event = hold_event(company=company, ticker=alias, targets=(target,),
                       drugs=(DrugMention(drug, (alias,), (target,)),),
                       nct_ids=(alias, "NCT04404595"), sources=(ref, source(2)),
                       indications=(title,))
    allowed = {"https://clinicaltrials.gov/study/NCT04404595",
               "https://www.fiercebiotech.com/story-2"}
    if safe_url(ref.url):
        allowed.add(ref.url)
    lift = lift_event(company=company, drugs=event.drugs, sources=(ref,))
    for message in (blocks.alert_message(event), blocks.hold_update(event, lift),
                    blocks.lift_reply(lift, event), blocks.source_reply(event, ref)):
        assert_inert(message, allowed)
        json.dumps(message.metadata)  # metadata stays serialisable


def test_known_attack_titles_render_as_text():
    """The T5 titles show up as escaped text in the alert."""
    title = "Hold on X <!channel> <!here> <!everyone> <@U12345> <!subteam^S1>"
    event = hold_event(company=title, sources=(source(1, title=title),))
    message = blocks.alert_message(event)
    assert_inert(message, {"https://clinicaltrials.gov/study/NCT04404595",
                           "https://www.fiercebiotech.com/story-1"})
    assert "&lt;!channel&gt;" in message.text
