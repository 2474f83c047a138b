"""The shipped sources file: parses, covers every kind, explains what is off."""

from __future__ import annotations

from bot.config import DEFAULT_SOURCES_FILE, load_sources


def test_shipped_sources_parse_and_cover_every_kind():
    """bot/data/sources.toml loads and has rss, clinicaltrials and edgar sources."""
    sources = load_sources(DEFAULT_SOURCES_FILE)
    assert {s.kind for s in sources if s.enabled} == {"rss", "clinicaltrials", "edgar"}
    google = next(s for s in sources if "news.google.com" in s.url)
    assert google.enabled and "%22clinical+hold%22" in google.url


def test_disabled_sources_say_why():
    """Every source that ships switched off carries a note."""
    assert all(s.note for s in load_sources(DEFAULT_SOURCES_FILE) if not s.enabled)


def test_edgar_and_ctgov_defaults_match_the_contract():
    """EDGAR searches "clinical hold" in 8-K/6-K with the archives URL; CT.gov uses API v2."""
    by_kind = {s.kind: s for s in load_sources(DEFAULT_SOURCES_FILE)}
    edgar, ctgov = by_kind["edgar"], by_kind["clinicaltrials"]
    assert edgar.url == "https://efts.sec.gov/LATEST/search-index"
    assert edgar.archives_url == "https://www.sec.gov/Archives/edgar/data"
    assert (edgar.query, edgar.forms) == ('"clinical hold"', ("8-K", "6-K"))
    assert ctgov.url == "https://clinicaltrials.gov/api/v2"
