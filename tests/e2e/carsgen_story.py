"""The CARsgen story (issue 12) as feed items, written for these tests in two wordings.

Facts: CARsgen Therapeutics (HKEX: 2171) disclosed on 12 Dec 2023 that the FDA had
placed clinical holds on three autologous CAR-T candidates in the US — CT041
(satricabtagene autoleucel, satri-cel; Claudin18.2; US study ELIMYN18.2,
NCT04404595), CT053 (zevorcabtagene autoleucel, zevor-cel; BCMA; US study
LUMMICAR-2, NCT03915184) and CT071 (GPRC5D) — and announced on 31 Oct 2024 that the
holds were lifted: 324 days. The wording is ours; no outlet's text is quoted.

Each wording has the three hold reports (one naming the codes, two naming only the
company and "three CAR-T candidates"), two lift reports (in the second wording the
first names only the company), the company's release two weeks after the lift, and a
stale report dated a year before the hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

HOLD_DATE = date(2023, 12, 12)
LIFT_DATE = date(2024, 10, 31)
HOLD_DAYS = 324


@dataclass(frozen=True)
class Report:
    guid: str
    title: str
    text: str
    published: str  # RFC 822, as RSS writes it
    feed: str = "news"  # "news" (trade press) or "press" (the company's wire: primary)

    @property
    def day(self) -> date:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(self.published).date()

    @property
    def link(self) -> str:
        host = "www.prnewswire.com/news-releases" if self.feed == "press" else \
            "biotech-daily.example/news"
        return f"https://{host}/{self.guid}"


@dataclass(frozen=True)
class Story:
    name: str
    holds: tuple[Report, Report, Report]  # codes only, company only, company only
    lifts: tuple[Report, Report]
    release: Report  # the company's release, two weeks after the lift
    stale: Report  # a report dated in another year

    @property
    def reports(self) -> tuple[Report, ...]:
        return (*self.holds, *self.lifts, self.release, self.stale)


FIRST = Story(
    name="first wording",
    holds=(
        Report("hold-codes", "FDA places clinical holds on CT041, CT053 and CT071 CAR-T studies",
               "CARsgen Therapeutics said the U.S. Food and Drug Administration has placed "
               "clinical holds on the US studies of three of its autologous CAR-T cell "
               "therapies: CT041, which targets Claudin18.2, CT053, which targets BCMA, and "
               "CT071, which targets GPRC5D. The holds follow an FDA inspection of the site "
               "that makes cells for the US trials.", "Tue, 12 Dec 2023 10:00:00 GMT"),
        Report("hold-company-1", "CARsgen Therapeutics says FDA halted three US CAR-T trials",
               "CARsgen Therapeutics said on Tuesday that the FDA placed three of its CAR-T "
               "candidates on clinical hold in the United States after inspecting its "
               "manufacturing. The Shanghai company said its studies in China go on as "
               "planned.", "Wed, 13 Dec 2023 07:30:00 GMT"),
        Report("hold-company-2", "CARsgen shares slide as FDA puts three CAR-T candidates on hold",
               "Shares of CARsgen Therapeutics (HKEX: 2171) fell after the company disclosed "
               "that the FDA placed clinical holds on three CAR-T candidates, among them the "
               "product tested in the ELIMYN18.2 trial (NCT04404595). The company said it "
               "would answer the agency's questions.", "Wed, 13 Dec 2023 09:15:00 GMT"),
    ),
    lifts=(
        Report("lift-news-1", "FDA lifts clinical holds on three CARsgen CAR-T programmes",
               "On October 31, 2024, CARsgen Therapeutics announced that the FDA had lifted "
               "the clinical holds on satricabtagene autoleucel (satri-cel, CT041), "
               "zevorcabtagene autoleucel (zevor-cel, CT053) and CT071. US studies "
               "including ELIMYN18.2 (NCT04404595) and LUMMICAR-2 (NCT03915184) may enrol "
               "again.", "Fri, 01 Nov 2024 06:00:00 GMT"),
        Report("lift-news-2", "CARsgen cleared to restart US CAR-T trials",
               "CARsgen said on Thursday that the FDA removed the clinical holds on its "
               "CAR-T candidates CT041, CT053 and CT071, after the company answered the "
               "agency's questions on manufacturing.", "Fri, 01 Nov 2024 08:45:00 GMT"),
    ),
    release=Report(
        "release-update", "CARsgen Therapeutics Provides an Update on Its US Clinical Programmes",
        "SHANGHAI, China, Nov. 14, 2024 -- CARsgen Therapeutics Holdings Limited (HKEX: 2171) "
        "announced on October 31, 2024 that the U.S. FDA has lifted the clinical holds on "
        "zevor-cel (CT053), satri-cel (CT041) and CT071. The company plans to resume "
        "enrolment in its US studies.", "Thu, 14 Nov 2024 08:00:00 GMT", feed="press"),
    stale=Report(
        "hold-stale", "CARsgen CAR-T candidates put on FDA clinical hold",
        "CARsgen Therapeutics said the FDA placed clinical holds on its CT041, CT053 and "
        "CT071 programmes in the United States.", "Tue, 13 Dec 2022 09:00:00 GMT"),
)

SECOND = Story(
    name="second wording",
    holds=(
        Report("b-hold-codes", "US regulator pauses three CAR-T programmes: CT041, CT053, CT071",
               "The FDA has put the investigational new drug applications for CT041, CT053 "
               "and CT071, three CAR-T products from CARsgen Therapeutics, on clinical hold, "
               "the Chinese drugmaker disclosed on Tuesday.", "Tue, 12 Dec 2023 13:00:00 GMT"),
        Report("b-hold-company-1", "FDA clinical hold hits CARsgen's US cell therapy work",
               "In a filing with the Hong Kong exchange on December 12, 2023, CARsgen "
               "Therapeutics reported that the FDA imposed clinical holds on three CAR-T "
               "candidates it is developing in the US.", "Wed, 13 Dec 2023 02:00:00 GMT"),
        Report("b-hold-company-2",
               "Hong Kong-listed CARsgen faces FDA hold on three CAR-T products",
               "CARsgen Therapeutics disclosed on Tuesday that the FDA placed clinical holds "
               "on three CAR-T candidates in the United States following a site inspection.",
               "Wed, 13 Dec 2023 11:00:00 GMT"),
    ),
    lifts=(
        Report("b-lift-news-1", "FDA frees CARsgen's three US CAR-T candidates from clinical hold",
               "CARsgen Therapeutics announced on October 31, 2024 that the FDA has removed "
               "the clinical holds on its three CAR-T candidates in the United States, "
               "clearing the way for its US trials to resume.", "Fri, 01 Nov 2024 03:00:00 GMT"),
        Report("b-lift-news-2", "CARsgen says FDA lifted holds on satri-cel, zevor-cel and CT071",
               "CARsgen Therapeutics said late on Thursday that the FDA lifted the clinical "
               "holds on satri-cel, zevor-cel and CT071, almost eleven months after they were "
               "imposed.", "Fri, 01 Nov 2024 09:30:00 GMT"),
    ),
    release=Report(
        "b-release-update", "CARsgen Therapeutics Reports Progress of Its US CAR-T Studies",
        "SHANGHAI, China, Nov. 15, 2024 -- CARsgen Therapeutics Holdings Limited (HKEX: 2171) "
        "announced on October 31, 2024 that the FDA has lifted the clinical holds on "
        "satricabtagene autoleucel, zevorcabtagene autoleucel and CT071. Enrolment in the US "
        "studies is being restarted.", "Fri, 15 Nov 2024 08:00:00 GMT", feed="press"),
    stale=Report(
        "b-hold-stale", "FDA places holds on CARsgen CAR-T studies",
        "The FDA placed clinical holds on CARsgen Therapeutics' CT041, CT053 and CT071 "
        "studies in the United States, the company said.", "Mon, 12 Dec 2022 09:00:00 GMT"),
)

STORIES = (FIRST, SECOND)
