"""The announcement date a report states (pure): an event's date is a fact, not a guess.

A news story published on 1 Nov about a lift announced on 31 Oct says so ("On October
31, 2024, CARsgen announced…", "CARsgen said on Thursday…"); its publication date is
not the event's date. Each rule below is named and carries an example with the date it
must give, so a new phrasing is one entry (tests/store/test_dates.py runs them all).

Which: the first rule, in the order below, that finds a date no later than a day after
publication and at most MAX_AGE_DAYS before it (a date outside that is background);
each rule looks in the sentences the label rests on (Extraction.evidence) first, then
the lede, then the headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

# Month words only locate a date phrase; python-dateutil reads it ("Sept. 3, 2024",
# "31st October 2024", "Oct 31 2024"), so spellings are not a hand-kept table.
MONTH_WORDS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "jan", "feb", "mar", "apr",
               "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_OF = dict(zip(WEEKDAYS, (MO, TU, WE, TH, FR, SA, SU), strict=True))
MAX_AGE_DAYS = 400
LEDE_CHARS = 800

_MONTH = "(?:" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (rf"(?P<date>{_MONTH}\s+{_DAY},?\s+20\d\d"
         rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+20\d\d)")
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_SAID = r"(?:announced|said|disclosed|reported|revealed|stated|confirmed|informed)"
_CLAUSE = r"[^.;!?]{0,200}?"  # within one clause or sentence


@dataclass(frozen=True)
class DateRule:
    name: str
    pattern: re.Pattern[str]
    example: str
    published: date
    expected: date


def _rule(name: str, regex: str, example: str, published: date, expected: date,
          flags: int = re.IGNORECASE) -> DateRule:
    return DateRule(name, re.compile(regex, flags), example, published, expected)


RULES: tuple[DateRule, ...] = (
    _rule("on_date_x_announced", rf"\bOn\s+{_DATE},{_CLAUSE}\b{_SAID}\b",
          "On October 31, 2024, CARsgen Therapeutics announced that the FDA lifted the holds.",
          date(2024, 11, 1), date(2024, 10, 31)),
    _rule("announced_on_date", rf"\b{_SAID}\s+(?:late\s+|early\s+)?on\s+{_DATE}",
          "CARsgen announced on 31 October 2024 that the FDA had lifted the holds.",
          date(2024, 11, 14), date(2024, 10, 31)),
    _rule("dateline", rf"^\s*[A-Z][A-Za-z .,'’()/-]{{1,80}}?,\s*{_DATE}\s*(?:\([^)]*\)\s*)?"
          r"(?:/[^-–—]{0,80})?[-–—]", "SHANGHAI, China, Oct. 31, 2024 -- CARsgen Therapeutics "
          "Holdings Limited announced that the FDA has lifted the clinical holds.",
          date(2024, 11, 1), date(2024, 10, 31)),
    _rule("on_weekday_x_announced", rf"\bOn\s+{_WEEKDAY},{_CLAUSE}\b{_SAID}\b",
          "On Thursday, CARsgen announced that the FDA had lifted the holds.",
          date(2024, 11, 1), date(2024, 10, 31)),
    _rule("announced_on_weekday", rf"\b{_SAID}\s+(?:late\s+|early\s+)?on\s+{_WEEKDAY}\b",
          "CARsgen Therapeutics said on Tuesday that the FDA placed three trials on hold.",
          date(2023, 12, 13), date(2023, 12, 12)),
    _rule("action_on_date", rf"\b(?:lifted|removed|released|placed|imposed|put){_CLAUSE}"
          rf"\bon\s+{_DATE}", "The FDA lifted the clinical holds on October 31, 2024.",
          date(2024, 11, 14), date(2024, 10, 31)),
)


def stated_date(
    evidence: Sequence[str], title: str, text: str, published: date | None,
    rules: Sequence[DateRule] = RULES,
) -> tuple[date | None, str | None]:
    """The announcement date the report states and the rule that found it, else (None, None)."""
    places = [*evidence, f"{text[:LEDE_CHARS]}", title]
    for rule in rules:
        for place in places:
            for match in rule.pattern.finditer(place):
                found = _date_of(match, published)
                if found is not None and _plausible(found, published):
                    return found, rule.name
    return None, None


def _date_of(match: re.Match[str], published: date | None) -> date | None:
    groups = match.groupdict()
    if groups.get("weekday"):
        return _last_weekday(groups["weekday"], published)
    phrase = groups.get("date")
    if not phrase:
        return None
    try:  # an impossible day ("February 30, 2024") is no date, not an error
        return date_parser.parse(phrase, default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _last_weekday(name: str, published: date | None) -> date | None:
    """The named weekday on or before publication (a story names the last few days)."""
    if published is None:
        return None
    return published + relativedelta(weekday=_WEEKDAY_OF[name.lower()](-1))


def _plausible(found: date, published: date | None) -> bool:
    if published is None:
        return True
    return published - timedelta(days=MAX_AGE_DAYS) <= found <= published + timedelta(days=1)

