"""Score each backend against the hand-checked gold annotation of section II.1 of
samples/lai-chau-2024-02.txt (tests/gold/lai-chau-2024-02_II-1.yaml).

    python benchmarks/evaluate.py

* rules: run live (deterministic, no LLM).
* local: the local model's answers replayed from cassettes/local_gold_section.yaml,
  recorded against Qwen2.5-Coder-1.5B-Instruct served by llama.cpp on this machine
  (tools/record_cassettes.py re-records them).

Targets (issue 3) for the rules backend: value recall >= 0.90, period accuracy >= 0.85.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.extraction.backend import RulesBackend  # noqa: E402
from extractor.extraction.runner import extract_document  # noqa: E402
from tests import scenarios  # noqa: E402
from tests.cassettes import make_vcr  # noqa: E402
from tests.evaluation import Scores, load_gold, score  # noqa: E402

COLUMNS = (
    "value_recall",
    "precision",
    "period_accuracy",
    "comparison_accuracy",
    "code_accuracy",
    "parent_accuracy",
    "name_overlap",
)


def row(name: str, s: Scores, extra: str = "") -> str:
    d = s.as_dict()
    return f"| {name} | " + " | ".join(f"{d[c]:.3f}" for c in COLUMNS) + f" | {extra} |"


def main() -> None:
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures are listed below
    doc = scenarios.gold_document()
    gold = load_gold(scenarios.GOLD_FILE, doc)
    print(f"gold: {len(gold.values)} values in section II.1 of {doc.name}")
    print("| backend | " + " | ".join(COLUMNS) + " | notes |")
    print("|---" * (len(COLUMNS) + 2) + "|")

    rules = extract_document(doc, RulesBackend())
    print(row("rules", score(gold, rules.facts), f"{len(rules.facts)} facts in the report"))

    chunks = scenarios.gold_chunks(doc)
    with make_vcr("none").use_cassette("local_gold_section.yaml"):
        local = extract_document(doc, scenarios.local_backend(), chunks=chunks)
    notes = (
        f"{len(chunks)} chunks, {local.count('failed')} failed, {local.usage.calls} calls, "
        f"{local.usage.input_tokens:,} in / {local.usage.output_tokens:,} out tokens"
    )
    print(row(f"local ({scenarios.MODEL}, replayed)", score(gold, local.facts), notes))
    for outcome in local.failed:
        print(f"  failed {outcome.chunk.id}: {outcome.reason}")


if __name__ == "__main__":
    main()
