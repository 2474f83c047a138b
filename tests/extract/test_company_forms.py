"""The sponsor's name read around the words of bot/data/company_forms.toml, role by role.

Each role is tested by name with sentences written for it (invented companies): what must
yield the company, and what must not (a generic word, a site, a country, an agency).
"""

from __future__ import annotations

import pytest

from bot.extract.company import find_company
from bot.extract.company_forms import forms, is_generic, is_institution

CASES: dict[str, list[tuple[str, str, str | None]]] = {
    # role: (title, text, company or None)
    "announcer": [
        ("", "Halloway Biosciences has been given verbal notice by the FDA that its IND is on "
             "clinical hold.", "Halloway Biosciences"),
        ("", "Orvane Therapeutics, Inc. anunció ayer que la FDA impuso una suspensión clínica.",
         "Orvane Therapeutics"),
        ("", "Brennweiler Therapeutics teilte am Mittwoch mit, dass die FDA die Studie gestoppt "
             "hat.", "Brennweiler Therapeutics"),
        ("", "Solvéa Biotech a indiqué jeudi que la FDA a levé la suspension clinique.",
         "Solvéa Biotech"),
        ("", "Kestrel officials said enrollment would restart this quarter.", "Kestrel"),
        ("", "Morland-Hayes Biologics (MHB) recently announced that the FDA lifted the hold.",
         "Morland-Hayes Biologics"),
        ("", "Das Unternehmen teilte am Montag mit, dass die FDA die Studie gestoppt hat.", None),
    ],
    "inverted": [
        ("", "Die FDA hat die Studie auf Eis gelegt, teilte Sonnhalde Pharma am Montag mit.",
         "Sonnhalde Pharma"),
        ("", "\"La FDA autorizó el reinicio del ensayo\", dijo Marivent en un comunicado.",
         "Marivent"),
    ],
    "descriptor": [
        ("", "(RTTNews) - Gene therapy company HELIOVA (HLV) announced Tuesday that the FDA "
             "placed a partial hold.", "HELIOVA"),
        ("", "La FDA suspendió las pruebas de la terapia CK-77, desarrollada por la empresa "
             "Caldera Biologics.", "Caldera Biologics"),
        ("", "Schlechte Nachrichten für den Pharmakonzern Lindholm AG: Die FDA hat die Studie "
             "gestoppt.", "Lindholm"),
        ("", "Biotechnology company announced that the FDA placed a hold.", None),
    ],
    "generic": [
        ("", "Companies disclosed the agency's action on Friday.", None),
        ("Two CAR-T therapies placed on hold", "", None),
    ],
    "institution": [
        ("Partial clinical hold lifted at Mayo Foundation trial", "", None),
        ("", "The partial clinical hold on the Harbor Clinic study of Ellory Bio's EB-2 was "
             "lifted, Ellory Bio said.", "Ellory Bio"),
    ],
    "mover": [
        ("", "Brontera Bio sinks 35% following the FDA's partial clinical hold.", "Brontera Bio"),
        ("Solvane (NASDAQ:SOLV) jumps 22% after FDA lifts clinical hold", "", "Solvane"),
    ],
    "source": [
        ("", "According to Brightwell Therapeutics, the FDA asked for manufacturing data.",
         "Brightwell Therapeutics"),
        ("", "Laut Brightwell Therapeutics hat die FDA weitere Daten verlangt.",
         "Brightwell Therapeutics"),
        ("", "According to analysts, the hold may last a year.", None),
    ],
    "owned": [
        ("US-Behörde legt Studie von Lindqvist Bio auf Eis", "", "Lindqvist Bio"),
        ("", "La FDA autorizó el reinicio del ensayo de Corvana con CV-12.", "Corvana"),
        ("", "La FDA a autorisé la reprise de l'essai de Nevria avec NR-8.", "Nevria"),
        ("", "La FDA autorizó el reinicio del ensayo de CV-12 en Estados Unidos.", None),
    ],
}

