"""A report through a backend: chunks in, facts out, every chunk accounted for.

Each chunk ends as ``extracted``, ``failed`` (with the error) or ``skipped`` (with the
reason: no numbers in it, or the cost cap reached). Nothing is guessed for a failed
chunk: its indicators are simply absent and the run says so. A failure that concerns
one chunk (a rejected request, a timeout, an invalid answer) never stops the run; only
an endpoint that is unusable as a whole (:class:`ProviderError`: bad key, no quota,
unknown model, nothing listening) does, and then the chunks not yet sent end
``not_run`` and the run keeps everything finished before it (``run.error``).

A truncated answer (the model hit its token cap, e.g. looping on the same records) is
not retried as is: the chunk is split in two at a paragraph or sentence boundary and each
half is asked again, twice at most; if that still fails the chunk fails visibly.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .catalog import Catalog, load_catalog
from .chunking import Chunk, make_chunks
from .document import Document
from .errors import ProviderError
from .facts import Fact, build_facts
from .usage import CallFailed, Truncated, Usage, require_price

if TYPE_CHECKING:  # the openai SDK is imported only when an LLM backend is opened
    from .llm import LLMClient
from .prompting import PromptSet, chunk_message, load_prompts
from .rules import RulesExtractor
from .schema import ChunkExtraction, Indicator, narrowed_model, reference_errors
from .tokens import count_tokens

MAX_SPLIT_DEPTH = 2
RULES_DOCUMENTS = 32  # documents whose rules indexes are kept (a batch interleaves a few)
CHAT_OVERHEAD = 17  # role markers and separators of two chat messages


class Backend(Protocol):
    name: str
    model: str | None
    budget: int  # chunk token budget suited to this backend

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]: ...

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int: ...

    def close(self) -> None: ...


class RulesBackend:
    name = "rules"
    model: str | None = None

    def __init__(self, catalog: Catalog | None = None, budget: int = 1200) -> None:
        self.catalog = catalog or load_catalog()
        self.budget = budget
        self._extractors: dict[str, RulesExtractor] = {}

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        ex = self._extractors.pop(doc.sha256, None)
        if ex is None:  # one per document: it indexes the document's breaks once
            ex = RulesExtractor(doc, self.catalog)
        self._extractors[doc.sha256] = ex  # the most recent last
        while len(self._extractors) > RULES_DOCUMENTS:  # a batch holds a few at a time
            del self._extractors[next(iter(self._extractors))]
        result = ex.extract(chunk)
        quantities = {i: doc.quantity[i] for i in chunk.quantity_ids}
        errors = reference_errors(result, quantities, self.catalog)
        if errors:
            raise CallFailed("rules produced invalid references: " + "; ".join(errors), Usage())
        return result, Usage()

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        return 0

    def close(self) -> None:
        pass


class LLMBackend:
    """Any OpenAI-compatible endpoint through :class:`LLMClient`."""

    def __init__(
        self,
        client: LLMClient,
        name: str = "openai",
        budget: int = 3000,
        prompts: PromptSet | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.client = client
        self.name = name
        self.model: str | None = client.settings.model
        self.budget = budget
        self.prompts = prompts or load_prompts()
        self.catalog = catalog or load_catalog()

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        message, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.extract(
            self.prompts.system, message, quantities, self.catalog, self.prompts.id
        )

    def batch_request(self, doc: Document, chunk: Chunk) -> dict[str, Any]:
        """The request :meth:`extract` would send first, for a provider batch."""
        message, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.batch_request(self.prompts.system, message, quantities, self.catalog)

    def parse_batch_answer(
        self, doc: Document, chunk: Chunk, response: dict[str, Any], discount: float
    ) -> tuple[ChunkExtraction, Usage]:
        """A provider batch's answer to :meth:`batch_request`, validated against the chunk."""
        _, quantities = chunk_message(doc, chunk, self.catalog)
        return self.client.parse_batch_answer(response, quantities, self.catalog, discount)

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        """Estimated input tokens of the first call for ``chunk``: both messages plus the
        chat template's overhead, plus the request schema where the provider counts it
        (OpenAI; llama.cpp turns it into a grammar instead)."""
        message, quantities = chunk_message(doc, chunk, self.catalog)
        tokens = count_tokens(self.prompts.system) + count_tokens(message) + CHAT_OVERHEAD
        if not self.client.settings.llamacpp:
            schema = narrowed_model(quantities, self.catalog).model_json_schema()
            tokens += count_tokens(json.dumps(schema, ensure_ascii=False))
        return tokens

    def close(self) -> None:
        self.client.close()


@dataclass
class ChunkOutcome:
    chunk: Chunk
    status: str  # extracted, failed, skipped, not_run
    reason: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    splits: int = 0  # times the chunk was split after a truncated answer


