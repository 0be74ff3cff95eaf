"""CPU time of the deterministic core over the four sample reports.

    python benchmarks/bench_core.py [--repeat 5]

Measures load + clean + sections + metadata + quantities + chunks (1200-token budget)
for all four samples together, with process CPU time, best of N runs. The one-time
tokenizer load (parsing the shipped o200k_base file) is reported separately: it is paid
once per process, not per report. Target (issue 2): under 1 s for the four samples.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extractor import analyse, make_chunks
from extractor.tokens import encoding

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.process_time()
    encoding()
    tokenizer = time.process_time() - t0

    size = sum(p.stat().st_size for p in SAMPLES)
    runs = []
    counts = (0, 0, 0)
    for _ in range(args.repeat):
        t0 = time.process_time()
        quantities = sections = chunks = 0
        for path in SAMPLES:
            doc = analyse(path)
            quantities += len(doc.quantities)
            sections += len(doc.sections())
            chunks += len(make_chunks(doc))
        runs.append(time.process_time() - t0)
        counts = (sections, quantities, chunks)
    print(f"samples: {len(SAMPLES)} files, {size / 1024:.0f} KiB")
    print(f"sections: {counts[0]}, quantities: {counts[1]}, chunks: {counts[2]}")
    print(f"tokenizer load (once per process): {tokenizer:.3f} s CPU")
    print(
        f"pipeline, best of {args.repeat}: {min(runs):.3f} s CPU "
        f"(median {sorted(runs)[len(runs) // 2]:.3f} s)"
    )
    print(f"target: < 1.000 s -> {'met' if min(runs) < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
