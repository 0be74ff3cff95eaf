"""Batch load: 1,000 chunks at concurrency 32 against a slow OpenAI-compatible server.

    python benchmarks/bench_batch.py [--chunks 1000] [--concurrency 32] [--delay 1.0]

An OpenAI-compatible HTTP server on 127.0.0.1 (tests/openai_double.py, EchoOpenAIServer)
answers every chat completion after ``--delay`` seconds with a schema-valid extraction
built from the request (recorded responses are chunk-specific, so it answers each chunk
for itself). The archive is copies of the four samples, each copy a different file
(distinct bytes and path), until the chunks to send reach ``--chunks``; it is
zipped, so reading an archive is part of the run.

``extractor batch`` runs as a subprocess, exactly as a user would run it, with the
on-disk HTTP cache off so that the second run's "zero calls" comes from the run store.

Targets (issue 5): wall time within 1.15x of chunks x delay / concurrency; peak RSS of
the batch process under 500 MB; a second run makes zero calls in under 10% of the
first run's time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.openai_double import EchoOpenAIServer  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CHUNKS_PER_SET = 22  # LLM chunks (budget 3000) of the four samples; checked by --dry-run


def build_archive(folder: Path, chunks: int) -> Path:
    sets = -(-chunks // CHUNKS_PER_SET)
    archive = folder / "reports.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for copy in range(sets):
            for sample in SAMPLES:
                text = sample.read_text("utf-8") + "\n" * (copy + 1)  # distinct bytes
                zf.writestr(f"set{copy:03d}/{sample.stem}.txt", text)
    return archive


def batch(server: EchoOpenAIServer, archive: Path, run_dir: Path, *extra: str) -> tuple[float, str]:
    cmd = [
        sys.executable,
        "-m",
        "extractor.cli",
        "batch",
        str(archive),
        "-o",
        str(run_dir),
        "--base-url",
        server.base_url,
        "--model",
        "bench",
        "--mode",
        "json_schema",
        "--no-cache",
        *extra,
    ]
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = str(ROOT)
    t0 = time.perf_counter()
    start = time.monotonic()
    seen = len(server.arrivals)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    arrivals = server.arrivals[seen:]
    timeline = (
        f"; requests from {arrivals[0] - start:.1f} s to {arrivals[-1] - start:.1f} s"
        if arrivals
        else ""
    )
    print(f"  {' '.join(extra)}: {seconds:.1f} s wall, {cpu:.1f} s CPU{timeline}", file=sys.stderr)
    if done.returncode != 0:
        raise SystemExit(f"batch failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EchoOpenAIServer(delay=args.delay) as server:
        folder = Path(tmp)
        archive = build_archive(folder, args.chunks)
        run_dir = folder / "run"
        _, plan = batch(server, archive, folder / "dry", "--dry-run", "--quiet")
        first, _ = batch(
            server, archive, run_dir, "--concurrency", str(args.concurrency), "--quiet"
        )
        sent = server.count
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        second, _ = batch(
            server, archive, run_dir, "--concurrency", str(args.concurrency), "--quiet"
        )
        resent = server.count - sent
        with sqlite3.connect(run_dir / "run.sqlite") as db:
            recorded = db.execute("SELECT COALESCE(SUM(calls), 0) FROM calls").fetchone()[0]
    ideal = sent * args.delay / args.concurrency
    print(plan.strip())
    print(f"chunks sent: {sent:,} at concurrency {args.concurrency}, server delay {args.delay} s")
    print(f"calls recorded in the run store: {recorded:,} (the server answered {sent:,})")
    print(
        f"first run: {first:.1f} s; ideal {ideal:.1f} s; ratio {first / ideal:.3f} (target <= 1.15)"
    )
    print(f"peak RSS of the batch process: {peak_mb:.0f} MB (target < 500 MB)")
    print(
        f"second run: {resent} calls, {second:.2f} s = {second / first:.1%} of the first "
        "(target 0 calls, < 10%)"
    )


if __name__ == "__main__":
    main()
