"""Mutation test: plant typing errors in the relations a report states, count catches.

    python benchmarks/mutation.py [--all-transpositions]

For every equality relation that holds on an unmodified sample report (a complete
breakdown or year to date, shares of 100, a ratio or a change against a printed
reference), every number in it gets one planted error: two adjacent, different digits
swapped, the rightmost such pair by default (the smallest change: "349.090" ->
"349.009" moves the value by 0.02%). The mutated report is analysed again, its
relations found and checked. Each planted error is then

* caught: the relation (same kind, same numbers) now fails;
* within precision: the relation still holds within the rounding of its printed
  numbers (e.g. "594/5.791 tỷ đồng, bằng 10%" with 5.791 -> 5.719: 10,39% still prints
  as 10%): no arithmetic check can see it;
* missed: the relation is no longer found. Target: none missed.

Inequality relations (a partial breakdown: parts <= total; a year to date at least its
month) are counted apart: a smaller part keeps them true. The unmodified reports must
raise exactly the known failures.
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
from extractor.numbers import NUMBER_TOKEN  # noqa: E402
from extractor.relations import Relation, find_relations  # noqa: E402
from extractor.validation import Finding, check_relation  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


@dataclass
class Outcome:
    sample: str
    kind: str
    original: str
    mutated: str
    result: str  # caught, within_precision, missed, inequality_kept, inequality_caught


def checked(doc: Document) -> list[tuple[Relation, Finding]]:
    return [(r, check_relation(r)) for r in find_relations(doc).relations]


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


def _key(r: Relation) -> tuple[str, tuple[tuple[str, int], ...]]:
    return r.kind, tuple(sorted((o.role, o.start) for o in r.operands))


def is_inequality(r: Relation) -> bool:
    return r.kind in ("sum", "ytd") and not r.complete


def mutate_sample(
    path: Path, all_pairs: bool = False, limit: int | None = None
) -> tuple[list[Outcome], list[Finding]]:
    doc = analyse(path)
    base = checked(doc)
    source = doc.source.text
    outcomes: list[Outcome] = []
    holding = [r for r, f in base if f.status == "pass"]
    for relation in holding[:limit]:
        for op in {(o.start, o.end): o for o in relation.operands}.values():
            start, end = doc.clean.source_span(op.start, op.end)  # NFC offsets
            m = re.search(NUMBER_TOKEN, source[start:end])
            if m is None:
                continue
            token = m.group()
            for mutated in transpositions(token, all_pairs):
                at = start + m.start()
                text = source[:at] + mutated + source[at + len(token) :]
                mdoc = analyse_bytes(text.encode("utf-8"), path.name)
                after = {_key(r): f for r, f in checked(mdoc)}
                same = after.get(_key(relation))
                inequality = is_inequality(relation)
                if same is not None and same.status == "fail":
                    result = "inequality_caught" if inequality else "caught"
                elif inequality:
                    result = "inequality_kept"
                elif same is not None and same.status == "pass":
                    result = "within_precision"
                else:
                    result = "missed"
                outcomes.append(Outcome(path.stem, relation.kind, token, mutated, result))
    return outcomes, [f for _, f in base if f.status == "fail"]


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
            + "; ".join(f"{f.rule} {f.facts[0].text}" for f in base_fails)
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
        f"inequality relations (partial lists, ytd >= month): caught "
        f"{counts['inequality_caught']}, "
        f"still true {counts['inequality_kept']}"
    )
    by_kind = Counter((o.kind, o.result) for o in outcomes)
    for (kind, result), n in sorted(by_kind.items()):
        print(f"  {kind:8} {result:18} {n}")
    for o in outcomes:
        if o.result == "missed":
            print(f"  MISSED {o.sample} {o.kind}: {o.original} -> {o.mutated}")
    print(f"time: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
