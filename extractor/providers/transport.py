"""The HTTP layer under the openai client: retries, and the llama.cpp request shape.

Retries live here, below openai and instructor, so a transient failure is retried as
the same HTTP request and never reaches instructor (which would put the API error into a
re-ask prompt). Retried: connection errors, 429 (honouring Retry-After, except
``insufficient_quota``, which no retry fixes) and 5xx, up to ``attempts`` in all; a
timeout is retried only ``timeout_attempts - 1`` times, because a server that hangs
once usually hangs again, so a hanging endpoint costs a chunk at most
``timeout_attempts`` timeouts. Everything else returns at once. The openai client is
created with ``max_retries=0`` so nothing retries twice.

Each call can count its own requests, retries and timeouts: :func:`counting` sets a
:class:`RequestStats` for the calling thread or task, which a batch's concurrent calls
need (the transport is shared).

llama.cpp compatibility: llama-cpp-python's server (0.3.x) answers HTTP 500 to the
OpenAI ``response_format={"type": "json_schema", "json_schema": {"schema": S}}`` that
instructor's JSON_SCHEMA mode sends, but enforces ``{"type": "json_object", "schema": S}``
as a grammar. With ``llamacpp_schema=True`` the body is rewritten to that shape; against
OpenAI the request goes out unchanged.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx2
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
)

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is capped (as the openai client does)


@dataclass
class RequestStats:
    """What the transport did for one call (re-asks included)."""

    requests: int = 0
    retries: int = 0
    timeouts: int = 0


_STATS: ContextVar[RequestStats | None] = ContextVar("request_stats", default=None)


@contextmanager
def counting() -> Iterator[RequestStats]:
    """Count the requests the current thread or task sends in this block."""
    stats = RequestStats()
    token = _STATS.set(stats)
    try:
        yield stats
    finally:
        _STATS.reset(token)


def llamacpp_body(body: bytes) -> bytes:
    """Rewrite an OpenAI json_schema response_format to llama.cpp's json_object+schema."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    fmt = payload.get("response_format") if isinstance(payload, dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema")
        payload["response_format"] = {"type": "json_object", "schema": schema}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return body


def retry_after(response: httpx2.Response) -> float | None:
    """Seconds from a Retry-After (or retry-after-ms) header, if any."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _is_hopeless_429(response: httpx2.Response) -> bool:
    if response.status_code != 429:
        return False
    try:
        response.read()
        error = response.json().get("error") or {}
    except (ValueError, AttributeError, httpx2.HTTPError):
        return False
    return isinstance(error, dict) and "insufficient_quota" in (
        str(error.get("code")),
        str(error.get("type")),
    )


class ResilientTransport(httpx2.BaseTransport):
    """Retry transient failures; optionally speak llama.cpp's response_format."""

    def __init__(
        self,
        inner: httpx2.BaseTransport | None = None,
        *,
        attempts: int = 5,
        timeout_attempts: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        llamacpp_schema: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.attempts = attempts
        self.timeout_attempts = timeout_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.llamacpp_schema = llamacpp_schema
        self.sleep = sleep
        self.retries = 0  # transient failures retried so far (for the run summary)
        # says the server is gone for good (the embedded server's process died): no retry
        self.gone: Callable[[], bool] | None = None

    def _prepare(self, request: httpx2.Request) -> httpx2.Request:
        if not self.llamacpp_schema or request.method != "POST":
            return request
        body = request.read()
        new = llamacpp_body(body)
        if new is body:
            return request
        headers = dict(request.headers)
        headers["content-length"] = str(len(new))
        return httpx2.Request(
            request.method, request.url, headers=headers, content=new, extensions=request.extensions
        )

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            response: httpx2.Response = outcome.result()
            after = retry_after(response)
            if after is not None:
                return min(after, MAX_RETRY_AFTER)
        exp = min(self.max_backoff, self.backoff * 2.0 ** (state.attempt_number - 1))
        return exp * (0.5 + random.random() / 2)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request = self._prepare(request)
        stats = _STATS.get() or RequestStats()
        timeouts = 0

        def send(request: httpx2.Request) -> httpx2.Response:
            nonlocal timeouts
            stats.requests += 1
            try:
                return self.inner.handle_request(request)
            except httpx2.TimeoutException:
                stats.timeouts += 1
                timeouts += 1
                raise

        def retryable(response: httpx2.Response) -> bool:
            return response.status_code in RETRY_STATUSES and not _is_hopeless_429(response)

        def transient(exc: BaseException) -> bool:
            if self.gone is not None and self.gone():
                return False
            if isinstance(exc, httpx2.TimeoutException):
                return timeouts < self.timeout_attempts
            return isinstance(exc, httpx2.TransportError)

        def before_sleep(state: RetryCallState) -> None:
            self.retries += 1
            stats.retries += 1
            outcome = state.outcome
            if outcome is not None and not outcome.failed:
                response = outcome.result()
                response.close()
                log.warning("HTTP %s from %s, retrying", response.status_code, request.url)
            elif outcome is not None:
                log.warning("%s to %s, retrying", outcome.exception(), request.url)

        def give_up(state: RetryCallState) -> httpx2.Response:
            """Out of attempts: hand the last response to the client, or raise the error."""
            assert state.outcome is not None
            last: httpx2.Response = state.outcome.result()  # raises the last exception
            return last

        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(transient) | retry_if_result(retryable),
            before_sleep=before_sleep,
            sleep=self.sleep,
            retry_error_callback=give_up,
        )
        response: httpx2.Response = retrying(send, request)
        return response

    def close(self) -> None:
        self.inner.close()
