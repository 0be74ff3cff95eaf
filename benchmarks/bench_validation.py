"""Time to validate 10,000 facts (within each report and across reports).

    python benchmarks/bench_validation.py [--facts 10000]

The facts are the rules backend's output for the four samples, copied into as many
synthetic monthly reports (same provinces, consecutive months over several years) as
it takes to reach the count, so every rule, the across-report ones included, has work.
Wall time, best of 3. Target (issue 4): under 1 second for 10,000 facts.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from extractor import analyse
from extractor.extraction.backend import RulesBackend
from extractor.extraction.facts import Fact
from extractor.extraction.runner import extract_document
from extractor.validation import validate

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


def corpus(n: int) -> list[Fact]:
    base = [extract_document(analyse(p), RulesBackend()).facts for p in SAMPLES]
    out: list[Fact] = []
    copy = 0
    while len(out) < n:
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
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    args = parser.parse_args()
    facts = corpus(args.facts)
    reports = len({f.doc_sha256 for f in facts})
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        findings = validate(facts)
        times.append(time.perf_counter() - t0)
    by_status = {s: sum(1 for f in findings if f.status == s) for s in ("pass", "fail", "skipped")}
    print(f"{len(facts):,} facts in {reports} reports -> {len(findings):,} findings {by_status}")
    print(f"validate, best of 3: {min(times):.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
