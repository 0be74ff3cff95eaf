"""Build the backend a user asked for: rules, hybrid, openai (any compatible endpoint),
local.

    with open_backend(BackendOptions(kind="local")) as backend:
        run = extract_document(doc, backend)

Without ``kind`` the choice is automatic: the hybrid backend (rules draft every value,
the model revises names, codes, periods and links) when OPENAI_API_KEY or a base URL is
configured, else the rules backend (and the caller says so). ``openai`` and ``local``
are the LLM-only paths: the model names every value itself. :class:`LLMBackend`
adapts an :class:`~extractor.providers.client.LLMClient` to the backend interface of
:mod:`extractor.extraction.rules_backend`: the prompt, the chunk's message, the token
estimate.

The openai SDK and instructor take a second or more to import: they are imported when
an LLM backend is first used (:meth:`DeferredLLMBackend.prepare`), not when this
module is, so the rules backend, a batch with nothing left to send and the analysis
processes of a batch never pay for them.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import Catalog, load_catalog
from .chunking import Chunk
from .document import Document
from .errors import ConfigError, ProviderError
from .extraction.prompting import (
    PromptSet,
    RefinePrompts,
    chunk_message,
    load_prompts,
    load_refine_prompts,
    refine_chunk_message,
)
from .extraction.revision import ChunkRevision, Grounds, apply_revision
from .extraction.rules_backend import Backend, RulesBackend
from .extraction.usage import CallFailed, PriceTable, Usage, load_prices
from .providers.cache import ResponseCache, default_cache_path
from .providers.local import LocalServer, default_model_path, model_alias
from .providers.settings import MODE_NAMES, LLMSettings, resolve_api_key
from .schema import ChunkExtraction, narrowed_model
from .tokens import count_tokens

if TYPE_CHECKING:  # imported on first use (the openai SDK's import cost), see above
    from .providers.client import LLMClient

KINDS = ("rules", "hybrid", "openai", "local")
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
LOCAL_BUDGET = 450  # tokens per chunk for a 1.5B model on a CPU (~10 output tokens/s)
LLM_BUDGET = 3000
# the hybrid backend sends the chunk's text, its tags and the rules' draft: larger chunks
# pay the fixed part of the prompt (instructions, example) more rarely
HYBRID_BUDGET = 10000
HYBRID_LOCAL_BUDGET = 1500
CHAT_OVERHEAD = 17  # role markers and separators of two chat messages
# seconds per HTTP request: a hosted model answers a chunk in well under a minute; a
# 1.5B model on two cores writes 5-10 tokens/s, and an answer may take 1,536
LLM_TIMEOUT = 120.0
LOCAL_TIMEOUT = 600.0


class LLMBackend:
    """Any OpenAI-compatible endpoint through :class:`~extractor.providers.client.LLMClient`."""

    def __init__(
        self,
        client: LLMClient,
        name: str = "openai",
        budget: int = 3000,
        prompts: PromptSet | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.client = client
        self.name = name
        self.model: str | None = client.settings.model
        self.budget = budget
        self.prompts = prompts or load_prompts()
        self.catalog = catalog or load_catalog()

    @property
    def prices(self) -> PriceTable:
        return self.client.prices

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        message, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.extract(
            self.prompts.system, message, quantities, self.catalog, self.prompts.id
        )

    def batch_request(self, doc: Document, chunk: Chunk) -> dict[str, Any]:
        """The request :meth:`extract` would send first, for a provider batch."""
        message, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.batch_request(self.prompts.system, message, quantities, self.catalog)

    def parse_batch_answer(
        self, doc: Document, chunk: Chunk, response: dict[str, Any], discount: float
    ) -> tuple[ChunkExtraction, Usage]:
        """A provider batch's answer to :meth:`batch_request`, validated against the chunk."""
        _, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.parse_batch_answer(response, quantities, self.catalog, discount)

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        """Estimated input tokens of the first call for ``chunk``: both messages plus the
        chat template's overhead, plus the request schema where the provider counts it
        (OpenAI; llama.cpp turns it into a grammar instead)."""
        message, quantities = chunk_message(doc, chunk, self.catalog)
        tokens = count_tokens(self.prompts.system) + count_tokens(message) + CHAT_OVERHEAD
        if not self.client.settings.llamacpp:
            schema = narrowed_model(quantities, self.catalog).model_json_schema()
            tokens += count_tokens(json.dumps(schema, ensure_ascii=False))
        return tokens

    def close(self) -> None:
        self.client.close()


