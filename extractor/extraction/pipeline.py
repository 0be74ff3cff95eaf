"""What happens to a chunk, the same for `extract` and for `batch`.

:class:`ChunkRunner` owns the policy; both commands call it:

* a chunk without numbers is ``skipped`` (nothing to ask);
* once ``max_cost`` is spent, a chunk is ``not_run``: left for the next run (a cost cap
  needs the model's price, checked when the runner is made);
* else the backend is asked; a chunk that gets no valid answer is ``failed`` with the
  reason and contributes nothing (values are never guessed);
* a truncated answer (the model hit its token cap, e.g. looping on the same records)
  is not retried as is: the chunk is split in two at a paragraph or sentence boundary
  and each half is asked again, twice at most; if that still fails the chunk fails;
* usage (tokens, cost, requests, retries, timeouts) is added up, thread-safe, for a
  batch's concurrent workers.

Only an endpoint that is unusable as a whole (:class:`~extractor.errors.ProviderError`:
bad key, no quota, unknown model, nothing listening) escapes :meth:`ChunkRunner.run`; a
caller stops there, keeps what finished, and leaves the rest ``not_run``
(:func:`extract_document` does so for one report).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, get_args

from ..catalog import Catalog, load_catalog
from ..chunking import Chunk, make_chunks
from ..document import Document
from ..errors import ProviderError
from ..records import Fact
from ..relations import Gap, Relation
from ..schema import Indicator
from ..text import sentence_ends
from .background_relations import RelationsJob
from .facts import build_facts
from .links import model_links
from .rules_backend import Backend
from .usage import CallFailed, Truncated, Usage, require_price

MAX_SPLIT_DEPTH = 2
ChunkStatus = Literal["extracted", "failed", "skipped", "not_run"]
"""What happened to a chunk: read, failed (``reason`` says why), skipped (nothing to read,
or the cost cap), or not run (the run stopped before it)."""
STATUSES: tuple[ChunkStatus, ...] = get_args(ChunkStatus)


@dataclass
class ChunkOutcome:
    """What happened to one chunk: its status, the indicators read, usage and time, and for
    the hybrid backend what the model changed."""

    chunk: Chunk
    status: ChunkStatus
    reason: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    splits: int = 0  # times the chunk was split after a truncated answer
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # hybrid: by the model
    llm: str | None = None  # hybrid: "refined", or "failed: <reason>" (the draft was kept)

    @property
    def llm_failed(self) -> str | None:
        """Why the model's answer failed when the chunk kept the rules' draft."""
        return self.llm[len("failed: ") :] if self.llm and self.llm.startswith("failed") else None


@dataclass
class ExtractionRun:
    """One report's extraction: every chunk's outcome, the facts, the relations the text
    states, the usage, and the endpoint's error if it failed as a whole."""

    doc: Document
    backend: str
    model: str | None
    outcomes: list[ChunkOutcome]
    facts: list[Fact]
    usage: Usage
    error: ProviderError | None = None  # the endpoint failed as a whole: the run stopped
    relations: list[Relation] = field(default_factory=list)  # what the text states
    gaps: list[Gap] = field(default_factory=list)  # statements no relation was formed of

    def count(self, status: ChunkStatus) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[ChunkOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


class ChunkRunner:
    """Runs chunks through one backend under one cost cap; see the module docstring."""

    def __init__(self, backend: Backend, max_cost: float | None = None) -> None:
        if max_cost is not None and backend.model is not None:
            require_price(backend.prices, backend.model)
        self.backend = backend
        self.max_cost = max_cost
        self.usage = Usage()
        self._lock = threading.Lock()

    def cap_reached(self) -> str | None:
        """Why no chunk may start now, or None."""
        cost = self.usage.cost
        if self.max_cost is not None and cost is not None and cost >= self.max_cost:
            return f"cost cap reached (${cost:.4f} of ${self.max_cost:.4f})"
        return None

    def precheck(self, chunk: Chunk) -> ChunkOutcome | None:
        """The outcome of a chunk that is not to be asked at all, or None."""
        if not chunk.quantity_ids:
            return ChunkOutcome(chunk, "skipped", "no numbers in this chunk")
        capped = self.cap_reached()
        if capped is not None:
            return ChunkOutcome(chunk, "not_run", capped)
        return None

    def add(self, usage: Usage) -> None:
        with self._lock:
            self.usage.add(usage)

    def run(self, doc: Document, chunk: Chunk) -> ChunkOutcome:
        """The chunk's outcome; raises only ProviderError (what it cost is counted)."""
        early = self.precheck(chunk)
        if early is not None:
            return early
        try:
            outcome = _ask(self.backend, doc, chunk)
        except ProviderError as exc:
            if isinstance(exc.usage, Usage):
                self.add(exc.usage)
            raise
        self.add(outcome.usage)
        return outcome


def split_chunk(doc: Document, chunk: Chunk) -> tuple[Chunk, Chunk] | None:
    """Two halves of ``chunk`` at a paragraph (else sentence) boundary, or None."""
    spans = list(chunk.spans)
    if len(spans) >= 2:
        mid = len(spans) // 2
        halves = (spans[:mid], spans[mid:])
    else:
        s, e = spans[0]
        cuts = sentence_ends(doc.text, s, e)
        if not cuts:
            return None
        cut = min(cuts, key=lambda c: abs(c - (s + e) // 2))
        halves = ([(s, cut)], [(cut, e)])
    out = []
    for k, part in enumerate(halves, 1):
        ids = [q.id for a, b in part for q in doc.quantities_within(a, b)]
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
            ids += [q.id for q in doc.quantities_within(fn.start, fn.end)]
        out.append(Chunk(f"{chunk.id}.{k}", chunk.section, part, notes, 0, ids))
    return out[0], out[1]


def _ask(backend: Backend, doc: Document, chunk: Chunk, depth: int = 0) -> ChunkOutcome:
    t0 = time.monotonic()
    try:
        result, usage = backend.extract(doc, chunk)
        return ChunkOutcome(
            chunk,
            "extracted",
            None,
            list(result.indicators),
            usage,
            time.monotonic() - t0,
            changed=dict(result._changed),
            llm=result._llm,
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
            sub = _ask(backend, doc, half, depth + 1) if half.quantity_ids else None
            if sub is None:
                continue
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
        )  # only an LLM-only backend's answers are truncated: no provenance to carry
    except CallFailed as exc:
        return ChunkOutcome(chunk, "failed", exc.reason, [], exc.usage, time.monotonic() - t0)


def provenance(outcomes: list[ChunkOutcome]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Per value id, how the hybrid backend got it: the chunk's LLM status and the
    fields the model changed."""
    out: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for o in outcomes:
        if o.llm is None:
            continue
        status = "failed" if o.llm_failed else o.llm
        for ind in o.indicators:
            out[ind.value_id] = (status, o.changed.get(ind.value_id, ()))
    return out


def extract_document(
    doc: Document,
    backend: Backend,
    *,
    budget: int | None = None,
    max_cost: float | None = None,
    catalog: Catalog | None = None,
    chunks: list[Chunk] | None = None,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
    relations: RelationsJob | None = None,
) -> ExtractionRun:
    """Extract every chunk of ``doc``. A ProviderError (the endpoint is unusable) stops
    the run: it is kept in ``run.error`` with every chunk finished before it, and the
    chunks after it are ``not_run``."""
    catalog = catalog or load_catalog()
    relations = relations or RelationsJob(doc)  # a large report's relations, meanwhile
    chunks = chunks if chunks is not None else make_chunks(doc, budget or backend.budget)
    runner = ChunkRunner(backend, max_cost)
    outcomes: list[ChunkOutcome] = []
    error: ProviderError | None = None
    for chunk in chunks:
        if error is not None:
            outcome = ChunkOutcome(chunk, "not_run", f"not done: the run stopped ({error})")
        else:
            try:
                outcome = runner.run(doc, chunk)
            except ProviderError as exc:
                error = exc
                outcome = ChunkOutcome(chunk, "not_run", f"not done: the run stopped ({exc})")
        outcomes.append(outcome)
        if on_chunk is not None:
            on_chunk(outcome)
    pairs = [(o.chunk.id, ind) for o in outcomes for ind in o.indicators]
    facts = build_facts(doc, pairs, catalog, backend.name, backend.model, provenance(outcomes))
    found = relations.result(f.id for f in facts)
    linked, disputed = model_links(facts, found.relations)  # a model's links, if any
    return ExtractionRun(
        doc,
        backend.name,
        backend.model,
        outcomes,
        facts,
        runner.usage,
        error,
        [*found.relations, *linked],
        [*found.gaps, *disputed],
    )
