"""A phrasing grammar: sentences generated from agent x act x object x tense x modifier x
position (and the same acts in other languages), each with the label DESIGN.md gives it.

It measures coverage of constructions rather than of examples: a rule that only knows
"placed a clinical hold" fails the passive, the nominal and the headline forms here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    construction: str  # act / modifier / position: the accuracy is reported per construction
    title: str
    text: str
    label: str


@dataclass(frozen=True)
class Act:
    name: str
    label: str  # the label when the FDA asserts it
    past: str  # "placed a clinical hold on {o}"
    present: str  # headline form
    base: str  # after "could", "did not", "elected to"
    perfect: str  # after "had" / "has"


ACTS = (
    Act("placed", "hold", "placed a clinical hold on {o}", "places clinical hold on {o}",
        "place a clinical hold on {o}", "placed a clinical hold on {o}"),
    Act("put_on_hold", "hold", "put {o} on clinical hold", "puts {o} on clinical hold",
        "put {o} on clinical hold", "put {o} on clinical hold"),
    Act("imposed", "hold", "imposed a clinical hold on {o}", "imposes clinical hold on {o}",
        "impose a clinical hold on {o}", "imposed a clinical hold on {o}"),
    Act("halted", "hold", "halted {o}", "halts {o}", "halt {o}", "halted {o}"),
    Act("stopped", "hold", "stopped {o}", "stops {o}", "stop {o}", "stopped {o}"),
    Act("partial", "partial_hold", "placed a partial clinical hold on {o}",
        "places partial clinical hold on {o}", "place a partial clinical hold on {o}",
        "placed a partial clinical hold on {o}"),
    Act("new_patients", "partial_hold", "paused enrollment of new patients in {o}",
        "pauses enrollment of new patients in {o}", "pause enrollment of new patients in {o}",
        "paused enrollment of new patients in {o}"),
    Act("lifted", "lift", "lifted the clinical hold on {o}", "lifts clinical hold on {o}",
        "lift the clinical hold on {o}", "lifted the clinical hold on {o}"),
    Act("removed", "lift", "removed the clinical hold on {o}", "removes clinical hold on {o}",
        "remove the clinical hold on {o}", "removed the clinical hold on {o}"),
    Act("released", "lift", "released {o} from clinical hold", "releases {o} from clinical hold",
        "release {o} from clinical hold", "released {o} from clinical hold"),
    Act("lifted_partial", "lift", "lifted the partial clinical hold on {o}",
        "lifts partial clinical hold on {o}", "lift the partial clinical hold on {o}",
        "lifted the partial clinical hold on {o}"),
    Act("partly_lifted", "partial_lift", "partially lifted the clinical hold on {o}",
        "partially lifts clinical hold on {o}", "partially lift the clinical hold on {o}",
        "partially lifted the clinical hold on {o}"),
    Act("converted", "partial_lift",
        "converted the full clinical hold on {o} to a partial clinical hold",
        "converts full clinical hold on {o} to partial hold",
        "convert the full clinical hold on {o} to a partial clinical hold",
        "converted the full clinical hold on {o} to a partial clinical hold"),
    Act("kept", "none", "kept the clinical hold on {o} in place",
        "keeps clinical hold on {o} in place", "keep the clinical hold on {o} in place",
        "kept the clinical hold on {o} in place"),
)
AGENTS = ("The FDA", "The U.S. Food and Drug Administration", "The agency")
OBJECTS = ("the AB-101 study", "Acme's Phase 1 trial of AB-101", "the AB-101 program",
           "two studies of AB-101")
# Other agents: another regulator's act, and the sponsor's own.
OTHERS = ("The EMA", "Britain's drug regulator", "Health Canada")


def _cases() -> Iterator[Case]:
    neutral = "Acme provides update"
    for act, o, agent in itertools.product(ACTS, OBJECTS, AGENTS):
        past, present = act.past.format(o=o), act.present.format(o=o)
        base, perfect = act.base.format(o=o), act.perfect.format(o=o)
        label = act.label
        yield Case(f"{act.name}/asserted/headline", f"{_head(agent)} {present}", "", label)
        yield Case(f"{act.name}/asserted/body", neutral, f"{agent} {past}.", label)
        yield Case(f"{act.name}/perfect/body", neutral, f"{agent} has {perfect}.", label)
        yield Case(f"{act.name}/asserted/no-title", "", f"{agent} {past}. Acme said so.",
                   label)
        yield Case(f"{act.name}/negated/body", neutral, f"{agent} has not {perfect}.", "none")
        yield Case(f"{act.name}/negated-did/body", neutral, f"{agent} did not {base}.", "none")
        yield Case(f"{act.name}/hypothetical/body", neutral, f"{agent} could {base}.", "none")
        yield Case(f"{act.name}/conditional/body", neutral,
                   f"If {_lower(agent)} were to {base}, Acme would be harmed.", "none")
        yield Case(f"{act.name}/expected/body", neutral,
                   f"Acme expects that {_lower(agent)} will {base}.", "none")
        yield Case(f"{act.name}/historical-year/body", neutral, f"In 2021, {_lower(agent)} "
                   f"{past}. Acme reported quarterly revenue.", "none")
        yield Case(f"{act.name}/historical-had/body", neutral,
                   f"{agent} had previously {perfect}.", "none")
    for act, o, other in itertools.product(ACTS, OBJECTS, OTHERS):
        if act.label == "none":
            continue
        yield Case(f"{act.name}/other-regulator/body", neutral, f"{other} {act.past.format(o=o)}.",
                   "none")
    for act, o in itertools.product(ACTS, OBJECTS):
        if act.label not in ("hold", "partial_hold"):
            continue
        yield Case(f"{act.name}/sponsor-elected/body", neutral,
                   f"Acme elected to voluntarily {act.base.format(o=o)}.", "none")
    yield from _phrases()
    yield from _headlines()
    yield from _foreign()


# Whole-sentence constructions: passives, causes, nominal holds, permissions, restrictions
# that remain, the sponsor's own pauses. {a}/{A}: the agent, {o}/{O}: the object.
PHRASES = (
    ("passive", "hold", "A clinical hold was placed on {o} by {a}."),
    ("passive-lift", "lift", "The clinical hold on {o} was lifted by {a}."),
    ("no-longer", "lift", "{O} is no longer on clinical hold, {a} said."),
    ("caused", "hold", "A patient death triggered an FDA clinical hold on {o}."),
    ("handed", "partial_hold", "{A} handed Acme a partial clinical hold on {o}."),
    ("drops-a-hold", "hold", "{A} drops a hold on {o}."),
    ("clearance", "lift", "{A} gave Acme clearance to proceed with {o} after the clinical hold."),
    ("may-resume", "lift", "{A} notified Acme that {o}, on clinical hold since March, may resume."),
    ("remains", "partial_lift",
     "{A} lifted the clinical hold on {o}; a second study remains on clinical hold."),
    ("ordered-stop", "partial_hold", "{A} ordered Acme to stop enrolling new patients in {o}."),
    ("compliance", "partial_hold",
     "Acme paused enrollment in {o} in compliance with an FDA partial clinical hold."),
    ("keeps", "none", "{A} declined to lift the clinical hold on {o}."),
    ("voluntary", "none", "Acme voluntarily paused dosing in {o}."),
    ("elected", "none", "Acme elected to place {o} on hold."),
    ("risk", "none", "There is a risk that {a} may place {o} on clinical hold."),
    # holds in general, questions, details and the time frame of other news (r2's classes)
    ("trend", "none", "{A} is increasingly placing clinical holds on gene therapy studies."),
    ("more-often", "none", "{A} pauses early studies more often than it did five years ago."),
    ("definition", "none", "A clinical hold is an order that {a} issues to halt {o}."),
    ("question", "none", "Will {a} lift the clinical hold on {o}?"),
    ("explainer-question", "none", "What happens when {a} places a clinical hold on {o}?"),
    ("details", "none", "{A} detailed the deaths that led to the clinical hold on {o}."),
    ("opening-date", "none", "In July, Acme said {a} placed {o} on clinical hold."),
    ("during", "none",
     "During the partial clinical hold on {o}, enrolled patients kept receiving treatment."),
    ("request-resume", "none",
     "Acme has asked {a} for permission to resume {o}, which is on clinical hold."),
    # statuses and idioms
    ("status-is-on", "partial_hold",
     "Until the questions are answered, {o} is on partial clinical hold, {a} said."),
    ("free-of", "lift", "{O} is finally free of the clinical hold, {a} said."),
    ("price-move", "lift", "Acme rises 16% after {a} lifts the clinical hold on {o}."),
    ("sign-off-part", "partial_lift",
     "{A} signed off on the Phase 2 part of {o}; the Phase 3 part remains on partial clinical "
     "hold."),
    ("remaining", "partial_lift",
     "{A} lifted the partial clinical hold on {o}. Acme is working on the remaining partial "
     "clinical hold on a second study."),
    ("partially-halted", "partial_hold", "{A} partially halted {o}."),
    ("cleared-it-to-restart", "lift",
     "{A} cleared Acme to restart {o}, which had been on clinical hold since May."),
    ("converted-to-full", "hold",
     "The partial clinical hold on {o} was converted to a full clinical hold by {a}."),
    ("price-move-weekday", "hold",
     "Acme shares tumbled 40% on Monday after the company said {a} had halted {o}."),
    ("put-on-ice", "hold", "{A} put {o} on ice."),
)

# Headlines that name holds but are no event (a figure of speech, a trend, research, an
# explainer, the details of holds announced), and headlines of the same shape that are.
HEADLINES = (
    ("figurative", "none", "FDA Puts Hold On Adaptive Trial Designs, Wants Clarity"),
    ("figurative-policy", "none", "FDA puts hold on decentralized trial rules, seeks comment"),
    ("trend", "none", "FDA increasingly halting first-in-human trials as sponsors take risks"),
    ("research", "none", "An Analysis of FDA Clinical Hold Orders for Biologics, 2010 to 2020"),
    ("explainer", "none", "What happens when the FDA puts your trial on clinical hold?"),
    ("details", "none", "FDA details deaths that led to AB-101 trial holds"),
    ("specific", "hold", "FDA puts hold on Acme's AB-101 trial"),
    ("specific-singular", "hold", "FDA halts gene therapy trial after patient death"),
)


def _phrases() -> Iterator[Case]:
    neutral = "Acme provides update"
    for (name, label, sentence), o, agent in itertools.product(PHRASES, OBJECTS, AGENTS):
        text = sentence.format(a=_lower(agent), A=agent, o=o, O=o[0].upper() + o[1:])
        yield Case(f"{name}/asserted/body", neutral, text, label)
        yield Case(f"{name}/asserted/no-title", "", text, label)
        yield Case(f"{name}/results-report/body", "Acme Reports Third Quarter 2024 Financial "
                   "Results", f"Revenue rose. {text}", "none")


def _headlines() -> Iterator[Case]:
    for name, label, title in HEADLINES:
        for body in ("", "Acme said it would comment later.", "The company's shares fell."):
            yield Case(f"headline-{name}/headline", title, body, label)


def _head(agent: str) -> str:
    return "U.S. FDA" if agent != "The FDA" else "FDA"


def _lower(agent: str) -> str:
    return agent[0].lower() + agent[1:]


# (language, construction, sentence with {o}, label)
FOREIGN = (
    ("fr", "hold", "La FDA a imposé une suspension clinique sur {o}.", "hold"),
    ("fr", "lift", "La FDA a levé la suspension clinique sur {o}.", "lift"),
    ("fr", "partial", "La FDA a imposé une suspension clinique partielle sur {o}.",
     "partial_hold"),
    ("fr", "negated", "La FDA n'a pas imposé de suspension clinique sur {o}.", "none"),
    ("fr", "halted", "La FDA a suspendu l'essai de {o}.", "hold"),
    ("de", "hold", "Die FDA hat einen klinischen Stopp für {o} verhängt.", "hold"),
    ("de", "lift", "Die FDA hat den klinischen Stopp für {o} aufgehoben.", "lift"),
    ("de", "partial", "Die FDA hat einen teilweisen klinischen Stopp für {o} verhängt.",
     "partial_hold"),
    ("de", "negated", "Die FDA hat keinen klinischen Stopp für {o} verhängt.", "none"),
    ("de", "partly", "Die FDA hat den klinischen Stopp für {o} teilweise aufgehoben.",
     "partial_lift"),
    ("nl", "hold", "De FDA heeft een klinische stop opgelegd voor {o}.", "hold"),
    ("nl", "lift", "De FDA heeft de klinische stop op {o} opgeheven.", "lift"),
    ("nl", "partial", "De FDA heeft een gedeeltelijke klinische stop opgelegd voor {o}.",
     "partial_hold"),
    ("nl", "negated", "De FDA heeft geen klinische stop opgelegd voor {o}.", "none"),
    ("es", "hold", "La FDA impuso una suspensión clínica sobre {o}.", "hold"),
    ("es", "lift", "La FDA ha levantado la suspensión clínica de {o}.", "lift"),
    ("es", "partial", "La FDA impuso una suspensión clínica parcial sobre {o}.",
     "partial_hold"),
    ("es", "negated", "La FDA no impuso una suspensión clínica sobre {o}.", "none"),
    ("it", "hold", "La FDA ha imposto una sospensione clinica su {o}.", "hold"),
    ("it", "lift", "La FDA ha revocato la sospensione clinica su {o}.", "lift"),
    ("it", "negated", "La FDA non ha imposto una sospensione clinica su {o}.", "none"),
    ("zh", "hold", "美国FDA对{o}实施临床暂停。", "hold"),
    ("zh", "lift", "美国FDA已解除{o}的临床暂停。", "lift"),
    ("zh", "partial", "美国FDA对{o}实施部分临床暂停。", "partial_hold"),
    ("zh", "negated", "美国FDA未对{o}实施临床暂停。", "none"),
    ("ja", "lift", "FDAが{o}のクリニカルホールドを解除しました。", "lift"),
    ("ja", "hold", "FDAが{o}にクリニカルホールドを課しました。", "hold"),
    ("ko", "hold", "FDA가 {o}에 임상 보류를 내렸다.", "hold"),
    ("ko", "lift", "FDA가 {o}의 임상 보류를 해제했다.", "lift"),
    # verb-last German, permissions written as a verb and a noun, what remains, letters,
    # the FDA's pauses in Japanese and Chinese and what is not one (r2's classes)
    ("de", "verb-final", "Acme teilte mit, dass die FDA die klinische Studie mit {o} gestoppt hat.",
     "hold"),
    ("de", "on-ice", "Die US-Arzneimittelbehörde hat die Studie mit {o} auf Eis gelegt.", "hold"),
    ("de", "new-patients",
     "Die FDA hat die Aufnahme neuer Patienten in die Studie mit {o} ausgesetzt.",
     "partial_hold"),
    ("de", "restart",
     "Die Studie mit {o} war unterbrochen worden. Die FDA hat den Neustart der Studie genehmigt.",
     "lift"),
    ("de", "details", "Die FDA nennt Einzelheiten zum klinischen Stopp für {o}.", "none"),
    ("de", "trial-noun", "Die FDA hat die klinische Erprobung von {o} gestoppt.", "hold"),
    ("es", "restart", "La FDA autorizó hoy el reinicio del ensayo de {o}, que seguía suspendido.",
     "lift"),
    ("es", "remaining", "La FDA levantó la suspensión clínica parcial de {o}. La suspensión "
     "clínica parcial restante afecta a otro estudio.", "partial_lift"),
    ("es", "letter",
     "Acme anunció que ha recibido la carta oficial de suspensión clínica de la FDA sobre {o}.",
     "none"),
    ("fr", "restart", "La FDA a autorisé la reprise de l'essai de {o}, suspendu depuis avril.",
     "lift"),
    ("ja", "pause", "FDAによって{o}の臨床試験が休止状態に置かれた。", "hold"),
    ("ja", "request", "投資家がFDAに{o}の臨床試験の中止を要請した。", "none"),
    ("ja", "definition", "臨床保留とは、FDAが{o}などの臨床試験を停止させる措置のことです。",
     "none"),
    ("zh", "halted", "美国FDA叫停了{o}的2期临床试验。", "hold"),
    ("zh", "shipments", "公司应FDA要求暂停{o}在美国的发货。", "none"),
)
FOREIGN_OBJECTS = ("AB-101", "CT-041", "QX-77", "ZN-5")


def _foreign() -> Iterator[Case]:
    for (lang, name, sentence, label), o in itertools.product(FOREIGN, FOREIGN_OBJECTS):
        text = sentence.format(o=o)
        yield Case(f"{lang}-{name}/body", "Update", text, label)
        yield Case(f"{lang}-{name}/no-title", "", text, label)


CASES: tuple[Case, ...] = tuple(_cases())
