"""``extractor batch --openai-batch``: requests written as OpenAI Batch API JSONL,
uploaded, polled and ingested into the run store, against a loopback server that
speaks the files and batches endpoints (tests/openai_double.py, BatchOpenAIServer)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import openai
import pytest

from extractor.batch.openai_batch import ProviderBatches, custom_id
from extractor.batch.store import RunStore
from extractor.catalog import load_catalog
from extractor.extraction.prompting import load_prompts
from extractor.extraction.usage import CallFailed
from extractor.quantities import tag_quantities

from .helpers import RETAIL_TEXT, SAMPLES, llm_call, subprocess_env
from .openai_double import BatchOpenAIServer, EchoOpenAIServer, answer_completion

SECRET = "sk-test-do-not-store-0123456789"
REPORTS = ["lai-chau-2021-01.txt", "lai-chau-2024-02.txt"]
POLL_FAST = ("--openai-batch", "--poll-interval", "0.02")


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in REPORTS:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    return folder


@pytest.fixture
def prices(tmp_path: Path) -> Path:
    path = tmp_path / "prices.yaml"
    path.write_text("models:\n  - {match: m, input: 2.0, output: 8.0}\n", "utf-8")
    return path


def _run(base_url: str, inputs: Path, run_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        _cmd(base_url, inputs, run_dir, *extra),
        env=subprocess_env(OPENAI_API_KEY=SECRET),
        **_captured(),
    )


def _cmd(base_url: str, inputs: Path, run_dir: Path, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "extractor.cli", "batch", str(inputs), "-o", str(run_dir)),
        *("--backend", "openai", "--base-url", base_url, "--model", "m", "--no-cache", *extra),
    ]


def _captured() -> dict:
    return {"capture_output": True, "text": True}


def _facts(run_dir: Path) -> list[str]:
    lines = (run_dir / "facts.jsonl").read_text("utf-8").splitlines()
    return sorted(json.dumps(json.loads(x), sort_keys=True) for x in lines)


def _store(run_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        return db.execute(sql).fetchall()


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_batch_request_is_the_body_the_client_sends(clients, mode: str) -> None:
    quantities = {q.id: q for q in tag_quantities(RETAIL_TEXT)}
    prompts = load_prompts()
    with EchoOpenAIServer() as server:
        c = clients(server, mode=mode)
        sent: list[dict] = []
        handle = c.transport.handle_request

        def recording(request: httpx2.Request) -> httpx2.Response:
            sent.append(json.loads(request.read()))
            return handle(request)

        c.transport.handle_request = recording
        _, usage = llm_call(c, quantities)
    body = c.batch_request(prompts.system, RETAIL_TEXT, quantities, load_catalog())
    assert sent == [body]
    # the batch's answer to it is validated and priced (at the discount) like the call's
    result, batch_usage = c.parse_batch_answer(
        answer_completion(body), quantities, load_catalog(), 0.5
    )
    assert [i.value_id for i in result.indicators] == ["q1"]
    assert (batch_usage.calls, batch_usage.input_tokens) == (1, usage.input_tokens)
    assert usage.cost is not None and batch_usage.cost == pytest.approx(usage.cost * 0.5)


def test_an_invalid_batch_answer_fails_with_the_reason(clients) -> None:
    quantities = {q.id: q for q in tag_quantities(RETAIL_TEXT)}
    prompts = load_prompts()
    with EchoOpenAIServer() as server:
        c = clients(server, mode="json_schema")
    body = c.batch_request(prompts.system, RETAIL_TEXT, quantities, load_catalog())
    answer = answer_completion(body)
    bad = json.loads(answer["choices"][0]["message"]["content"])
    bad["indicators"][0]["value_id"] = "q99"
    answer["choices"][0]["message"]["content"] = json.dumps(bad)
    with pytest.raises(CallFailed, match=r"no re-asks.*q99"):
        c.parse_batch_answer(answer, quantities, load_catalog(), 0.5)


def test_openai_batch_gives_the_synchronous_facts_at_half_the_price(
    tmp_path: Path, reports: Path, prices: Path
) -> None:
    with EchoOpenAIServer() as echo:
        sync = _run(echo.base_url, reports, tmp_path / "sync", "--prices", str(prices))
        calls = echo.count
    assert sync.returncode == 0, sync.stdout + sync.stderr
    with BatchOpenAIServer() as server:
        done = _run(
            server.base_url,
            reports,
            tmp_path / "batch",
            *POLL_FAST,
            *("--prices", str(prices)),
        )
        lines = server.input_lines()
        routes = [r for r in server.requests if r[0] == "POST"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert routes == [("POST", "/v1/files"), ("POST", "/v1/batches")]  # no chat completions
    batch = next(iter(server.batches.values()))
    assert (batch["endpoint"], batch["completion_window"]) == ("/v1/chat/completions", "24h")
    assert len(lines) == calls  # one request per chunk the synchronous run called for
    assert {(x["method"], x["url"]) for x in lines} == {("POST", "/v1/chat/completions")}
    assert len({x["custom_id"] for x in lines}) == len(lines)
    assert all(x["custom_id"] == custom_id(x["body"]) for x in lines)
    # the same facts, half the cost, and the request file kept in the run directory
    assert _facts(tmp_path / "batch") == _facts(tmp_path / "sync")
    cost = {
        run: _store(tmp_path / run, "SELECT SUM(cost) FROM calls")[0][0]
        for run in ("sync", "batch")
    }
    assert cost["batch"] == pytest.approx(cost["sync"] / 2)
    kept = list((tmp_path / "batch" / "openai-batch").glob("*.jsonl"))
    assert [json.loads(x) for f in kept for x in f.read_text("utf-8").splitlines()] == lines
    assert "sent in OpenAI batches" in done.stdout and "completed" in done.stdout
    # the key went in a header only: nothing in the run directory holds it
    for path in (tmp_path / "batch").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists(), reason="waits on the process with /proc")
def test_a_killed_run_polls_the_same_batch_again(tmp_path: Path, reports: Path) -> None:
    run_dir = tmp_path / "run"
    with BatchOpenAIServer() as server:
        server.hold.clear()  # the batch stays in progress
        proc = subprocess.Popen(
            _cmd(server.base_url, reports, run_dir, *POLL_FAST),
            env=subprocess_env(OPENAI_API_KEY=SECRET),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            b["status"] == "in_progress" for b in server.batches.values()
        ):
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert [b["status"] for b in server.batches.values()] == ["in_progress"]
        server.hold.set()
        resumed = _run(server.base_url, reports, run_dir, *POLL_FAST)
        uploads = [r for r in server.requests if r == ("POST", "/v1/files")]
        submitted = len(server.input_lines())
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert len(uploads) == 1 and len(server.batches) == 1  # nothing submitted twice
    extracted = _store(run_dir, "SELECT COUNT(*) FROM chunks WHERE status = 'extracted'")[0][0]
    assert extracted == submitted
    facts = _facts(run_dir)
    assert facts and len(facts) == len(set(facts))


def test_a_failed_request_fails_its_chunk_and_is_asked_again(tmp_path: Path, reports: Path) -> None:
    run_dir = tmp_path / "run"
    with BatchOpenAIServer() as server:
        server.fail = {0}
        first = _run(server.base_url, reports, run_dir, *POLL_FAST)
        total = len(server.input_lines())
        failed = _store(run_dir, "SELECT reason FROM chunks WHERE status = 'failed'")
        assert first.returncode == 3  # failed chunks, and no --allow-partial: partial
        assert [r for (r,) in failed] == [
            "the provider batch returned an error: HTTP 400: invalid: bad request"
        ]
        # a re-run submits exactly the failed one again
        server.fail = set()
        second = _run(server.base_url, reports, run_dir, *POLL_FAST)
        assert second.returncode == 0, second.stdout + second.stderr
        assert len(server.input_lines()) == total + 1
    with EchoOpenAIServer() as echo:
        third = _run(echo.base_url, reports, run_dir)
        assert third.returncode == 0, third.stdout + third.stderr
        assert echo.count == 0  # all answered by the batches
    statuses = _store(run_dir, "SELECT status, COUNT(*) FROM chunks GROUP BY status")
    assert "failed" not in dict(statuses)


def test_expired_batch_fails_the_unanswered_chunks(tmp_path: Path, reports: Path) -> None:
    run_dir = tmp_path / "run"
    with BatchOpenAIServer() as server:
        server.expire = True
        done = _run(
            server.base_url,
            reports,
            run_dir,
            *POLL_FAST,
            "--allow-partial",
        )
        total = len(server.input_lines())
    assert done.returncode == 0, done.stdout + done.stderr
    reasons = [r for (r,) in _store(run_dir, "SELECT reason FROM chunks WHERE status = 'failed'")]
    assert len(reasons) == total - total // 2
    assert set(reasons) == {"no answer: the provider batch batch_1 ended as expired"}
    # the synchronous path picks them up (with re-asks), and only them
    with EchoOpenAIServer() as echo:
        again = _run(echo.base_url, reports, run_dir)
        assert again.returncode == 0, again.stdout + again.stderr
        assert echo.count == len(reasons)


def test_no_wait_submits_and_a_rerun_collects(tmp_path: Path, reports: Path) -> None:
    run_dir = tmp_path / "run"
    with BatchOpenAIServer() as server:
        submitted = _run(server.base_url, reports, run_dir, "--openai-batch", "--no-wait")
        assert submitted.returncode == 0, submitted.stdout + submitted.stderr
        assert "re-run the same command to collect" in " ".join(submitted.stdout.split())
        assert _facts(run_dir) == []
        collected = _run(server.base_url, reports, run_dir, *POLL_FAST)
        assert collected.returncode == 0, collected.stdout + collected.stderr
        assert len(server.batches) == 1
    assert len(_facts(run_dir)) > 0


def test_max_cost_counts_what_is_submitted(tmp_path: Path, reports: Path, prices: Path) -> None:
    run_dir = tmp_path / "run"
    with BatchOpenAIServer() as server:
        capped = _run(
            server.base_url,
            reports,
            run_dir,
            *POLL_FAST,
            "--prices",
            str(prices),
            "--max-cost",
            "0.03",  # the estimate of a large chunk here is about $0.012 at the batch price
        )
        submitted = len(server.input_lines())
        assert capped.returncode == 0, capped.stdout + capped.stderr
        assert "the cost cap was reached" in capped.stdout
        full = _run(server.base_url, reports, run_dir, *POLL_FAST, "--prices", str(prices))
        assert full.returncode == 0, full.stdout + full.stderr
        total = len(server.input_lines())
    first_run = _store(run_dir, f"SELECT SUM(cost) FROM calls WHERE id <= {submitted}")
    assert 0 < submitted < total
    assert first_run[0][0] <= 0.03
    assert _store(run_dir, "SELECT COUNT(*) FROM chunks WHERE status = 'pending'") == [(0,)]


def test_openai_batch_needs_the_openai_backend(tmp_path: Path, reports: Path) -> None:
    for extra in (("--backend", "rules"), ("--backend", "hybrid"), ("--llamacpp",)):
        done = _run("http://127.0.0.1:9/v1", reports, tmp_path / "run", "--openai-batch", *extra)
        assert done.returncode == 2  # a combination of flags the command does not take
        assert "--openai-batch needs the LLM-only OpenAI backend" in done.stderr


def test_requests_are_split_into_files_and_batches_within_the_limits(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "run.sqlite")
    bodies = [
        {"model": "m", "messages": [{"role": "user", "content": f"chunk {n}"}]} for n in range(5)
    ]
    with BatchOpenAIServer() as server:
        sdk = openai.OpenAI(api_key="x", base_url=server.base_url, max_retries=0)
        sleeps: list[float] = []
        batches = ProviderBatches(
            sdk, store, tmp_path / "files", poll_interval=7, max_requests=2, sleep=sleeps.append
        )
        for n, body in enumerate(bodies):
            batches.add(custom_id(body), body, "doc.txt", f"c{n}")
        assert len(batches.submit()) == 3  # 2 + 2 + 1 requests
        assert batches.wait() == 3
    assert sleeps == [7]  # in progress at the first poll, ended at the second
    answered = [store.provider_request(custom_id(b)) for b in bodies]
    assert [a[0] for a in answered if a] == ["answered"] * 5
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == sorted(
        b["input_file"] for b in store.provider_batches()
    )
    store.close()


def test_dry_run_estimates_the_batch_price(tmp_path: Path, reports: Path, prices: Path) -> None:
    costs = []
    for extra in ((), ("--openai-batch",)):
        done = _run(
            "http://127.0.0.1:9/v1",
            reports,
            tmp_path / "dry",
            "--dry-run",
            "--prices",
            str(prices),
            *extra,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        line = next(x for x in done.stdout.splitlines() if "cost (estimate)" in x)
        costs.append(float(line.split("$")[1].split()[0]))
    assert costs[1] == pytest.approx(costs[0] / 2, abs=0.0001)
