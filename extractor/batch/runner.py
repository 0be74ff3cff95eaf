"""Batch mode: archives of reports into one table of facts and one list of findings.

    result = asyncio.run(run_batch(["reports.zip", "more/"], Path("run1"), backend, options))

* inputs are read in memory (:mod:`.archive`); bad members are recorded as skipped with
  the reason and the batch goes on;
* documents are analysed as they arrive (:mod:`.analysis`, other processes) and their
  chunks go onto a bounded queue served by ``concurrency`` workers, so documents do not
  block one another and memory stays bounded however big the archive; a shared limiter
  caps requests and tokens per minute;
* what happens to each chunk is decided by the same
  :class:`~extractor.extraction.pipeline.ChunkRunner` as ``extract``, under one cost cap;
* every chunk's outcome is written to the run store (:mod:`.store`) in one transaction:
  re-running the same command on the same run directory sends only what is not
  finished (a changed file, by sha256, is processed again), and a ``kill -9`` loses at
  most the chunks in flight; one run at a time holds the directory (:mod:`.runlock`);
* a chunk left ``not_run`` (the cost cap, or an endpoint error that stopped the run)
  stays pending for the next run;
* at the end the validators run over all facts (within and across reports) and the
  outputs are written (:mod:`.outputs`).

``--openai-batch`` (:mod:`.provider`) and ``--dry-run`` (:mod:`.estimate`) reuse the
reading, analysis and queueing here.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import Catalog, load_catalog
from ..chunking import Chunk
from ..document import Document
from ..errors import ProviderError
from ..extraction.facts import build_facts
from ..extraction.pipeline import ChunkOutcome, ChunkRunner, provenance
from ..extraction.rules_backend import Backend
from ..extraction.usage import Usage
from ..metadata import ReportMeta
from ..records import Fact
from ..relations import FoundRelations
from ..review import ReportView
from ..validation import count
from ..writers import RUN_STORE
from .analysis import LATER_CHARS, AnalysisPool, ThreadAnalysis
from .archive import Limits, Member, Skipped, iter_inputs
from .ratelimit import RateLimiter
from .review_pages import check_run, write_review
from .runlock import RunLock
from .sidecars import fallback_meta, load_sidecar
from .store import FailedChunk, RunStore
from .tables import write_check_files, write_fact_files

FINAL = {"extracted", "skipped"}  # chunk states a re-run does not redo
# hybrid: the model's answer failed and the rules' draft is stored; a re-run asks again
DRAFT = "draft"
Events = Callable[[str, dict[str, Any]], None]


@dataclass
class BatchOptions:
    """How a batch runs: concurrency, rate and cost limits, dry run, metadata file, budget."""

    concurrency: int = 4
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    max_cost: float | None = None
    dry_run: bool = False
    metadata_csv: Path | None = None
    budget: int | None = None
    limits: Limits = field(default_factory=Limits)
    #: processes that load and analyse documents while the calls go on (None: one per
    #: core but one, 0: in threads of this process)
    analysis_processes: int | None = None
    #: send the chunks through OpenAI's Batch API instead of one call each
    openai_batch: bool = False
    poll_interval: float = 60.0  # seconds between polls of a provider batch
    wait: bool = True  # wait for provider batches to end (else submit and return)
    lang: str = "vi"  # of the review pages (index.html, reports/)
    #: a report this long has its relations found apart, while its chunks are read
    relations_apart_chars: int = LATER_CHARS


@dataclass
class Estimate:
    """A dry run: what a run would send and cost."""

    documents: int = 0
    chunks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = 0.0  # USD; None when the model's price is unknown


@dataclass
class BatchResult:
    """What a batch run did: documents read and failed, inputs skipped and why, chunks sent,
    facts, findings, usage and cost; the CLI's summary and exit status are made from it."""

    run_dir: Path
    backend: str = ""  # rules, hybrid, openai, local
    model: str | None = None
    documents: int = 0
    documents_failed: list[tuple[str, str]] = field(default_factory=list)
    skipped_inputs: list[tuple[str, str]] = field(default_factory=list)
    chunks_done_before: int = 0  # finished in an earlier run: not sent again
    documents_done_before: int = 0  # every chunk finished in an earlier run
    chunks: Counter[str] = field(default_factory=Counter)  # by status, this run
    pending_left: int = 0  # not started because the cost cap was reached
    not_run: int = 0  # not sent because the endpoint failed as a whole (error below)
    usage: Usage = field(default_factory=Usage)
    facts: int = 0
    relations: int = 0  # the relations the reports state (relations.jsonl)
    #: hybrid: chunks whose model answer failed and kept the rules' draft (name, chunk, why)
    llm_failed: list[tuple[str, str, str]] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    estimate: Estimate | None = None  # dry run
    provider_submitted: int = 0  # requests sent in provider batches by this run
    provider_waiting: int = 0  # chunks whose provider batch has not ended
    provider_batches: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    failed_chunks: list[FailedChunk] = field(default_factory=list)
    #: the endpoint failed as a whole (bad key, no quota, nothing listening): the run
    #: stopped sending, wrote what it had, and a re-run continues
    error: ProviderError | None = None


