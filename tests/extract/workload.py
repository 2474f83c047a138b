"""A realistic, deterministic extraction workload and a throughput measurement.

Items are the dev corpus's headlines and leads (events and negatives alike)
padded to a chosen size with the parts a real press release carries after its
news: pipeline and company boilerplate, an "About <Company>" paragraph,
investor contacts and a forward-looking-statements paragraph (which, as in
real releases, names clinical holds as a risk). The same (n, size, seed)
always yields the same items.

    python -m tests.extract.workload --size 1500 -n 3000   # items/s, median of 3
    python -m tests.extract.workload --size 1500 -n 3000 --jsonl > items.jsonl
    python -m tests.extract.workload --real tests/fixtures/heldout/items.jsonl ...

Every figure comes with a fixed Python loop timed in the same run (machine speed drifts).
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

DEV_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "dev.jsonl"

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


def _dev_items() -> list[dict[str, str]]:
    with DEV_CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


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


def make_items(n: int, size: int = 1500, seed: int = 0) -> list[Item]:
    """`n` items of about `size` characters (title + text), cycling the dev corpus."""
    rng = random.Random(seed)
    dev = _dev_items()
    items = []
    for i in range(n):
        row = dev[i % len(dev)]
        title = row["title"]
        text = _pad(row.get("text") or "", max(0, size - len(title)), rng)
        items.append(Item(source="workload", key=f"{row['id']}#{i}", title=title, text=text))
    return items


REFERENCE_LOOP = 2_000_000  # iterations of a fixed Python loop: the machine's speed


def reference_rate() -> float:
    """Millions of iterations per CPU second of a fixed Python loop (the same-run reference
    that makes a throughput comparable across machines and across a drifting machine)."""
    start = time.process_time()
    total = 0
    for i in range(REFERENCE_LOOP):
        total += i * i
    return REFERENCE_LOOP / 1e6 / max(time.process_time() - start, 1e-9)


def rate(items: Sequence[Item], runs: int = 3) -> float:
    """Median items per CPU second of `extract` over `runs` passes (lexicons warmed first)."""
    return measure(items, runs)[0]


def measure(items: Sequence[Item], runs: int = 5) -> tuple[float, float]:
    """(items per CPU second, reference Miter/s): medians over `runs` interleaved passes."""
    from bot.extract import extract
    from bot.extract.engine import default_book

    book = default_book()
    extract(items[0], book)
    rates, references = [], []
    for _ in range(runs):
        references.append(reference_rate())
        start = time.process_time()
        for item in items:
            extract(item, book)
        rates.append(len(items) / max(time.process_time() - start, 1e-9))
    return statistics.median(rates), statistics.median(references)


def real_items(paths: Sequence[Path], low: int, high: int) -> list[Item]:
    """Items of JSON-lines files whose title + text is `low`..`high` characters long."""
    items = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            title, text = row.get("title") or "", row.get("text") or ""
            if low <= len(title) + len(text) <= high:
                items.append(Item(source="real", key=str(row["id"]), title=title, text=text))
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.extract.workload", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1500, help="characters per item")
    parser.add_argument("-n", type=int, default=3000, help="items")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jsonl", action="store_true",
                        help="print the items as `python -m bot extract` input instead")
    parser.add_argument("--real", type=Path, nargs="+", metavar="FILE",
                        help="measure these JSON-lines items (600-1,200 characters) instead, "
                             "repeated to -n items")
    args = parser.parse_args(argv)
    if args.real:
        pool = real_items(args.real, 600, 1200)
        if not pool:
            parser.error("no item of 600-1,200 characters in the --real files")
        items = [pool[i % len(pool)] for i in range(args.n)]
        print(f"{len(pool)} distinct real items of 600-1,200 characters", file=sys.stderr)
    else:
        items = make_items(args.n, args.size, args.seed)
    if args.jsonl:
        for item in items:
            print(json.dumps({"id": item.key, "title": item.title, "text": item.text},
                             ensure_ascii=False))
        return 0
    avg = sum(len(i.title) + len(i.text.encode()) for i in items) / len(items)
    items_per_s, loop = measure(items)
    print(f"{items_per_s:,.0f} items/s ({len(items)} items, {avg:,.0f} bytes avg); "
          f"reference loop {loop:.1f} M iterations/s in the same run; "
          f"{items_per_s / loop:,.0f} items per M iterations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