@dataclass
class ExtractionRun:
    doc: Document
    backend: str
    model: str | None
    outcomes: list[ChunkOutcome]
    facts: list[Fact]
    usage: Usage
    error: ProviderError | None = None  # the endpoint failed as a whole: the run stopped

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[ChunkOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def split_chunk(doc: Document, chunk: Chunk) -> tuple[Chunk, Chunk] | None:
    """Two halves of ``chunk`` at a paragraph (else sentence) boundary, or None."""
    spans = list(chunk.spans)
    if len(spans) >= 2:
        mid = len(spans) // 2
        halves = (spans[:mid], spans[mid:])
    else:
        s, e = spans[0]
        cuts = [s + m.end() for m in re.finditer(r"(?<=[.;!?])\s+(?=\S)", doc.text[s:e])]
        if not cuts:
            return None
        cut = min(cuts, key=lambda c: abs(c - (s + e) // 2))
        halves = ([(s, cut)], [(cut, e)])
    out = []
    for k, part in enumerate(halves, 1):
        ids = [q.id for q in doc.quantities if any(a <= q.start and q.end <= b for a, b in part)]
        notes = [
            n
            for n in chunk.footnotes
            if (fn := doc.clean.footnote(n))
            and fn.anchor is not None
            and any(a <= fn.anchor <= b for a, b in part)
        ]
        for n in notes:
            fn = doc.clean.footnote(n)
            assert fn is not None
            ids += [q.id for q in doc.quantities if fn.start <= q.start and q.end <= fn.end]
        out.append(Chunk(f"{chunk.id}.{k}", chunk.section, part, notes, 0, ids))
    return out[0], out[1]


def _run_chunk(
    backend: Backend,
    doc: Document,
    chunk: Chunk,
    depth: int = 0,
) -> ChunkOutcome:
    t0 = time.monotonic()
    if not chunk.quantity_ids:
        return ChunkOutcome(chunk, "skipped", "no numbers in this chunk")
    try:
        result, usage = backend.extract(doc, chunk)
        return ChunkOutcome(
            chunk, "extracted", None, list(result.indicators), usage, time.monotonic() - t0
        )
    except Truncated as exc:
        halves = split_chunk(doc, chunk) if depth < MAX_SPLIT_DEPTH else None
        if halves is None:
            return ChunkOutcome(
                chunk,
                "failed",
                f"{exc.reason}; cannot split further",
                [],
                exc.usage,
                time.monotonic() - t0,
            )
        usage = exc.usage
        indicators: list[Indicator] = []
        for half in halves:
            sub = _run_chunk(backend, doc, half, depth + 1)
            usage.add(sub.usage)
            if sub.status == "failed":
                return ChunkOutcome(
                    chunk,
                    "failed",
                    f"after splitting: {sub.reason}",
                    [],
                    usage,
                    time.monotonic() - t0,
                    depth + 1,
                )
            indicators.extend(sub.indicators)
        return ChunkOutcome(
            chunk, "extracted", None, indicators, usage, time.monotonic() - t0, depth + 1
        )
    except CallFailed as exc:
        return ChunkOutcome(chunk, "failed", exc.reason, [], exc.usage, time.monotonic() - t0)


def extract_document(
    doc: Document,
    backend: Backend,
    *,
    budget: int | None = None,
    max_cost: float | None = None,
    catalog: Catalog | None = None,
    chunks: list[Chunk] | None = None,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
) -> ExtractionRun:
    """Extract every chunk of ``doc``. A ProviderError (the endpoint is unusable) stops
    the run: it is kept in ``run.error`` with every chunk finished before it."""
    catalog = catalog or load_catalog()
    chunks = chunks if chunks is not None else make_chunks(doc, budget or backend.budget)
    if max_cost is not None and backend.model is not None:
        client = getattr(backend, "client", None)
        prices = getattr(client, "prices", None)
        if prices is not None:
            require_price(prices, backend.model)
    total = Usage()
    outcomes: list[ChunkOutcome] = []
    error: ProviderError | None = None
    for chunk in chunks:
        if error is not None:
            outcome = ChunkOutcome(chunk, "not_run", f"not done: the run stopped ({error})")
        elif max_cost is not None and total.cost is not None and total.cost >= max_cost:
            outcome = ChunkOutcome(
                chunk, "skipped", f"cost cap reached (${total.cost:.4f} of ${max_cost:.4f})"
            )
        else:
            try:
                outcome = _run_chunk(backend, doc, chunk)
            except ProviderError as exc:
                error = exc
                outcome = ChunkOutcome(chunk, "not_run", f"not done: the run stopped ({exc})")
                if isinstance(exc.usage, Usage):
                    outcome.usage = exc.usage
        total.add(outcome.usage)
        outcomes.append(outcome)
        if on_chunk is not None:
            on_chunk(outcome)
    pairs = [(o.chunk.id, ind) for o in outcomes for ind in o.indicators]
    facts = build_facts(doc, pairs, catalog, backend.name, backend.model)
    return ExtractionRun(doc, backend.name, backend.model, outcomes, facts, total, error)
