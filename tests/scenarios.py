"""The recorded LLM scenarios: shared by the tests that replay them, the evaluation
script and tools/record_cassettes.py, so replay sends byte-for-byte the requests that
were recorded."""

from __future__ import annotations

from pathlib import Path

from extractor import Document, analyse
from extractor.backends import LLMBackend
from extractor.chunking import Chunk, make_chunks
from extractor.providers.client import LLMClient
from extractor.providers.settings import LLMSettings
from extractor.providers.transport import ResilientTransport

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PORT = 8765  # the llama.cpp server while recording
FLAKY_PORT = 8766  # a loopback proxy that answers 503 once, then forwards
MODEL = "qwen2.5-coder-1.5b-instruct"
LOCAL_BUDGET = 450
GOLD_DOC = ROOT / "samples" / "lai-chau-2024-02.txt"
GOLD_FILE = ROOT / "tests" / "gold" / "lai-chau-2024-02_II-1.yaml"


def local_settings(port: int = LOCAL_PORT, reasks: int = 2) -> LLMSettings:
    return LLMSettings(
        model=MODEL,
        base_url=f"http://127.0.0.1:{port}/v1",
        mode="json_schema",
        llamacpp=True,
        max_tokens=1536,
        reasks=reasks,
    )


def local_backend(port: int = LOCAL_PORT, reasks: int = 2, sleep=None) -> LLMBackend:
    settings = local_settings(port, reasks)
    transport = ResilientTransport(llamacpp_schema=True, sleep=sleep) if sleep else None
    return LLMBackend(LLMClient(settings, cache=None, transport=transport), "local", LOCAL_BUDGET)


def gold_document() -> Document:
    return analyse(GOLD_DOC)


def gold_chunks(doc: Document) -> list[Chunk]:
    """The chunks of section II.1 (the gold-annotated section), local-model budget."""
    section = doc.root.children[1].children[0]
    return [
        c
        for c in make_chunks(doc, LOCAL_BUDGET)
        if section.start <= c.start < section.end and c.quantity_ids
    ]


def retry_chunk(doc: Document) -> Chunk:
    """A small chunk for the transport-retry scenario (crop areas of II.1.a)."""
    return next(c for c in gold_chunks(doc) if "6.116 ha" in doc.text[c.start : c.end])


REASKS = 1  # the re-ask scenario allows one re-ask


def reask_chunk(doc: Document) -> Chunk:
    """The trade chunk of II.1.c: when recorded, the model kept giving an indicator
    its own value as parent_id, so it was re-asked and then failed cleanly."""
    return next(c for c in gold_chunks(doc) if "732,3 tỷ đồng" in doc.text[c.start : c.end])
