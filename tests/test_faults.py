"""The fault matrix: `extract` and `batch`, in their default configuration (response
cache on), against an OpenAI-compatible server on loopback that fails in every way a
real endpoint does. A fault that concerns one chunk fails that chunk with its reason
and the run goes on; only an endpoint that is unusable as a whole stops the run, which
still writes what it finished and says how to continue.

Exit codes (README): 0 done; 1 a chunk failed (0 with --allow-partial), or the run
stopped on an endpoint error, or any other error; 2 usage.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
from pathlib import Path

import pytest

from .fault_server import FaultOpenAIServer, chunk_text
from .helpers import SAMPLES, run_cli

REPORT = SAMPLES / "lai-chau-2021-01.txt"  # three chunks with numbers at the default budget
POISON = "Về Văn hóa – xã hội"  # the heading of one chunk of REPORT (c3)


def endpoint(server: FaultOpenAIServer) -> list[str]:
    return [
        *("--backend", "openai", "--base-url", server.base_url),
        *("--model", "m", "--mode", "json_schema"),
    ]


def row(stdout: str, label: str) -> str:
    """The value of a row of a summary table."""
    m = re.search(re.escape(label) + r"\s*│\s*(.*?)\s*│", stdout)
    assert m, f"no row {label!r} in:\n{stdout}"
    return m.group(1)


def facts_in(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# -- extract ------------------------------------------------------------------------

CHUNK_FAULTS = [
    ("500", "server error (HTTP 500 server_error, after retries)"),
    ("429", "still rate limited (429) after retries"),
    ("html", "not a readable chat completion"),
    ("garbage", "not a readable chat completion"),
    ("bad_json", "no valid answer after 3 attempt(s)"),
    ("empty", "no valid answer after 3 attempt(s)"),
    ("drop", "closed the connection without answering"),
    ("context", "request rejected (HTTP 400 context_length_exceeded)"),
]


@pytest.mark.parametrize(("fault", "reason"), CHUNK_FAULTS)
def test_extract_a_fault_in_one_chunk_fails_that_chunk_only(
    tmp_path: Path, fault: str, reason: str
) -> None:
    """The poisoned chunk fails with its reason; the others are extracted and written."""

    def plan(n: int, body: dict) -> str:
        return fault if POISON in chunk_text(body) else "ok"

    out = tmp_path / "facts.jsonl"
    with FaultOpenAIServer(plan) as server:
        code, stdout, stderr = run_cli(
            "extract", str(REPORT), "-o", str(out), "--retries", "1", *endpoint(server)
        )
        served = list(server.faults_served)
    assert code == 3  # a chunk failed, and --allow-partial was not given: partial success
    assert row(stdout, "chunks extracted / failed / skipped") == "2 / 1 / 1"
    assert reason in stdout  # the chunk's line, with its reason
    assert "partial: 1 chunk(s) failed" in stderr  # the status line
    facts = facts_in(out)
    assert facts and all(POISON not in f["section"] for f in facts)
    assert served.count("ok") == 2


def test_extract_allow_partial_exits_0_and_a_rerun_asks_only_for_the_failed_chunk(
    tmp_path: Path,
) -> None:
    out = tmp_path / "facts.jsonl"
    poisoned = True

    def plan(n: int, body: dict) -> str:
        return "500" if poisoned and POISON in chunk_text(body) else "ok"

    with FaultOpenAIServer(plan) as server:
        args = ["extract", str(REPORT), "-o", str(out), "--retries", "0", *endpoint(server)]
        code, stdout, _ = run_cli(*args, "--allow-partial")
        assert code == 0 and "failed c" in stdout
        first = server.count
        poisoned = False
        code, stdout, _ = run_cli(*args)  # the cache answers the two good chunks
        assert code == 0
        assert server.count - first == 1
        assert row(stdout, "LLM requests / answers (cached)") == "1 / 1 (2)"
    assert any(POISON in f["section"] for f in facts_in(out))


def test_extract_a_hanging_server_fails_the_chunk_in_bounded_time(tmp_path: Path) -> None:
    def plan(n: int, body: dict) -> str:
        return "hang" if POISON in chunk_text(body) else "ok"

    out = tmp_path / "facts.jsonl"
    with FaultOpenAIServer(plan, hang_seconds=30) as server:
        t0 = time.monotonic()
        code, stdout, _ = run_cli(
            "extract", str(REPORT), "-o", str(out), "--timeout", "1", *endpoint(server)
        )
        took = time.monotonic() - t0
        hung = server.faults_served.count("hang")
    # one timeout is retried once: two timeouts and a backoff of at most a second
    assert took < 10, took
    assert code == 3 and hung == 2  # partial success
    assert "no answer within 1 s (2 attempt(s) timed out)" in stdout
    assert row(stdout, "HTTP retries / timeouts") == "1 / 2"
    assert facts_in(out)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("401", "the provider refused the API key (401)"),
        ("quota", "quota is used up"),
        ("404", "the endpoint has no model 'm'"),
    ],
)
def test_extract_an_endpoint_error_stops_the_run_and_keeps_what_finished(
    tmp_path: Path, fault: str, message: str
) -> None:
    def plan(n: int, body: dict) -> str:
        return "ok" if n == 0 else fault

    out = tmp_path / "facts.jsonl"
    findings = tmp_path / "findings.jsonl"
    with FaultOpenAIServer(plan) as server:
        code, stdout, stderr = run_cli(
            "extract", str(REPORT), "-o", str(out), "--findings", str(findings), *endpoint(server)
        )
        sent = server.count
    assert code == 1 and sent == 2  # the third chunk was never sent
    assert stderr.startswith("error:") and message in stderr
    assert "The run stopped: 2 chunk(s) left to do, the 1 extracted before are kept" in stderr
    assert "run the same command again" in stderr
    assert row(stdout, "chunks extracted / failed / skipped / left to do") == "1 / 0 / 1 / 2"
    assert len(facts_in(out)) == 1 and findings.exists()


def test_extract_with_nothing_listening_is_one_line(tmp_path: Path) -> None:
    with FaultOpenAIServer(lambda n, body: "ok") as server:
        url = server.base_url
    code, _, stderr = run_cli(
        "extract",
        str(REPORT),
        "--backend",
        "openai",
        "--base-url",
        url,
        "--model",
        "m",
        "--retries",
        "0",
    )
    assert code == 1
    assert "cannot connect to the LLM endpoint at " + url in stderr
    assert stderr.startswith("error:") and stderr.count("error:") == 1


# -- batch --------------------------------------------------------------------------


def batch(run_dir: Path, server: FaultOpenAIServer, *extra: str, inputs: Path = SAMPLES):
    return run_cli(
        "batch",
        str(inputs),
        "-o",
        str(run_dir),
        "--retries",
        "0",
        "--quiet",
        *endpoint(server),
        *extra,
    )


def chunk_states(run_dir: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    db = sqlite3.connect(run_dir / "run.sqlite")
    rows = db.execute(
        "SELECT d.name, c.chunk, c.status, c.reason FROM chunks c JOIN documents d "
        "ON d.id = c.document_id"
    ).fetchall()
    db.close()
    return {(Path(name).name, chunk): (status, reason) for name, chunk, status, reason in rows}


def test_batch_default_configuration_with_the_cache_on_finishes(tmp_path: Path) -> None:
    """The default batch once sent nothing and never ended: the cache's SQLite
    connection was used from the call workers' threads."""
    with FaultOpenAIServer(lambda n, body: "ok") as server:
        t0 = time.monotonic()
        code, stdout, _ = batch(tmp_path / "run", server, "--concurrency", "4")
        assert time.monotonic() - t0 < 60
        first = server.count
        assert code == 0 and first > 10, stdout
        code, stdout, _ = batch(tmp_path / "run2", server, "--concurrency", "4")
        assert code == 0 and server.count == first  # a second run dir: all from the cache
    assert f"0 / 0 ({first})" in stdout


