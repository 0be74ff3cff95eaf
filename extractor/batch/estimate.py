"""``--dry-run``: what a batch would send and cost, without sending anything.

Every input is read and analysed here, in this process; chunks already finished in the
run directory and byte-identical copies are not counted (the run would not send them).
Input tokens are what each chunk's first request really sends (system prompt, message
and, where the provider counts it, the schema); output tokens are an estimate.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..chunking import Chunk
from ..extraction.usage import BATCH_DISCOUNT
from .analysis import analyse_member
from .archive import Skipped, iter_inputs
from .runner import FINAL, BatchResult, BatchRunner, Estimate

OUTPUT_TOKENS_PER_QUANTITY = 30  # an answer's length, per quantity the chunk holds
OUTPUT_TOKENS_PER_CALL = 20


def answer_tokens(chunk: Chunk) -> int:
    """Estimated output tokens of a chunk's answer (the dry run and the batch cost cap)."""
    return OUTPUT_TOKENS_PER_CALL + OUTPUT_TOKENS_PER_QUANTITY * len(chunk.quantity_ids)


def estimate(runner: BatchRunner, paths: list[str | Path]) -> BatchResult:
    result = runner.result
    backend = runner.backend
    out = Estimate()
    seen: dict[str, str] = {}
    for item in iter_inputs(paths, runner.options.limits):
        if isinstance(item, Skipped):
            result.skipped_inputs.append((item.name, item.reason))
            continue
        sha = hashlib.sha256(item.data).hexdigest()
        first = seen.setdefault(sha, item.name)
        if first != item.name or runner.store.name_with_content(sha, item.name):
            continue  # a copy: the run will skip it
        analysed = analyse_member(
            item.data, item.name, runner.fallback_meta(item.name), runner.budget, relations=False
        )
        if isinstance(analysed, str):
            result.documents_failed.append((item.name, analysed))
            continue
        doc, doc_chunks = analysed.doc, analysed.chunks
        out.documents += 1
        known = runner.store.document(item.name)
        states = runner.store.chunk_status(known.id) if known and known.sha256 == doc.sha256 else {}
        for chunk in doc_chunks:
            if not chunk.quantity_ids or states.get(chunk.id) in FINAL:
                continue
            out.chunks += 1
            out.input_tokens += backend.prompt_tokens(doc, chunk)
            if backend.model is not None:
                out.output_tokens += answer_tokens(chunk)
    if backend.model is None:
        out.cost = 0.0
    elif backend.prices is None:
        out.cost = None
    else:
        out.cost = backend.prices.cost(backend.model, out.input_tokens, out.output_tokens)
        if out.cost is not None and runner.options.openai_batch:
            out.cost *= BATCH_DISCOUNT
    result.estimate = out
    return result
