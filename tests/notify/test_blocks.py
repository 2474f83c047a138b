"""Block Kit alerts: content, metadata, buttons and Slack's limits."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.models import DrugMention
from bot.notify import blocks
from bot.notify.blocks import SUBSCRIBE_ACTION_ID, SUBSCRIBE_ACTION_RE
from tests.notify.support import hold_event, lift_event, source


def all_text(message: blocks.Message) -> str:
    return json.dumps([message.text, list(message.blocks)], ensure_ascii=False)


def assert_within_limits(message: blocks.Message) -> None:
    assert len(message.blocks) <= 50
    assert 0 < len(message.text) <= 3000
    for block in message.blocks:
        kind = block["type"]
        if kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        elif kind == "section":
            assert len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
        elif kind == "actions":
            assert len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(set(ids)) == len(ids)
            for button in block["elements"]:
                assert len(button["text"]["text"]) <= 75 and len(button["value"]) <= 2000


def test_hold_alert_shows_label_company_drugs_trials_and_sources():
    """A hold alert names the label with its emoji, company, drugs with aliases, NCT links."""
    message = blocks.alert_message(hold_event())
    header = message.blocks[0]["text"]["text"]
    assert header.startswith("🛑 Clinical hold") and "CARsgen" in header
    text = all_text(message)
    assert "2171.HK" in text and "zevor-cel, CT053" in text and "Claudin18.2" in text
    assert "<https://clinicaltrials.gov/study/NCT04404595|NCT04404595>" in text
    assert "CMC (manufacturing)" in text and "12 Dec 2023" in text
    assert "<https://www.fiercebiotech.com/story-1|CARsgen Therapeutics> (primary)" in text
    assert message.text.startswith("Clinical hold: CARsgen Therapeutics (2171.HK)")
    assert message.metadata == {"event_type": "holdwatch_event", "event_payload": {
        "event_id": "ev-hold", "label": "hold", "action": "post"}}


def test_each_label_has_its_own_headline():
    """Hold, partial hold, lift and partial lift read differently at a glance."""
    headers = {blocks.alert_message(hold_event(label=label)).blocks[0]["text"]["text"][:2]
               for label in ("hold", "partial_hold", "lift", "partial_lift")}
    assert len(headers) == 4


def test_lift_alert_gives_hold_duration():
    """A lift says how many days the drug was on hold."""
    message = blocks.alert_message(lift_event(), linked_hold=hold_event())
    assert "After 324 days on hold" in all_text(message)
    assert "after 324 days on hold" in message.text
    assert message.blocks[0]["text"]["text"].startswith("✅ Clinical hold lifted")


def test_lift_duration_computed_from_linked_hold_when_missing():
    """Without hold_days the duration comes from the linked hold's date."""
    message = blocks.alert_message(lift_event(hold_days=None), linked_hold=hold_event())
    assert "After 324 days on hold" in all_text(message)


def test_hold_update_says_lifted_on_date_after_days():
    """The edited hold message says when it was lifted and after how long."""
    message = blocks.hold_update(hold_event(), lift_event())
    assert "Lifted on 31 Oct 2024 after 324 days" in all_text(message)
    assert message.metadata["event_payload"]["event_id"] == "ev-hold"
    assert message.text.endswith("Lifted on 31 Oct 2024 after 324 days")


def test_replies_carry_reply_metadata():
    """Lift and source replies are marked as replies in their metadata (for reconciliation)."""
    lift = blocks.lift_reply(lift_event(), hold_event())
    assert lift.metadata["event_payload"]["action"] == "reply"
    ref = source(7, primary=True, outlet="SEC EDGAR")
    reply = blocks.source_reply(hold_event(), ref)
    assert reply.metadata["event_payload"] == {"event_id": "ev-hold", "label": "hold",
                                               "action": "reply", "item_id": "news:7"}
    assert "<https://www.fiercebiotech.com/story-7|SEC EDGAR>" in all_text(reply)


def test_subscribe_buttons_carry_kind_and_value():
    """Buttons offer to follow the event's targets and drugs, with parseable values."""
    message = blocks.alert_message(hold_event())
    actions = next(b for b in message.blocks if b["type"] == "actions")["elements"]
    assert actions[0]["action_id"] == SUBSCRIBE_ACTION_ID
    assert all(SUBSCRIBE_ACTION_RE.match(b["action_id"]) for b in actions)
    values = [json.loads(b["value"]) for b in actions]
    assert values[0] == {"kind": "target", "value": "BCMA"}
    assert {"kind": "drug", "value": "zevorcabtagene autoleucel"} in values


