"""Score every extraction path against the hand-checked gold sections, side by side.

    python benchmarks/evaluate.py

Gold (tests/gold/): section II.1 of samples/lai-chau-2024-02.txt and section A.I.3 of
samples/lao-cai-2024-02.txt, two provinces' styles.

* rules: run live (deterministic, no LLM).
* LLM only: the local model extracts every indicator (LOCAL_BUDGET chunks).
* hybrid: the rules draft, the local model revises (HYBRID_BUDGET chunks).

Then the period and name gold on real passages of other provinces (tests/gold/periods/,
the table of benchmarks/periods.py): figures present, period accuracy strict and with
as_of/ytd merged, name overlap and catalog coverage per gold set (rules backend).

Both LLM paths are replayed from cassettes recorded against Qwen2.5-Coder-1.5B-Instruct
served by llama.cpp on this machine (tools/record_cassettes.py re-records them). Targets
(issue 13), per section: hybrid value recall equal to the rules'; period accuracy and
name overlap at least the better of rules and LLM only; name overlap at least the
rules' + 0.10.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.periods import main as periods_table  # noqa: E402
from extractor.extraction.pipeline import ExtractionRun, extract_document  # noqa: E402
from extractor.extraction.rules_backend import RulesBackend  # noqa: E402
from extractor.tokens import count_tokens  # noqa: E402
from tests import scenarios  # noqa: E402
from tests.cassettes import CASSETTES, make_vcr  # noqa: E402
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


def notes(run: ExtractionRun, section_tokens: int) -> str:
    u = run.usage
    ratio = u.input_tokens / section_tokens if section_tokens else 0.0
    text = (
        f"{len(run.outcomes)} chunks, {run.count('failed')} failed, {u.calls} calls, "
        f"{u.input_tokens:,} prompt tokens ({ratio:.1f}x the section's), "
        f"{u.output_tokens:,} out"
    )
    kept = sum(1 for o in run.outcomes if o.llm_failed)
    if kept:
        text += f", {kept} answer(s) failed (draft kept)"
    return text


def replay(section: scenarios.GoldSection, hybrid: bool) -> ExtractionRun | None:
    cassette = section.hybrid_cassette if hybrid else section.llm_cassette
    if not (CASSETTES / cassette).exists():
        print(f"  (no cassette {cassette}: record it with tools/record_cassettes.py)")
        return None
    doc = section.document()
    if hybrid:
        backend, budget = scenarios.hybrid_backend(), scenarios.HYBRID_BUDGET
    else:
        backend, budget = scenarios.local_backend(), scenarios.LOCAL_BUDGET
    with make_vcr("none").use_cassette(cassette):
        return extract_document(doc, backend, chunks=section.chunks(doc, budget))


def main() -> None:
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures are listed below
    for section in scenarios.GOLD_SECTIONS:
        doc = section.document()
        gold = load_gold(section.gold_file, doc)
        node = section.node(doc)
        tokens = count_tokens(doc.text[node.start : node.end])
        print(f"\n{section.name}: {len(gold.values)} gold values, {tokens:,} tokens")
        print("| path | " + " | ".join(COLUMNS) + " | notes |")
        print("|---" * (len(COLUMNS) + 2) + "|")
        rules = extract_document(doc, RulesBackend(budget=scenarios.HYBRID_BUDGET))
        print(row("rules", score(gold, rules.facts)))
        for label, hybrid in (("LLM only", False), ("hybrid", True)):
            run = replay(section, hybrid)
            if run is None:
                continue
            print(row(f"{label} (replayed)", score(gold, run.facts), notes(run, tokens)))
            for outcome in run.outcomes:
                if outcome.status == "failed" or outcome.llm_failed:
                    print(f"  {outcome.chunk.id}: {outcome.reason or outcome.llm_failed}")


if __name__ == "__main__":
    main()
    print("\nreal passages of other provinces (rules; python benchmarks/periods.py --misses):")
    periods_table([])
