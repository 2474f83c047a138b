"""Fake ClinicalTrials.gov and SEC EDGAR APIs served by FeedServer from fixture files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.models import SourceConfig
from loopback.feed_server import FeedServer, RecordedRequest, Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

CTGOV = FIXTURES / "ctgov"
CTGOV_NOW = datetime(2025, 1, 2, 12, 0, tzinfo=UTC)
# poll number -> pageToken -> fixture page
POLLS = {
    1: {None: "poll1_page1", "NF0g5JGBlPMu": "poll1_page2", "NF0g5JGBlPMv": "poll1_page3"},
    2: {None: "poll2_page1", "ZVNj7o2Elu8o": "poll2_page2"},
    3: {None: "poll3_page1", "aGk3bW9yZQ": "poll3_page2"},
}


class FakeCtgov:
    """Serves the fixture pages of the current poll, chosen by pageToken."""

    def __init__(self) -> None:
        self.poll = 1

    def __call__(self, request: RecordedRequest) -> Reply:
        page = POLLS[self.poll].get(request.param("pageToken"))
        if page is None:
            return Reply(status=400, body="bad pageToken", content_type="text/plain")
        return Reply(body=CTGOV / f"{page}.json", content_type="application/json")


def serve_ctgov(server: FeedServer) -> tuple[FakeCtgov, SourceConfig]:
    """Route /api/v2/studies to a FakeCtgov (poll 1); returns it and a source config."""
    api = FakeCtgov()
    server.handle("/api/v2/studies", api)
    source = SourceConfig(name="ctgov", kind="clinicaltrials", url=server.url("/api/v2"),
                          query="AREA[LeadSponsorClass]INDUSTRY")  # fmt: skip
    return api, source


EDGAR = FIXTURES / "edgar"
EDGAR_NOW = datetime(2025, 1, 15, 14, 0, tzinfo=UTC)
UA = "Holdwatch Tests admin@holdwatch.example"
SEARCH = "/LATEST/search-index"
ARCHIVES = "/Archives/edgar/data"
NWBT_FOLDER = f"{ARCHIVES}/9990001/000999000125000012"
SEC_403 = "Your Request Originates from an Undeclared Automated Tool"


def _sec_gate(request: RecordedRequest) -> Reply | None:
    """SEC answers 403 to traffic without a contact in the User-Agent."""
    if "@" not in request.headers.get("user-agent", ""):
        return Reply(status=403, body=SEC_403, content_type="text/html")
    return None


def _search(request: RecordedRequest) -> Reply:
    page = {"0": "efts_page1", "3": "efts_page2"}.get(request.param("from") or "", "efts_empty")
    return _sec_gate(request) or Reply(body=EDGAR / f"{page}.json", content_type="application/json")


def _document(name: str):
    def serve(request: RecordedRequest) -> Reply:
        return _sec_gate(request) or Reply(body=EDGAR / name, content_type="text/html")

    return serve


def serve_edgar(server: FeedServer) -> SourceConfig:
    """Route the EFTS search and the two filings' documents; returns a source config."""
    server.handle(SEARCH, _search)
    server.handle(f"{NWBT_FOLDER}/nwbt-ex991.htm", _document("nwbt-ex991.htm"))
    server.handle(f"{ARCHIVES}/9990777/000999077725000003/fbko-6k.htm", _document("fbko-6k.htm"))
    return SourceConfig(name="edgar-8k", kind="edgar", url=server.url(SEARCH),
                        archives_url=server.url(ARCHIVES), query='"clinical hold"',
                        forms=("8-K", "6-K"))  # fmt: skip
