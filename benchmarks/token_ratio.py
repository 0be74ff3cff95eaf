"""Tokens sent to an LLM for a whole report, divided by the report's own tokens.

    python benchmarks/token_ratio.py [REPORT]

Counts, with o200k_base, the system prompt plus the user message of every chunk that
has numbers (what an LLM backend sends; chunks without numbers are not sent), for the
largest sample by default, at the OpenAI-backend and local-backend chunk budgets.
Target (issue 3): <= 1.5 for the largest sample with the default LLM budget.
"""

from __future__ import annotations

import sys
from pathlib import Path

from extractor import analyse, count_tokens, make_chunks
from extractor.backends import LLM_BUDGET, LOCAL_BUDGET
from extractor.catalog import load_catalog
from extractor.extraction.prompting import chunk_message, load_prompts

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


if __name__ == "__main__":
    main()