class HybridBackend:
    """The rules draft every value; the model answers with what it would change (names,
    catalog codes, periods, parent links, a number that is no value), by id. A value it
    does not mention keeps the draft, and a chunk whose answer stays invalid after the
    re-asks keeps the whole draft (``llm = "failed: <reason>"``): a hybrid run never has
    fewer values than a rules run."""

    def __init__(
        self,
        client: LLMClient,
        budget: int = HYBRID_BUDGET,
        rules: RulesBackend | None = None,
        prompts: RefinePrompts | None = None,
        catalog: Catalog | None = None,
        name: str = "hybrid",
    ) -> None:
        self.client = client
        self.name = name
        self.model: str | None = client.settings.model
        self.budget = budget
        self.catalog = catalog or load_catalog()
        self.rules = rules or RulesBackend(self.catalog, budget)
        self.prompts = prompts or load_refine_prompts()
        self.unusable: str | None = None  # why the endpoint failed as a whole, if it did

    @property
    def prices(self) -> PriceTable:
        return self.client.prices

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        draft, _ = self.rules.extract(doc, chunk)
        if not draft.indicators:
            return draft, Usage()
        if self.unusable is not None:  # the endpoint failed as a whole: drafts from now on
            return _kept(draft, self.unusable), Usage()
        message, quantities = refine_chunk_message(doc, chunk, draft, self.catalog)
        try:
            revision, usage = self.client.revise(
                self.prompts.system, message, draft, self.catalog, self.prompts.id
            )
        except CallFailed as exc:  # invalid after the re-asks, truncated, timed out
            return _kept(draft, exc.reason), exc.usage
        except ProviderError as exc:  # nothing listening, a refused key, no quota: the
            # rules' values are kept for this chunk and every one after, and the model is
            # not asked again by this run (the next run asks again)
            self.unusable = f"the endpoint failed: {exc}"
            cost = exc.usage if isinstance(exc.usage, Usage) else Usage()
            return _kept(draft, self.unusable), cost
        grounds = Grounds(doc.text, doc.meta.kind, chunk.breadcrumb or "")
        merged, changed = apply_revision(draft, revision, quantities, self.catalog, grounds)
        merged._changed = changed
        merged._llm = "refined"
        return merged, usage

    def forget(self, doc: Document) -> None:
        self.rules.forget(doc)

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        draft, _ = self.rules.extract(doc, chunk)
        if not draft.indicators:
            return 0
        message, _ = refine_chunk_message(doc, chunk, draft, self.catalog)
        tokens = count_tokens(self.prompts.system) + count_tokens(message) + CHAT_OVERHEAD
        if not self.client.settings.llamacpp:
            schema = ChunkRevision.model_json_schema()
            tokens += count_tokens(json.dumps(schema, ensure_ascii=False))
        return tokens

    def close(self) -> None:
        self.client.close()


def _kept(draft: ChunkExtraction, why: str) -> ChunkExtraction:
    """The rules' draft, kept because the model's answer failed (``llm = "failed: ..."``)."""
    kept = draft.model_copy()
    kept._llm = f"failed: {why}"
    return kept


HTTP_ATTEMPTS = 5  # a request and up to four retries of a transient failure


@dataclass
class BackendOptions:
    """What a user asked for of a backend (the CLI flags, or the library's caller): kind,
    model, endpoint, key, cache, budget. :func:`open_backend` turns it into a backend."""

    kind: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    mode: str | None = None  # tools | json_schema
    llamacpp: bool = False
    model_path: Path | None = None
    prices: Path | None = None
    cache: Path | None = None
    use_cache: bool = True
    reasks: int = 2
    max_tokens: int | None = None
    budget: int | None = None
    timeout: float | None = None  # seconds per request (default per backend)
    retries: int = HTTP_ATTEMPTS - 1  # per request, after a transient failure
    threads: int | None = None  # the embedded server's (default: the free cores)


def choose_kind(options: BackendOptions) -> str:
    if options.kind:
        if options.kind not in KINDS:
            raise ConfigError(f"unknown backend {options.kind!r}: use one of {', '.join(KINDS)}")
        return options.kind
    if options.base_url or os.environ.get("OPENAI_API_KEY"):
        return "hybrid"
    return "rules"


def _cache(options: BackendOptions) -> ResponseCache | None:
    if not options.use_cache:
        return None
    return ResponseCache(options.cache or default_cache_path())


