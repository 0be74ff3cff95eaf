"""Tokens sent to an LLM for a whole report, divided by the report's own tokens.

    python benchmarks/token_ratio.py [REPORT]

Counts, with o200k_base, the system prompt plus the user message of every chunk that
has numbers (what an LLM backend sends; chunks without numbers are not sent), for the
largest sample by default, at the OpenAI-backend and local-backend chunk budgets.
Target (issue 3): <= 1.5 for the largest sample with the default LLM budget.

The hybrid rows count each request as the hybrid backend sends it (the refine prompt,
the chunk with its rules draft, the chat framing and, to a hosted model, the answer
schema as a tool); chunks where the rules found no value are not sent. Targets (issue
13): <= 2.5 with the local budget, <= 1.3 with the hosted default budget.
"""

from __future__ import annotations

import sys
from pathlib import Path

from extractor import analyse, count_tokens, make_chunks
from extractor.backends import (
    HYBRID_BUDGET,
    HYBRID_LOCAL_BUDGET,
    LLM_BUDGET,
    LOCAL_BUDGET,
    HybridBackend,
)
from extractor.catalog import load_catalog
from extractor.extraction.prompting import chunk_message, load_prompts, load_refine_prompts
from extractor.providers.client import LLMClient
from extractor.providers.settings import LLMSettings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else max(SAMPLES.glob("*.txt"), key=lambda p: p.stat().st_size)
    )
    doc = analyse(path)
    own = count_tokens(doc.source.text)
    prompts = load_prompts()
    catalog = load_catalog()
    system = count_tokens(prompts.system)
    print(f"report: {path.name}, {own:,} tokens; system prompt {system:,} tokens")
    for label, budget in (("openai/default", LLM_BUDGET), ("local", LOCAL_BUDGET)):
        chunks = [c for c in make_chunks(doc, budget) if c.quantity_ids]
        sent = sum(system + count_tokens(chunk_message(doc, c, catalog)[0]) for c in chunks)
        print(
            f"{label:15} budget {budget:5}: {len(chunks):3} calls, {sent:,} tokens sent, "
            f"ratio {sent / own:.2f}"
        )
    refine = count_tokens(load_refine_prompts().system)
    print(f"hybrid: refine prompt {refine:,} tokens")
    for label, budget, llamacpp in (
        ("hybrid/hosted", HYBRID_BUDGET, False),
        ("hybrid/local", HYBRID_LOCAL_BUDGET, True),
    ):
        settings = LLMSettings(
            model="counting-only",
            base_url="http://127.0.0.1:9/v1",
            api_key="not-sent",
            llamacpp=llamacpp,
        )
        backend = HybridBackend(LLMClient(settings, cache=None), budget)
        counts = [backend.prompt_tokens(doc, c) for c in make_chunks(doc, budget)]
        sent = sum(counts)
        calls = sum(1 for n in counts if n)
        print(
            f"{label:15} budget {budget:5}: {calls:3} calls, {sent:,} tokens sent, "
            f"ratio {sent / own:.2f}"
        )


if __name__ == "__main__":
    main()