@pytest.mark.parametrize(("fault", "reason"), CHUNK_FAULTS)
def test_batch_a_fault_fails_its_chunks_and_the_batch_goes_on(
    tmp_path: Path, fault: str, reason: str
) -> None:
    def plan(n: int, body: dict) -> str:
        return fault if POISON in chunk_text(body) else "ok"

    run_dir = tmp_path / "run"
    with FaultOpenAIServer(plan) as server:
        code, stdout, _ = batch(run_dir, server, "--concurrency", "3")
    states = chunk_states(run_dir)
    failed = {k: v for k, v in states.items() if v[0] == "failed"}
    assert code == 3 and failed, stdout  # partial success
    assert all(reason in (why or "") for _, why in failed.values())
    assert not [k for k, v in states.items() if v[0] == "pending"]
    assert sum(1 for v in states.values() if v[0] == "extracted") > len(failed)
    assert reason in stdout  # each failed chunk is listed with its reason
    assert facts_in(run_dir / "facts.jsonl")


def test_batch_an_endpoint_error_stops_writes_outputs_and_a_rerun_continues(
    tmp_path: Path,
) -> None:
    key_ok = False

    def plan(n: int, body: dict) -> str:
        return "ok" if key_ok or n < 5 else "401"

    run_dir = tmp_path / "run"
    with FaultOpenAIServer(plan) as server:
        code, _, stderr = batch(run_dir, server, "--concurrency", "1")
        assert code == 1 and "refused the API key" in stderr
        assert "run the same command again to continue" in stderr
        states = chunk_states(run_dir)
        done = {k for k, v in states.items() if v[0] == "extracted"}
        assert len(done) == 5 and not [v for v in states.values() if v[0] == "failed"]
        assert facts_in(run_dir / "facts.jsonl")  # outputs written
        sent = server.count
        key_ok = True
        code, stdout, _ = batch(run_dir, server, "--concurrency", "2")
        assert code == 0, stdout
        resent = [chunk_text(b) for b in server.bodies[sent:]]
    states = chunk_states(run_dir)
    assert all(v[0] in ("extracted", "skipped") for v in states.values())
    assert len(resent) == sum(1 for k, v in states.items() if v[0] == "extracted") - 5


