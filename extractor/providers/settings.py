"""How to reach an LLM: the settings of one endpoint, the API key, the user cache folder.

No provider SDK is imported here: the batch runner and the analysis processes read
these without paying for the openai import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError

MODE_NAMES = ("tools", "json_schema")  # instructor's TOOLS and JSON_SCHEMA modes
DEFAULT_TIMEOUT = 120.0  # seconds per HTTP request to a hosted endpoint


@dataclass(frozen=True)
class LLMSettings:
    """How to reach one LLM endpoint: model, base URL, key (never logged or stored), output
    mode, token cap, re-asks, timeout and retries."""

    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never logged or stored
    mode: str = "tools"
    llamacpp: bool = False
    max_tokens: int = 4096
    reasks: int = 2
    timeout: float = DEFAULT_TIMEOUT  # seconds per HTTP request
    http_attempts: int = 5  # per request: the first and up to four retries
    timeout_attempts: int = 2  # of which at most this many may time out

    def __post_init__(self) -> None:
        if self.mode not in MODE_NAMES:
            raise ConfigError(f"unknown mode {self.mode!r}: use one of {sorted(MODE_NAMES)}")


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


def cache_dir() -> Path:
    """extractor's folder in the user cache: $EXTRACTOR_CACHE_DIR, else
    $XDG_CACHE_HOME/extractor, else ~/.cache/extractor."""
    base = os.environ.get("EXTRACTOR_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "extractor"
