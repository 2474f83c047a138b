"""The English cue patterns, each with the words it cannot match without.

Each entry is (kind, needs, pattern) over a lower-cased clause. `needs` lists
groups of substrings; every group has one member inside any text the pattern
matches, so a clause missing a group is skipped without running the regex
(most patterns start with a word boundary, which makes the regex engine try
them at every position of the clause). Keep `needs` in step with the pattern:
tests/extract/test_fast_paths.py checks that skipping never loses a match.
"""

from __future__ import annotations

import re

_ART = r"(?:(?:the|a|an|its|all|both|this|these|that|any\s+remaining|remaining)\s+)?"
_FDA_POSS = r"(?:(?:u\.?s\.?\s+)?fda(?:'s)?\s+)?"
_KIND = r"(?P<p>(?:partial|full|complete)\s+)?"
_HOLD = rf"{_ART}{_FDA_POSS}{_KIND}(?P<c>(?:clinical|regulatory)\s+)?holds?\b"
# Words between a verb and "hold" that do not turn it into "address the hold" or "may".
_GAP = (r"(?:(?!(?:not|no|never|to|lift\w*|remov\w*|address\w*|respond\w*|resolv\w*|if|could|"
        r"would|may|might|guidance|draft|responses?|letters?|policy|update)\b)[^\s.;]+\s+){0,24}?")
# Words that may sit between "hold" and "lifted" without reversing the meaning.
_SAFE_WORD = r"(?!(?:not|no|never|yet|to|could|would|may|might|will|should|can|if)\b)[^\s.;]+"

# Need groups shared by many patterns.
_H = ("hold",)
_P = ("partial",)
_F = ("full", "complete")

