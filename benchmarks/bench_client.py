"""CPU per chunk on the caller's side of an LLM call, and the request schema's share.

    python benchmarks/bench_client.py [--rounds 3]

Every LLM chunk of the four samples (budget 3000, as in a batch) is extracted through
the openai backend against an OpenAI-compatible server on 127.0.0.1 that answers at
once (tests/openai_double.py, EchoOpenAIServer). The CPU time of the calling thread
(``time.thread_time``) counts what extractor, instructor, the openai SDK and pydantic
spend per chunk: prompt, request schema, request, parsing and validation. The server
runs in other threads and is not counted. In a batch this cost is paid by one process
for every chunk, so it bounds how many calls one process keeps in flight.

Also timed alone: building a chunk's narrowed request schema (``narrowed_model`` and
its ``model_json_schema()``), which instructor asks for on every call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import analyse  # noqa: E402
from extractor.backends import BackendOptions, open_backend  # noqa: E402
from extractor.catalog import load_catalog  # noqa: E402
from extractor.chunking import make_chunks  # noqa: E402
from extractor.extraction.prompting import chunk_message  # noqa: E402
from extractor.schema import narrowed_model  # noqa: E402
from tests.openai_double import EchoOpenAIServer  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
BUDGET = 3000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog()
    work = []
    for path in SAMPLES:
        doc = analyse(path)
        work += [(doc, c) for c in make_chunks(doc, BUDGET) if c.quantity_ids]
    messages = [chunk_message(doc, chunk, catalog)[1] for doc, chunk in work]

    schema_ms = []
    for _ in range(args.rounds):
        t0 = time.thread_time()
        for quantities in messages:
            narrowed_model(quantities, catalog).model_json_schema()
        schema_ms.append((time.thread_time() - t0) * 1000 / len(messages))
    print(f"chunks: {len(work)} with numbers, from {len(SAMPLES)} samples (budget {BUDGET})")
    print(f"request schema (narrowed_model + model_json_schema): {min(schema_ms):.2f} ms a chunk")

    with EchoOpenAIServer() as server:
        for mode in ("json_schema", "tools"):
            options = BackendOptions(
                kind="openai",
                base_url=server.base_url,
                model="bench",
                mode=mode,
                use_cache=False,
                budget=BUDGET,
            )
            with open_backend(options) as backend:
                backend.extract(*work[0])  # builds the client, warms lazy paths
                per_round = []
                for _ in range(args.rounds):
                    t0 = time.thread_time()
                    for doc, chunk in work:
                        backend.extract(doc, chunk)
                    per_round.append((time.thread_time() - t0) * 1000 / len(work))
            print(
                f"{mode}: {min(per_round):.2f} ms CPU a chunk in the calling thread "
                f"(best of {args.rounds}; median {statistics.median(per_round):.2f})"
            )


if __name__ == "__main__":
    main()
