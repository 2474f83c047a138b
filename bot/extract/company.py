"""The issuer: named with its ticker, defined as "the Company", in the dateline or headline.

Company names are shortened to what people call them: legal suffixes
("Holdings Limited", "Inc.", "Co., Ltd.") are dropped, so the CARsgen release
and a news story about "CARsgen Therapeutics" name the same company.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from bot.extract import company_forms as forms
from bot.extract import issuers
from bot.extract.company_news import (
    MARKS,
    PRODUCT,
    Anchored,
    Led,
    news_patterns,
    possessive_names,
)
from bot.extract.longer_name import longer_name
from bot.extract.names import is_code, is_inn
from bot.extract.native_names import native_issuer
from bot.extract.targets import canonical_target
from bot.extract.text import strip_head_junk

Step = re.Pattern[str] | Anchored | Led | Callable[[str], Iterable[str]]

_WORD = r"(?:[A-Z][\w&'.\-]*|[0-9][\w\-]*[A-Za-z][\w\-]*)"
_LEGAL = (r"(?:Inc|INC|Ltd|LTD|Corp|CORP|Co|CO|plc|PLC|LLC|N\.V|S\.A|AG|SE|Limited|LIMITED|GmbH|"
          r"KGaA|S\.p\.A|SpA|A/S|Oyj)\.?")
# Names never run across a line break (spaces are single " " after text.clean).
_LEGAL_TAIL = rf"(?:,? +{_LEGAL}(?:,? +(?:Ltd|LTD)\.?)?)?"
_NAME = rf"{_WORD}(?: +(?:{_WORD}|&|and|of|de|du|la)){{0,7}}{_LEGAL_TAIL}"
# The same, shortest first: a headline's subject ends at its first verb.
_SHORT_NAME = rf"{_WORD}(?: +(?:{_WORD}|&|and|of|de|du|la)){{0,7}}?{_LEGAL_TAIL}"
# What a match of _NAME misses at its start: the lower-case head of a camel-case name
# ("uni" of "uniQure"), or a lower-case name before its legal suffix ("bluebird bio, Inc.").
_CAMEL_HEAD = re.compile(r"(?<![\w&'.])(?<!\w-)[a-z]+$")
_LOWER_HEAD = re.compile(r"(?<![\w&'.])(?<!\w-)[a-z][a-z0-9]+(?: +[a-z][a-z0-9]+)?,? +$")
_STARTS_LEGAL = re.compile(rf"{_LEGAL}(?!\w)")
_NAME_BEFORE_TICKER = re.compile(rf"({_NAME})\s*(?:,\s*)?\((?=[^()]{{0,120}}?[:：]\s*[A-Z0-9])")
# The same match without its look-ahead, for a window that ends at a paren known to pass it.
_NAME_BEFORE_PAREN = re.compile(rf"({_NAME})\s*(?:,\s*)?\(")
_TICKER_PAREN = re.compile(r"\((?=[^()]{0,120}?[:：]\s*[A-Z0-9])")
_DATELINE = re.compile(rf"(?:--|—|/)\s*({_NAME})(?=\s*(?:,|\(|today\b|announced\b|\bhas\b|said\b))")
_ANNOUNCED_VERBS = ("shares", "aangekondigd", "verwacht")
_ANNOUNCED = re.compile(rf"({_NAME})(?:,\s+[^,]{{2,60}},| +\([A-Z]{{2,5}}\))?\s+"
                        r"(?:heeft\s+)?"
                        r"(?:aangekondigd|verwacht|"
                        r"shares\s+(?:rose|fell|jumped|climbed|slid|dropped|sank|surged|plunged))\b")
# The announcer in every language the forms know: the verb is found first, the name read
# back from it ("Acme teilte am Dienstag mit", "Acme, Inc. anunció el día de ayer").
_BEFORE_VERB = rf"(?:,\s+[^,]{{2,60}},| +\([A-Z]{{2,5}}\))?{forms.between()}\s+"
_ANNOUNCER = Anchored(forms.announcer_anchor(), _NAME, _BEFORE_VERB,
                      marks=forms.announcer_marks(), bounded=True)
_SEPARABLE = Anchored(forms.separable_anchor(), _NAME, _BEFORE_VERB,
                      marks=("teilt", "gab ", "gibt ", "kündigte"), bounded=True)
# German and Spanish put the verb first: "teilte Merck am Mittwoch mit", "dijo Acme en un
# comunicado".
_INVERTED = re.compile(rf"(?:{'|'.join(forms.INVERTED_VERBS)})\s+({_NAME})"
                       rf"{forms.INVERTED_AFTER}")
# A descriptor before the name: "Biotechnology company INOVIO (INO)", "la empresa Innovio
# Pharmaceuticals", "der Pharmakonzern Merck KGaA".
_DESCRIBED = Led(forms.descriptor_pattern(), rf"\s+({_NAME})")
# ... before a wire dateline is read: "(RTTNews) - Biotechnology company INOVIO (INO)".
_WIRE_DESCRIBED = Led(forms.descriptor_pattern(), rf"\s+({_NAME})", marks=(") -", ")-"))
# The source of a statement: "According to Acme,", "laut Acme", "según Acme", "selon Acme".
_SOURCE = Led(forms.words_pattern("source"),
              rf"\s+({_NAME})(?=\s*[,.;:]|\s+(?:hat|haben|ist|sind|wurde|wurden|war|hatte)\b)",
              marks=("ccording", "aut ", "egún", "elon ", "econdo", "olgens"))
# A price move after the name: "Brontera Bio sinks 35%", "Solvane (SOLV) jumps 22%".
_MOVER = Anchored(rf"{forms.words_pattern('mover')}\s+(?:by\s+|more\s+than\s+|nearly\s+"
                  r"|almost\s+|about\s+|over\s+|de\s+(?:plus\s+de\s+)?|um\s+(?:mehr\s+als\s+)?"
                  r"|un\s+)?\d+(?:[.,]\d+)?\s?%", _NAME,
                  r"(?:\s+\([A-Z:\s]{2,14}\))?(?:\s+shares)?\s+", marks=("%",), bounded=True)
# The owner after a trial noun: "die Studie von Lindqvist Bio", "el ensayo de Corvana".
# (a German compound ends with the noun: "die Phase-3-Studie von Morvale")
_OWNED = Led(forms.words_pattern("owned"),
             rf"\s+(?:[A-Z][\w-]*\d[\w-]*\s+)?(?:von|de|des|del|d['’])\s*"
             rf"(?:(?:la|el|le|der|des)\s+)?({_NAME})", bounded=False)
# A compound of German news copy: "des BioNTech-Partners", "die Vertex-Aktie".
_COMPOUND = re.compile(
    rf"(?<![\w-])({_WORD})-(?:Partners?|Aktie|Aktien|Papiere|Titel|Chef|Chefin|sponsored|"
    rf"led|backed|funded|developed)\b")
# A name with its legal suffix in brackets after a product: "CART-ddBCMA (Arcellx Inc.)".
_PAREN_LEGAL = re.compile(rf"\(({_WORD}(?: +(?:{_WORD}|&)){{0,5}},? +{_LEGAL})\)")
# A Reuters brief's issuer line, "July 5 Merck & Co Inc:", and its bullets "* Merck - ...".
_BRIEF_LINE_AT = re.compile(
    rf"(?:date\s+\S+\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    rf"\s+\d{{1,2}}\s+({_NAME}):(?:\s|$)")


def _brief_line(where: str) -> list[str]:
    """The issuer line a Reuters brief opens with (only where a text starts)."""
    m = _BRIEF_LINE_AT.match(where)
    return [m.group(1)] if m else []
_BULLET = re.compile(rf"(?:^|\n)\*\s+({_NAME})\s+-\s")
# The source line a trade article ends with: "Source: Bristol-Myers Squibb".
_SOURCE_LINE = re.compile(rf"(?:^|\n)(?:Source|Quelle|Fuente)\s*:\s*({_NAME})\s*(?:\n|$)")
# A headline whose subject is the owner of a product: "Acme Bio cancer drug hit with ...".
_TITLE_OWNER = re.compile(
    rf"^({_SHORT_NAME}) +(?:[A-Za-z][\w-]*\s+){{0,3}}?{PRODUCT}\s+(?i:hit|gets|faces|placed|"
    rf"put|halted|paused|stopped|suspended|freed|cleared|lifted|slapped|handed)\b")
# 'Solid Biosciences Inc. (the "Company")', '... ("CARsgen" or the "Company")'
_DEFINED = re.compile(rf"({_NAME})\s*,?\s*\((?:[^()]{{0,40}}?)?(?:the\s+)?\"(?:Company|Registrant|"
                      r"Issuer|Corporation)\"\)")
# A lower-case brand opening a sentence or the dateline: "bluebird bio today announced".
_LOWER_ANNOUNCER = re.compile(r"(?:^|\n|--\s*|\.\s+)((?!(?:the|this|which|it|we)\b)[a-z][a-z0-9]+"
                              r"(?:\s+[a-z][a-z0-9]+)?)\s+(?:today\s+)?(?:announced|said|reported)\b")
_SPONSOR = re.compile(rf"\b(?:Lead\s+)?Sponsor\s*:\s*({_NAME})")
# EDGAR titles: "BIOMARIN PHARMACEUTICAL INC - 8-K - ..." or "8-K - Nkarta, Inc. (0001787400)"
_FORMS = r"(?:8-K|10-K|10-Q|6-K|20-F|S-1|S-3|DEF\s*14A|SC\s*13[DG]|424B\d)(?:/A)?"
_SEC_TITLE = re.compile(rf"^([A-Z][\w&.,' \-]{{1,70}}?)\s+-\s+{_FORMS}\b|^{_FORMS}\s+-\s+"
                        r"([^()]{2,70}?)\s*\(\d{10}\)")
_TITLE_COLON = re.compile(rf"^({_NAME}):(?:\s|$)")
# "Cassava Sciences Aktie: ..."
_TITLE_STOCK = re.compile(rf"^({_NAME}) +(?:Aktie|Aktien|stock|shares)\b")
# "Tarrow Oncology, Inc. - Quarterly Report (Form 10-Q)"
_FORM_TITLE = re.compile(rf"^({_NAME}) +- +[^()]{{0,60}}\(Form +{_FORMS}\)")
# "Tessellate Bio (TSLT) Q2 2024 Earnings Call Transcript", "Orvane Bio (ORVB) said"
_TITLE_TICKER = re.compile(rf"^({_NAME}) +\([A-Z]{{2,5}}\) ")
# "Brightwater Therapeutics Q3 2024 Earnings Call Transcript"
_TITLE_PERIOD = re.compile(
    rf"^({_SHORT_NAME}) +(?=(?:Q[1-4]|FY|H[12]|\d{{4}}|First|Second|Third|Fourth|Full)\b"
    r"[^\n]{0,40}\b(?:Earnings|Results|Call|Transcript|Conference)\b)")
# A 6-K/8-K cover: the registrant's name on the line above its caption.
_REGISTRANT = re.compile(rf"(?:(?:^|\n)([^\n()]{{2,90}}?)\s*\n\s*|({_NAME}) *)\((?i:Translation "
                         r"of registrant|Exact name of (?:the )?registrant)")
# A header line that is a name with its legal suffix: "YUNLING PHARMACEUTICAL CO., LTD."
_LEGAL_LINE = re.compile(rf"(?:^|\n)({_NAME})(?=\n)")
# "Die Rheintal Biologics AG hat", "Biomédica Levante, S.A. anuncia": a suffixed name, a verb.
_LEGAL_SUBJECT = re.compile(
    rf"({_WORD}(?: +(?:{_WORD}|&|and|of|de|du|la)){{0,6}},? +{_LEGAL}(?:,? +(?:Ltd|LTD)\.?)?),? +"
    r"(?:hat|ha|a|heeft|has|anuncia|annonce|informa|comunica|meldet|gab|gibt|teilt|ist|est)\b")
# "FDA places clinical hold on Acme AB-101": the owner written before a drug code.
_ON_NAME_CODE = re.compile(rf"\bon +({_SHORT_NAME}) +(?=(?:[A-Z]-)?[A-Z]{{2,6}}-?\d)")
# The trial's sponsor: "sponsored by X", "mené par X", "desarrollado por X".
# (the name here stops at "and": "developed by Daiichi Sankyo and Merck" names the first)
_SPONSORED_BY = ("sponsored", "conducted", "developed", "run", "made", "mené", "menée",
                 "développé", "développée", "conduit", "patrocinado", "patrocinada",
                 "desarrollado", "desarrollada", "desarrollados", "realizado", "realizada",
                 "fabricado", "fabricada", "durchgeführt", "gesponsert", "entwickelt")
_BY_SPONSOR = re.compile(
    rf"\b(?i:{'|'.join(_SPONSORED_BY)})\s+(?:by|par|por|von|By|Par|Por|Von)\s+"
    rf"(?:(?:la|el|le|der|die|the)\s+)?"
    rf"(?:{forms.descriptor_pattern()}\s+)?({_WORD}(?: +(?:{_WORD}|&|of|de)){{0,7}}{_LEGAL_TAIL})")
_TITLE_SUBJECT = re.compile(
    rf"^({_SHORT_NAME}|[a-z][A-Za-z0-9]+(?: +[a-z][a-z0-9]+)?|"
    # a capitalised brand with a lower-case second word: "Bluebird bio Takes Hit"
    rf"[A-Z][a-z]+ +(?:bio|pharma|therapeutics|biotherapeutics|biosciences|health|rx))"
    rf"(?=\s+(?:Announces?|Receives?|Reports?|Provides?|Says|Gets|Obtains|Confirms?|"
    rf"Updates?|Issues|Resumes?|Pauses?|Halts?|Secures?|Completes?|Doses?|Submits?|Statement|"
    rf"Comments?|Shares|Stock|Discloses?|Placed|Hit|Faces|Lifts?|Wins|Regains|Clears|Takes|"
    rf"Suffers|Stops|Drops|Falls|Plunges|Sinks|Soars|Jumps|Rises|Plans|To|Will|"
    # lower-case verbs of news headlines: "CARsgen says FDA lifted ...", "X puts trial on hold"
    rf"says|said|gets|puts|shares|stock|halts|pauses|receives|announces|reports|lifts|wins|"
    rf"stops|suspends|resumes|hit|faces|confirms|discloses)\b|'s\b)"
)
# Wire copy: "Nov 22 (Reuters) - Astrazeneca Plc"
_WIRE_DATELINE = re.compile(rf"\((?:Reuters|AP|Bloomberg|Dow Jones|RTTNews)\)\s*-+\s*({_NAME})")
_NEWS = news_patterns(_NAME, _SHORT_NAME)
_MARKS_OF = MARKS
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Holdings?|Group|Co\.?,?|Company|Corporation|Corp\.?|Incorporated|Inc\.?|Ltd\.?|"
    r"Limited|LLC|L\.L\.C\.?|plc|Plc|PLC|N\.V\.?|NV|S\.A\.?|SA|SE|AG|GmbH|A/S|AB|ASA|Oyj|K\.K\.?|"
    r"S\.p\.A\.?|B\.V\.?))+\.?$"
)
_NOT_COMPANIES = re.compile(
    r"^(?:the|a|an|fda|u\.s|us|food|today|this|it|we|our|shares|stock|company|biotech|phase|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"clinical|breaking|update|exclusive|report|news|analysts?|investors?|health|sources?|"
    r"no|yes|so|well|okay|thanks?|operator|good|hi|hello|uk|eu|regulators?|form|"
    # weekdays, outlets, agencies and generic nouns (in the languages releases come in)
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|reuters|biospace|fierce\w*|"
    r"endpoints|stat|bloomberg|marketwatch|benzinga|yahoo|seeking\s+alpha|sa\s+news|zacks|"
    r"globe\s*newswire|business\s+wire|pr\s*newswire|accesswire|media|brief|snippet|article|"
    r"ema|nmpa|mhra|cder|cber|nih|sec|who|ansm|pmda|bfarm|cde|mfds|tga|agency|regulator|"
    r"unternehmen|firma|konzern|société|groupe|entreprise|laboratoire|empresa|compañía|"
    r"l'agence|agence|agencia|administración|administration|european\s+medicines|"
    r"medicines\s+and\s+healthcare|health\s+canada|here|there|what|that|let|car-?t|tcr|"
    r"committee|human\s+use|"
    r"farmacéutica|azienda|bedrijf|biotech-firma|arzneimittelentwickler\w*|people|china|canada|"
    r"japan|korea|india|britain|france|germany|europe|america|australia|israel|switzerland|"
    r"taiwan|singapore|brazil|wall\s+street|nasdaq|nyse)\b",
    re.IGNORECASE,
)
# A German/French/Dutch article or a headline question word before the name ("Die BioNTech
# SE gab bekannt", "Why Intellia's ...").
_LEADING_WORD = re.compile(
    r"^(?:(?:Die|Der|Das|La|Le|Les|El|De|Het|Why|How|What|When|Where|Will|Can|Could|Should|Is|"
    r"Are|Does|Did|Inside|Exclusive|Breaking|Update|Analysis|Opinion|the|that|by|of|and|from|"
    r"with|for|to|at|in|on|its|a|an|as|said|announced|today|between|partner|partners|company)"
    r"\s+)+(?=\S)"
)
_POSSESSIVE_END = re.compile(r"['’]s\b")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_DANGLING = re.compile(r"(?:\s+(?:&|and|und|y|et))+$")
_AND_CO = re.compile(r"\s*&\s*Co\.?(?:,?\s+(?:Inc|Ltd|KGaA|LLC)\.?)?$", re.IGNORECASE)
# What follows a name on a quote line or in a wire: "Acme Inc. Common Stock", "Acme ACME.O",
# "Acme Inc. Today".
_TRAILING = re.compile(r"(?:\s+(?:Common\s+Stock|Ordinary\s+Shares|American\s+Depositary\s+"
                       r"Shares|ADS|Shares|Today|Reports|Announces|Provides|Receives|Posts|"
                       r"Says|Highlights|[A-Z]{1,5}\.(?:O|N|OQ|K|L|HK|T|US|PA|DE)))+$")
# Generic nouns news copy puts before a name, in the languages releases come in.
_GENERIC_HEAD = re.compile(
    r"^(?:(?:aktien?|des|der|die|das|von|du|de|del|la|le|les|biotech(?:-firma)?|drugmaker|"
    r"company|firm|unternehmen|arzneimittelentwickler\w*|pharmakonzern\w*|laboratoire|société|"
    r"groupe|empresa|farmacéutica|biotecnológica|shares\s+of|shares\s+in|"
    # a German compound ending in a descriptor ("US-Biotechunternehmen"), a place ("Boston-based")
    r"[\w-]*(?:unternehmen|konzern|firma|hersteller|entwickler)s?|"
    r"(?:[\w.,]+\s+){0,3}[\w.,-]*-(?:based|listed|headquartered|registered|focused))\s+)+"
    r"(?=\S)",
    re.IGNORECASE)
_LEGAL_END = re.compile(r"\b(?:CO|INC|LTD|LIMITED|CORP|CORPORATION|PLC|AG|SE|S\.A|N\.V|LLC)\.?$")
_LEGAL_ONLY = re.compile(r"(?i:inc|ltd|co|corp|plc|llc|limited|gmbh|ag|se|sa|s\.a|n\.v|nv)\.?")
_DISEASE_POSSESSIVES = frozenset(
    ["parkinson", "alzheimer", "huntington", "crohn", "hodgkin", "graves", "sjogren", "wilson",
     "gaucher", "pompe", "fabry", "tay-sachs", "duchenne", "becker", "friedreich", "gehrig"]
)


# Substrings every match of a pattern contains (one of each group).
_MARKS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    _DATELINE: (("--", "—", "/"),),
    _ANNOUNCED: (_ANNOUNCED_VERBS,),
    _WIRE_DATELINE: ((") -", ")-", ") –"),),
    _DEFINED: (('"Company"', '"Registrant"', '"Issuer"', '"Corporation"'),),
    _SPONSOR: (("Sponsor",),),
    _LOWER_ANNOUNCER: (("announced", "said", "reported"),),
    _SEC_TITLE: ((" - ",),),
    _TITLE_COLON: ((":",),),
    _FORM_TITLE: (("(Form",),),
    _TITLE_TICKER: ((") ",),),
    _TITLE_PERIOD: (("Earnings", "Results", "Call", "Transcript", "Conference"),),
    _REGISTRANT: (("egistrant",),),
    _LEGAL_LINE: (("\n",),),
    _ON_NAME_CODE: (("on ",),),
    _BY_SPONSOR: ((" by ", " par ", " por ", " von ", " By ", " Par ", " Por ", " Von "),),
    _INVERTED: (forms.INVERTED_VERBS,),
    _COMPOUND: (("-Partner", "-Aktie", "-Papiere", "-Titel", "-Chef", "-sponsored", "-led",
                  "-backed", "-funded", "-developed"),),
    _PAREN_LEGAL: (("(",),),
    _BULLET: (("* ",),),
    _SOURCE_LINE: (("Source:", "Quelle:", "Fuente:", "Source :"),),
    _TITLE_STOCK: (("Aktie", "stock", "shares"),),
}


def find_company(title: str, text: str) -> str | None:
    """The issuer: named with its ticker, in the dateline, in the headline, or as announcer."""
    title = strip_head_junk(title)  # "BRIEF-Acme resumes trials ..."
    head = f"{title}\n{text[:800]}"
    written = None
    if _CJK.search(head):  # (one look for CJK text instead of one per reader)
        native = issuers.find_issuer(f"{title}\n{text[:600]}")
        if native:
            return native  # a release in Chinese or Japanese: its Latin names are not its own
        written = native_issuer(head)
    if written and written[1]:
        english = _tidy(written[0])
        if english:
            return english
    name = first_match(title, text)
    if name:
        longer = longer_name(name, text[:3000]) or longer_name(name, title)
        return (_tidy(longer) if longer else None) or name
    return written[0] if written else None


def first_match(title: str, text: str) -> str | None:
    """The first name the steps find, most reliable step first."""
    for pattern, where in steps(title, text):
        if not isinstance(pattern, re.Pattern):  # a reader of possessives
            for candidate in pattern(where):
                name = _tidy(candidate)
                if name:
                    return name
            continue
        groups = _MARKS.get(pattern) or ((_MARKS_OF[pattern],) if pattern in _MARKS_OF else ())
        if not all(any(mark in where for mark in group) for group in groups):
            continue  # cannot match: skip a scan that would try every position
        found = (_names_before_ticker(where) if pattern is _NAME_BEFORE_TICKER
                 else pattern.finditer(where))
        for m in found:
            name = _tidy(_candidate(pattern, m, where))
            if name and (pattern is not _TITLE_COLON or name in text or not text):
                return name
    return None


def steps(title: str, text: str) -> Iterator[tuple[Step, str]]:
    """Where the issuer is looked for, most reliable first: (pattern, text searched).

    A generator: most items find their issuer in the first steps, and the later ones (and
    the language check they need) are then never built."""
    long, mid, short = text[:3000], text[:1500], text[:600]
    yield from (
        (_NAME_BEFORE_TICKER, long),
        (_DEFINED, long),
        (_REGISTRANT, long),
        (_SEC_TITLE, title),
        (_FORM_TITLE, title),
        (_SPONSOR, long),
        (_brief_line, title),
        (_brief_line, short),
        (_DATELINE, short),
        (_WIRE_DESCRIBED, short[:200]),
        (_WIRE_DATELINE, short),
        (_NEWS[0][0], title),
        (_NEWS[0][0], mid),
        (_TITLE_TICKER, title),
        (_TITLE_PERIOD, title),
        (_TITLE_SUBJECT, title),
        (possessive_names, title),
        (_TITLE_COLON, title),
        (_ANNOUNCED, mid),
        (_ANNOUNCER, short),
        (_TITLE_STOCK, title),
        (_TITLE_OWNER, title),
        (_MOVER, title),
        (_SEPARABLE, short),
    )
    # German, Spanish and French constructions are read only in copy written in them
    langs = forms.languages(f"{title} {short}")
    if langs:
        yield _INVERTED, short
    yield from ((p, title) for p, where in _NEWS if where in ("title", "both"))
    yield from ((p, mid) for p, where in _NEWS if where in ("text", "both"))
    yield from (
        (_LEGAL_SUBJECT, mid),
        (_LOWER_ANNOUNCER, mid),
        (_PAREN_LEGAL, mid),
        (_DESCRIBED, title),
        (_DESCRIBED, short[:300]),
        (_COMPOUND, title),
        (_COMPOUND, mid),
        (_MOVER, short),
        (_SOURCE, short),
    )
    if langs:
        yield _OWNED, title
        yield _OWNED, short
    yield from (
        (_NAME_BEFORE_TICKER, title),
        (_ON_NAME_CODE, title),
        (_LEGAL_LINE, text[:800]),
        (possessive_names, text[:800]),
        (_BY_SPONSOR, text[:800]),
        (_BULLET, mid),
        (_SOURCE_LINE, long),
    )


def _candidate(pattern: re.Pattern[str], m: re.Match[str], where: str) -> str:
    """The name a match stands for, with a lower-case start the pattern cannot see."""
    if pattern is _SEC_TITLE:
        return _sec_name(m)
    if pattern is _REGISTRANT and m.group(1) is None:
        return m.group(2)
    name, start = m.group(1), m.start(1)
    if start and where[start - 1].islower():
        head = _CAMEL_HEAD.search(where, max(0, start - 30), start)
        return head.group() + name if head else name
    if _STARTS_LEGAL.match(name):
        head = _LOWER_HEAD.search(where, max(0, start - 40), start)
        return head.group() + name if head else name
    return name


def _sec_name(m: re.Match[str]) -> str:
    """The filer of an EDGAR title, capitalised like a name when EDGAR wrote it in capitals."""
    name = m.group(1) or m.group(2)
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
    return name


def _names_before_ticker(where: str) -> Iterator[re.Match[str]]:
    """The matches of _NAME_BEFORE_TICKER.finditer(where), in order, found faster.

    A match is a name (no parentheses in it) ending at a "(" that a ticker follows. So for
    each such paren only the stretch after the previous parenthesis is searched, instead
    of trying the long name pattern at every capital letter of the text.
    """
    done = 0  # where the previous match ended: finditer goes on from there
    for paren in _TICKER_PAREN.finditer(where):
        at = paren.start()
        after_previous = max(where.rfind("(", 0, at), where.rfind(")", 0, at)) + 1
        m = _NAME_BEFORE_PAREN.search(where, max(after_previous, done), at + 1)
        if m:
            done = m.end()
            yield m


def _tidy(name: str) -> str | None:
    name = name.strip(" ,.;:\"'")
    name = _LEADING_WORD.sub("", name)
    name = _GENERIC_HEAD.sub("", name)  # "Aktien des Arzneimittelentwicklers Rocket ..."
    name = _POSSESSIVE_END.split(name, maxsplit=1)[0]  # "Loxley's Parkinson" -> "Loxley"
    if name.isupper() and _LEGAL_END.search(name):
        # A name in capitals with its legal suffix is a name: "YUNLING PHARMACEUTICAL CO., LTD."
        name = " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
    # A dateline glued to the name: "SHANGHAI, China, Oct. 31 -- CARsgen ..." keeps the last part.
    name = re.split(r"\s(?:--|—)\s", name)[-1]
    if " " in name:  # (the patterns below end with "$": tried at every position, so skipped
        # for one word)
        name = _TRAILING.sub("", name)
    and_co = _AND_CO.search(name) if "&" in name else None
    if and_co:  # "Merck & Co Inc" is "Merck & Co": the "& Co" is part of the name
        name = name[: and_co.start()] + " & Co"
    elif " " in name:
        name = _LEGAL_SUFFIX.sub("", name).strip(" ,")
        name = _LEGAL_SUFFIX.sub("", name).strip(" ,")
        name = _DANGLING.sub("", name)
    if not name or _NOT_COMPANIES.match(name) or len(name) > 60 or _LEGAL_ONLY.fullmatch(name):
        return None
    if forms.is_generic(name) or forms.is_institution(name):
        return None  # "Companies", "Biotechnology"; "Mayo Clinic" runs a trial, not sponsors it
    if name.lower().split("'")[0] in _DISEASE_POSSESSIVES:
        return None
    if not any(ch.islower() for ch in name) and len(name) > 12:
        return None  # an all-caps headline fragment, not a name
    words = name.split()
    while len(words) > 1 and (is_code(words[-1]) or is_inn(words[-1])):
        words.pop()  # "Corvana CV-330 trial", "Teva Filgrastim": the owner, not its drug
    name = " ".join(words)
    if is_code(name) or name.startswith("FDA-") or canonical_target(name):
        return None  # a drug code ("AB-101"), "FDA-approved ...", a target ("CD19")
    return name