def test_batch_a_hanging_server_fails_chunks_in_bounded_time(tmp_path: Path) -> None:
    def plan(n: int, body: dict) -> str:
        return "hang" if POISON in chunk_text(body) else "ok"

    with FaultOpenAIServer(plan, hang_seconds=30) as server:
        t0 = time.monotonic()
        code, _, _ = batch(tmp_path / "run", server, "--timeout", "1", "--concurrency", "4")
        took = time.monotonic() - t0
    states = chunk_states(tmp_path / "run")
    hung = [v for v in states.values() if v[0] == "failed"]
    assert code == 3 and hung and all("no answer within 1 s" in (v[1] or "") for v in hung)
    assert took < 45, took


def test_two_batches_into_one_run_directory(tmp_path: Path) -> None:
    """The second run names the holder and exits 1; nothing is sent twice."""
    run_dir = tmp_path / "run"
    from extractor.batch.runlock import RunLock

    run_dir.mkdir()
    with FaultOpenAIServer(lambda n, body: "ok") as server, RunLock(run_dir):
        code, _, stderr = batch(run_dir, server)
        assert server.count == 0
    assert code == 1 and "is in use by another extractor run (pid " in stderr
    assert "write to another folder with -o" in stderr


@pytest.mark.slow
def test_200_chunks_against_a_server_failing_10_percent(tmp_path: Path) -> None:
    """Every chunk ends extracted or failed with a reason, and a re-run asks only for
    the failed ones."""
    rng = random.Random(20261129)

    def plan(n: int, body: dict) -> str:
        return rng.choice(("500", "drop", "garbage")) if rng.random() < 0.10 else "ok"

    run_dir = tmp_path / "run"
    with FaultOpenAIServer(plan) as server:
        code, stdout, _ = batch(
            run_dir, server, "--budget", "250", "--concurrency", "8", "--allow-partial"
        )
        assert code == 0, stdout
        states = chunk_states(run_dir)
        sent_chunks = [v for v in states.values() if v[0] != "skipped"]
        failed = {k for k, v in states.items() if v[0] == "failed"}
        assert len(sent_chunks) >= 200
        assert {v[0] for v in states.values()} <= {"extracted", "failed", "skipped"}
        assert all(states[k][1] for k in failed)  # every failure has its reason
        assert failed, "with 10% faults and no retries some chunks fail"
        extracted = {k for k, v in states.items() if v[0] == "extracted"}
        facts = facts_in(run_dir / "facts.jsonl")
        db = sqlite3.connect(run_dir / "run.sqlite")
        stored = db.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
        db.close()
        assert len(facts) == stored > 100  # every answer received is in the outputs
        assert {(f["doc"], f["chunk"]) for f in facts} <= extracted
        before = server.count
        code, _, _ = batch(
            run_dir, server, "--budget", "250", "--concurrency", "8", "--allow-partial"
        )
        asked = server.bodies[before:]
        failed_texts = {chunk_text(b) for b in asked}
    assert code == 0
    # only the chunks that had failed were asked for again (re-asks of one chunk repeat it)
    assert len(failed_texts) == len(failed)
    states_after = chunk_states(run_dir)
    assert {k for k, v in states_after.items() if v[0] == "extracted"} >= set(extracted)
