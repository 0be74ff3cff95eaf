"""vcrpy configuration shared by the tests and the re-recording script.

Cassettes replay real LLM calls in CI with record mode ``none``: a request that is not
in its cassette fails, it never reaches a network. They are stored as YAML with JSON
bodies parsed (Vietnamese kept readable, key order kept) so a reviewer can read the
prompts and answers in a diff. Request headers that could carry a secret are dropped,
and so are response headers that identify an account.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import vcr
import yaml

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
SECRET_REQUEST_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
]
DROP_RESPONSE_HEADERS = {
    "set-cookie",
    "openai-organization",
    "openai-project",
    "x-request-id",
    "date",
    "server",
}


def _json_or_text(body: Any) -> Any:
    if body is None:
        return None
    raw = body if isinstance(body, str) else bytes(body).decode("utf-8", errors="replace")
    try:
        return {"json": json.loads(raw)}
    except ValueError:
        return {"text": raw}


def _body_bytes(stored: Any) -> bytes | None:
    if stored is None:
        return None
    if isinstance(stored, dict) and "json" in stored:
        return json.dumps(stored["json"], ensure_ascii=False).encode("utf-8")
    if isinstance(stored, dict) and "text" in stored:
        return str(stored["text"]).encode("utf-8")
    return stored if isinstance(stored, bytes) else str(stored).encode("utf-8")


class ReadableSerializer:
    """YAML with parsed JSON bodies and unescaped Vietnamese."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        out = {"version": cassette.get("version", 1), "interactions": []}
        for it in cassette["interactions"]:
            req, resp = dict(it["request"]), dict(it["response"])
            req["body"] = _json_or_text(req.get("body"))
            body = resp.get("body") or {}
            resp["body"] = _json_or_text(body.get("string"))
            out["interactions"].append({"request": req, "response": resp})
        return yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        data = yaml.safe_load(text) or {"interactions": []}
        for it in data["interactions"]:
            it["request"]["body"] = _body_bytes(it["request"].get("body"))
            it["response"]["body"] = {"string": _body_bytes(it["response"].get("body")) or b""}
        return data


def _json_body(r1: Any, r2: Any) -> None:
    def parsed(r: Any) -> Any:
        body = r.body
        if body is None:
            return None
        try:
            return json.loads(body)
        except ValueError:
            return body

    b1, b2 = parsed(r1), parsed(r2)
    if b1 != b2:
        raise AssertionError("request bodies differ")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers") or {}
    response["headers"] = {
        k: v for k, v in headers.items() if k.lower() not in DROP_RESPONSE_HEADERS
    }
    return response


def make_vcr(record_mode: str = "none") -> vcr.VCR:
    my = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "query", "json_body"],
        filter_headers=SECRET_REQUEST_HEADERS,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
        serializer="readable",
    )
    my.register_serializer("readable", ReadableSerializer)
    my.register_matcher("json_body", _json_body)
    return my
