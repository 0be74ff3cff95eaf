"""extractor: Vietnamese provincial socio-economic reports into checked data.

    import extractor

    doc = extractor.analyse("samples/lai-chau-2024-02.txt")   # load, clean, tag
    run = extractor.extract(doc)                              # facts (rules backend)
    run.relations                                             # the arithmetic it states
    findings = extractor.validate(run.relations, run.gaps)    # checked

    options = extractor.BackendOptions(base_url="http://127.0.0.1:8000/v1", model="m")
    with extractor.open_backend(options) as backend:          # any OpenAI-compatible LLM
        run = extractor.extract(doc, backend=backend)

    result = asyncio.run(extractor.run_batch(["reports.zip"], Path("run1"),
                                             extractor.RulesBackend(), extractor.BatchOptions()))

Importing extractor does not import the openai SDK or instructor: they are loaded when
an LLM backend is first used, and the deterministic core works without them.
"""

from __future__ import annotations

from pathlib import Path

from .backends import BackendOptions, open_backend
from .batch import BatchOptions, BatchResult, run_batch
from .chunking import Chunk, chunk_text, make_chunks
from .cleaning import CleanText, Footnote, clean
from .document import Document, analyse, analyse_bytes, analyse_source
from .errors import (
    ConfigError,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    ExtractorError,
    InternalError,
    ProviderError,
    UnsupportedFormat,
)
from .extraction.pipeline import ChunkOutcome, ExtractionRun, extract_document
from .extraction.rules_backend import Backend, RulesBackend
from .loading import Source, load, load_bytes
from .metadata import ReportMeta, parse_period, read_metadata
from .numbers import ParsedNumber, format_number, parse_number
from .quantities import Comparison, Quantity, tag_quantities
from .records import Fact, FactComparison, quantity_record, read_facts
from .relations import Gap, Relation, find_relations, read_relations, write_relations
from .sections import Section, build_sections
from .tokens import count_tokens
from .validation import FactRef, Finding, validate, write_findings
from .writers import write_facts

__version__ = "0.1.0"


def extract(
    report: str | Path | Document,
    *,
    backend: Backend | None = None,
    budget: int | None = None,
    max_cost: float | None = None,
) -> ExtractionRun:
    """The facts of one report: a file path or an analysed :class:`Document`, through
    ``backend`` (the rules backend when None). Chunks that fail are in
    ``run.outcomes``; an endpoint that fails as a whole ends the run with ``run.error``."""
    doc = report if isinstance(report, Document) else analyse(report)
    return extract_document(doc, backend or RulesBackend(), budget=budget, max_cost=max_cost)


__all__ = [
    "Backend",
    "BackendOptions",
    "BatchOptions",
    "BatchResult",
    "Chunk",
    "ChunkOutcome",
    "CleanText",
    "Comparison",
    "ConfigError",
    "Document",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "ExtractionRun",
    "ExtractorError",
    "Fact",
    "FactComparison",
    "FactRef",
    "Finding",
    "Footnote",
    "Gap",
    "InternalError",
    "ParsedNumber",
    "ProviderError",
    "Quantity",
    "Relation",
    "ReportMeta",
    "RulesBackend",
    "Section",
    "Source",
    "UnsupportedFormat",
    "__version__",
    "analyse",
    "analyse_bytes",
    "analyse_source",
    "build_sections",
    "chunk_text",
    "clean",
    "count_tokens",
    "extract",
    "extract_document",
    "find_relations",
    "format_number",
    "load",
    "load_bytes",
    "make_chunks",
    "open_backend",
    "parse_number",
    "parse_period",
    "quantity_record",
    "read_facts",
    "read_metadata",
    "read_relations",
    "run_batch",
    "tag_quantities",
    "validate",
    "write_facts",
    "write_findings",
    "write_relations",
]