ENGLISH: tuple[tuple[str, tuple[tuple[str, ...], ...], re.Pattern[str]], ...] = tuple(
    (kind, needs, re.compile(pattern))
    for kind, needs, pattern in (
        # full -> partial, or partly lifted: restrictions remain by definition
        ("partial_lift", (("lift", "remov", "releas"), _F, _P, _H),
         r"\b(?:lift|remov|releas)\w*\s+(?:of\s+)?" + _ART + _FDA_POSS
         + r"(?:full|complete)\s+(?:clinical\s+)?hold\b.{0,160}?\bpartial\s+(?:clinical\s+)?hold"),
        ("partial_lift",
         (_F, _H, _P, ("convert", "modif", "chang", "downgrad", "reduc", "amend", "replac")),
         r"\b(?:full|complete)\s+(?:clinical\s+)?hold\b.{0,100}?\b(?:convert|modif|"
         r"chang|downgrad|reduc|amend|replac)\w*\s+(?:\S+\s+){0,4}?(?:to|with)\s+(?:a\s+)?partial"),
        ("partial_lift", (("convert", "modif", "chang", "downgrad", "amend"), _H, _P),
         r"\b(?:convert|modif|chang|downgrad|amend)\w*\s+" + _ART + _FDA_POSS
         + r"(?:full\s+|complete\s+)?(?:clinical\s+)?hold\s+(?:\S+\s+){0,6}?to\s+(?:a\s+)?partial"),
        ("partial_lift", (_P, ("lift", "remov", "releas", "rescind")),
         r"\bpartial(?:ly)?\s+(?:lift|remov|releas|rescind)\w*"
         r"|\bpartial\s+(?:lift|removal|release)\s+of\b"),
        # lifts
        ("lift", (("lift", "remov", "releas", "rescind", "clear", "resolv", "end"), _H),
         r"\b(?:lift(?:s|ed|ing)?|remov(?:e|es|ed|ing)|releas(?:e|es|ed|ing)|"
         r"rescind(?:s|ed)?|clear(?:s|ed)|resolv(?:e|es|ed)|end(?:s|ed))\s+(?:of\s+)?" + _HOLD),
        ("lift", (("lift", "remov", "releas", "rescission", "resolution", "clearance", "end"), _H),
         r"\b(?:lift(?:ing)?|removal|release|rescission|resolution|clearance|end)\s+of\s+"
         + _HOLD),
        ("lift", (_H, ("lifted", "removed", "released", "rescinded")),
         r"\bholds?\b(?:\s+" + _SAFE_WORD + r"){0,16}?\s+(?:(?:has|have|had|was|were|"
         r"is|are|been|being|now|fully|officially|formally|also|successfully)\s+)*(?:lifted|removed|"
         r"released|rescinded)\b"),
        ("lift", (_H, ("lift", "removal", "release")),
         r"\bhold[\s-]+(?:lift|removal|release)\b"),
        ("lift", (("released",), ("from",), _H),
         r"\breleased\s+(?:\S+\s+){0,24}?from\s+" + _HOLD),
        ("lift", (("longer",), _H),
         r"\bno\s+longer\s+(?:on|under|subject\s+to)\s+" + _HOLD),
        ("lift", (_H, ("addressed", "resolved", "responded")),
         r"\bsatisfactorily\s+(?:addressed|resolved|responded\s+to)\s+(?:\S+\s+){0,6}?"
         r"hold\b|\bhold\s+(?:issues|deficiencies|questions)\s+(?:have|has)\s+been\s+"
         r"(?:satisfactorily\s+)?(?:addressed|resolved)"),
        ("resume", (("resume", "restart", "initiate", "recommence", "open", "proceed"),),
         r"\b(?:may|can|could\s+now|is\s+able\s+to|are\s+able\s+to|allowed\s+"
         r"(?:\S+\s+){0,3}?to|permitted\s+(?:\S+\s+){0,3}?to|clear(?:s|ed|ance)?\s+(?:\S+\s+){0,3}?to|authori[sz]\w*"
         r"\s+(?:\S+\s+){0,3}?to|green\s+light\s+to|(?:notif\w+|permission|authori[sz]ation)\s+to)"
         r"\s+(?:now\s+)?(?:resume|restart|re-?initiate|"
         r"recommence|re-?open|proceed)\b"),
        # restrictions left in place after a lift
        ("remain", (("remain", "continue", "still"), _H),
         r"\b(?:remain|remains|remained|continue|continues|is\s+still|are\s+still)\s+"
         r"(?:\S+\s+){0,2}?(?:on|under|subject\s+to)\s+" + _HOLD),
        ("remain",
         (_H, ("remain", "continue", "stay"), ("place", "effect", "active", "ongoing")),
         r"\bholds?\s+(?:\S+\s+){0,8}?(?:remains?|will\s+remain|continues?|stays?)\s+"
         r"(?:in\s+(?:place|effect)|active|ongoing)"),
        ("remain", (_H, ("remain",)),
         r"\bholds?\s+remains?\s*(?:$|[,.)])"),
        ("remain", (("still",), _H),
         r"\bstill\s+on\s+" + _HOLD),
        # holds placed
        ("full", (("convert", "chang", "upgrad", "escalat", "expand", "extend"), _F, _H),
         r"\b(?:convert|chang|upgrad|escalat|expand|extend)\w*\s+(?:\S+\s+){0,6}?to\s+"
         r"(?:a\s+)?(?:full|complete)\s+(?:clinical\s+)?hold"),
        ("hold",
         (("plac", "put", "impos", "issu", "institut", "reinstat", "slap", "order", "hit"), _H),
         r"\b(?:plac(?:e|es|ed|ing)|put(?:s|ting)?|impos(?:e|es|ed|ing)|"
         r"issu(?:e|es|ed|ing)|institut\w+|reinstat\w+|reimpos\w+|slap(?:s|ped)?|order(?:s|ed)?|"
         r"hit(?:s)?)\s+" + _GAP + r"(?:on|under|with)?\s*" + _HOLD),
        # headline style: "X Announces FDA Clinical Hold on Y", "Reports Partial Clinical Hold"
        ("hold", (("announc", "report", "disclos", "face", "hit"), ("clinical",), _H),
         r"\b(?:announc\w*|report\w*|disclos\w*|faces?|hit\s+(?:by|with))\s+"
         r"(?:(?!(?:complete|response|letters?|update|plans?|removal|lift\w*|decision|outcome|status|"
         r"resolution|feedback|progress|path|meeting|no|not|any|never|without)\b)\S+\s+){0,3}?"
         + _KIND + r"clinical\s+holds?\b"),
        ("hold", (("receiv", "notifi", "notice"), ("clinical",), _H),
         r"\b(?:received?|receiv\w+|notified\s+of|notice\s+of|notification\s+of)\s+"
         r"(?:\S+\s+){0,4}?" + _KIND + r"clinical\s+hold\b"),
        ("hold", (_H, ("placed", "imposed", "issued", "instituted", "put")),
         r"\bholds?\s+(?:has\s+been|have\s+been|was|were|had\s+been|is\s+being)\s+"
         r"(?:placed|imposed|issued|instituted|put\s+in\s+place)\b"),
        ("hold", (("now",), _H),
         r"\b(?:is|are|was|were)\s+now\s+(?:on|under|subject\s+to)\s+" + _HOLD),
        ("weak", (_H, ("fda", "partial", "full", "clinical")),
         r"\b(?:fda|partial|full|clinical)\s+holds?\b"),
    )
)
