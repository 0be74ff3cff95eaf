"""Build the backend a user asked for: rules, openai (any compatible endpoint), local.

    with open_backend(BackendOptions(kind="local")) as backend:
        run = extract_document(doc, backend)

Without ``kind`` the choice is automatic: an LLM when OPENAI_API_KEY or a base URL is
configured, else the rules backend (and the caller says so).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .extraction import Backend, LLMBackend, RulesBackend
from .localmodel import LocalServer, default_model_path, model_alias
from .usage import Usage, load_prices

if TYPE_CHECKING:
    from .chunking import Chunk
    from .document import Document
    from .llm import LLMClient, ResponseCache
    from .schema import ChunkExtraction

MODE_NAMES = ("tools", "json_schema")  # instructor's TOOLS and JSON_SCHEMA modes

KINDS = ("rules", "openai", "local")
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
LOCAL_BUDGET = 450  # tokens per chunk for a 1.5B model on a CPU (~10 output tokens/s)
LLM_BUDGET = 3000
# seconds per HTTP request: a hosted model answers a chunk in well under a minute; a
# 1.5B model on two cores writes 5-10 tokens/s, and an answer may take 1,536
LLM_TIMEOUT = 120.0
LOCAL_TIMEOUT = 600.0
HTTP_ATTEMPTS = 5  # a request and up to four retries of a transient failure


@dataclass
class BackendOptions:
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


def resolve_api_key(explicit: str | None, base_url: str | None) -> str:
    key = explicit or os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if base_url:
        return "not-needed"  # local servers (llama.cpp, vLLM, Ollama) take any key
    raise ConfigError(
        "No LLM configured: set OPENAI_API_KEY or pass --base-url "
        "(or use --backend rules or --backend local)"
    )


def choose_kind(options: BackendOptions) -> str:
    if options.kind:
        if options.kind not in KINDS:
            raise ConfigError(f"unknown backend {options.kind!r}: use one of {', '.join(KINDS)}")
        return options.kind
    if options.base_url or os.environ.get("OPENAI_API_KEY"):
        return "openai"
    return "rules"


def _cache(options: BackendOptions) -> ResponseCache | None:
    from .llm import ResponseCache, default_cache_path

    if not options.use_cache:
        return None
    return ResponseCache(options.cache or default_cache_path())


class DeferredLLMBackend:
    """An OpenAI backend whose client is built on first use, or ahead of it by
    :meth:`prepare` (in a thread): importing the openai SDK and instructor and building
    the client take a second or more, which a batch re-run with nothing left to send
    never needs."""

    def __init__(self, name: str, model: str, budget: int, build: Callable[[], LLMBackend]):
        self.name = name
        self.model: str | None = model
        self.budget = budget
        self._build = build
        self._backend: LLMBackend | None = None
        self._lock = threading.Lock()

    @property
    def llm(self) -> LLMBackend:
        with self._lock:  # a batch's workers may all ask at once
            if self._backend is None:
                self._backend = self._build()
            return self._backend

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
        return self.llm.batch_request(doc, chunk)

    def parse_batch_answer(
        self, doc: Document, chunk: Chunk, response: dict[str, Any], discount: float
    ) -> tuple[ChunkExtraction, Usage]:
        return self.llm.parse_batch_answer(doc, chunk, response, discount)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


@contextmanager
def open_backend(options: BackendOptions) -> Iterator[Backend]:
    kind = choose_kind(options)
    if kind == "rules":
        yield RulesBackend(budget=options.budget or 1200)
        return
    prices = load_prices(options.prices)
    if kind == "openai":
        resolve_api_key(options.api_key, options.base_url)  # says now what is missing
        mode = options.mode or ("json_schema" if options.llamacpp else "tools")
        if mode not in MODE_NAMES:
            raise ConfigError(f"unknown mode {mode!r}: use one of {sorted(MODE_NAMES)}")
        model = options.model or DEFAULT_OPENAI_MODEL

        def build() -> LLMBackend:
            from .llm import LLMClient, LLMSettings

            settings = LLMSettings(
                model=model,
                base_url=options.base_url,
                api_key=options.api_key,
                mode=mode,
                llamacpp=options.llamacpp,
                max_tokens=options.max_tokens or 4096,
                reasks=options.reasks,
                timeout=options.timeout or LLM_TIMEOUT,
                http_attempts=options.retries + 1,
            )
            client = LLMClient(settings, prices, _cache(options))
            return LLMBackend(client, "openai", options.budget or LLM_BUDGET)

        deferred = DeferredLLMBackend("openai", model, options.budget or LLM_BUDGET, build)
        with closing(deferred):
            yield deferred
        return
    # imported here: the openai SDK takes a second to import, which the rules backend and
    # the analysis processes of a batch do not need
    from .llm import LLMClient, LLMSettings

    path = options.model_path or default_model_path()
    server = LocalServer(path)
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
        with closing(LLMBackend(client, "local", options.budget or LOCAL_BUDGET)) as backend:
            yield backend
