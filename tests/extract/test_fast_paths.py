"""Shortcuts taken for speed give the same answers as the plain regex searches they skip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.extract import (
    company,
    engine,
    foreign,
    indications,
    label,
    lexicon,
    names,
    targets,
    ticker,
)
from bot.extract import text as text_mod
from bot.extract.cue_patterns import ENGLISH
from bot.extract.text import clauses, clean, sentences

_DEV = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "dev.jsonl"

_CUE_WORDS = st.sampled_from([
    "the", "fda", "u.s.", "fda's", "partial", "partially", "full", "complete", "clinical",
    "regulatory", "hold", "holds", "hold-lift", "has", "been", "was", "lifted", "removed",
    "released", "rescinded", "lift", "lifting", "removal", "release", "of", "from", "on",
    "under", "no", "longer", "still", "remains", "remain", "in", "place", "effect", "active",
    "converted", "modified", "to", "a", "placed", "imposed", "issued", "put", "announces",
    "reports", "received", "notified", "notice", "may", "can", "resume", "restart",
    "re-initiate", "reopen", "proceed", "now", "is", "are", "satisfactorily", "addressed",
    "resolved", "responded", "issues", "upgraded", "escalated", ",", ";", "-", "trial",
])
# One phrase each English pattern matches, in the order of cue_patterns.ENGLISH.
_PATTERN_EXAMPLES = (
    "lifted the full clinical hold and a partial clinical hold",
    "the full clinical hold was converted to a partial",
    "modified the clinical hold to a partial",
    "partially lifted",
    "lifted the clinical hold",
    "removal of the clinical hold",
    "the hold has been lifted",
    "hold-lift",
    "released from the clinical hold",
    "no longer on clinical hold",
    "satisfactorily addressed the clinical hold",
    "may resume",
    "remains on partial clinical hold",
    "the hold remains in place",
    "partial hold remains",
    "still on clinical hold",
    "changed to a full clinical hold",
    "placed a clinical hold",
    "announces clinical hold",
    "received a clinical hold",
    "the hold has been placed",
    "is now on clinical hold",
    "fda hold",
)
_CLAUSE = st.lists(st.one_of(_CUE_WORDS, st.sampled_from(_PATTERN_EXAMPLES)),
                   min_size=1, max_size=16).map(" ".join)


def _dev_clauses() -> list[str]:
    out = []
    with _DEV.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for sentence in [clean(row["title"]), *sentences(clean(row.get("text") or ""))]:
                out.extend(clauses(sentence.lower()))
    return out


def _needs_hold(clause: str) -> None:
    for kind, needs, pattern in ENGLISH:
        for m in pattern.finditer(clause):
            for group in needs:
                assert any(word in m.group() for word in group), (kind, group, m.group())


def test_every_pattern_has_a_matching_example() -> None:
    """Each English pattern matches its example, and the example holds all its needs."""
    assert len(_PATTERN_EXAMPLES) == len(ENGLISH)
    for example, (kind, _, pattern) in zip(_PATTERN_EXAMPLES, ENGLISH, strict=True):
        assert pattern.search(example), (kind, example)
        _needs_hold(example)


def test_cue_needs_hold_on_the_dev_corpus() -> None:
    """Every English cue match in the dev corpus contains a word of each of its need groups."""
    for clause in _dev_clauses():
        _needs_hold(clause)


@settings(max_examples=400, deadline=None)
@given(clause=_CLAUSE)
def test_cue_needs_hold_on_cue_word_soup(clause: str) -> None:
    """Any English cue match in a soup of cue words contains a word of each need group."""
    _needs_hold(clause)


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


_FOREIGN_BITS = st.sampled_from([
    "临床暂停", "解除", "部分", "suspension clinique", "levée", "aussi", "partielle", "klinischen",
    "stopp", "aufgehoben", "heft", "hebt", "x", " ", "é", "_", "1", "clinical hold", "parcial",
    "임상 보류", "해제", "revoca", "revocato", "lever", "clever",
])


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_FOREIGN_BITS, max_size=10).map("".join))
def test_foreign_substring_prefilter_is_a_superset(text: str) -> None:
    """Whenever a foreign cue word matches with its boundaries, the bare prefilter matches too."""
    if foreign._any_word().search(text):
        assert foreign._any_substring().search(text)


def test_foreign_prefilter_skips_plain_english() -> None:
    """An English clause without foreign words gets no foreign cue (and is not searched)."""
    assert foreign._any_substring().search("the fda placed a clinical hold") is None
    assert foreign.foreign_cues("the fda placed a clinical hold") == []
    assert foreign.foreign_cues("公司宣布临床暂停已解除") == [("lift", 4, 8, False)]



@pytest.mark.parametrize("index", range(len(ENGLISH)))
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_cue_needs_hold_on_strings_drawn_from_each_pattern(index: int, data: st.DataObject
                                                           ) -> None:
    """Strings generated from each English pattern itself contain a word of each need group."""
    kind, needs, pattern = ENGLISH[index]
    text = data.draw(st.from_regex(pattern, fullmatch=True))
    for group in needs:
        assert any(word in text for word in group), (kind, group, text)


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
    assert label._about_hold(text.lower()) == bool(label._HOLD_WORD.search(text.lower()))
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
    """The reference: every word visited, the previous one kept (the former inn_spans)."""
    found: list[tuple[str, int, int]] = []
    previous = None
    for m in names._WORD.finditer(text):
        word = m.group().lower()
        if (previous is not None and word.endswith(names._SECOND_SUFFIXES)
                and previous.group().lower().endswith(names._FIRST_SUFFIXES)
                and text[previous.end() : m.start()].isspace()):
            if found and found[-1][1] == previous.start():
                found.pop()
            found.append((f"{previous.group()} {m.group()}".lower(), previous.start(), m.end()))
            previous = None
            continue
        if word.endswith(names._SINGLE_SUFFIXES) and not names.not_a_drug(word) and len(word) >= 5:
            suffix = names._BIOSIMILAR.match(text, m.end())
            found.append((word + (suffix.group() if suffix else ""), m.start(),
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