class DeferredLLMBackend:
    """An OpenAI backend whose client is built on first use, or ahead of it by
    :meth:`prepare` (in a thread): importing the openai SDK and instructor and building
    the client take a second or more, which a batch re-run with nothing left to send
    never needs."""

    def __init__(
        self,
        name: str,
        model: str,
        budget: int,
        build: Callable[[], LLMBackend | HybridBackend],
        prices: PriceTable | None = None,
    ):
        self.name = name
        self.model: str | None = model
        self.budget = budget
        self.prices = prices  # known before the client is built (a cost cap checks it)
        self._build = build
        self._backend: LLMBackend | HybridBackend | None = None
        self._lock = threading.Lock()

    @property
    def llm(self) -> LLMBackend | HybridBackend:
        with self._lock:  # a batch's workers may all ask at once
            if self._backend is None:
                self._backend = self._build()
            return self._backend

    def _llm_only(self) -> LLMBackend:
        backend = self.llm
        if not isinstance(backend, LLMBackend):
            raise ConfigError("provider batches (--openai-batch) need --backend openai")
        return backend

    def prepare(self) -> None:
        self.llm  # noqa: B018 (builds it)

    @property
    def client(self) -> LLMClient:
        return self.llm.client

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        return self.llm.extract(doc, chunk)

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        return self.llm.prompt_tokens(doc, chunk)

    def batch_request(self, doc: Document, chunk: Chunk) -> dict[str, Any]:
        return self._llm_only().batch_request(doc, chunk)

    def parse_batch_answer(
        self, doc: Document, chunk: Chunk, response: dict[str, Any], discount: float
    ) -> tuple[ChunkExtraction, Usage]:
        return self._llm_only().parse_batch_answer(doc, chunk, response, discount)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


def _endpoint(options: BackendOptions) -> bool:
    """Whether an OpenAI-compatible endpoint is configured (else hybrid runs locally)."""
    return bool(options.base_url or options.api_key or os.environ.get("OPENAI_API_KEY"))


@contextmanager
def open_backend(options: BackendOptions) -> Iterator[Backend]:
    kind = choose_kind(options)
    if kind == "rules":
        yield RulesBackend(budget=options.budget or 1200)
        return
    prices = load_prices(options.prices)
    if kind == "openai" or (kind == "hybrid" and _endpoint(options)):
        resolve_api_key(options.api_key, options.base_url)  # says now what is missing
        mode = options.mode or ("json_schema" if options.llamacpp else "tools")
        if mode not in MODE_NAMES:
            raise ConfigError(f"unknown mode {mode!r}: use one of {sorted(MODE_NAMES)}")
        model = options.model or DEFAULT_OPENAI_MODEL
        budget = options.budget or (LLM_BUDGET if kind == "openai" else HYBRID_BUDGET)

        def build() -> LLMBackend | HybridBackend:
            from .providers.client import LLMClient  # the SDK's import cost, on first use

            settings = LLMSettings(
                model=model,
                base_url=options.base_url,
                api_key=options.api_key,
                mode=mode,
                llamacpp=options.llamacpp,
                # a hybrid answer names up to a 10,000-token chunk's values
                max_tokens=options.max_tokens or (8192 if kind == "hybrid" else 4096),
                reasks=options.reasks,
                timeout=options.timeout or LLM_TIMEOUT,
                http_attempts=options.retries + 1,
            )
            client = LLMClient(settings, prices, _cache(options))
            if kind == "hybrid":
                return HybridBackend(client, budget)
            return LLMBackend(client, "openai", budget)

        deferred = DeferredLLMBackend(kind, model, budget, build, prices)
        with closing(deferred):
            yield deferred
        return
    from .providers.client import LLMClient  # the SDK's import cost, when a model is used

    path = options.model_path or default_model_path()
    server = LocalServer(path, threads=options.threads)
    with server as base_url:
        settings = LLMSettings(
            model=options.model or model_alias(path),
            base_url=base_url,
            mode=options.mode or "json_schema",
            llamacpp=True,
            max_tokens=options.max_tokens or 1536,
            reasks=options.reasks,
            timeout=options.timeout or LOCAL_TIMEOUT,
            http_attempts=options.retries + 1,
        )
        client = LLMClient(settings, prices, _cache(options), diagnose=server.diagnose)
        backend: LLMBackend | HybridBackend
        if kind == "hybrid":
            backend = HybridBackend(client, options.budget or HYBRID_LOCAL_BUDGET)
        else:
            backend = LLMBackend(client, "local", options.budget or LOCAL_BUDGET)
        with closing(backend):
            yield backend
