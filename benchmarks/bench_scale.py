"""Time and memory of `extractor extract` and `extractor batch` against the size of the
report: are they linear, and does a batch cost what extract costs plus its store?

    python benchmarks/bench_scale.py [--sizes 1 5 20] [--target 50] [--no-batch]

Builds one report of each size (MB of UTF-8) by joining the four sample reports over
and over (so the text has real headings, footnotes and numbers throughout), runs
``extractor extract REPORT -o facts.jsonl`` and ``extractor batch REPORT -o RUN`` on it,
each in a fresh process with the default (rules) backend, and prints wall seconds,
seconds per MB and the peak resident memory of the largest process (a batch's analysis
runs in worker processes: the largest of them all counts). ``--target N`` also runs N
MB of extract against the target of the hardening issue: 50 MB in under 60 s on this
machine (2 cores). Issue 20's target: at 20 MB, batch within 1.3x extract's time and
peak memory.
"""

from __future__ import annotations

import argparse
import os
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


# runs one command and prints the peak RSS (KiB) of the largest process it started
_MEASURE = (
    "import resource, subprocess, sys; "
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr); "
    "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def run(argv: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) of the largest process, and the command's output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("OPENAI_API_KEY", None)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "extractor.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}")
    peak = next(line for line in done.stderr.splitlines() if line.startswith("PEAK"))
    return seconds, int(peak.split()[1]), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20])
    parser.add_argument("--target", type=float, help="also run this many MB against 60 s")
    parser.add_argument("--no-batch", action="store_true", help="extract only")
    args = parser.parse_args()
    sizes = sorted(args.sizes + ([args.target] if args.target else []))
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"{'MB':>6} {'command':>8} {'seconds':>8} {'s/MB':>6} {'peak RSS':>9}  {'x extract':>9}"
        )
        for mb in sizes:
            report = Path(tmp) / f"report-{mb:g}mb.txt"
            size = build_report(report, mb) / 1e6
            seconds, peak, _ = run(["extract", str(report), "-o", str(Path(tmp) / "f.jsonl")])
            per_mb = seconds / size
            print(f"{size:6.1f} {'extract':>8} {seconds:8.1f} {per_mb:6.2f} {peak / 1024:7.0f} MB")
            if not args.no_batch and mb != args.target:
                run_dir = Path(tmp) / f"run-{mb:g}"
                b_seconds, b_peak, _ = run(["batch", str(report), "-o", str(run_dir), "--quiet"])
                print(
                    f"{size:6.1f} {'batch':>8} {b_seconds:8.1f} {b_seconds / size:6.2f} "
                    f"{b_peak / 1024:7.0f} MB  {b_seconds / seconds:4.2f}x / {b_peak / peak:4.2f}x"
                )
            if args.target and mb == args.target:
                verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
                print(f"target: {mb:g} MB in < {TARGET_SECONDS:.0f} s -> {verdict}")
            report.unlink()


if __name__ == "__main__":
    main()
