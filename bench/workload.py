"""Real-length extraction items, and a quick items/s measurement (one harness: bench/).

Items are the headlines and leads of the project's development corpus
(`tests/fixtures/corpus/dev.jsonl`, read as data: events and hard negatives,
written in the project's own words) padded with what a real press release
carries after its news: pipeline and company boilerplate, an "About <Company>"
paragraph, investor contacts and a forward-looking-statements paragraph (which,
as in real releases, names clinical holds as a risk). Real announcements run
600–1,200 characters (issue 11); `REAL_LENGTH` draws each item's length from that
range. The same (n, size, seed) always yields the same items.

    python -m bench --only extraction --size 900     # the bench scenario, items of ~900 chars
    python -m bench.workload --size 1500 -n 3000     # items/s, median of 3 (no report)
    python -m bench.workload --size 900 -n 500 --jsonl > items.jsonl  # input for bot extract
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.models import Item

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "dev.jsonl"
REAL_LENGTH = (600, 1200)

_COMPANIES = (
    ("Arcellx", "ACLX", "anitocabtagene autoleucel", "BCMA", "multiple myeloma"),
    ("Kura Oncology", "KURA", "ziftomenib", "menin", "acute myeloid leukemia"),
    ("Mersana Therapeutics", "MRSN", "XMT-1660", "B7-H4", "breast cancer"),
    ("Cabaletta Bio", "CABA", "CABA-201", "CD19", "systemic lupus erythematosus"),
    ("Zymeworks", "ZYME", "zanidatamab", "HER2", "biliary tract cancer"),
    ("Nkarta", "NKTX", "NKX019", "CD19", "lupus nephritis"),
    ("Sutro Biopharma", "STRO", "luveltamab tazevibulin", "FRα", "ovarian cancer"),
    ("Beam Therapeutics", "BEAM", "BEAM-101", "HBG1/2", "sickle cell disease"),
)
_PIPELINE = (
    "{company} is advancing {drug} in a Phase 1/2 study in patients with {indication}.",
    "{drug} is designed to target {target}, which is expressed on tumour cells in a majority "
    "of patients with {indication}.",
    "The company expects to report initial dose-escalation data in the second half of the year.",
    "Enrollment in the dose-expansion cohorts is ongoing at sites in the United States and "
    "Europe.",
    "The study's primary endpoints are safety and tolerability, with overall response rate and "
    "duration of response as key secondary endpoints.",
    "As of the data cutoff, {count} patients had been dosed across four dose levels.",
    "{company} ended the quarter with cash, cash equivalents and marketable securities of "
    "${cash} million, which it expects to fund operations into 2027.",
    "{company} will host a conference call and live webcast at 8:00 a.m. ET today.",
    "A replay of the webcast will be available on the Investors section of the company's "
    "website for 30 days.",
)
_ABOUT = (
    "About {company}",
    "{company} (Nasdaq: {ticker}) is a clinical-stage biotechnology company committed to "
    "developing transformative medicines for patients with serious diseases.",
    "The company's pipeline includes {drug} and several preclinical programs.",
    "For more information, please visit the company's website and follow it on LinkedIn.",
)
_FORWARD_LOOKING = (
    "Forward-Looking Statements",
    "This press release contains forward-looking statements within the meaning of the Private "
    "Securities Litigation Reform Act of 1995, including statements regarding the timing of "
    "data readouts and the potential of {drug}.",
    "These statements are subject to risks and uncertainties, including the risk that the FDA "
    "or other regulators may place a clinical hold on our trials, delays in enrollment, and "
    "the sufficiency of our cash resources.",
    "Actual results may differ materially from those indicated by these forward-looking "
    "statements, and {company} undertakes no obligation to update them except as required by "
    "law.",
    "Investor Contact: investors@example.com",
)


def leads() -> tuple[list[dict[str, str]], str]:
    """(id, title, text) rows to start items from, and where they came from.

    The development corpus when it is there; otherwise the bench's own generated
    headlines and first sentences (bench/corpus.py), so the scenario still runs.
    """
    try:
        with DEV_CORPUS.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        if rows:
            return ([{"id": str(r.get("id", i)), "title": r.get("title") or "",
                      "text": r.get("text") or ""} for i, r in enumerate(rows)],
                    f"{DEV_CORPUS.relative_to(ROOT)} ({len(rows)} leads)")
    except (OSError, ValueError):
        pass
    from bench.corpus import Names, mixed_items

    generated = mixed_items(200, Names(50), random.Random(1))
    return ([{"id": i.key, "title": i.title, "text": i.text.split(". ")[0] + "."}
             for i in generated], "bench/corpus.py leads (dev corpus not found)")


def _pad(lead: str, size: int, rng: random.Random) -> str:
    """`lead` followed by release boilerplate until the text is about `size` characters."""
    company, ticker, drug, target, indication = rng.choice(_COMPANIES)
    values = {"company": company, "ticker": ticker, "drug": drug, "target": target,
              "indication": indication, "count": str(rng.randint(8, 90)),
              "cash": str(rng.randint(90, 600))}
    tail = [*rng.sample(_PIPELINE, len(_PIPELINE)), *_ABOUT, *_FORWARD_LOOKING]
    parts = [lead]
    length = len(lead)
    for sentence in tail:
        if length >= size:
            break
        text = sentence.format(**values)
        parts.append(text)
        length += len(text) + 1
    # Headings and contacts stand on their own line, as in a real release.
    return "".join(
        p if i == 0 else ("\n" if len(p) < 40 or len(parts[i - 1]) < 40 else " ") + p
        for i, p in enumerate(parts)
    )[: max(size, len(lead))]


def make_items(n: int, size: int | tuple[int, int] = REAL_LENGTH, seed: int = 0) -> list[Item]:
    """`n` items of about `size` characters (title + text; a (low, high) range draws each
    item's length from it), cycling the leads."""
    rng = random.Random(seed)
    rows, _ = leads()
    items = []
    for i in range(n):
        row = rows[i % len(rows)]
        goal = rng.randint(*size) if isinstance(size, tuple) else size
        title = row["title"]
        text = _pad(row["text"], max(0, goal - len(title)), rng)
        items.append(Item(source="workload", key=f"{row['id']}#{i}", title=title, text=text))
    return items


def average_chars(items: Sequence[Item]) -> float:
    return sum(len(i.title) + len(i.text) for i in items) / max(1, len(items))


def rate(items: Sequence[Item], runs: int = 3) -> float:
    """Median items per CPU second of `extract` over `runs` passes (lexicons warmed first)."""
    from bot.extract import AliasBook, extract

    book = AliasBook.default()
    extract(items[0], book)
    rates = []
    for _ in range(runs):
        start = time.thread_time()
        for item in items:
            extract(item, book)
        rates.append(len(items) / max(time.thread_time() - start, 1e-9))
    return statistics.median(rates)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workload", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=None,
                        help="characters per item (default: each drawn from 600–1,200)")
    parser.add_argument("-n", type=int, default=3000, help="items")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jsonl", action="store_true",
                        help="print the items as `python -m bot extract` input instead")
    args = parser.parse_args(argv)
    items = make_items(args.n, args.size or REAL_LENGTH, args.seed)
    if args.jsonl:
        for item in items:
            print(json.dumps({"id": item.key, "title": item.title, "text": item.text},
                             ensure_ascii=False))
        return 0
    from bench import speed

    loop = speed.measure()
    per_second = rate(items)
    print(f"{per_second:,.0f} items/s ({len(items)} items, {average_chars(items):,.0f} chars "
          f"avg); {loop.describe()}: {per_second * loop.factor:,.0f} items/s on the reference "
          "core", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
