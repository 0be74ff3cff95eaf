"""A test double for an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 that
records each request and answers from a script of canned responses."""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Canned:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def completion(
    content: str | None = None,
    tool_args: str | None = None,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_args is not None:
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "ChunkExtraction", "arguments": tool_args},
            }
        ]
        finish_reason = "tool_calls" if finish_reason == "stop" else finish_reason
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class CannedOpenAIServer:
    """``with CannedOpenAIServer([Canned(...), ...]) as server: server.base_url``"""

    def __init__(self, script: list[Canned]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": json.loads(raw)}
                )
                canned = (
                    outer.script.pop(0)
                    if outer.script
                    else Canned(500, {"error": {"message": "script exhausted"}})
                )
                payload = json.dumps(canned.body or {}).encode()
                self.send_response(canned.status)
                self.send_header("Content-Type", "application/json")
                for k, v in canned.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> CannedOpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def answer_from_schema(body: dict[str, Any]) -> dict[str, Any]:
    """A valid ChunkExtraction for whatever chunk was sent: one indicator, valued by the
    first id the request's narrowed schema allows."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}
    props = schema.get("$defs", {}).get("Indicator", {}).get("properties", {})
    ids = props.get("value_id", {}).get("enum") or []
    indicators = []
    if ids:
        indicators.append(
            {
                "name": "Chỉ tiêu",
                "code": None,
                "value_id": ids[0],
                "period": "month",
                "comparison_ids": [],
                "parent_id": None,
            }
        )
    return {"indicators": indicators}


class _LoadServer(http.server.ThreadingHTTPServer):
    """Many clients at once: the listen backlog is set before listen() (socketserver's
    default of 5 drops connections beyond it, and their SYN is retried a second later)."""

    daemon_threads = True
    request_queue_size = 256


class EchoOpenAIServer(CannedOpenAIServer):
    """A test double that answers every chat completion validly after ``delay`` seconds,
    counting requests; usage is reported as 1,000 input and 50 output tokens."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__([])
        self.delay = delay
        self.count = 0
        self.arrivals: list[float] = []  # time.monotonic() of each request
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                body = json.loads(raw)
                with outer.lock:
                    outer.count += 1
                    outer.arrivals.append(time.monotonic())
                if outer.delay:
                    time.sleep(outer.delay)
                content = json.dumps(answer_from_schema(body), ensure_ascii=False)
                payload = json.dumps(
                    completion(content, prompt_tokens=1000, completion_tokens=50)
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server.server_close()
        self.server = _LoadServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
