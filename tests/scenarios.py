"""The recorded LLM scenarios: shared by the tests that replay them, the evaluation
script and tools/record_cassettes.py, so replay sends byte-for-byte the requests that
were recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractor import Document, analyse
from extractor.backends import HybridBackend, LLMBackend
from extractor.chunking import Chunk, make_chunks
from extractor.providers.client import LLMClient
from extractor.providers.settings import LLMSettings
from extractor.providers.transport import ResilientTransport
from extractor.sections import Section

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
        timeout=600.0,  # the embedded server's default: a 1.5B model on 2 cores
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


# --- the hybrid backend on two gold sections (two provinces' styles) -------------------

HYBRID_BUDGET = 1500  # the hybrid backend's local-model budget
LAO_CAI_DOC = ROOT / "samples" / "lao-cai-2024-02.txt"
LAO_CAI_GOLD = ROOT / "tests" / "gold" / "lao-cai-2024-02_A-I-3.yaml"


@dataclass(frozen=True)
class GoldSection:
    """A gold-annotated section: its report, its gold file, the cassettes of each path."""

    name: str
    doc_path: Path
    gold_file: Path
    path: tuple[int, ...]  # child indexes from the root down to the section
    llm_cassette: str  # the LLM-only path (local model, LOCAL_BUDGET)
    hybrid_cassette: str  # the hybrid path (local model, HYBRID_BUDGET)

    def document(self) -> Document:
        return analyse(self.doc_path)

    def node(self, doc: Document) -> Section:
        node = doc.root
        for k in self.path:
            node = node.children[k]
        return node

    def chunks(self, doc: Document, budget: int) -> list[Chunk]:
        """The chunks with numbers that hold some of the section's text."""
        node = self.node(doc)
        return [
            c
            for c in make_chunks(doc, budget)
            if c.start < node.end and c.end > node.start and c.quantity_ids
        ]


GOLD_SECTIONS = (
    GoldSection(
        "lai-chau-2024-02 II.1",
        GOLD_DOC,
        GOLD_FILE,
        (1, 0),
        "local_gold_section.yaml",
        "local_hybrid_gold_section.yaml",
    ),
    GoldSection(
        "lao-cai-2024-02 A.I.3",
        LAO_CAI_DOC,
        LAO_CAI_GOLD,
        (0, 0, 2),
        "local_lao_cai_section.yaml",
        "local_hybrid_lao_cai_section.yaml",
    ),
)


def hybrid_backend(port: int = LOCAL_PORT, reasks: int = 2) -> HybridBackend:
    return HybridBackend(LLMClient(local_settings(port, reasks), cache=None), HYBRID_BUDGET)