# Constructions without a role list of their own (patterns of company.py).
CONSTRUCTIONS: list[tuple[str, str, str, str | None]] = [
    ("brief issuer line", "", "March 9 Harcourt Pharma Inc:\n* Harcourt Pharma - FDA has "
     "placed a clinical hold", "Harcourt Pharma"),
    ("brief bullet", "", "* Ostrander Bio - U.S. FDA lifted the partial clinical hold",
     "Ostrander Bio"),
    ("source line", "FDA lifts partial holds", "Two studies resume.\nSource: Quorra Therapeutics",
     "Quorra Therapeutics"),
    ("headline owner", "Pellham Bio leukemia drug hit with FDA clinical hold", "", "Pellham Bio"),
    ("lower-case brand", "Greenleaf bio Gets FDA Clinical Hold", "", "Greenleaf bio"),
    ("name in brackets", "", "The hold on KT-4 (Kestrel Immune Inc.) was lifted.",
     "Kestrel Immune"),
    ("developed by", "", "Developed by Carrow & Co Inc, tenvarivir is being studied.",
     "Carrow & Co"),
    ("German partner", "Todesfälle in Studie des Norvik-Partners Qiantai", "", "Norvik"),
    ("German stock", "", "Anleger schickten die Veltrona-Aktie auf Talfahrt.", "Veltrona"),
    ("quote line", "", "Tallis Therapeutics Inc. Common Stock (NASDAQ: TLLS) fell.",
     "Tallis Therapeutics"),
    ("katakana and ticker", "", "バイオ医薬品のミラノバ・セラピューティクス<MLNV>が下落。",
     "ミラノバ・セラピューティクス"),
    ("Han name and ticker", "", "2025年3月4日,星河生物(SHBO.US)盘中股价大跌。", "星河生物"),
    ("Han announcer", "", "云杉医药港交所公告,美国FDA已对YS-3实施部分临床暂停。", "云杉医药"),
    ("Latin name in Chinese", "被FDA叫停临床试验 Larkspur Bio股价暴跌", "", "Larkspur Bio"),
    ("agency before its acronym", "", "美国食品药品监督管理局(FDA)叫停了该试验。", None),
    ("a place before the name", "",
     "Boston-based Brightwell Therapeutics said Tuesday the FDA placed a hold on its trial.",
     "Brightwell Therapeutics"),
    ("German compound descriptor", "",
     "Das US-Biotechunternehmen Brightwell Therapeutics meldete am Montag einen Stopp.",
     "Brightwell Therapeutics"),
    ("title-case product", "FDA Places Clinical Hold on Brightwell Phase 1 Trial", "",
     "Brightwell"),
    ("title-case plural class", "FDA Puts Hold On Adaptive Trial Designs", "", None),
    ("a product word before the product", "FDA places holds on Norwick CAR-T studies", "",
     "Norwick"),
    ("listed before the name", "Hong Kong-listed Norwick faces FDA hold on two products", "",
     "Norwick"),
    ("products from", "", "The FDA put the INDs for three CAR-T products from Norwick "
     "Therapeutics on clinical hold.", "Norwick Therapeutics"),
    ("sponsored compound", "",
     "Investigators at a cancer institute paused the Brightwell-sponsored study.", "Brightwell"),
]


@pytest.mark.parametrize("role", sorted(CASES))
def test_each_role_of_the_forms_file(role: str) -> None:
    """Every role in the data file is tested here, and its sentences give their company."""
    assert role in forms() or role in ("inverted",), f"{role} is not a role of the forms file"
    for title, text, company in CASES[role]:
        assert find_company(title, text) == company, (role, title or text)


def test_every_role_of_the_forms_file_has_cases() -> None:
    """A new role in bot/data/company_forms.toml needs its cases here."""
    assert set(forms()) - {"between"} <= set(CASES)


@pytest.mark.parametrize(("name", "title", "text", "company"), CONSTRUCTIONS,
                         ids=[c[0] for c in CONSTRUCTIONS])
def test_constructions(name: str, title: str, text: str, company: str | None) -> None:
    assert find_company(title, text) == company


@pytest.mark.parametrize(("name", "generic"), [
    ("Companies", True), ("Biotechnology", True), ("Estados Unidos", True),
    ("Acme Bio", False), ("Gene", False),
])
def test_generic_words(name: str, generic: bool) -> None:
    assert is_generic(name) is generic


@pytest.mark.parametrize(("name", "site"), [
    ("Mayo Clinic", True), ("Westbrook University Hospital", True), ("Charité", True),
    ("Clinical Genomics", False), ("Acme Health", False),
])
def test_institutions(name: str, site: bool) -> None:
    assert is_institution(name) is site
