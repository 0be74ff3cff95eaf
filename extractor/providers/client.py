"""One client for every LLM: the openai SDK with a base_url, instructor on top.

OpenAI, Azure, vLLM, Ollama and the embedded llama.cpp server are all reached the same
way. Per call: temperature 0, a token cap, instructor re-asks on validation errors
(``reasks``), transient HTTP failures retried below instructor
(:mod:`.transport`), token usage summed over every attempt and priced from
a price table, and the response cache (:mod:`.cache`) so a re-run costs nothing.

Modes: ``tools`` (instructor Mode.TOOLS, the default for OpenAI) and ``json_schema``
(Mode.JSON_SCHEMA; with ``llamacpp=True`` the request is rewritten to the shape
llama.cpp enforces as a grammar, see :mod:`.transport`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

import httpx2
import instructor
import openai
import pydantic
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorError,
    InstructorRetryException,
)
from instructor.processing.response import handle_response_model, process_response

from ..catalog import Catalog
from ..errors import ProviderError
from ..extraction.revision import ChunkRevision, narrowed_revision, revision_scope
from ..extraction.usage import CallFailed, PriceTable, Truncated, Usage, load_prices
from ..quantities import Quantity
from ..schema import ChunkExtraction, narrowed_model, validation_scope
from .cache import ResponseCache
from .settings import MODE_NAMES, LLMSettings, resolve_api_key
from .transport import RequestStats, ResilientTransport, counting

# token usage of each answer of the call in progress, per thread or task: instructor
# reports answers through a client-wide hook, and a batch makes many calls at once
_ATTEMPTS: ContextVar[list[tuple[int, int]] | None] = ContextVar("llm_attempts", default=None)
MODES = {name: instructor.Mode[name.upper()] for name in MODE_NAMES}  # TOOLS, JSON_SCHEMA


# ------------------------------------------------------------------------------ client


class LLMClient:
    """Structured extraction calls against one OpenAI-compatible endpoint.

    ``diagnose`` (the embedded server's) says why the endpoint is gone when a request
    cannot connect: a crashed process is reported as such, not as a bad --base-url.
    """

    def __init__(
        self,
        settings: LLMSettings,
        prices: PriceTable | None = None,
        cache: ResponseCache | None = None,
        transport: ResilientTransport | None = None,
        diagnose: Callable[[], str | None] | None = None,
    ) -> None:
        self.settings = settings
        self.prices = prices or load_prices()
        self.cache = cache
        self.diagnose = diagnose
        self.transport = transport or ResilientTransport(
            attempts=settings.http_attempts,
            timeout_attempts=settings.timeout_attempts,
            llamacpp_schema=settings.llamacpp,
        )
        self.transport.llamacpp_schema = settings.llamacpp
        if diagnose is not None:
            self.transport.gone = lambda: diagnose() is not None
        http_client = openai.DefaultHttpxClient(transport=self.transport)
        self.openai = openai.OpenAI(
            api_key=resolve_api_key(settings.api_key, settings.base_url),
            base_url=settings.base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=http_client,
        )
        self.client = instructor.from_openai(self.openai, mode=MODES[settings.mode])
        self.client.on("completion:response", self._on_response)

    def _on_response(self, response: Any) -> None:
        attempts = _ATTEMPTS.get()
        if attempts is None:
            return
        usage = getattr(response, "usage", None)
        if usage is not None:
            attempts.append((usage.prompt_tokens or 0, usage.completion_tokens or 0))
        else:
            attempts.append((0, 0))

    def _usage(self, stats: RequestStats, started: float) -> Usage:
        attempts = _ATTEMPTS.get() or []
        inp = sum(i for i, _ in attempts)
        out = sum(o for _, o in attempts)
        return Usage(
            calls=len(attempts),
            input_tokens=inp,
            output_tokens=out,
            cost=self.prices.cost(self.settings.model, inp, out),
            requests=stats.requests,
            retries=stats.retries,
            timeouts=stats.timeouts,
            seconds=time.monotonic() - started,
        )

    def extract(
        self,
        system: str,
        user: str,
        quantities: dict[str, Quantity],
        catalog: Catalog,
        prompt_id: str,
    ) -> tuple[ChunkExtraction, Usage]:
        """Ask for a ChunkExtraction of ``user``.

        Raises CallFailed (with what the attempts cost) when this chunk got no valid
        answer, and ProviderError only when the endpoint as a whole is unusable (bad
        key, no quota, unknown model, nothing listening): then no other chunk can
        succeed either.
        """
        answer, usage = self._structured(
            system,
            user,
            prompt_id,
            narrowed_model(quantities, catalog),
            validation_scope(quantities, catalog),
        )
        return ChunkExtraction.model_validate(answer.model_dump()), usage

    def revise(
        self,
        system: str,
        user: str,
        draft: ChunkExtraction,
        catalog: Catalog,
        prompt_id: str,
    ) -> tuple[ChunkRevision, Usage]:
        """Ask for the changes to ``draft`` (the hybrid backend); errors as :meth:`extract`."""
        # llama.cpp: a grammar of the draft's ids; a hosted model: the plain schema
        model = narrowed_revision(draft, catalog) if self.settings.llamacpp else ChunkRevision
        answer, usage = self._structured(
            system,
            user,
            prompt_id,
            model,
            revision_scope(draft, catalog),
        )
        return ChunkRevision.model_validate(answer.model_dump()), usage

    def _structured(
        self,
        system: str,
        user: str,
        prompt_id: str,
        response_model: type[pydantic.BaseModel],
        scope: AbstractContextManager[None],
    ) -> tuple[pydantic.BaseModel, Usage]:
        """One structured call: from the cache, or asked (with re-asks) and cached."""
        key = ResponseCache.key(self.settings.model, prompt_id, self.settings.mode, system, user)
        with scope:
            if self.cache is not None:
                cached = self.cache.get(key)
                if cached is not None:
                    try:
                        return response_model.model_validate_json(cached), Usage(cached_calls=1)
                    except ValueError:
                        pass  # stale (schema or catalog changed): ask again
            attempts = _ATTEMPTS.set([])  # this call's answers, whatever thread it is in
            started = time.monotonic()
            try:
                with counting() as stats:
                    try:
                        result = self._ask(system, user, response_model)
                    except (CallFailed, ProviderError) as exc:
                        exc.usage = self._usage(stats, started)
                        raise
                    usage = self._usage(stats, started)
            finally:
                _ATTEMPTS.reset(attempts)
        if self.cache is not None:
            self.cache.put(key, self.settings.model, prompt_id, result.model_dump_json(), usage)
        return result, usage

    def _request(
        self, system: str, user: str, response_model: type[pydantic.BaseModel]
    ) -> dict[str, Any]:
        """What is asked for a chunk: the same for a call and for a provider batch."""
        return {
            "model": self.settings.model,
            "response_model": response_model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0,
            "max_tokens": self.settings.max_tokens,
        }

    def _ask(
        self, system: str, user: str, response_model: type[pydantic.BaseModel]
    ) -> pydantic.BaseModel:
        """One chunk's call; CallFailed's usage is filled in by :meth:`_structured`."""
        try:
            answer, _completion = self.client.chat.completions.create_with_completion(
                **self._request(system, user, response_model),
                max_retries=self.settings.reasks,
                strict=False,
            )
        except IncompleteOutputException as exc:
            raise Truncated(
                f"the answer hit the {self.settings.max_tokens}-token cap (finish_reason=length)",
                Usage(),
            ) from exc
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, openai.APIError):
                raise self._api_error(cause) from cause
            if isinstance(cause, IncompleteOutputException):
                raise Truncated("the answer hit the token cap on a re-ask", Usage()) from exc
            if cause is None or isinstance(cause, pydantic.ValidationError):
                what = "no valid answer"  # the model answered, but not by the contract
            else:  # an HTML page, a body that is not JSON, a completion with no choices
                what = "the endpoint's answer is not a readable chat completion"
            raise CallFailed(
                f"{what} after {exc.n_attempts} attempt(s): {_in_words(cause or exc)}",
                Usage(),
            ) from exc
        except openai.APIError as exc:
            raise self._api_error(exc) from exc
        validated: pydantic.BaseModel = answer  # instructor returns the response_model's
        return validated

    def _api_error(self, exc: openai.APIError) -> ProviderError | CallFailed:
        """The error a failed request becomes: run-wide or this chunk's."""
        if isinstance(exc, openai.APIConnectionError) and self.diagnose is not None:
            died = self.diagnose()
            if died is not None:
                return ProviderError(died, exc)
        return classify_api_error(exc, self.settings)

    # -- provider batches: the same request, answered later ---------------------------

    def batch_request(
        self, system: str, user: str, quantities: dict[str, Quantity], catalog: Catalog
    ) -> dict[str, Any]:
        """The body of the first request :meth:`extract` sends for this chunk, as JSON: one
        line of an OpenAI Batch API input file (a batch has no re-asks)."""
        request = self._request(system, user, narrowed_model(quantities, catalog))
        _, kwargs = handle_response_model(
            request.pop("response_model"), mode=MODES[self.settings.mode], **request
        )
        body: dict[str, Any] = json.loads(json.dumps(kwargs, ensure_ascii=False))
        return body

    def parse_batch_answer(
        self,
        response: dict[str, Any],
        quantities: dict[str, Quantity],
        catalog: Catalog,
        discount: float,
    ) -> tuple[ChunkExtraction, Usage]:
        """A chat completion from a batch's output file, validated as :meth:`extract`
        validates an answer; its usage is priced with the batch ``discount``."""
        usage = Usage(calls=1)
        try:
            completion = openai.types.chat.ChatCompletion.model_validate(response)
        except ValueError as exc:
            reason = f"the batch answer is not a chat completion: {_short(str(exc))}"
            raise CallFailed(reason, usage) from exc
        if completion.usage is not None:
            usage.input_tokens = completion.usage.prompt_tokens or 0
            usage.output_tokens = completion.usage.completion_tokens or 0
        cost = self.prices.cost(self.settings.model, usage.input_tokens, usage.output_tokens)
        usage.cost = None if cost is None else cost * discount
        model, _ = handle_response_model(
            narrowed_model(quantities, catalog), mode=MODES[self.settings.mode]
        )
        with validation_scope(quantities, catalog):
            try:
                answer = process_response(
                    completion,
                    response_model=model,
                    stream=False,
                    strict=False,
                    mode=MODES[self.settings.mode],
                )
            except IncompleteOutputException as exc:
                raise Truncated(
                    f"the batch answer hit the {self.settings.max_tokens}-token cap "
                    "(finish_reason=length)",
                    usage,
                ) from exc
            except (ValueError, InstructorError) as exc:  # pydantic's ValidationError included
                raise CallFailed(
                    f"the batch answer is not valid (a batch has no re-asks; run without "
                    f"--openai-batch to re-ask): {_short(str(exc))}",
                    usage,
                ) from exc
            return ChunkExtraction.model_validate(answer.model_dump()), usage

    def close(self) -> None:
        """Close the HTTP connections (the SDK's pool and the transport's)."""
        self.openai.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


SHOWN_ERRORS = 3  # the schema errors named in one line


def _in_words(exc: BaseException) -> str:
    """Why an answer was refused, in one line of words: a schema mismatch as "where:
    what" for its first few errors (not pydantic's dump with its input, types and URL)."""
    if not isinstance(exc, pydantic.ValidationError):
        return _short(str(exc))
    errors = exc.errors(include_url=False, include_input=False)
    said = []
    for e in errors[:SHOWN_ERRORS]:
        where = ".".join(str(part) for part in e.get("loc", ()))
        what = str(e.get("msg", "")).removeprefix("Value error, ")
        said.append(f"{where}: {what}" if where else what)
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    return _short("; ".join(said) + more)


def _short(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_code(exc: openai.APIError) -> str | None:
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or error.get("type") or "") or None
    return None


def classify_api_error(exc: openai.APIError, settings: LLMSettings) -> ProviderError | CallFailed:
    """Run-wide (ProviderError) only when no other request to this endpoint can succeed
    either: the key is refused, the quota is spent, the model or URL does not exist, or
    nothing answers at the address. Everything else fails one chunk (CallFailed) and
    the run goes on: a request the endpoint rejects (context length, content filter), a
    5xx or 429 that outlasted the retries, a timeout, a dropped connection, an answer
    that is not a chat completion."""
    status = getattr(exc, "status_code", None)
    code = _error_code(exc)
    detail = _short(str(exc), 300)
    if isinstance(exc, openai.AuthenticationError):
        return ProviderError("the provider refused the API key (401): check OPENAI_API_KEY", exc)
    if isinstance(exc, openai.PermissionDeniedError):
        return ProviderError(
            f"the provider denied access (403): check the key's permissions: {detail}", exc
        )
    if isinstance(exc, openai.RateLimitError) and code == "insufficient_quota":
        return ProviderError(
            "the provider says the quota is used up (429 insufficient_quota): add credit or "
            "use another key; retrying does not help",
            exc,
        )
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(
            f"the endpoint has no model {settings.model!r} or no chat completions at "
            f"{settings.base_url or 'the OpenAI API'} (404): check --model and --base-url: "
            f"{detail}",
            exc,
        )
    if isinstance(exc, openai.APITimeoutError):
        return CallFailed(
            f"no answer within {settings.timeout:g} s ({settings.timeout_attempts} "
            "attempt(s) timed out); raise --timeout if the model is slow",
            Usage(),
        )
    if isinstance(exc, openai.APIConnectionError):
        if isinstance(exc.__cause__, httpx2.ConnectError):
            where = settings.base_url or "the OpenAI API"
            return ProviderError(
                f"cannot connect to the LLM endpoint at {where}: {_short(str(exc.__cause__))}; "
                "check --base-url and that the server is running",
                exc,
            )
        return CallFailed(
            "the endpoint closed the connection without answering "
            f"({_short(str(exc.__cause__ or exc), 200)}), after retries",
            Usage(),
        )
    if isinstance(exc, openai.RateLimitError):
        return CallFailed(f"still rate limited (429) after retries: {detail}", Usage())
    if isinstance(exc, openai.APIStatusError):
        server = bool(status and status >= 500)
        kind = "server error" if server else "request rejected"
        label = (
            f"HTTP {status}" + (f" {code}" if code else "") + (", after retries" if server else "")
        )
        return CallFailed(f"{kind} ({label}): {detail}", Usage())
    return CallFailed(f"the endpoint's answer could not be read: {detail}", Usage())
