"""What the test modules share, so that none imports another test module or conftest.

* the paths: the repository (:data:`ROOT`), its sample reports (:data:`SAMPLES`, named
  in :data:`SAMPLE_NAMES`) and the tests' own input files (:data:`FIXTURES`);
* :func:`run_cli`: the ``extractor`` command run in this process, its output captured;
* :func:`subprocess_env`: the environment to run ``python -m extractor.cli`` (or any
  other child process) in, built from this process's as the autouse fixture left it;
* a passage drafted as the hybrid backend drafts it (:func:`draft_passage`), and an LLM
  client against a loopback test server (:func:`llm_client`, :func:`llm_call` on
  :data:`RETAIL_TEXT`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from rich.console import Console

from extractor.catalog import Catalog, load_catalog
from extractor.chunking import Chunk, make_chunks
from extractor.cli import main
from extractor.document import Document, analyse_source
from extractor.extraction.prompting import load_prompts
from extractor.extraction.rules import RulesExtractor
from extractor.extraction.usage import Usage
from extractor.loading import Source
from extractor.providers.cache import ResponseCache
from extractor.providers.client import LLMClient
from extractor.providers.settings import LLMSettings
from extractor.providers.transport import ResilientTransport
from extractor.quantities import Quantity
from extractor.schema import ChunkExtraction

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_NAMES = ("lai-chau-2021-01", "lai-chau-2023-annual", "lai-chau-2024-02", "lao-cai-2024-02")

CONSOLE_WIDTH = 300  # wide enough that no table cell or message of a test is wrapped


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``extractor *argv`` in this process: its exit code, its standard output, and its
    standard error as one line of words (a message unwrapped, whatever its length)."""
    out, err = StringIO(), StringIO()
    console, errors = (Console(file=f, width=CONSOLE_WIDTH) for f in (out, err))
    code = main(list(argv), console, errors)
    return code, out.getvalue(), " ".join(err.getvalue().split())


def subprocess_env(pythonpath: Sequence[Path] | None = (ROOT,), **extra: str) -> dict[str, str]:
    """The environment of a child process: this process's (which the autouse fixture of
    conftest has cleared of API keys and given a response cache of the test's own), with
    PYTHONPATH set to ``pythonpath`` (None: unset, for an installed command) and ``extra``.
    """
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    env.update(extra)
    return env


def draft_passage(
    text: str,
) -> tuple[Document, Chunk, ChunkExtraction, dict[str, Quantity], Catalog]:
    """A passage as the hybrid backend drafts it: its document, its one chunk, the rules'
    draft, the chunk's quantities and the catalog."""
    doc = analyse_source(Source("passage.txt", "txt", text + "\n", None))
    chunk = next(c for c in make_chunks(doc, 4000) if c.quantity_ids)
    catalog = load_catalog()
    draft = RulesExtractor(doc, catalog).extract(chunk)
    quantities = {qid: doc.quantity[qid] for qid in chunk.quantity_ids}
    return doc, chunk, draft, quantities, catalog


RETAIL_TEXT = (
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ trong tháng ước đạt 732,3 tỷ đồng, "
    "tăng 5,9% so với cùng kỳ năm trước, lũy kế đạt 1.503,9 tỷ đồng."
)


def llm_client(
    server: Any,
    mode: str = "json_schema",
    llamacpp: bool = False,
    reasks: int = 1,
    cache: ResponseCache | None = None,
    sleeps: list[float] | None = None,
) -> LLMClient:
    """A client of the loopback test server ``server`` (tests/openai_double.py), with a
    test key, three attempts per request, and no waiting between them (the waits it would
    have made are appended to ``sleeps``). Close it after use: the ``clients`` fixture of
    conftest makes clients with this and closes them."""
    transport = ResilientTransport(
        llamacpp_schema=llamacpp,
        attempts=3,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
    )
    settings = LLMSettings(
        model="gpt-4o-mini",
        base_url=server.base_url,
        api_key="sk-test",
        mode=mode,
        llamacpp=llamacpp,
        reasks=reasks,
        max_tokens=512,
    )
    return LLMClient(settings, cache=cache, transport=transport)


def llm_call(client: LLMClient, quantities: dict[str, Quantity]) -> tuple[ChunkExtraction, Usage]:
    """``client`` asked to extract :data:`RETAIL_TEXT` with the shipped prompts."""
    prompts = load_prompts()
    return client.extract(prompts.system, RETAIL_TEXT, quantities, load_catalog(), prompts.id)
