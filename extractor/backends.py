"""Build the backend a user asked for: rules, openai (any compatible endpoint), local.

    with open_backend(BackendOptions(kind="local")) as backend:
        run = extract_document(doc, backend)

Without ``kind`` the choice is automatic: an LLM when OPENAI_API_KEY or a base URL is
configured, else the rules backend (and the caller says so).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .extraction import Backend, LLMBackend, RulesBackend
from .localmodel import LocalServer, default_model_path, model_alias
from .usage import load_prices

if TYPE_CHECKING:
    from .llm import ResponseCache

KINDS = ("rules", "openai", "local")
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
LOCAL_BUDGET = 450  # tokens per chunk for a 1.5B model on a CPU (~10 output tokens/s)
LLM_BUDGET = 3000


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


@contextmanager
def open_backend(options: BackendOptions) -> Iterator[Backend]:
    kind = choose_kind(options)
    if kind == "rules":
        yield RulesBackend(budget=options.budget or 1200)
        return
    # imported here: the openai SDK takes a second to import, which the rules backend and
    # the analysis processes of a batch do not need
    from .llm import LLMClient, LLMSettings

    prices = load_prices(options.prices)
    if kind == "openai":
        settings = LLMSettings(
            model=options.model or DEFAULT_OPENAI_MODEL,
            base_url=options.base_url,
            api_key=options.api_key,
            mode=options.mode or ("json_schema" if options.llamacpp else "tools"),
            llamacpp=options.llamacpp,
            max_tokens=options.max_tokens or 4096,
            reasks=options.reasks,
        )
        client = LLMClient(settings, prices, _cache(options))
        with closing(LLMBackend(client, "openai", options.budget or LLM_BUDGET)) as backend:
            yield backend
        return
    path = options.model_path or default_model_path()
    with LocalServer(path) as base_url:
        settings = LLMSettings(
            model=options.model or model_alias(path),
            base_url=base_url,
            mode=options.mode or "json_schema",
            llamacpp=True,
            max_tokens=options.max_tokens or 1536,
            reasks=options.reasks,
        )
        client = LLMClient(settings, prices, _cache(options))
        with closing(LLMBackend(client, "local", options.budget or LOCAL_BUDGET)) as backend:
            yield backend
