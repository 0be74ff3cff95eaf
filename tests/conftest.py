"""Shared fixtures: every test kept from the user's environment (no API key, a response
cache of its own), and the four real sample reports, analysed once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor import Document, analyse
from extractor.providers.client import LLMClient

from .helpers import SAMPLE_NAMES, SAMPLES, llm_client

# what extractor and the OpenAI SDK read from the environment: keys, endpoint, account,
# extra headers (OPENAI_*), and extractor's own settings (EXTRACTOR_CACHE_DIR, _DEBUG)
USER_SETTINGS = ("OPENAI_", "EXTRACTOR_")


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test sees the user's API key, endpoint or debug switch, and each test's response
    cache is a folder of its own (returned), outside its tmp_path. A test that needs a key
    sets it with monkeypatch; a child process inherits this environment (see
    helpers.subprocess_env). Fixtures of a wider scope than a function run before this."""
    for name in list(os.environ):
        if name.startswith(USER_SETTINGS):
            monkeypatch.delenv(name)
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def clients() -> Iterator[Callable[..., LLMClient]]:
    """Makes test clients (as helpers.llm_client) and closes each at teardown, so no
    connection outlives its test (an unclosed socket is an error under filterwarnings)."""
    made: list[LLMClient] = []

    def make(server: Any, **options: Any) -> LLMClient:
        made.append(llm_client(server, **options))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture(scope="session")
def docs() -> dict[str, Document]:
    return {name: analyse(SAMPLES / f"{name}.txt") for name in SAMPLE_NAMES}


@pytest.fixture(scope="session")
def lc2402(docs: dict[str, Document]) -> Document:
    return docs["lai-chau-2024-02"]
