"""A test double for an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 that
records each request and answers from a script of canned responses."""

from __future__ import annotations

import email.parser
import email.policy
import http.server
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self


@dataclass
class Canned:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def answer_completion(body: dict[str, Any]) -> dict[str, Any]:
    """The chat completion :class:`EchoOpenAIServer` answers ``body`` with: the answer as
    a tool call when the request offers a tool, else as content."""
    answer = json.dumps(answer_from_schema(body), ensure_ascii=False)
    if body.get("tools"):
        return completion(tool_args=answer, prompt_tokens=1000, completion_tokens=50)
    return completion(answer, prompt_tokens=1000, completion_tokens=50)


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


def _reply(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    payload: bytes,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


class _Loopback:
    """An HTTP server on 127.0.0.1, in a thread, for the time of a ``with`` block."""

    def _serve(
        self,
        handler: type[http.server.BaseHTTPRequestHandler],
        server: type[http.server.ThreadingHTTPServer] = http.server.ThreadingHTTPServer,
    ) -> None:
        self.server = server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class CannedOpenAIServer(_Loopback):
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
                _reply(self, canned.status, payload, headers=canned.headers)

            def log_message(self, *args: object) -> None:
                pass

        self._serve(Handler)


def answer_from_schema(body: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for whatever chunk was sent, read off the request's narrowed schema
    (in response_format or in the tool): a ChunkExtraction with one indicator valued by
    the first id allowed, or, to a hybrid request, a ChunkRevision renaming that id."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}
    if body.get("tools"):
        schema = body["tools"][0]["function"]["parameters"]
    change = schema.get("$defs", {}).get("Change")
    if change is not None:  # ids from the grammar, else from the draft in the message
        first = change["properties"]["id"].get("enum") or _drafted_ids(body)
        return {
            "changes": [{"id": first[0], "name": _words_before(body, first[0])}] if first else []
        }
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


def _words_before(body: dict[str, Any], qid: str) -> str:
    """The double's name for a value: the three words before its tag (words of the text,
    as the hybrid backend requires of a name)."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    m = re.search(r"((?:[^\W\d_]+ ){1,3})\[" + re.escape(qid) + ":", user)
    return m.group(1).strip() if m else "-"


def _drafted_ids(body: dict[str, Any]) -> list[str]:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    lines = user.split("Draft:\n", 1)[1].splitlines()[1:] if "Draft:\n" in user else []
    return [line.split()[0] for line in lines if line.strip()]


class _LoadServer(http.server.ThreadingHTTPServer):
    """Many clients at once: the listen backlog is set before listen() (socketserver's
    default of 5 drops connections beyond it, and their SYN is retried a second later)."""

    daemon_threads = True
    request_queue_size = 256


class EchoOpenAIServer(_Loopback):
    """A test double that answers every chat completion validly after ``delay`` seconds,
    counting requests; usage is reported as 1,000 input and 50 output tokens."""

    def __init__(self, delay: float = 0.0) -> None:
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
                _reply(self, 200, json.dumps(answer_completion(body)).encode())

            def log_message(self, *args: object) -> None:
                pass

        self._serve(Handler, _LoadServer)


class BatchOpenAIServer(_Loopback):
    """A test double for OpenAI's files and batches endpoints on 127.0.0.1.

    Uploads are kept in memory. A batch is ``validating`` when created, ``in_progress``
    at the first poll, and ends at the poll after ``hold`` is set (it is set from the
    start unless the test clears it): every request is answered as
    :class:`EchoOpenAIServer` would, except the lines of an input file numbered in
    ``fail`` (from 0), which go to the error file, and when ``expire`` is set, the
    second half of the requests, which get no answer and the batch ends ``expired``.
    Chat completions are refused (404), so a test sees that nothing went the synchronous
    way.
    """

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, str, bytes]] = {}  # id -> (name, purpose, data)
        self.batches: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.fail: set[int] = set()
        self.expire = False
        self.hold = threading.Event()
        self.hold.set()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _json(self, status: int, body: dict[str, Any]) -> None:
                _reply(self, status, json.dumps(body).encode())

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.requests.append(("POST", self.path))
                if self.path == "/v1/files":
                    self._json(200, outer._upload(self.headers["content-type"], raw))
                elif self.path == "/v1/batches":
                    self._json(200, outer._create(json.loads(raw)))
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}"}})

            def do_GET(self) -> None:
                outer.requests.append(("GET", self.path))
                parts = self.path.strip("/").split("/")
                if parts[:2] == ["v1", "batches"] and len(parts) == 3 and parts[2] in outer.batches:
                    self._json(200, outer._poll(parts[2]))
                elif parts[:2] == ["v1", "files"] and len(parts) == 4 and parts[3] == "content":
                    _reply(self, 200, outer.files[parts[2]][2], "application/octet-stream")
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}"}})

            def log_message(self, *args: object) -> None:
                pass

        self._serve(Handler, _LoadServer)

    def input_lines(self) -> list[dict[str, Any]]:
        """Every request line of every batch input file uploaded so far."""
        return [
            json.loads(line)
            for _, purpose, data in self.files.values()
            if purpose == "batch"
            for line in data.decode().splitlines()
        ]

    def _add_file(self, name: str, purpose: str, data: bytes) -> dict[str, Any]:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = (name, purpose, data)
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 1_700_000_000,
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }

    def _upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields: dict[str, tuple[str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_param("filename", header="content-disposition")
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            fields[str(name)] = (str(filename), payload)
        filename, data = fields["file"]
        return self._add_file(filename, fields["purpose"][1].decode(), data)

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        batch_id = f"batch_{len(self.batches) + 1}"
        lines = self.files[body["input_file_id"]][2].decode().splitlines()
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "metadata": body.get("metadata"),
            "status": "validating",
            "created_at": 1_700_000_000,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }
        return self.batches[batch_id]

    def _poll(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        if batch["status"] == "validating":
            batch["status"] = "in_progress"
        elif batch["status"] == "in_progress" and self.hold.is_set():
            self._finish(batch)
        return batch

    def _finish(self, batch: dict[str, Any]) -> None:
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]][2].decode().splitlines()]
        answered = lines[: len(lines) // 2] if self.expire else lines
        out, err = [], []
        for n, line in enumerate(answered):
            cid = line["custom_id"]
            if n in self.fail:
                err.append(
                    {
                        "id": f"batch_req_{n}",
                        "custom_id": cid,
                        "response": {
                            "status_code": 400,
                            "request_id": f"req_{n}",
                            "body": {"error": {"message": "bad request", "code": "invalid"}},
                        },
                        "error": None,
                    }
                )
                continue
            out.append(
                {
                    "id": f"batch_req_{n}",
                    "custom_id": cid,
                    "response": {
                        "status_code": 200,
                        "request_id": f"req_{n}",
                        "body": answer_completion(line["body"]),
                    },
                    "error": None,
                }
            )
        for records, key in ((out, "output_file_id"), (err, "error_file_id")):
            if records:
                data = "".join(json.dumps(r) + "\n" for r in records).encode()
                batch[key] = self._add_file(f"{batch['id']}_{key}.jsonl", "batch_output", data)[
                    "id"
                ]
        batch["status"] = "expired" if self.expire else "completed"
        batch["request_counts"] = {"total": len(lines), "completed": len(out), "failed": len(err)}