def test_twelve_drugs_and_thirty_sources_stay_within_limits():
    """An event with 12 long-named drugs and 30 sources fits Block Kit, summarising overflow."""
    drugs = tuple(
        DrugMention(f"examplecabtagene autoleucel {n} " + "x" * 150,
                    tuple(f"EX-{n}-{k}" + "y" * 40 for k in range(6)), (f"TARGET{n}",))
        for n in range(12)
    )
    sources = tuple(source(n, outlet=f"Outlet {n} " + "z" * 100) for n in range(30))
    event = hold_event(drugs=drugs, sources=sources, nct_ids=tuple(
        f"NCT{n:08d}" for n in range(40)), company="C" * 400, targets=())
    for message in (blocks.alert_message(event), blocks.hold_update(event, lift_event()),
                    blocks.update_message(event), blocks.lift_reply(event, event)):
        assert_within_limits(message)
    text = all_text(blocks.alert_message(event))
    assert "+ 21 more sources" in text and "more drugs" in text


def test_unsafe_source_url_is_not_linked():
    """A source whose URL is not plain http(s) is shown as text, not as a link."""
    event = hold_event(sources=(replace(source(1), url="javascript:alert(1)"),))
    assert "javascript" not in all_text(blocks.alert_message(event))


def test_alert_quotes_the_primary_reports_headline_escaped():
    """The alert quotes the company's own headline (over news), with its markup made inert."""
    event = hold_event(sources=(
        source(1, title="Trade press: three CAR-T programmes halted"),
        source(2, primary=True, title="CARsgen <!channel> announces FDA clinical holds & more"),
    ))
    text = all_text(blocks.alert_message(event))
    assert ">CARsgen &lt;!channel&gt; announces FDA clinical holds &amp; more" in text
    assert "three CAR-T programmes halted" not in text
    assert "<!channel>" not in text


def test_trials_are_shown_as_trials_with_their_registry_links():
    """Named studies appear under Trials with their NCT link, never under Drugs; an NCT id
    no study is named for is listed by itself; scope counts them."""
    from bot.models import Trial

    event = hold_event(trials=(Trial("ELIMYN18.2", "NCT04404595"), Trial("LUMMICAR-2", None)),
                       nct_ids=("NCT04404595", "NCT03915184"))
    message = blocks.alert_message(event)
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    trials = next(t for t in sections if t.startswith("*Trials*"))
    drugs = next(t for t in sections if t.startswith("*Drugs*"))
    assert "*ELIMYN18.2* (<https://clinicaltrials.gov/study/NCT04404595|NCT04404595>)" in trials
    assert "*LUMMICAR-2*" in trials and "NCT03915184|NCT03915184>" in trials
    assert "ELIMYN" not in drugs and "LUMMICAR" not in drugs
    assert "*Scope:* 3 trials" in sections[0]


def test_scope_says_what_the_reports_name_or_nothing():
    """No trial named: 'whole programme' for one drug's programme, the count of
    programmes for several, and no scope line for a guess of 'trial'."""
    def scope(event):
        return [line for line in blocks.alert_message(event).blocks[1]["text"]["text"]
                .splitlines() if line.startswith("*Scope:*")]

    assert scope(hold_event(nct_ids=())) == ["*Scope:* 3 programmes"]
    one = hold_event(nct_ids=(), drugs=hold_event().drugs[:1])
    assert scope(one) == ["*Scope:* whole programme"]
    assert scope(hold_event(nct_ids=(), scope="trial")) == []
    assert scope(hold_event(scope="trial")) == ["*Scope:* 1 trial"]


def test_alert_quotes_the_evidence_escaped_and_cut_before_escaping():
    """The sentence the label rests on is quoted, escaped, at most 300 characters, cut at
    a word and never inside an entity like &lt;."""
    evidence = "The FDA placed a clinical hold on <CT041> & CT053 " + "after an inspection " * 30
    event = hold_event(sources=(replace(source(1, primary=True), evidence=evidence),))
    summary = blocks.alert_message(event).blocks[1]["text"]["text"]
    quote = next(line for line in summary.splitlines() if line.startswith(">"))[1:]
    assert quote.startswith("The FDA placed a clinical hold on &lt;CT041&gt; &amp; CT053")
    assert quote.endswith("…")
    raw = quote.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert len(raw) <= 300
    assert "<" not in quote and not any(quote.endswith(e) for e in ("&", "&l", "&lt", "&am"))


def test_evidence_cut_lands_before_an_entity_not_inside_it():
    """Text of '&' characters: the cut counts raw characters, each escaped whole."""
    from bot.notify.facts import cut

    assert cut("&" * 400, 300) == "&" * 299 + "…"
    assert blocks.escape.mrkdwn(cut("&" * 400, 300)).endswith("&amp;…")


def test_without_company_or_drug_the_alert_says_so():
    """An event no report attributed: the header says the sponsor is not named."""
    event = hold_event(company=None, drugs=(), ticker=None)
    header = blocks.alert_message(event).blocks[0]["text"]["text"]
    assert header == "🛑 Clinical hold: sponsor not named"
