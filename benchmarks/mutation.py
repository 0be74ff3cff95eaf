"""Mutation test: plant typing errors in relations the validators check, count catches.

    python benchmarks/mutation.py [--all-transpositions]

For every relation that passes on an unmodified sample report (parts = total, a
fraction and its percentage, value / plan, a change against a printed reference,
previous month derived from ytd, ytd = previous month + month, shares = 100), every
number in it gets one planted error: two adjacent, different digits swapped, the
rightmost such pair by default (the smallest change: "349.090" -> "349.009" moves the
value by 0.02%). The mutated report is extracted again with the rules backend and
validated. Each planted error is then

* caught: the relation (same rule, same numbers) now fails;
* within precision: the relation still holds within the rounding of its printed
  numbers (e.g. "594/5.791 tỷ đồng, bằng 10%" with 5.791 -> 5.719: 10,39% still prints
  as 10%): no arithmetic check can see it;
* missed: the relation disappeared or passed although it is off by more than its
  printed precision. Target: none missed.

Inequality relations (a partial breakdown: parts <= total) are counted apart: a smaller
part keeps them true. The unmodified reports must raise exactly the known failures.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import Document, analyse, analyse_bytes  # noqa: E402
from extractor.extraction.backend import RulesBackend  # noqa: E402
from extractor.extraction.runner import extract_document  # noqa: E402
from extractor.numbers import NUMBER_TOKEN  # noqa: E402
from extractor.validation import Finding, validate  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
EQUALITY_RULES = {
    "parts_sum",
    "fraction_percent",
    "plan_share",
    "change_vs_reference",
    "ratio_previous_month",
    "ytd_sum",
    "shares_sum_100",
}


@dataclass
class Outcome:
    sample: str
    rule: str
    original: str
    mutated: str
    result: str  # caught, within_precision, missed, inequality_kept, inequality_caught


def findings_for(doc: Document) -> list[Finding]:
    run = extract_document(doc, RulesBackend())
    return validate(run.facts, across=False)


def transpositions(token: str, all_pairs: bool) -> list[str]:
    digits = [i for i, c in enumerate(token) if c.isdigit()]
    out = []
    for a, b in reversed(list(itertools.pairwise(digits))):
        if token[a] != token[b]:
            chars = list(token)
            chars[a], chars[b] = chars[b], chars[a]
            out.append("".join(chars))
            if not all_pairs:
                break
    return out


def _key(f: Finding) -> tuple[str, tuple[int, ...]]:
    return f.rule, tuple(sorted(x.start for x in f.facts))


def is_partial(f: Finding) -> bool:
    return f.rule == "parts_sum" and "<=" in f.message_en


def mutate_sample(
    path: Path, all_pairs: bool = False, limit: int | None = None
) -> tuple[list[Outcome], list[Finding]]:
    doc = analyse(path)
    base = findings_for(doc)
    source = doc.source.text
    outcomes: list[Outcome] = []
    relations = [f for f in base if f.status == "pass" and f.rule in EQUALITY_RULES]
    for finding in relations[:limit]:
        for item in finding.facts:
            start, end = doc.clean.source_span(item.start, item.end)  # NFC offsets
            m = re.search(NUMBER_TOKEN, source[start:end])
            if m is None:
                continue
            token = m.group()
            for mutated in transpositions(token, all_pairs):
                at = start + m.start()
                text = source[:at] + mutated + source[at + len(token) :]
                mdoc = analyse_bytes(text.encode("utf-8"), path.name)
                after = {_key(f): f for f in findings_for(mdoc)}
                same = after.get(_key(finding))
                partial = is_partial(finding)
                if same is not None and same.status == "fail":
                    result = "inequality_caught" if partial else "caught"
                elif partial:
                    result = "inequality_kept"
                elif same is not None and same.status == "pass":
                    result = "within_precision"
                else:
                    result = "missed"
                outcomes.append(Outcome(path.stem, finding.rule, token, mutated, result))
    return outcomes, [f for f in base if f.status == "fail"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--all-transpositions",
        action="store_true",
        help="every adjacent pair of different digits, not only the last",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    outcomes: list[Outcome] = []
    for path in SAMPLES:
        found, base_fails = mutate_sample(path, args.all_transpositions)
        outcomes.extend(found)
        print(
            f"{path.stem}: {len(found)} planted errors; unmodified report fails "
            f"{len(base_fails)} check(s): "
            + "; ".join(f"{f.rule} {f.facts[0]['text']}" for f in base_fails)
        )
    counts = Counter(o.result for o in outcomes)
    equality = counts["caught"] + counts["within_precision"] + counts["missed"]
    detectable = counts["caught"] + counts["missed"]
    print(f"\nequality relations: {equality} planted errors")
    print(f"  caught: {counts['caught']}")
    print(f"  within printed precision (undetectable): {counts['within_precision']}")
    print(f"  missed: {counts['missed']}")
    rate = counts["caught"] / detectable if detectable else 1.0
    print(f"  catch rate of detectable errors: {rate:.1%} (target 100%)")
    print(
        f"inequality relations (partial breakdowns): caught {counts['inequality_caught']}, "
        f"still true {counts['inequality_kept']}"
    )
    by_rule = Counter((o.rule, o.result) for o in outcomes)
    for (rule, result), n in sorted(by_rule.items()):
        print(f"  {rule:22} {result:18} {n}")
    for o in outcomes:
        if o.result == "missed":
            print(f"  MISSED {o.sample} {o.rule}: {o.original} -> {o.mutated}")
    print(f"time: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