@dataclass
class Work:
    """One chunk on the queue, with its document."""

    doc: Document
    doc_id: int
    chunk: Chunk
    remaining: dict[int, int]  # chunks of each document not recorded yet


Queue = asyncio.Queue[Work | None]


class BatchRunner:
    """One batch run: reads the inputs, analyses the reports in other processes, sends their
    chunks through the backend with the limits of :class:`BatchOptions`, and records
    everything in the run store as it happens."""

    def __init__(
        self,
        backend: Backend,
        run_dir: Path,
        options: BatchOptions,
        catalog: Catalog | None = None,
        on_event: Events | None = None,
        analysis: AnalysisPool | None = None,
    ) -> None:
        self.backend = backend
        self.run_dir = run_dir
        self.options = options
        self.catalog = catalog or load_catalog()
        self.on_event: Events = on_event or (lambda kind, data: None)
        self.sidecar = load_sidecar(options.metadata_csv) if options.metadata_csv else {}
        # the cost cap needs the model's price: checked now, unless nothing is sent
        self.chunk_runner = ChunkRunner(backend, None if options.dry_run else options.max_cost)
        run_dir.mkdir(parents=True, exist_ok=True)
        self.lock = RunLock(run_dir).acquire()  # a second run into run_dir stops here
        try:
            self.store = RunStore(run_dir / RUN_STORE)
        except BaseException:
            self.lock.release()
            raise
        self.limiter = RateLimiter(options.requests_per_minute, options.tokens_per_minute)
        self.result = BatchResult(
            run_dir, backend.name, backend.model, usage=self.chunk_runner.usage
        )
        self.seen: dict[str, str] = {}  # sha256 -> first name in this run
        # where documents are analysed: a pool the caller started early, else one started
        # on the first document to analyse; shut down once every input is analysed
        self.analysis: AnalysisPool | ThreadAnalysis | None = analysis
        self.later: list[asyncio.Task[None]] = []  # relations of long reports, being found

    @property
    def budget(self) -> int:
        return self.options.budget or self.backend.budget

    def fallback_meta(self, name: str) -> ReportMeta:
        return fallback_meta(name, self.sidecar)

    # -- reading and queueing ----------------------------------------------------------

    def _finished_before(self, member: Member, sha: str) -> bool:
        known = self.store.document(member.name)
        if not (known and known.sha256 == sha and known.status == "done"):
            return False
        if not known.relations_found or not self.store.has_view(known.id):
            return False  # finished by an older release: analysed again (nothing is sent)
        done = self.store.chunk_status(known.id)
        if all(s in FINAL for s in done.values()):
            self.result.chunks_done_before += len(done)
            self.result.documents_done_before += 1
            return True
        return False

    def _duplicate(self, member: Member, sha: str) -> bool:
        """A byte-identical copy of a report already in the run is skipped, not paid for
        twice; its facts would only repeat the first copy's."""
        first: str | None = self.seen.setdefault(sha, member.name)
        if first == member.name:
            first = self.store.name_with_content(sha, other_than=member.name)
        if first is None:
            return False
        self._skip_input(member.name, f"same content as {first}; extracted once")
        return True

    def _skip_input(self, name: str, reason: str) -> None:
        self.store.skip_input(name, reason)
        self.result.skipped_inputs.append((name, reason))
        self.on_event("input_skipped", {"name": name, "reason": reason})

    def _register(
        self, member: Member, doc: Document, chunks: list[Chunk]
    ) -> tuple[int, list[Chunk]]:
        known = self.store.document(member.name)
        if known and known.sha256 == doc.sha256:
            states = self.store.chunk_status(known.id)
            if set(states) == {c.id for c in chunks}:
                todo = [c for c in chunks if states.get(c.id) not in FINAL]
                self.result.chunks_done_before += len(chunks) - len(todo)
                return known.id, todo
        meta = {"province": doc.meta.province, "period": doc.meta.period, "kind": doc.meta.kind}
        doc_id = self.store.start_document(
            member.name, doc.sha256, meta, [(c.id, c.tokens, len(c.quantity_ids)) for c in chunks]
        )
        return doc_id, chunks

    async def _produce(self, paths: list[str | Path], queue: Queue) -> None:
        """Read the inputs, analyse documents a few at a time in the analysis pool, and
        queue their chunks in input order."""
        analysis = self.analysis
        prepare: Callable[[], None] | None = getattr(self.backend, "prepare", None)
        window: deque[tuple[Member, str, asyncio.Future[Any]]] = deque()
        remaining: dict[int, int] = {}
        queued = False  # every chunk is queued
        try:
            for item in iter_inputs(paths, self.options.limits):
                if self.result.error is not None:
                    break  # the endpoint failed: the rest waits for a re-run
                if isinstance(item, Skipped):
                    self._skip_input(item.name, item.reason)
                    continue
                sha = hashlib.sha256(item.data).hexdigest()
                if self._duplicate(item, sha) or self._finished_before(item, sha):
                    continue
                if analysis is None:  # a re-run may need none
                    analysis = self.analysis = self._start_analysis()
                if prepare is not None:  # the client, built while this document is analysed
                    asyncio.get_running_loop().run_in_executor(None, prepare).add_done_callback(
                        lambda f: f.cancelled() or f.exception()  # shows again at the first call
                    )
                    prepare = None
                job = analysis.analyse(
                    item.data,
                    item.name,
                    self.fallback_meta(item.name),
                    self.budget,
                    self.options.relations_apart_chars,
                )
                window.append((item, sha, job))
                if len(window) > 2 * analysis.size:  # keeps every analysis process busy
                    await self._queue_document(*window.popleft(), queue, remaining)
            while window:
                await self._queue_document(*window.popleft(), queue, remaining)
            for _ in range(self.options.concurrency):
                await queue.put(None)
            queued = True
        finally:
            for _, _, job in window:
                job.cancel()
            if not (queued and self.later):  # else open until the relations are found
                self._close_analysis()

    async def _relations_found(self) -> None:
        """Waits for the relations of long reports, then shuts the analysis down."""
        try:
            await asyncio.gather(*self.later)
        finally:
            for task in self.later:
                task.cancel()
            self.later.clear()
            self._close_analysis()

    def _close_analysis(self) -> None:
        for task in self.later:
            task.cancel()
        if self.analysis is not None:
            self.analysis.close()
            self.analysis = None

    def _start_analysis(self) -> AnalysisPool | ThreadAnalysis:
        if self.options.analysis_processes == 0:
            return ThreadAnalysis()
        return AnalysisPool(self.options.analysis_processes)

    async def _queue_document(
        self,
        item: Member,
        sha: str,
        job: asyncio.Future[Any],
        queue: Queue,
        remaining: dict[int, int],
    ) -> None:
        analysed = await job
        if isinstance(analysed, str):
            self.store.fail_document(item.name, sha, analysed)
            self.result.documents_failed.append((item.name, analysed))
            self.on_event("document_failed", {"name": item.name, "reason": analysed})
            return
        doc, chunks = analysed.doc, analysed.chunks
        doc_id, todo = self._register(item, doc, chunks)
        if analysed.later and self.analysis is not None:  # found while the chunks are read
            found = self.analysis.relations(doc)
            self.later.append(asyncio.ensure_future(self._save_later(item.name, doc_id, found)))
        elif analysed.found is not None:
            self.store.save_relations(doc_id, analysed.found.relations, analysed.found.gaps)
        if analysed.found is not None or analysed.later:
            self.store.save_view(doc_id, ReportView.of(doc).dumps())
        self.result.documents += 1
        self.on_event(
            "document", {"name": item.name, "chunks": len(todo), "warnings": doc.source.warnings}
        )
        if not todo:
            self.store.finish_document(doc_id)
            return
        remaining[doc_id] = len(todo)
        for chunk in todo:
            await queue.put(Work(doc, doc_id, chunk, remaining))

    async def _save_later(
        self, name: str, doc_id: int, job: asyncio.Future[FoundRelations | str]
    ) -> None:
        found = await job
        if isinstance(found, str):  # the facts stay; the next run looks for them again
            self.result.documents_failed.append((name, found))
            self.on_event("document_failed", {"name": name, "reason": found})
            return
        self.store.save_relations(doc_id, found.relations, found.gaps)

    # -- recording -----------------------------------------------------------------------

    def record(self, work: Work, outcome: ChunkOutcome) -> None:
        """One chunk's outcome into the run store; a ``not_run`` chunk stays pending."""
        if outcome.status == "not_run":
            self.result.pending_left += 1
            return
        usage = outcome.usage
        facts = []
        if outcome.indicators:
            pairs = [(work.chunk.id, ind) for ind in outcome.indicators]
            facts = build_facts(
                work.doc,
                pairs,
                self.catalog,
                self.backend.name,
                self.backend.model,
                provenance([outcome]),
            )
        call = None
        if usage.calls or usage.cached_calls or usage.requests:
            call = {
                "model": self.backend.model,
                "calls": usage.calls,
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
                "cost": usage.cost,
                "cached": usage.cached_calls > 0,
                "latency": outcome.seconds,
                "requests": usage.requests,
                "retries": usage.retries,
                "timeouts": usage.timeouts,
            }
        reason, status = outcome.reason, str(outcome.status)
        if outcome.llm_failed:  # the rules' draft kept, and the model asked again next run
            reason, status = f"llm_failed: {outcome.llm_failed}", DRAFT
        self.store.save_chunk(work.doc_id, work.chunk.id, status, reason, facts, call)
        r = self.result
        r.chunks[status] += 1
        if outcome.llm_failed:
            r.llm_failed.append((work.doc.name, work.chunk.id, outcome.llm_failed))
        work.remaining[work.doc_id] -= 1
        if work.remaining[work.doc_id] == 0:
            self.store.finish_document(work.doc_id)
            forget = getattr(self.backend, "forget", None)  # what it keeps of the document
            if forget is not None:
                forget(work.doc)
        self.on_event(
            "chunk",
            {
                "doc": work.doc.name,
                "chunk": work.chunk.id,
                "status": outcome.status,
                "reason": outcome.reason,
                "cost": r.usage.cost,
                "tokens": r.usage.input_tokens + r.usage.output_tokens,
            },
        )

    # -- the calls -----------------------------------------------------------------------

    async def _work(self, queue: Queue) -> None:
        while (work := await queue.get()) is not None:
            if self.result.error is not None:
                self.result.not_run += 1  # stays pending: a re-run sends it
                continue
            early = self.chunk_runner.precheck(work.chunk)
            if early is not None:
                self.record(work, early)
                continue
            # a tokens-per-minute limit counts what the request really sends
            tokens = self.backend.prompt_tokens(work.doc, work.chunk) if self.limiter.tpm else 0
            await self.limiter.acquire(tokens)
            try:
                outcome = await asyncio.to_thread(self.chunk_runner.run, work.doc, work.chunk)
            except ProviderError as exc:  # the endpoint as a whole: stop sending
                if self.result.error is None:
                    self.result.error = exc
                    self.on_event("stopped", {"reason": str(exc)})
                self.result.not_run += 1
                continue
            except Exception as exc:  # a bug must not end a batch of thousands: record it
                outcome = ChunkOutcome(
                    work.chunk,
                    "failed",
                    f"internal error ({type(exc).__name__}: {exc}); please report it",
                )
            self.record(work, outcome)

    async def run_pass(self, paths: list[str | Path], work: Callable[[Queue], Any]) -> None:
        """Reads and analyses every input, ``concurrency`` consumers running ``work``.
        If any of them raises, the others are cancelled and the error propagates (a
        consumer that died must not leave the producer waiting on a full queue)."""
        queue: Queue = asyncio.Queue(maxsize=self.options.concurrency * 2)
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.options.concurrency):
                    group.create_task(work(queue))
                group.create_task(self._produce(paths, queue))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None

    async def send(self, paths: list[str | Path]) -> None:
        """Every pending chunk, one call each."""
        await self.run_pass(paths, self._work)

    async def run(self, paths: list[str | Path]) -> BatchResult:
        t0 = time.perf_counter()
        # asyncio.to_thread's default pool has min(32, cores + 4) threads: six on a two-core
        # machine, which would cap --concurrency 32 at six calls in flight.
        pool = ThreadPoolExecutor(
            max_workers=self.options.concurrency + 1, thread_name_prefix="extractor-batch"
        )
        asyncio.get_running_loop().set_default_executor(pool)
        await self.send(paths)
        # the files of facts are written while the relations of a long report are found
        facts = self.store.facts()
        self.result.outputs = write_fact_files(facts, self.run_dir)
        await self._relations_found()
        self.finish(facts)
        self.result.seconds = time.perf_counter() - t0
        return self.result

    # -- outputs -------------------------------------------------------------------------

    def finish(self, facts: list[Fact]) -> None:
        facts, relations, findings = check_run(self.store, facts)
        self.store.replace_findings(findings)
        self.result.outputs += write_check_files(relations, findings, self.run_dir)
        self.result.outputs += write_review(
            self.store,
            self.run_dir,
            facts,
            relations,
            findings,
            self.run_dir.resolve().name,
            self.options.lang,
        )
        self.result.facts = len(facts)
        self.result.relations = len(relations)
        self.result.failed_chunks = self.store.failed_chunks()
        self.result.findings = count(findings)

    def close(self) -> None:
        self._close_analysis()
        self.store.close()
        self.lock.release()
