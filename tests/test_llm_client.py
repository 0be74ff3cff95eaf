"""The LLM client against a real HTTP server on loopback (canned answers): request
shapes per mode, retries, usage, cache, error mapping."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from extractor import ProviderError
from extractor.extraction.usage import CallFailed, Truncated
from extractor.providers.cache import ResponseCache
from extractor.providers.client import LLMClient
from extractor.providers.settings import LLMSettings
from extractor.providers.transport import ResilientTransport, llamacpp_body
from extractor.quantities import tag_quantities

from .helpers import RETAIL_TEXT, llm_call
from .openai_double import Canned, CannedOpenAIServer, EchoOpenAIServer, completion

GOOD: dict[str, list[dict[str, object]]] = {
    "indicators": [
        {
            "name": "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ",
            "code": "retail_sales",
            "value_id": "q1",
            "period": "month",
            "comparison_ids": ["q2"],
            "parent_id": None,
        },
        {
            "name": "Tổng mức bán lẻ lũy kế",
            "code": "retail_sales",
            "value_id": "q3",
            "period": "ytd",
            "comparison_ids": [],
            "parent_id": None,
        },
    ]
}
BAD_ID = {"indicators": [dict(GOOD["indicators"][0], value_id="q99")]}


@pytest.fixture
def quantities():
    return {q.id: q for q in tag_quantities(RETAIL_TEXT)}


def test_json_schema_mode_sends_openai_structured_output_unchanged(clients, quantities) -> None:
    with CannedOpenAIServer([Canned(body=completion(json.dumps(GOOD)))]) as server:
        result, usage = llm_call(clients(server), quantities)
    fmt = server.requests[0]["body"]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "ChunkExtraction"
    assert fmt["json_schema"]["schema"]["properties"]["indicators"]
    assert [i.value_id for i in result.indicators] == ["q1", "q3"]
    assert (usage.calls, usage.input_tokens, usage.output_tokens) == (1, 100, 20)
    assert usage.cost == pytest.approx((100 * 0.15 + 20 * 0.60) / 1e6)


def test_llamacpp_gets_json_object_with_schema(clients, quantities) -> None:
    with CannedOpenAIServer([Canned(body=completion(json.dumps(GOOD)))]) as server:
        llm_call(clients(server, llamacpp=True), quantities)
    fmt = server.requests[0]["body"]["response_format"]
    assert fmt["type"] == "json_object"
    assert fmt["schema"]["$defs"]["Indicator"]["additionalProperties"] is False


def test_tools_mode_sends_a_function(clients, quantities) -> None:
    with CannedOpenAIServer([Canned(body=completion(tool_args=json.dumps(GOOD)))]) as server:
        result, _ = llm_call(clients(server, mode="tools"), quantities)
    body = server.requests[0]["body"]
    assert body["tools"][0]["function"]["name"] == "ChunkExtraction"
    assert body["tool_choice"]["function"]["name"] == "ChunkExtraction"
    assert body["temperature"] == 0 and body["max_tokens"] == 512
    assert len(result.indicators) == 2


def test_invalid_id_is_reasked_with_the_error(clients, quantities) -> None:
    script = [
        Canned(body=completion(json.dumps(BAD_ID))),
        Canned(body=completion(json.dumps(GOOD))),
    ]
    with CannedOpenAIServer(script) as server:
        result, usage = llm_call(clients(server, reasks=1), quantities)
    assert usage.calls == 2 and usage.input_tokens == 200  # both attempts counted
    reask = json.dumps(server.requests[1]["body"]["messages"], ensure_ascii=False)
    # the error names the ids the chunk has for a value
    assert "q99" in reask and "ids for a value: q1, q3" in reask
    assert result.indicators[0].value_id == "q1"


def test_invalid_answers_fail_cleanly_after_reasks(clients, quantities) -> None:
    script = [Canned(body=completion(json.dumps(BAD_ID)))] * 2
    with CannedOpenAIServer(script) as server, pytest.raises(CallFailed) as info:
        llm_call(clients(server, reasks=1), quantities)
    assert "no valid answer after 2 attempt(s)" in info.value.reason
    assert info.value.usage.calls == 2
    assert len(server.requests) == 2


def test_truncated_answer_is_reported_not_retried(clients, quantities) -> None:
    script = [Canned(body=completion('{"indicators": [{"name": "Tổng', finish_reason="length"))]
    with CannedOpenAIServer(script) as server, pytest.raises(Truncated):
        llm_call(clients(server, reasks=2), quantities)
    assert len(server.requests) == 1


def test_5xx_and_429_are_retried_honouring_retry_after(clients, quantities) -> None:
    sleeps: list[float] = []
    script = [
        Canned(503, {"error": {"message": "busy"}}),
        Canned(
            429,
            {"error": {"message": "slow down", "code": "rate_limit_exceeded"}},
            {"Retry-After": "7"},
        ),
        Canned(body=completion(json.dumps(GOOD))),
    ]
    with CannedOpenAIServer(script) as server:
        c = clients(server, sleeps=sleeps)
        _result, usage = llm_call(c, quantities)
    assert len(server.requests) == 3 and c.transport.retries == 2
    assert sleeps[1] == 7.0  # Retry-After honoured
    assert usage.calls == 1  # transport retries are not model attempts


def test_insufficient_quota_is_not_retried(clients, quantities) -> None:
    script = [
        Canned(
            429,
            {
                "error": {
                    "message": "You exceeded your current quota",
                    "type": "insufficient_quota",
                    "code": "insufficient_quota",
                }
            },
        )
    ]
    with CannedOpenAIServer(script) as server, pytest.raises(ProviderError, match="429"):
        llm_call(clients(server), quantities)
    assert len(server.requests) == 1


def test_bad_key_is_a_provider_error_without_retry(clients, quantities) -> None:
    script = [Canned(401, {"error": {"message": "Incorrect API key provided: sk-test"}})]
    with CannedOpenAIServer(script) as server, pytest.raises(ProviderError, match="API key"):
        llm_call(clients(server), quantities)
    assert len(server.requests) == 1


def test_unreachable_endpoint(quantities) -> None:
    settings = LLMSettings(model="m", base_url="http://127.0.0.1:9/v1", mode="json_schema")
    transport = ResilientTransport(attempts=2, sleep=lambda s: None)
    with (
        LLMClient(settings, transport=transport) as c,
        pytest.raises(ProviderError, match=r"cannot connect .* Connection refused"),
    ):
        llm_call(c, quantities)
    assert c.transport.retries == 1


def test_usage_is_counted_per_call_when_calls_overlap(clients, quantities) -> None:
    """A batch shares one client between its workers: each call's usage must be its own
    (the answer hook is client-wide, so attempts are collected per thread)."""
    with EchoOpenAIServer(delay=0.3) as server:
        c = clients(server)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: llm_call(c, quantities), range(8)))
        sent = server.count
    usages = [usage for _, usage in results]
    assert sent == 8
    assert [(u.calls, u.input_tokens, u.output_tokens) for u in usages] == [(1, 1000, 50)] * 8


def test_cache_makes_a_rerun_free(clients, tmp_path, quantities) -> None:
    cache = ResponseCache(tmp_path / "cache.sqlite")
    with CannedOpenAIServer([Canned(body=completion(json.dumps(GOOD)))]) as server:
        first, u1 = llm_call(clients(server, cache=cache), quantities)
        second, u2 = llm_call(clients(server, cache=cache), quantities)
    assert len(server.requests) == 1
    assert (u1.calls, u2.calls, u2.cached_calls) == (1, 0, 1)
    assert first.model_dump() == second.model_dump()
    assert b"sk-test" not in (tmp_path / "cache.sqlite").read_bytes()


def test_llamacpp_body_leaves_other_requests_alone() -> None:
    body = json.dumps({"model": "m", "messages": []}).encode()
    assert llamacpp_body(body) is body
    assert llamacpp_body(b"not json") == b"not json"
