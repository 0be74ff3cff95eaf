"""A fault-injecting test double for an OpenAI-compatible endpoint: a real HTTP server on
127.0.0.1 that answers each chat completion validly, or with the fault a test asks for.

    with FaultOpenAIServer(lambda n, body: "hang" if n == 0 else "ok") as server:
        ... server.base_url, server.count, server.faults_served ...

``plan(n, body)`` chooses, for the n-th request (from 0) and its JSON body, one of
:data:`FAULTS`. The server is bounded: a "hang" waits until the server is stopped (or
``hang_seconds``), so no test can outlive its ``with`` block by more than that.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Callable
from typing import Any

from .openai_double import _LoadServer, _Loopback, _reply, answer_completion, completion

FAULTS = (
    "ok",  # a valid answer (the schema's first value id)
    "500",  # HTTP 500 with an OpenAI-style error body, Retry-After: 0
    "429",  # HTTP 429 rate_limit_exceeded, Retry-After: 0
    "quota",  # HTTP 429 insufficient_quota (never succeeds)
    "401",  # HTTP 401 bad key
    "404",  # HTTP 404 model not found
    "context",  # HTTP 400 context_length_exceeded
    "html",  # HTTP 200 with an HTML page (a proxy's error page)
    "garbage",  # HTTP 200 with a body that is not JSON
    "bad_json",  # a completion whose answer is malformed JSON
    "empty",  # a completion with no content and no tool call
    "hang",  # accepts the request and never answers
    "drop",  # closes the connection without an answer
)

Plan = Callable[[int, dict[str, Any]], str]


class FaultOpenAIServer(_Loopback):
    def __init__(self, plan: Plan, hang_seconds: float = 60.0) -> None:
        self.plan = plan
        self.hang_seconds = hang_seconds
        self.count = 0
        self.faults_served: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # /v1/models: a server that is up
                _reply(self, 200, json.dumps({"object": "list", "data": []}).encode())

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                body = json.loads(raw)
                with outer.lock:
                    n = outer.count
                    outer.count += 1
                    fault = outer.plan(n, body)
                    outer.faults_served.append(fault)
                    outer.bodies.append(body)
                outer._serve_fault(self, fault, body)

            def log_message(self, *args: object) -> None:
                pass

        self._serve(Handler, _LoadServer)

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        super().__exit__(*exc)

    def _serve_fault(
        self, handler: http.server.BaseHTTPRequestHandler, fault: str, body: dict[str, Any]
    ) -> None:
        def error(status: int, message: str, code: str, kind: str = "invalid_request_error"):
            payload = {"error": {"message": message, "type": kind, "code": code}}
            _reply(handler, status, json.dumps(payload).encode(), headers={"Retry-After": "0"})

        if fault == "ok":
            _reply(handler, 200, json.dumps(answer_completion(body)).encode())
        elif fault == "500":
            error(500, "The server had an error while processing your request.", "server_error")
        elif fault == "429":
            error(429, "Rate limit reached for requests", "rate_limit_exceeded", "requests")
        elif fault == "quota":
            quota = "insufficient_quota"
            error(429, "You exceeded your current quota", quota, quota)
        elif fault == "401":
            error(401, "Incorrect API key provided", "invalid_api_key")
        elif fault == "404":
            error(404, "The model `m` does not exist", "model_not_found")
        elif fault == "context":
            error(
                400,
                "This model's maximum context length is 8192 tokens.",
                "context_length_exceeded",
            )
        elif fault == "html":
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            _reply(handler, 200, page, "text/html")
        elif fault == "garbage":
            _reply(handler, 200, b"\x00\x01 this is not json {", "application/json")
        elif fault == "bad_json":
            bad = '{"indicators": [{"name": "x", "value_id": '
            answer = (
                completion(tool_args=bad) if body.get("tools") else completion(bad)
            )  # finish_reason stop: a malformed answer, not a truncated one
            _reply(handler, 200, json.dumps(answer).encode())
        elif fault == "empty":
            _reply(handler, 200, json.dumps(completion(None)).encode())
        elif fault == "hang":
            self.stopping.wait(self.hang_seconds)
            handler.close_connection = True
        elif fault == "drop":
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
        else:  # pragma: no cover - a test asked for a fault this double does not know
            raise ValueError(f"unknown fault {fault!r}: use one of {FAULTS}")


def chunk_text(body: dict[str, Any]) -> str:
    """The chunk a chat completion request is about: its first user message (a re-ask
    appends the model's answer and the errors after it)."""
    users = [m for m in body.get("messages") or [] if m.get("role") == "user"]
    return str(users[0]["content"]) if users else ""
