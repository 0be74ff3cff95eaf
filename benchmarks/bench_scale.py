"""Time of `extractor extract` against the size of the report: is it linear?

    python benchmarks/bench_scale.py [--sizes 1 5 25] [--target 50]

Builds one report of each size (MB of UTF-8) by joining the four sample reports over
and over (so the text has real headings, footnotes and numbers throughout), runs
``extractor extract REPORT -o facts.jsonl`` on it in a fresh process with the default
(rules) backend, and prints wall seconds, seconds per MB and the peak resident memory
of that process. ``--target N`` also runs N MB and checks it against the target of the
hardening issue: 50 MB in under 60 s on this machine (2 cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
TARGET_SECONDS = 60.0


def build_report(path: Path, megabytes: float) -> int:
    texts = [p.read_text("utf-8") for p in SAMPLES]
    target = int(megabytes * 1_000_000)
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        k = 0
        while size < target:
            text = texts[k % len(texts)] + "\n\n"
            fh.write(text)
            size += len(text.encode("utf-8"))
            k += 1
    return size


def run(report: Path, out: Path) -> tuple[float, int, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("OPENAI_API_KEY", None)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "extract", str(report), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"extract failed:\n{done.stdout}\n{done.stderr}")
    facts = next((line for line in done.stdout.splitlines() if line.startswith("wrote")), "")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 25])
    parser.add_argument("--target", type=float, help="also run this many MB against 60 s")
    args = parser.parse_args()
    sizes = sorted(args.sizes + ([args.target] if args.target else []))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'MB':>6} {'seconds':>8} {'s/MB':>6} {'peak RSS':>9}  facts")
        for mb in sizes:
            report = Path(tmp) / f"report-{mb:g}mb.txt"
            size = build_report(report, mb)
            seconds, peak_kib, facts = run(report, Path(tmp) / "facts.jsonl")
            print(
                f"{size / 1e6:6.1f} {seconds:8.1f} {seconds / (size / 1e6):6.2f} "
                f"{peak_kib / 1024:7.0f} MB  {facts.removeprefix('wrote ').split(' to ')[0]}"
            )
            if args.target and mb == args.target:
                verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
                print(f"target: {mb:g} MB in < {TARGET_SECONDS:.0f} s -> {verdict}")
            report.unlink()


if __name__ == "__main__":
    main()
