"""``python -m llama_cpp.server``, the test double: an OpenAI-compatible loopback server
that answers every chat completion validly, or misbehaves as FAKE_LLAMA_BEHAVIOUR says."""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import sys
import time
from pathlib import Path

from tests.openai_double import answer_completion

BEHAVIOUR = os.environ.get("FAKE_LLAMA_BEHAVIOUR", "ok")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        if BEHAVIOUR == "sigill":
            print("llama_perf_context_print: load time = 812.14 ms", flush=True)
            print("ggml_cpu: executing an instruction this CPU lacks", flush=True)
            os.kill(os.getpid(), signal.SIGILL)
        if BEHAVIOUR == "slow":
            time.sleep(60)
        self._send(answer_completion(body))

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--n_ctx")
    parser.add_argument("--n_threads")
    parser.add_argument("--model_alias")
    args = parser.parse_args()
    if not Path(args.model).exists():
        sys.exit(f"no model file {args.model}")
    pidfile = os.environ.get("FAKE_LLAMA_PIDFILE")
    if pidfile:
        Path(pidfile).write_text(str(os.getpid()))
    print(f"fake llama.cpp server on {args.host}:{args.port}", flush=True)
    http.server.ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
