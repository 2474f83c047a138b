"""Shortcuts taken for speed give the same answers as the plain regex searches they skip."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import (
    company,
    engine,
    indications,
    lexicon,
    names,
    rulebook,
    rules,
    targets,
    ticker,
)
from bot.extract import text as text_mod
from bot.extract.text import clean

_DEV = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "dev.jsonl"

# Words of the rules' vocabulary and near misses, for the prefilter property below.
_RULE_BITS = st.sampled_from([
    "the", "fda", "partial", "clinical", "hold", "holds", "held", "holding", "halt", "halted",
    "paus", "paused", "suspend", "suspension", "stop", "stopp", "stopped", "lifted", "may",
    "resume", "proceed", "allow", "allowed", "trial", "study", "green", "light", "sign", "off",
    "signs", "klinischen", "suspension clinique", "临床暂停", "臨床擱置", "暂停",
    "クリニカルホールド",
    "임상 보류", "sospensione clinica", "no", "not", " ", ",", ";", "-", "moratorium", "freeze",
    "permit", "cleared", "clearance", "to", "go", "ahead", "consents", "shut", "down",
])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_RULE_BITS, max_size=18).map(" ".join))
def test_sentence_prefilter_never_skips_a_trigger(text: str) -> None:
    """A sentence the prefilter skips has no trigger hit at all (the skip loses nothing)."""
    low = rules.lower(text)
    if rulebook.prefilter().search(low) is None:
        for headline in (False, True):
            hits = rulebook.sentence_matcher(headline).match(low).core
            assert not [h for h in hits if h.rule.category == "trigger"], text


_TICKER_BITS = st.sampled_from([
    "Nasdaq", "NASDAQ Global Select Market", "nyse american", "NYSE", ":", "：", " ", "\n", "(",
    ")", "ABCD", "2171", "HK", "hkex", "stock code", "tsx-v", "TSXV", "-", ".", "x", "Ltd",
    "SSE", "six swiss exchange", "0", "\t", "ſix", "İ", "market", "select", "OTC", "8:00",
    "euronext paris", "Inc.", ",", "announced", "2171.HK", "600276.SH", "4568.T",
])


@settings(max_examples=600, deadline=None)
@given(text=st.lists(_TICKER_BITS, max_size=16).map("".join))
def test_first_ticker_is_the_first_search_match(text: str) -> None:
    """The colon-anchored ticker search finds exactly what a whole-text search finds."""
    plain = ticker._TICKER.search(text)
    fast = ticker._first_ticker(text)
    assert (plain and (plain.span(), plain.groups())) == (fast and (fast.span(), fast.groups()))


@settings(max_examples=200, deadline=None)
@given(text=st.lists(_TICKER_BITS, max_size=16).map("".join))
def test_suffixed_code_shortcut_keeps_every_code(text: str) -> None:
    """find_ticker still returns a suffixed code like 2171.HK whenever one is written."""
    if ticker._first_ticker(text) is None:
        m = ticker._SUFFIXED.search(text)
        assert ticker.find_ticker(text) == (m.group(1).upper() if m else None)


_TEXT_BITS = st.sampled_from([
    " ", "  ", "\t", "\u00a0", "\u3000", "\n", " \n ", "Inc.", "Corp.", "approx.", "U.S.", "a",
    "The", "zevor-cel", "cilta-cel", "T-DXd", "T-DM1", "mRNA-1273", "nex-z", "Carvykti", "®",
    "™", "(R)", "(TM)", "NCT01234567", "nct12345678", "Nct", "-", ".", "hold", "Hold", "(", ":",
    "Acme Bio", "'s", "’s", "--", "—", "/", "announced", "said", "Corp", "2024", "acme bio",
    "Acmes'", "Sponsor", '"Company"', "(the ", " - ", "8-K", "ACME INC", "gab bekannt", "Die",
    "科济药业", "Why",
])
_TEXT = st.lists(_TEXT_BITS, max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT)
def test_shortcuts_agree_with_the_plain_searches(text: str) -> None:
    """Space folding, abbreviation tails, drug-name and NCT guards change no result."""
    assert text_mod._SPACES_TO_FIX.sub(" ", text) == text_mod._SPACES.sub(" ", text)
    if "  " not in text and not text_mod._ODD_SPACE.search(text):
        assert text_mod._SPACES.sub(" ", text) == text
    assert [m.span() for m in names.short_names(text)] == [
        m.span() for m in names.SHORT_NAME.finditer(text)]
    assert [m.span() for m in names.brands(text)] == [m.span() for m in names.BRAND.finditer(text)]
    assert engine._nct_ids(text) == engine._NCT.findall(text)
    for end in range(len(text) + 1):
        head = text[:end]
        reach = max(0, len(head) - text_mod._ABBREVIATION_REACH)
        assert bool(text_mod._ABBREVIATIONS.search(head, reach)) == bool(
            text_mod._ABBREVIATIONS.search(head))


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, text=_TEXT)
def test_company_guards_change_no_company(title: str, text: str) -> None:
    """Skipping company patterns whose marks are absent finds the same issuer."""
    plain = None
    for pattern, where in company.steps(title, text):
        if not isinstance(pattern, re.Pattern):  # a reader of possessives: never skipped
            names = (company._tidy(n) for n in pattern(where))
            plain = next((n for n in names if n), None)
            if plain:
                break
            continue
        names = (company._tidy(company._candidate(pattern, m, where))
                 for m in pattern.finditer(where))
        plain = next((n for n in names if n and (
            pattern is not company._TITLE_COLON or n in text or not text)), None)
        if plain:
            break
    assert company.first_match(title, text) == plain


_NAME_BITS = st.sampled_from([
    "Acme", "Bio", "Inc.", ",", " ", "(", ")", "Nasdaq", ":", "：", " ABCD", "2171", "HK", "and",
    "Co.,", "Ltd.", "x", "8:00", "(FDA)", "Holdings", "&", "(Nasdaq: ACME)", "\n", "3M", "12abc",
])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_NAME_BITS, max_size=18).map("".join))
def test_names_before_ticker_are_the_finditer_matches(text: str) -> None:
    """The paren-windowed search yields exactly the matches finditer yields, in order."""
    plain = [(m.span(), m.group(1)) for m in company._NAME_BEFORE_TICKER.finditer(text)]
    fast = [(m.span(), m.group(1)) for m in company._names_before_ticker(text)]
    assert fast == plain


_SENTENCE_BITS = st.sampled_from([
    ".", "!", "?", " ", "  ", "\n", "\n\n", "\t", "A", "a", "1", '"', "'", "(", "[", "中", "x",
    "Inc.", "\u00a0", "\u3000", "\x1c", "\u2018", "\u201d",
])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_SENTENCE_BITS, max_size=20).map("".join))
def test_latin_sentence_split_matches_the_general_one(text: str) -> None:
    """Without CJK stops, the whitespace-led split regex cuts exactly where the general one does."""
    assert text_mod._SENTENCE_END_LATIN.split(text) == text_mod._SENTENCE_END.split(text)


def _inn_walk(text: str) -> list[tuple[str, int, int]]:
    """The reference: every word visited, the previous one kept (the former inn_spans), on
    the text without accents (same length), names reported as the text writes them."""
    found: list[tuple[str, int, int]] = []
    previous = None
    scan = text.translate(names._UNACCENTED)

    def written(m: re.Match[str]) -> str:
        return text[m.start() : m.end()]

    for m in names._WORD.finditer(scan):
        word = m.group().lower()
        if (previous is not None and word.endswith(names._SECOND_SUFFIXES)
                and previous.group().lower().endswith(names._FIRST_SUFFIXES)
                and text[previous.end() : m.start()].isspace()):
            if found and found[-1][1] == previous.start():
                found.pop()
            found.append((f"{written(previous)} {written(m)}".lower(), previous.start(), m.end()))
            previous = None
            continue
        if word.endswith(names._SINGLE_SUFFIXES) and not names.not_a_drug(word) and len(word) >= 5:
            suffix = names._BIOSIMILAR.match(text, m.end())
            found.append((written(m).lower() + (suffix.group() if suffix else ""), m.start(),
                          suffix.end() if suffix else m.end()))
        previous = m
    return found


_INN_BITS = st.sampled_from([
    "zevorcabtagene", "autoleucel", "ciltacabtagene", "leucel", "vedotin", "Brentuximab",
    "enfortumab", " ", "  ", "\n", "1", "_", "é", "x", "abc", "Tinib", "mab", "cel", "-abcd",
    "-", "trastuzumab", "deruxtecan", "pegol", "certolizumab", "gene", "parvovec", "MAB", ",",
    "stat", "cancel", "intercept", "ſ", "K", "ozogamicin", "Gemtuzumab",
])


@settings(max_examples=600, deadline=None)
@given(text=st.lists(_INN_BITS, max_size=14).map("".join))
def test_inn_spans_match_the_word_by_word_walk(text: str) -> None:
    """Visiting only words with INN endings finds the same INNs as visiting every word."""
    assert names.inn_spans(text) == _inn_walk(text)


def test_inn_spans_on_the_dev_corpus() -> None:
    """The INNs of every dev-corpus text are those the word-by-word walk finds."""
    with _DEV.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = f"{clean(row['title'])}\n{clean(row.get('text') or '')}"
            assert names.inn_spans(text) == _inn_walk(text)


_LEXICON_BITS = st.sampled_from([
    "her", "2", "her2", "multiple", "myeloma", "cd", "19", "CD19", " ", "-", "K", "\u212a",
    "İ", "a", "12", "bcma", "σ", "ς", "lupus", "kras", "x", "é", ".", "\n", "Ras", "abc",
])


@settings(max_examples=600, deadline=None)
@given(text=st.lists(_LEXICON_BITS, max_size=16).map("".join))
def test_lexicon_starts_match_the_trie_regex(text: str) -> None:
    """A set lookup per token finds the alias starts the first-word trie regex finds."""
    lexicons = (targets.lexicon(), indications.lexicon(), engine.default_book().lexicon())
    low = text.lower() if len(text.lower()) == len(text) else text
    versions = tuple(lx.version for lx in lexicons)
    trie = [m.start() for m in lexicon._union_regex(lexicons, versions).finditer(low)]
    assert lexicon._first_words(lexicons, versions) is not None
    assert list(lexicon._starts(low, lexicons)) == trie
