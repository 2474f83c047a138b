"""Slash commands through the real signed HTTP endpoint: lookups, lists, help, usage."""

from __future__ import annotations

import pytest

from tests.slack.harness import Harness, answer_text


def test_drug_by_any_alias_gives_the_same_drug(bot: Harness) -> None:
    """/drug CT053, zevor-cel and the INN all answer with zevorcabtagene autoleucel."""
    answers = [bot.command("/drug", name)
               for name in ("CT053", "zevor-cel", "Zevorcabtagene Autoleucel")]
    for answer in answers:
        assert answer["blocks"][0]["text"]["text"] == "zevorcabtagene autoleucel"
        text = answer_text(answer)
        assert "zevor-cel, CT053" in text
        assert "CARsgen Therapeutics (2171.HK)" in text
        assert "Hold lifted after 167 days on hold" in text
        assert "<https://news.example.com/carsgen-lift|Endpoints News>" in text
    assert answers[0]["blocks"] == answers[1]["blocks"] == answers[2]["blocks"]


def test_drug_shows_indications_and_trials_with_registry_links(bot: Harness) -> None:
    """/drug answers what an analyst asks next: indications, and trials by NCT id and name."""
    text = answer_text(bot.command("/drug", "zevor-cel"))
    # CARsgen's reports name three drugs at once, and the answer says so.
    assert "*Indications:* multiple myeloma (from reports naming it with other drugs)" in text
    assert ("*Trials:* <https://clinicaltrials.gov/study/NCT03915184|NCT03915184> (LUMMICAR-2)"
            " (from reports naming it with other drugs)" in text)
    alone = answer_text(bot.command("/drug", "HX-101"))  # its report names it alone
    assert "*Indications:* multiple myeloma\n" in alone


def test_drug_known_only_to_the_curated_list_says_so(bot: Harness) -> None:
    """A drug in the curated alias file that no event named yet is recognised, not 'unknown'."""
    text = answer_text(bot.command("/drug", "Carvykti"))
    assert "ciltacabtagene autoleucel" in text and "is a known drug" in text
    assert "no clinical-hold event naming “Carvykti”" in text


def test_drug_fuzzy_miss_suggests(bot: Harness) -> None:
    """A misspelt drug name gets 'did you mean' with the close name."""
    text = answer_text(bot.command("/drug", "zevorcabtagen"))
    assert "No drug called “zevorcabtagen”" in text
    assert "Did you mean zevorcabtagene autoleucel?" in text


def test_drug_without_name_gives_usage(bot: Harness) -> None:
    """/drug with no name answers with its usage line, not an error."""
    assert "Usage: `/drug NAME`" in answer_text(bot.command("/drug", "  "))


def test_held_drug_shows_days_on_hold_and_escapes_hostile_names(bot: Harness) -> None:
    """A held drug shows its days on hold; a company called `<!channel>` stays inert text."""
    answer = bot.command("/drug", "HX-101")
    text = answer_text(answer)
    assert "On partial clinical hold for 6 days (since 29 Oct 2024)" in text
    assert "&lt;!channel&gt; Pharma &amp; Co" in text
    assert "<!channel>" not in text
    assert "evil.example" not in text  # the URL with a `|` is not linked


def test_target_is_alias_aware(bot: Harness) -> None:
    """/target CLDN18.2 answers with the Claudin18.2 drug; BCMA lists held drugs first."""
    cldn = answer_text(bot.command("/target", "CLDN18.2"))
    assert "Drugs against Claudin18.2" in cldn
    assert "satricabtagene autoleucel" in cldn
    bcma = bot.command("/target", "bcma")
    lines = bcma["blocks"][1]["text"]["text"].splitlines()
    assert "HX-101" in lines[0] and "zevorcabtagene autoleucel" in lines[1]


def test_unknown_target_suggests(bot: Harness) -> None:
    """An unknown target says so and suggests close known targets."""
    text = answer_text(bot.command("/target", "GPRC5"))
    assert "No drug against" in text
    assert "GPRC5D" in text


def test_answers_are_ephemeral_unless_public(bot: Harness) -> None:
    """By default only the user sees the answer; a trailing `public` posts it in the channel."""
    assert bot.command("/drug", "CT041")["response_type"] == "ephemeral"
    public = bot.command("/drug", "CT041 public")
    assert public["response_type"] == "in_channel"
    assert public["blocks"][0]["text"]["text"] == "satricabtagene autoleucel"


def test_holds_recent_and_active(bot: Harness) -> None:
    """`recent N` lists the newest N events; `active` lists drugs on hold with days."""
    recent = answer_text(bot.command("/holds", "recent 2"))
    assert "Last 2 clinical-hold events" in recent
    assert recent.index("31 Oct 2024") < recent.index("29 Oct 2024")
    assert "17 May 2024" not in recent
    active = answer_text(bot.command("/holds", "active"))
    assert "1 drug on clinical hold" in active
    assert "HX-101" in active and "6 days" in active
    assert "zevorcabtagene" not in active


def test_holds_status_shows_each_source(bot: Harness) -> None:
    """`status` names every configured source, its schedule and a disabled source's note."""
    text = answer_text(bot.command("/holds", "status"))
    assert "news-clinical-hold" in text and "every 10m" in text
    assert "edgar-8k" in text and "disabled: SEC_USER_AGENT is not set" in text
    assert "Last success: never" in text


@pytest.mark.parametrize("text", ["help", ""])
def test_holds_help(bot: Harness, text: str) -> None:
    """`/holds help` (and bare `/holds`) lists every sub-command."""
    answer = answer_text(bot.command("/holds", text))
    for word in ("recent", "active", "subscribe", "unsubscribe", "subscriptions", "status",
                 "digest"):
        assert f"/holds {word}" in answer


def test_unknown_subcommand_gets_usage_not_a_trace(bot: Harness) -> None:
    """An unknown sub-command is named back, followed by the help; no traceback leaks."""
    answer = bot.command("/holds", "explode <@U999>")
    text = answer_text(answer)
    assert "I don't know `/holds explode`" in text
    assert "/holds subscribe" in text
    assert "Traceback" not in text and "<@U999>" not in text
    assert answer["response_type"] == "ephemeral"
