"""extract(item) -> Extraction: label and entities of one item. Pure; never raises."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence

from bot.extract import details, drugs, names
from bot.extract.aliases import AliasBook
from bot.extract.company import find_company
from bot.extract.decide import Decision, decide, split_headline
from bot.extract.indications import lexicon as indication_lexicon
from bot.extract.lexicon import Hit, scan_all
from bot.extract.names import rank
from bot.extract.targets import gene_of, is_effect, native_targets
from bot.extract.targets import lexicon as target_lexicon
from bot.extract.text import MAX_TITLE_CHARS, clean, fold, sentences
from bot.extract.ticker import bare_ticker, find_ticker
from bot.extract.trials import find_trials, is_protocol_code, trial_keys
from bot.models import LABELS, DrugMention, Extraction, Item, Trial

log = logging.getLogger(__name__)

_NCT = re.compile(r"\bNCT\d{8}\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？\n]")
_DEFAULT_BOOK: AliasBook | None = None
# Drugs of the event: named in the headline, the evidence or the lead, not in the boilerplate.
_FOCUS_SENTENCES = 4


def default_book() -> AliasBook:
    """The curated alias book, built once (used when the caller passes none)."""
    global _DEFAULT_BOOK
    if _DEFAULT_BOOK is None:
        _DEFAULT_BOOK = AliasBook.default()
    return _DEFAULT_BOOK


def extract(item: Item, aliases: AliasBook | None = None) -> Extraction:
    """Label one item and pull out its entities; any internal failure yields label 'none'."""
    try:
        return read_item(item, aliases or default_book())
    except Exception:  # the pipeline must never stop on one odd item
        log.exception("extractor failed on item %s; labelled none", getattr(item, "key", "?"))
        return Extraction(label="none")


def read_item(item: Item, book: AliasBook) -> Extraction:
    """`extract` without the safety net: an internal failure raises (tests use this)."""
    hints: Mapping[str, object] = item.hints or {}
    title = clean(item.title, MAX_TITLE_CHARS)
    text = clean(item.text)
    body = sentences(text)
    hinted = hints.get("label")
    if isinstance(hinted, str) and hinted in LABELS:
        decision = Decision(hinted, tuple(body[:2]), ("source.hint",))
    else:
        decision = decide(title, body)
    full = f"{title}\n{text}"
    # An item without a title (a feed entry with only a description) is read with its first
    # sentence as the headline.
    headline = title or split_headline("", body)[0]
    company = _hint_str(hints, "company") or find_company(headline, text)
    # One pass over the text for all three lexicons.
    target_hits, indication_hits, book_hits = scan_all(
        full, (target_lexicon(), indication_lexicon(), book.lexicon()))
    target_hits = [h for h in target_hits if not is_effect(full, h)] + native_targets(full)
    # Trials matter for an event (its alert names them); a non-event is not searched for them.
    named_trials = find_trials(full) if decision.label != "none" else []
    drug_list, trials = _drugs(full, title, body, decision, book, hints, target_hits,
                               book_hits, named_trials)
    if company:
        # "Allogene" has an INN-like stem; a name that is the issuer's is not a drug.
        company_words = {fold(w) for w in company.split()}
        drug_list = [d for d in drug_list if {fold(n) for n in d.names} - company_words]
    targets = _with_genes(
        [h.canonical for h in target_hits]
        + [t for d in drug_list for t in d.targets])
    event = decision.label != "none"
    return Extraction(
        label=decision.label,
        company=company,
        drugs=tuple(drug_list),
        targets=tuple(targets),
        nct_ids=tuple(_merge_upper(_hint_list(hints, "nct_ids"), _nct_ids(full))),
        ticker=_hint_str(hints, "ticker") or find_ticker(full) or bare_ticker(title, text),
        indications=tuple(dict.fromkeys(h.canonical for h in indication_hits)),
        trials=tuple(trials),
        reason=details.reason(decision.evidence, body) if event else None,
        scope=details.scope(decision.evidence) if event else None,
        inferred=bool(hints.get("inferred")) if isinstance(hinted, str) else False,
        evidence=decision.evidence if event else (),
        rules=decision.rules,
    )


def _drugs(
    full: str, title: str, body: Sequence[str], decision: Decision,
    book: AliasBook, hints: Mapping[str, object], target_hits: Sequence[Hit],
    book_hits: Sequence[Hit], named_trials: Sequence[Trial],
) -> tuple[list[DrugMention], list[Trial]]:
    """The drugs of the event, and the trials (a name is one or the other, never both)."""
    mentions = drugs.find_mentions(full, book, [
        Hit(full[h.start : h.end], h.start, h.end) for h in book_hits])
    groups = drugs.group_mentions(full, mentions, book)
    # Study codes ("the HGB-206 study") go when the item names a drug besides them.
    studies = drugs.study_names(full, mentions)
    kept = [g for g in groups if len(g) > 1 or fold(g[0]) not in studies]
    if kept and len(kept) < len(groups):
        # ... unless the others are only background ("the AB-101 study ... a week after the
        # approval of tisagenlecleucel")
        background = drugs.background_names(full, mentions)
        kept = [g for g in kept if not {fold(n) for n in g} <= background]
    groups = kept or groups
    trials = [t for t in named_trials if _is_trial(t, groups, studies, book)]
    trial_names = trial_keys(trials)
    remaining = [g for g in groups if not {fold(n) for n in g} & trial_names]
    if not remaining:  # "its INO-4800 trial": a code that is the only candidate is the drug
        codes = {fold(n) for g in groups for n in g if names.is_code(n)}
        trials = [t for t in trials if not t.name or fold(t.name) not in codes]
        remaining = [g for g in groups if {fold(n) for n in g} & codes]
    groups = remaining
    regions = [(0, len(title))]
    for sentence in (*decision.evidence, *body[:_FOCUS_SENTENCES]):
        start = full.find(sentence)
        if start >= 0:
            regions.append((start, start + len(sentence)))
    focus_keys = {fold(m.name) for m in mentions
                  if any(s <= m.start and m.end <= e for s, e in regions)}
    focused = [g for g in groups if any(fold(n) in focus_keys for n in g)]
    chosen = focused or _first_named(full, groups, mentions)
    # A drug named only as a combination partner, or only as background (an approved
    # product, an earlier line of therapy, a class example), is not the held drug when
    # another is named.
    if len(chosen) > 1:
        partners = drugs.partner_names(full, mentions)
        chosen = [g for g in chosen if not {fold(n) for n in g} <= partners] or chosen
    if len(chosen) > 1:
        keys = {fold(n) for g in chosen for n in g}
        background = drugs.background_names(full, [m for m in mentions if fold(m.name) in keys])
        chosen = [g for g in chosen if not {fold(n) for n in g} <= background] or chosen
    result = [_mention(g, mentions, book, target_hits) for g in chosen]
    for hint in _hint_drugs(hints):
        result = _merge_hint(result, hint)
    return result, trials


def _first_named(full: str, groups: list[list[str]],
                 mentions: Sequence[drugs.Mention]) -> list[list[str]]:
    """Without a drug in the headline, evidence or lead: those of the first sentence that
    names one (a drug named further down is more often another company's or background)."""
    keys = {fold(n): g_index for g_index, g in enumerate(groups) for n in g}
    named = [m for m in mentions if fold(m.name) in keys]
    if not named:
        return groups
    stop = _SENTENCE_END.search(full, named[0].end)
    end = stop.end() if stop else len(full)
    chosen = {keys[fold(m.name)] for m in named if m.start < end}
    return [g for i, g in enumerate(groups) if i in chosen]


def _is_trial(trial: Trial, groups: Sequence[Sequence[str]], studies: set[str],
              book: AliasBook) -> bool:
    """A name written as a study's stays a trial unless it is also a drug: one the book
    knows, or a drug code written elsewhere as a drug ("the UCART123 studies ... UCART123,
    the company's CAR-T") rather than only as a study."""
    if not trial.name:
        return True
    key = fold(trial.name)
    if not any(key == fold(n) for g in groups for n in g):
        return True
    if book.group(trial.name):
        return False
    if names.is_code(trial.name) and not is_protocol_code(trial.name):
        return key in studies
    return True


def _mention(names: Sequence[str], mentions: Sequence[drugs.Mention], book: AliasBook,
             target_hits: Sequence[Hit]) -> DrugMention:
    known: list[str] = []
    for name in names:
        group = book.group(name)
        known.extend(group or ())
    all_names = list(dict.fromkeys([*names, *known]))
    unique: dict[str, str] = {}
    for n in all_names:
        unique.setdefault(fold(n), n)
    ordered = list(unique.values())
    canonical = book.resolve(ordered[0]) or min(ordered, key=lambda n: (rank(n), ordered.index(n)))
    canonical = next((n for n in ordered if fold(n) == fold(canonical)), canonical)
    aliases = tuple(sorted((n for n in ordered if fold(n) != fold(canonical)), key=rank))
    targets = list(book.targets(canonical)) or _nearby_targets(names, mentions, target_hits)
    return DrugMention(name=canonical, aliases=aliases, targets=tuple(targets))


def _nearby_targets(names: Sequence[str], mentions: Sequence[drugs.Mention],
                    target_hits: Sequence[Hit]) -> list[str]:
    """Targets written right after a drug's name, before the next drug is named."""
    keys = {fold(n) for n in names}
    for i, m in enumerate(mentions):
        if fold(m.name) not in keys:
            continue
        stop = min(mentions[i + 1].start if i + 1 < len(mentions) else m.end + 100, m.end + 100)
        found = [h.canonical for h in target_hits if m.end <= h.start and h.end <= stop]
        if found:
            return list(dict.fromkeys(found))
    return []


def _merge_hint(result: list[DrugMention], hint: DrugMention) -> list[DrugMention]:
    keys = {fold(n) for n in hint.names}
    for i, d in enumerate(result):
        if keys & {fold(n) for n in d.names}:
            extra = tuple(n for n in hint.names if fold(n) not in {fold(x) for x in d.names})
            result[i] = DrugMention(d.name, d.aliases + extra, d.targets)
            return result
    return [*result, hint]


def _hint_str(hints: Mapping[str, object], key: str) -> str | None:
    value = hints.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _hint_list(hints: Mapping[str, object], key: str) -> list[str]:
    value = hints.get(key)
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, str) and v.strip()]


def _hint_drugs(hints: Mapping[str, object]) -> Iterable[DrugMention]:
    value = hints.get("drugs")
    if not isinstance(value, list | tuple):
        return
    for entry in value:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str) and entry["name"]:
            aliases = entry.get("aliases") or []
            yield DrugMention(entry["name"], tuple(
                a for a in aliases if isinstance(a, str)) if isinstance(aliases, list | tuple)
                else ())


def _with_genes(targets: Sequence[str]) -> list[str]:
    """Targets once each; a mutation ("KRAS G12D") brings its gene ("KRAS") before it, so a
    subscription to the gene finds it."""
    out: list[str] = []
    for target in targets:
        gene = gene_of(target)
        out.extend([gene, target] if gene else [target])
    return list(dict.fromkeys(out))


def _nct_ids(text: str) -> list[str]:
    # Only ASCII letters fold to n, c and t, so lower() finds every "NCT" the regex could.
    return _NCT.findall(text) if "nct" in text.lower() else []


def _merge_upper(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(x.upper() for x in [*first, *second]))
