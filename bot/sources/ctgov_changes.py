"""ClinicalTrials.gov status changes as items (pure: JSON in, Items out).

CT.gov has no "clinical hold" status. A hold shows up, late, as a study
turning SUSPENDED with a free-text `whyStopped`; a lift as the study leaving
SUSPENDED for recruiting/active. We diff each study's `overallStatus` against
what the last poll saw:

- newly SUSPENDED (or first seen SUSPENDED) with a whyStopped naming the FDA
  or a clinical hold -> a hold item (label "partial_hold" when it says partial);
- a study we saw suspended for such a hold, now RECRUITING / ACTIVE_NOT_RECRUITING /
  ENROLLING_BY_INVITATION / NOT_YET_RECRUITING -> a lift item, `inferred`;
- a held study that ends (TERMINATED, WITHDRAWN, COMPLETED) is forgotten, no item.

Item keys are `NCT…:<status>:<lastUpdatePostDate>`, so the same transition
seen twice (overlapping date windows, a re-run) is one item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.models import Item
from bot.sources.text import clean, one_line

OUTLET = "ClinicalTrials.gov"
SUSPENDED = "SUSPENDED"
RESUMED = frozenset(
    {"RECRUITING", "ACTIVE_NOT_RECRUITING", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING"}
)
ENDED = frozenset({"TERMINATED", "WITHDRAWN", "COMPLETED"})
_FDA_HOLD = re.compile(r"\bFDA\b|\bclinical[\s-]+hold\b|food\s+and\s+drug\s+administration", re.I)
_NOT_A_DRUG = re.compile(r"^\s*(placebo|saline|standard of care|best supportive care)\b", re.I)
_DRUG_TYPES = frozenset({"DRUG", "BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT", ""})


@dataclass(frozen=True)
class Study:
    nct_id: str
    title: str
    status: str
    why_stopped: str
    updated: date | None
    sponsor: str | None
    drugs: tuple[tuple[str, tuple[str, ...]], ...]  # (name, other names)


def is_fda_hold(why_stopped: str) -> bool:
    return bool(_FDA_HOLD.search(why_stopped or ""))


def study_from_json(raw: Mapping[str, Any]) -> Study | None:
    """The fields we use from one API v2 study; None without an NCT id."""
    protocol = raw.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    sponsor = (protocol.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}
    arms = protocol.get("armsInterventionsModule") or {}
    nct = str(ident.get("nctId") or "").strip().upper()
    if not re.fullmatch(r"NCT\d{8}", nct):
        return None
    drugs = []
    for intervention in arms.get("interventions") or ():
        name = one_line(str(intervention.get("name") or ""), 200)
        kind = str(intervention.get("type") or "").upper()
        if name and kind in _DRUG_TYPES and not _NOT_A_DRUG.match(name):
            others = tuple(one_line(str(o), 200) for o in intervention.get("otherNames") or ())
            drugs.append((name, tuple(o for o in others if o and o != name)))
    return Study(
        nct_id=nct,
        title=one_line(str(ident.get("briefTitle") or ident.get("officialTitle") or nct), 500),
        status=str(status.get("overallStatus") or "").upper(),
        why_stopped=one_line(str(status.get("whyStopped") or ""), 1000),
        updated=_date((status.get("lastUpdatePostDateStruct") or {}).get("date")),
        sponsor=one_line(str(sponsor.get("name") or ""), 300) or None,
        drugs=tuple(drugs),
    )


def diff_study(
    source: str,
    study: Study,
    previous_status: str | None,
    hold: Mapping[str, Any] | None,
) -> tuple[Item | None, Mapping[str, Any] | None]:
    """(item for this change or None, the hold record to keep for this NCT id or None)."""
    if study.status == SUSPENDED and is_fda_hold(study.why_stopped):
        record = {"why_stopped": study.why_stopped, "since": _iso(study.updated)}
        if hold is not None:
            return None, hold  # this hold was already reported
        return hold_item(source, study, previous_status), record
    if hold is not None and study.status in RESUMED:
        return lift_item(source, study, hold), None
    if hold is not None and (study.status in ENDED or study.status == SUSPENDED):
        return None, None  # ended, or still suspended but no longer for an FDA reason
    return None, hold


def hold_item(source: str, study: Study, previous_status: str | None) -> Item:
    label = "partial_hold" if re.search(r"\bpartial", study.why_stopped, re.I) else "hold"
    text = _describe(study) + (
        f" Status changed to SUSPENDED (previously {previous_status or 'not seen'})."
        f" Why stopped: {study.why_stopped}"
    )
    return _item(
        source,
        study,
        title=f"{study.title} ({study.nct_id}) suspended: {study.why_stopped}",
        text=text,
        hints={"label": label, "why_stopped": study.why_stopped},
    )


def lift_item(source: str, study: Study, hold: Mapping[str, Any]) -> Item:
    why = str(hold.get("why_stopped") or "")
    text = _describe(study) + (
        f" Status changed from SUSPENDED to {study.status}; it had been suspended"
        f" ({why}) since {hold.get('since') or 'an unknown date'}."
    )
    return _item(
        source,
        study,
        title=f"{study.title} ({study.nct_id}) resumed ({study.status}) after FDA hold",
        text=text,
        hints={"label": "lift", "inferred": True, "why_stopped": why},
    )


def _item(source: str, study: Study, *, title: str, text: str, hints: dict[str, Any]) -> Item:
    all_hints: dict[str, Any] = {
        "nct_ids": [study.nct_id],
        "drugs": [{"name": name, "aliases": list(others)} for name, others in study.drugs],
        "primary": True,
        **hints,
    }
    if study.sponsor:
        all_hints["company"] = study.sponsor
    return Item(
        source=source,
        key=f"{study.nct_id}:{study.status}:{_iso(study.updated) or 'undated'}",
        title=one_line(title),
        text=clean(text),
        url=f"https://clinicaltrials.gov/study/{study.nct_id}",
        published=study.updated,
        outlet=OUTLET,
        kind="registry",
        hints=all_hints,
    )


def _describe(study: Study) -> str:
    drugs = "; ".join(
        name + (f" ({', '.join(others)})" if others else "") for name, others in study.drugs
    )
    parts = [f"{study.title} ({study.nct_id}).", f"Sponsor: {study.sponsor or 'unknown'}."]
    if drugs:
        parts.append(f"Interventions: {drugs}.")
    return " ".join(parts)


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
