"""The words a sponsor's name is read around (bot/data/company_forms.toml), as patterns.

- announcers: the verbs after a name ("Acme announced", "Acme anunció", "Acme teilte am
  Dienstag mit"), read back from the verb; and the inverted order of German and Spanish
  ("teilte Acme am Mittwoch mit", "dijo Acme en un comunicado");
- descriptors: the nouns before a name ("biotechnology company Acme", "la empresa Acme");
- institutions: a hospital or a university runs a trial, it does not sponsor one;
- generic words: never a company's name on their own.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

from bot.extract.lexicon import DATA_DIR


@cache
def forms() -> dict[str, Any]:
    with open(DATA_DIR / "company_forms.toml", "rb") as fh:
        return tomllib.load(fh)


def announcer_verbs() -> tuple[str, ...]:
    return tuple(v for words in forms()["announcer"].values() for v in words)


def _verb_pattern(verb: str) -> str:
    """A verb as a pattern; a German separable verb may have words between its parts
    ("teilte am Dienstag mit")."""
    words = verb.split()
    if len(words) == 2 and verb in forms()["announcer"]["de"] and not verb.startswith("hat "):
        return rf"{re.escape(words[0])}\s+(?:\S+\s+){{0,5}}?{re.escape(words[1])}"
    return r"\s+".join(re.escape(w) for w in words)


def _separable(verb: str) -> bool:
    return len(verb.split()) == 2 and verb in forms()["announcer"]["de"] and not (
        verb.startswith("hat "))


@cache
def announcer_anchor() -> str:
    """Where an announcing verb stands (the name is read back from there): the verbs as a
    trie (German separable verbs apart: `separable_anchor`)."""
    return word_trie(v for v in announcer_verbs() if not _separable(v)) + r"\b"


@cache
def separable_anchor() -> str:
    """German separable verbs with the words between their parts: "teilte am Dienstag mit"."""
    return "(?:" + "|".join(_verb_pattern(v) for v in announcer_verbs() if _separable(v)) + r")\b"


def word_trie(words: object, *, both_cases: bool = False) -> str:
    """An alternation of `words` (phrases: spaces match any whitespace) as a trie, so the
    regex engine branches on one character at a time; with `both_cases`, each word also
    capitalised (a case-insensitive flag would make the engine try every position)."""
    phrases = set(words)  # type: ignore[call-overload]
    if both_cases:
        phrases |= {p[:1].upper() + p[1:] for p in phrases}
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = tree
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + render(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return "(?:" + render(tree) + ")"


@cache
def between() -> str:
    """Words of time that may stand between a name and its verb, as a pattern."""
    words = sorted(forms()["between"]["words"], key=len, reverse=True)
    return r"(?:\s+(?i:" + "|".join(re.escape(w) for w in words) + r")){0,4}"


@cache
def announcer_marks() -> tuple[str, ...]:
    """Substrings every announcer match contains (its first word)."""
    return tuple(sorted({v.split()[0] for v in announcer_verbs()}))


# Verbs of the inverted order ("teilte Acme am Mittwoch mit", "dijo Acme en un comunicado").
INVERTED_VERBS = ("teilte", "gab", "meldete", "erklärte", "berichtete", "hatte", "musste",
                  "wollte", "dijo", "afirmó", "anunció", "informó", "indicó", "señaló", "declaró",
                  "a indiqué", "a déclaré")
INVERTED_AFTER = (r"(?:\s+(?:am\s+\w+|heute|gestern|mit\b|bekannt|in\s+einer|en\s+un|el\s+\w+|"
                  r"este|hoy|ayer|dans\s+un|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
                  # a German auxiliary's object: "hatte Acme die Studie unterbrochen"
                  r"die|den|das|eine|einen|seine|ihre)\b|"
                  r"\s*[.,;])")


# Function words that show a text is German, Spanish or French (with the spaces around).
_FUNCTION_WORDS = {
    "de": (" der ", " und ", " das ", " ist ", " dass ", " des ", " dem ", " den ", " eine ",
           " auf ", " für ", " nach ", " wurde ", " bei "),
    "es": (" el ", " los ", " del ", " que ", " las ", " una ", " para "),
    "fr": (" les ", " une ", " du ", " est ", " avec ", " pour ", " aux "),
}


def languages(text: str) -> frozenset[str]:
    """Which of German, Spanish and French `text` reads as (none for English copy)."""
    low = text.lower()
    return frozenset(lang for lang, words in _FUNCTION_WORDS.items()
                     if any(map(low.__contains__, words)))


@cache
def words_pattern(role: str) -> str:
    """The words of one role as a trie, lower case and capitalised."""
    return word_trie(forms()[role]["words"], both_cases=True)


@cache
def descriptor_pattern() -> str:
    return words_pattern("descriptor")


@cache
def _institution() -> frozenset[str]:
    return frozenset(forms()["institution"]["words"])


def is_institution(name: str) -> bool:
    """A hospital, a university or an institute: a site, not a sponsor (by its last word,
    or its last two: "Medical Center")."""
    words = name.lower().split()
    return bool(words) and (words[-1] in _institution()
                            or " ".join(words[-2:]) in _institution())


@cache
def _generic() -> frozenset[str]:
    return frozenset(forms()["generic"]["words"]) | frozenset(forms()["descriptor"]["words"])


def is_generic(name: str) -> bool:
    """A word (or words) that only says what kind of company it is, or no company at all."""
    low = name.lower()
    return not name or low in _generic() or all(w in _generic() for w in low.split())
