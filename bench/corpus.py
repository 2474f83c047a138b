"""Generated but realistic data: biotech news items of 1–2 KB with known ground truth.

Targets come from the project's target lexicon (`bot/data/targets.txt`) and
indications from `bot/data/indications.txt`; companies start with real public
biotechs and continue with invented ones when a large store needs more. Drug
names are invented INN-style names with a development code alias, so nothing
claims a real drug had a hold it never had. Each generated item carries the
extraction the generator *meant* (label, company, drug, target), which the
store builder uses directly: building a store should not depend on the extractor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.models import DrugMention, Extraction, Item, Label

DATA = Path(__file__).resolve().parent.parent / "bot" / "data"

REAL_COMPANIES = (
    "CARsgen Therapeutics", "Allogene Therapeutics", "Cellectis", "Beam Therapeutics",
    "Intellia Therapeutics", "Verve Therapeutics", "Sarepta Therapeutics", "Rocket Pharmaceuticals",
    "Iovance Biotherapeutics", "Ocugen", "Gilead Sciences", "Arcellx", "Legend Biotech",
    "Poseida Therapeutics", "Precigen", "Taysha Gene Therapies", "Solid Biosciences",
    "BioMarin Pharmaceutical", "Vertex Pharmaceuticals", "Regeneron Pharmaceuticals",
    "Moderna", "Novavax", "Kura Oncology", "Zymeworks", "ImmunoGen", "Mersana Therapeutics",
    "Agenus", "Cabaletta Bio", "Kyverna Therapeutics", "Nkarta", "Fate Therapeutics",
    "Atara Biotherapeutics", "Gamida Cell", "Affimed", "MacroGenics", "Xencor", "Sutro Biopharma",
)
_SYLLABLES = ("za", "ro", "li", "ven", "ta", "mo", "rex", "du", "pi", "sel", "ca", "no",
              "tri", "vo", "xa", "le", "gu", "fi", "ba", "qui", "ner", "so", "ti", "ma")
_STEMS = ("mab", "tamab", "cabtagene autoleucel", "tinib", "rafenib", "lisib", "tide", "sen",
          "gene", "parvovec", "ciclib", "degib")
_INVENTED_SUFFIX = ("Therapeutics", "Bio", "Biosciences", "Pharmaceuticals", "Oncology",
                    "Biotherapeutics", "Medicines", "Genomics")
_OUTLETS = ("Fierce Biotech", "Endpoints News", "BioSpace", "GlobeNewswire", "Business Wire",
            "PR Newswire", "STAT", "BioPharma Dive")


def _lexicon(name: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """Canonical names of a `canonical | alias …` lexicon file, or the fallback."""
    try:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    except OSError:
        return fallback
    found = [ln.split("|")[0].strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return tuple(found) or fallback


@dataclass(frozen=True)
class DrugSpec:
    name: str
    code: str
    target: str
    company: str
    indication: str

    def mention(self) -> DrugMention:
        return DrugMention(self.name, (self.code,), (self.target,))


class Names:
    """A deterministic universe of companies and drugs, sized for a store."""

    def __init__(self, n_drugs: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.targets = _lexicon("targets.txt", ("BCMA", "CD19", "Claudin18.2", "GPRC5D"))
        self.indications = _lexicon("indications.txt", ("multiple myeloma", "gastric cancer"))
        n_companies = max(len(REAL_COMPANIES), n_drugs // 3)
        companies = list(REAL_COMPANIES)
        while len(companies) < n_companies:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
            companies.append(f"{word} {rng.choice(_INVENTED_SUFFIX)}")
        self.companies = tuple(dict.fromkeys(companies))
        drugs: dict[str, DrugSpec] = {}
        while len(drugs) < n_drugs:
            stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
            name = stem + rng.choice(_STEMS)
            company = rng.choice(self.companies)
            prefix = "".join(c for c in company if c.isupper())[:3].ljust(2, "X")
            code = f"{prefix}-{rng.randint(100, 9999)}"
            drugs.setdefault(name, DrugSpec(name, code, rng.choice(self.targets), company,
                                            rng.choice(self.indications)))
        self.drugs = tuple(drugs.values())


_HEADLINES: dict[str, tuple[str, ...]] = {
    "hold": ("{company} announces FDA clinical hold on {drug} phase {phase} trial",
             "FDA places clinical hold on {company}'s {target}-directed {drug}",
             "{company} shares fall after FDA halts {drug} study in {indication}"),
    "partial_hold": ("FDA places partial clinical hold on {company}'s {drug} ({code}) study",
                     "{company} says FDA imposed partial hold on higher doses of {drug}"),
    "lift": ("{company} announces FDA lifted clinical hold on {drug}",
             "FDA removes clinical hold on {company}'s {target} program {code}"),
    "partial_lift": ("FDA eases hold on {company}'s {drug}; partial hold remains on "
                     "the {indication} cohort",),
    "none": ("{company} reports third-quarter financial results and business update",
             "{company} presents new {drug} data in {indication} at ASCO",
             "{company} doses first patient in phase {phase} trial of {code}",
             "{company} prices $150 million public offering of common stock",
             "{company} appoints new chief medical officer"),
}
_BODY: dict[str, tuple[str, ...]] = {
    "hold": ("{company} today announced that the U.S. Food and Drug Administration (FDA) has "
             "placed a clinical hold on the phase {phase} study of {drug} ({code}) in patients "
             "with {indication}, following a serious adverse event reported at one site.",),
    "partial_hold": ("{company} today announced that the FDA has placed a partial clinical "
                     "hold on {code}; patients already enrolled may continue treatment, but no "
                     "new patients will be dosed at the highest dose level.",),
    "lift": ("{company} today announced that the FDA has lifted the clinical hold on the "
             "investigational new drug application for {drug} ({code}), and the company "
             "plans to resume enrolment in its {indication} trial.",),
    "partial_lift": ("The FDA has allowed {company} to resume dosing of {drug} in the lower "
                     "dose cohorts; the partial clinical hold remains in place for the "
                     "{indication} expansion cohort.",),
    "none": ("{company} today reported financial results and highlighted recent progress "
             "across its pipeline, including {drug} ({code}), an investigational therapy "
             "targeting {target} for {indication}.",),
}
_FILLER = (
    "{drug} is designed to target {target}, which is highly expressed in {indication}.",
    "The company ended the quarter with cash and investments it believes fund operations "
    "into 2027.",
    "The phase {phase} trial is a multicenter, open-label, dose-escalation study evaluating "
    "safety, tolerability and preliminary efficacy.",
    "{company} will host a conference call and webcast at 8:00 a.m. Eastern Time.",
    "Forward-looking statements in this press release involve substantial risks and "
    "uncertainties, including the risk that regulators may place studies on hold.",
    "About {company}: {company} is a clinical-stage biotechnology company developing "
    "therapies for patients with serious diseases.",
    "Investors and analysts will be watching the next data readout, expected in the "
    "second half of the year, for evidence of durable responses.",
    "Enrolment across {count} sites in the United States, Europe and Asia is ongoing.",
    "{code} received Fast Track designation earlier this year based on preclinical data.",
    "The company said it would work with the agency on a path forward and provide an update "
    "when it has more clarity on timing.",
    "Analysts at several banks cut their price targets, citing uncertainty about the "
    "regulatory timeline and the cost of additional studies.",
    "The study's independent data monitoring committee reviews unblinded safety data on a "
    "regular schedule and may recommend changes to the protocol.",
    "Earlier this year the company reported that {count} patients had been treated across "
    "dose levels, with manageable cytokine release syndrome.",
    "{company} plans to present updated results at a medical meeting later this year.",
)


def render(label: Label, drug: DrugSpec, rng: random.Random) -> tuple[str, str]:
    """A (title, text) pair about `drug` whose news is `label`, text 1–2 KB."""
    values = {"company": drug.company, "drug": drug.name, "code": drug.code,
              "target": drug.target, "indication": drug.indication,
              "phase": rng.choice(("1", "1/2", "2", "3")), "count": str(rng.randint(5, 80))}
    title = rng.choice(_HEADLINES[label]).format(**values)
    parts = [rng.choice(_BODY[label]).format(**values)]
    goal = rng.randint(1000, 2000)
    for filler in rng.sample(_FILLER, len(_FILLER)):
        if sum(len(p) + 1 for p in parts) >= goal:
            break
        parts.append(filler.format(**values))
    return title, " ".join(parts)


def make_item(source: str, key: str, label: Label, drug: DrugSpec, rng: random.Random,
              published: date) -> tuple[Item, Extraction]:
    """An item and the extraction the generator meant it to have."""
    title, text = render(label, drug, rng)
    item = Item(source=source, key=key, title=title, text=text,
                url=f"https://news.example.com/{source}/{key}", published=published,
                outlet=rng.choice(_OUTLETS), kind="news")
    extraction = Extraction(label=label, company=drug.company, drugs=(drug.mention(),),
                            targets=(drug.target,), indications=(drug.indication,))
    return item, extraction


def mixed_items(n: int, names: Names, rng: random.Random, source: str = "bench",
                published: date = date(2025, 5, 30)) -> list[Item]:
    """`n` items, about one in four reporting a hold decision, like a clinical-hold feed."""
    labels: tuple[Label, ...] = ("hold", "partial_hold", "lift", "partial_lift", "none")
    weights = (10, 5, 8, 2, 75)
    out = []
    for i in range(n):
        label = rng.choices(labels, weights)[0]
        item, _ = make_item(source, f"m{i}", label, rng.choice(names.drugs), rng, published)
        out.append(item)
    return out
