"""Time to validate 10,000 facts: their reports' relations, and the facts across reports.

    python benchmarks/bench_validation.py [--facts 10000]

The facts (and the relations) are the rules backend's output for the four samples,
copied into as many synthetic monthly reports (same provinces, consecutive months over
several years) as it takes to reach the count, so every rule, the across-report ones
included, has work. Wall time, best of 3. Target (issue 4): under 1 second for 10,000
facts.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from extractor import analyse
from extractor.extraction.pipeline import extract_document
from extractor.extraction.rules_backend import RulesBackend
from extractor.records import Fact
from extractor.relations import Gap, Relation
from extractor.validation import validate

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


def corpus(n: int) -> tuple[list[Fact], list[Relation], list[Gap]]:
    runs = [extract_document(analyse(p), RulesBackend()) for p in SAMPLES]
    base = [run.facts for run in runs]
    out: list[Fact] = []
    relations: list[Relation] = []
    gaps: list[Gap] = []
    copy = 0
    while len(out) < n:
        for run in runs:
            relations.extend(replace(r, id=f"{copy}:{r.id}") for r in run.relations)
            gaps.extend(run.gaps)
        for facts in base:
            year, month = 2015 + copy // 12, copy % 12 + 1
            for f in facts:
                out.append(
                    replace(
                        f,
                        id=f"{copy}:{f.id}",
                        doc_sha256=f"{copy}:{f.doc_sha256}",
                        report_period=f"{year}-{month:02d}",
                        parent=f"{copy}:{f.parent}" if f.parent else None,
                    )
                )
        copy += 1
    return out[:n], relations, gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    args = parser.parse_args()
    facts, relations, gaps = corpus(args.facts)
    reports = len({f.doc_sha256 for f in facts})
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        findings = validate(relations, gaps, facts=facts)
        times.append(time.perf_counter() - t0)
    by_status = {s: sum(1 for f in findings if f.status == s) for s in ("pass", "fail", "skipped")}
    print(
        f"{len(facts):,} facts and {len(relations):,} relations in {reports} reports -> "
        f"{len(findings):,} findings {by_status}"
    )
    print(f"validate, best of 3: {min(times):.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
