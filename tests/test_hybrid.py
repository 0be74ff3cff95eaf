"""The hybrid backend end to end, through the CLI's defaults, against test doubles of an
OpenAI-compatible endpoint (real HTTP servers on 127.0.0.1)."""

import json
import re

import pytest

from extractor.backends import HYBRID_BUDGET

from .helpers import SAMPLES, run_cli
from .openai_double import Canned, CannedOpenAIServer, EchoOpenAIServer, completion

SAMPLE = str(SAMPLES / "lai-chau-2021-01.txt")


def facts(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def values(rows):
    return sorted((r["id"], r["text"], r["start"], r["value"]) for r in rows)


@pytest.fixture
def rules_facts(tmp_path):
    target = tmp_path / "rules.jsonl"
    # the rules' draft at the hybrid's chunk budget (a name may carry over a chunk's start)
    budget = str(HYBRID_BUDGET)
    code, _, _ = run_cli(
        "extract", SAMPLE, "--backend", "rules", "--budget", budget, "-o", str(target)
    )
    assert code == 0
    return facts(target)


def test_an_endpoint_makes_hybrid_the_default_and_keeps_every_value(tmp_path, rules_facts) -> None:
    target = tmp_path / "hybrid.jsonl"
    with EchoOpenAIServer() as server:
        argv = ("extract", SAMPLE, "--base-url", server.base_url, "--model", "m")
        code, out, _ = run_cli(*argv, "-o", str(target))
        assert code == 0, out
        asked = server.count
        assert asked >= 1
        hybrid = facts(target)
        # the default configuration again (cache on): nothing is sent twice
        code, _, _ = run_cli(*argv, "-o", str(tmp_path / "again.jsonl"))
        assert code == 0 and server.count == asked
    assert "hybrid" in out and "changed by the model" in out
    assert re.search(r"answer speed \(tokens out per second waited\)\s*│\s*[\d.]+ tokens/s", out)
    assert values(hybrid) == values(rules_facts)  # the model added to the rules, took nothing
    assert {r["backend"] for r in hybrid} == {"hybrid"}
    assert {r["llm"] for r in hybrid} == {"refined"}
    by_id = {r["id"]: r for r in rules_facts}
    # the double renames the first value of each request with the words before it
    renamed = [r for r in hybrid if r["indicator"] != by_id[r["id"]]["indicator"]]
    assert 1 <= len(renamed) <= asked
    assert all(r["changed_by_llm"] == ["name"] for r in renamed)
    assert all(r["changed_by_llm"] == [] for r in hybrid if r not in renamed)
    for r in hybrid:  # what the model did not touch is the rules' draft
        if r not in renamed:
            assert (r["indicator"], r["code"], r["period"]) == (
                by_id[r["id"]]["indicator"],
                by_id[r["id"]]["code"],
                by_id[r["id"]]["period"],
            )


def test_a_chunk_whose_answers_stay_invalid_keeps_the_rules_facts(tmp_path, rules_facts) -> None:
    bad = completion('{"changes": [{"id": "q9999", "name": "xx"}]}')
    target = tmp_path / "hybrid.jsonl"
    with CannedOpenAIServer([Canned(body=bad)] * 50) as server:
        argv = [
            *("extract", SAMPLE, "--base-url", server.base_url, "--model", "m"),
            *("--mode", "json_schema", "--reasks", "1", "-o", str(target)),
        ]
        code, out, _ = run_cli(*argv)
        sent = server.requests
    # the chunk contributes its facts, but the model failed: a partial success (issue 20)
    assert code == 3, out
    assert "llm_failed" in out and "q9999" in out and "rules' draft kept" in out
    hybrid = facts(target)
    assert values(hybrid) == values(rules_facts)
    assert {r["llm"] for r in hybrid} == {"failed"}
    assert all(r["changed_by_llm"] == [] for r in hybrid)
    assert [(r["indicator"], r["code"], r["period"]) for r in hybrid] == [
        (r["indicator"], r["code"], r["period"]) for r in rules_facts
    ]
    # the re-ask told the model which id broke which rule
    reask = sent[1]["body"]["messages"][-1]["content"]
    assert "'q9999' is not a value of the draft" in reask


def test_the_request_is_the_static_prompt_then_the_chunk_with_ids(tmp_path, rules_facts) -> None:
    nothing = completion(tool_args='{"changes": []}')
    with CannedOpenAIServer([Canned(body=nothing)] * 50) as server:
        code, out, _ = run_cli(
            *("extract", SAMPLE, "--base-url", server.base_url, "--model", "m"),
            *("-o", str(tmp_path / "f.jsonl")),
        )
        sent = [r["body"] for r in server.requests]
    assert code == 0, out
    assert len({b["messages"][0]["content"] for b in sent}) == 1  # one static prefix
    for body in sent:
        system, user = body["messages"][0], body["messages"][1]
        assert system["role"] == "system" and user["role"] == "user"
        draft = user["content"].split("Draft:\nid period code\n")[1].splitlines()
        ids = [line.split()[0] for line in draft]
        assert ids and all(f"[{i}: " in user["content"] for i in ids)
        assert user["content"].count("[q") == len(ids)  # only the drafted values are tagged
        # a hosted model gets the plain, reviewed schema: no enum to pay for
        schema = body["tools"][0]["function"]["parameters"]
        assert "enum" not in json.dumps(schema["$defs"]["Change"]["properties"]["id"])
    hybrid = facts(tmp_path / "f.jsonl")
    assert values(hybrid) == values(rules_facts)
    assert all(r["changed_by_llm"] == [] and r["llm"] == "refined" for r in hybrid)
