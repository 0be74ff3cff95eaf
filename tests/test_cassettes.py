"""Replays of calls recorded against the real local model (tools/record_cassettes.py).

Record mode is "none": a request missing from its cassette fails without touching a
network, and a test that leaves part of its cassette unplayed fails too, so a changed
prompt or schema cannot hide behind a stale recording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from extractor.extraction.pipeline import extract_document
from extractor.extraction.usage import CallFailed
from tests.cassettes import CASSETTES, make_vcr
from tests.evaluation import load_gold, score

from . import scenarios


@contextmanager
def replay(name: str) -> Iterator[object]:
    path = CASSETTES / name
    assert path.exists(), f"{name} missing: run python tools/record_cassettes.py"
    with make_vcr("none").use_cassette(name) as cassette:
        yield cassette
    unplayed = len(cassette.data) - cassette.play_count
    assert unplayed == 0, f"{name}: {unplayed} recorded interaction(s) were not used"


def test_gold_section_replays_end_to_end() -> None:
    doc = scenarios.gold_document()
    chunks = scenarios.gold_chunks(doc)
    sections = {c.section.label for c in chunks}
    assert len(chunks) >= 3 and len(sections) >= 3  # several chunks of different sections
    with replay("local_gold_section.yaml"):
        run = extract_document(doc, scenarios.local_backend(), chunks=chunks)
    assert run.count("extracted") + run.count("failed") == len(chunks)
    assert run.count("extracted") >= 3
    assert run.usage.calls >= len(chunks) and run.usage.input_tokens > 0
    for fact in run.facts:  # every value is grounded in its exact characters
        assert doc.text[fact.start : fact.end] == fact.text
        assert fact.quantity_id in {q for c in chunks for q in c.quantity_ids}
    s = score(load_gold(scenarios.GOLD_FILE, doc), run.facts)
    assert s.found > 0


def test_recorded_requests_use_llamacpp_schema_shape() -> None:
    data = yaml.safe_load((CASSETTES / "local_gold_section.yaml").read_text(encoding="utf-8"))
    bodies = [i["request"]["body"]["json"] for i in data["interactions"]]
    assert bodies
    for body in bodies:
        fmt = body["response_format"]
        assert fmt["type"] == "json_object" and "indicators" in fmt["schema"]["properties"]
        assert body["temperature"] == 0 and body["max_tokens"] == 1536
        assert body["model"] == scenarios.MODEL


def test_reask_replays() -> None:
    doc = scenarios.gold_document()
    chunk = scenarios.reask_chunk(doc)
    with replay("local_reask.yaml"):
        backend = scenarios.local_backend(reasks=scenarios.REASKS)
        try:
            result, usage = backend.extract(doc, chunk)
            assert usage.calls >= 2  # the first answer was invalid and was re-asked
            assert result.indicators
        except CallFailed as exc:  # or it failed cleanly after the re-asks
            assert exc.usage.calls == scenarios.REASKS + 1


def test_transport_error_is_retried() -> None:
    doc = scenarios.gold_document()
    sleeps: list[float] = []
    with replay("local_transport_retry.yaml"):
        backend = scenarios.local_backend(port=scenarios.FLAKY_PORT, sleep=sleeps.append)
        _result, usage = backend.extract(doc, scenarios.retry_chunk(doc))
    assert backend.client.transport.retries == 1
    assert sleeps == [1.0]  # the recorded 503 said Retry-After: 1
    assert usage.calls == 1


def test_unrecorded_request_fails_instead_of_reaching_a_network() -> None:
    doc = scenarios.gold_document()
    # a request to the llama.cpp port with a chunk this cassette never saw
    backend = scenarios.local_backend(port=scenarios.LOCAL_PORT)
    with (
        make_vcr("none").use_cassette("local_transport_retry.yaml"),
        pytest.raises(CallFailed) as info,  # this chunk fails; nothing left the machine
    ):
        backend.extract(doc, scenarios.gold_chunks(doc)[-1])
    cause: BaseException | None = info.value
    seen = []
    while cause is not None:
        seen.append(type(cause))
        cause = cause.__cause__ or cause.__context__
    assert CannotOverwriteExistingCassetteException in seen


def test_cassettes_hold_no_secrets() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"sk-[A-Za-z0-9_-]{8,}", text), path.name
        assert not re.search(r"(?i)\bauthorization\b|\bapi-key\b|\bbearer\s", text), path.name
        assert "openai-organization" not in text.lower(), path.name


@pytest.mark.parametrize("section", scenarios.GOLD_SECTIONS, ids=lambda s: s.name)
def test_hybrid_replays_and_never_loses_a_value_the_rules_found(section) -> None:
    from extractor.extraction.rules_backend import RulesBackend

    doc = section.document()
    chunks = section.chunks(doc, scenarios.HYBRID_BUDGET)
    gold = load_gold(section.gold_file, doc)
    with replay(section.hybrid_cassette):
        run = extract_document(doc, scenarios.hybrid_backend(), chunks=chunks)
    rules = extract_document(doc, RulesBackend(budget=scenarios.HYBRID_BUDGET), chunks=chunks)
    assert [f.id for f in run.facts] == [f.id for f in rules.facts]
    assert [f.text for f in run.facts] == [f.text for f in rules.facts]
    hybrid_scores, rules_scores = score(gold, run.facts), score(gold, rules.facts)
    assert hybrid_scores.recall == rules_scores.recall
    # the model's answers were used (one at least), and each fact says what it changed
    assert {f.llm for f in run.facts} <= {"refined", "failed"}
    changed = [f for f in run.facts if f.changed_by_llm]
    assert changed and all(f.llm == "refined" for f in changed)
    by_id = {f.id: f for f in rules.facts}
    for fact in run.facts:
        draft = by_id[fact.id]
        assert ("name" in fact.changed_by_llm) == (fact.indicator != draft.indicator)
        assert ("period" in fact.changed_by_llm) == (fact.period != draft.period)
        assert ("code" in fact.changed_by_llm) == (fact.code != draft.code)
    # as recorded, the merge keeps what the text states: periods no worse than the
    # rules', names better (the 1.5B model's gain is small: BENCHMARKS.md)
    assert hybrid_scores.period_accuracy >= rules_scores.period_accuracy
    assert hybrid_scores.name_overlap > rules_scores.name_overlap


def test_hybrid_requests_use_a_grammar_of_the_drafts_ids() -> None:
    for section in scenarios.GOLD_SECTIONS:
        text = (CASSETTES / section.hybrid_cassette).read_text(encoding="utf-8")
        bodies = [i["request"]["body"]["json"] for i in yaml.safe_load(text)["interactions"]]
        assert bodies
        for body in bodies:
            schema = body["response_format"]["schema"]
            ids = schema["$defs"]["Change"]["properties"]["id"]["enum"]
            user = body["messages"][1]["content"]
            assert all(f"[{i}: " in user for i in ids)
            assert body["temperature"] == 0 and body["model"] == scenarios.MODEL


def test_llm_only_replays_on_the_second_gold_section_and_finds_fewer_values() -> None:
    section = scenarios.GOLD_SECTIONS[1]
    doc = section.document()
    gold = load_gold(section.gold_file, doc)
    with replay(section.llm_cassette):
        run = extract_document(
            doc, scenarios.local_backend(), chunks=section.chunks(doc, scenarios.LOCAL_BUDGET)
        )
    with replay(section.hybrid_cassette):
        hybrid = extract_document(
            doc, scenarios.hybrid_backend(), chunks=section.chunks(doc, scenarios.HYBRID_BUDGET)
        )
    llm_recall, hybrid_recall = score(gold, run.facts).recall, score(gold, hybrid.facts).recall
    assert 0 < llm_recall < hybrid_recall == 1.0  # the model alone loses values
