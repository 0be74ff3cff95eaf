"""Indicators from a report's chunks, and what happens to each chunk.

:mod:`.runner` (one chunk runner for `extract` and `batch`, :func:`extract_document`),
:mod:`.backend` (the backend interface and the rules backend), :mod:`.rules` (names and
periods from the words around each number), :mod:`.prompting` (the prompts and a
chunk's message to a model), :mod:`.facts` (the output records), :mod:`.usage` (what
calls cost). No LLM library is imported here: :mod:`extractor.backends` and
:mod:`extractor.providers` bring the models.
"""

from ..records import Fact, FactComparison, read_facts
from ..writers import write_facts
from .pipeline import ChunkOutcome, ChunkRunner, ExtractionRun, extract_document
from .rules_backend import Backend, RulesBackend

__all__ = [
    "Backend",
    "ChunkOutcome",
    "ChunkRunner",
    "ExtractionRun",
    "Fact",
    "FactComparison",
    "RulesBackend",
    "extract_document",
    "read_facts",
    "write_facts",
]
