"""Batch mode: archives of reports into one table of facts and one list of findings.

    result = asyncio.run(run_batch(["reports.zip", "more/"], Path("run1"), options))

* inputs are read in memory (:mod:`extractor.archive`); bad members are recorded as
  skipped with the reason and the batch goes on;
* documents are analysed as they arrive and their chunks go onto a bounded queue served
  by ``concurrency`` workers, so documents do not block one another and memory stays
  bounded however big the archive; a shared limiter caps requests and tokens per minute;
* every chunk's outcome is written to the run store in one transaction: re-running the
  same command on the same run directory sends only what is not finished (a changed file,
  by sha256, is processed again), and a ``kill -9`` loses at most the chunks in flight;
* ``max_cost`` stops starting new chunks (they stay pending for a later run);
  ``dry_run`` estimates tokens and cost without any call;
* at the end the validators run over all facts (within and across reports) and the
  outputs are written: facts.jsonl/.csv, findings.jsonl/.csv, one wide
  indicator-by-period table per province, and facts.parquet when pyarrow is installed.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import threading
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .archive import Limits, Member, Skipped, iter_inputs
from .backends import DeferredLLMBackend
from .catalog import Catalog, load_catalog
from .chunking import Chunk, make_chunks
from .document import Document, analyse_bytes
from .errors import ConfigError, DocumentError, ProviderError
from .extraction import Backend, ChunkOutcome, LLMBackend, _run_chunk
from .facts import build_facts, write_csv, write_jsonl
from .metadata import PROVINCES, ReportMeta, parse_period
from .outputs import atomic_path, atomic_write
from .ratelimit import RateLimiter
from .runlock import RunLock
from .store import RunStore
from .tokens import encoding
from .usage import BATCH_DISCOUNT, CallFailed, PriceTable, Usage, require_price
from .validation import validate, write_findings

if TYPE_CHECKING:
    from .openai_batch import ProviderBatches

OUTPUT_TOKENS_PER_QUANTITY = 30  # dry-run estimate of answer length
OUTPUT_TOKENS_PER_CALL = 20
FINAL = {"extracted", "skipped"}  # chunk states a re-run does not redo


def _answer_tokens(chunk: Chunk) -> int:
    """Estimated output tokens of a chunk's answer (the dry run and the batch cost cap)."""
    return OUTPUT_TOKENS_PER_CALL + OUTPUT_TOKENS_PER_QUANTITY * len(chunk.quantity_ids)


@dataclass
class BatchOptions:
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


@dataclass
class BatchResult:
    run_dir: Path
    documents: int = 0
    documents_failed: list[tuple[str, str]] = field(default_factory=list)
    skipped_inputs: list[tuple[str, str]] = field(default_factory=list)
    chunks_done_before: int = 0  # finished in an earlier run: not sent again
    chunks: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pending_left: int = 0  # not started because the cost cap was reached
    not_run: int = 0  # not sent because the endpoint failed as a whole (error below)
    usage: Usage = field(default_factory=Usage)
    facts: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    estimate: dict[str, Any] | None = None  # dry run
    provider_submitted: int = 0  # requests sent in provider batches by this run
    provider_waiting: int = 0  # chunks whose provider batch has not ended
    provider_batches: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    failed_chunks: list[tuple[str, str, str]] = field(default_factory=list)  # doc, chunk, why
    #: the endpoint failed as a whole (bad key, no quota, nothing listening): the run
    #: stopped sending, wrote what it had, and a re-run continues
    error: ProviderError | None = None


# ----------------------------------------------------------------------------- metadata


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


_SLUGS = sorted(
    ((re.sub(r"[^a-z]+", "-", _ascii(p)).strip("-"), p) for p in PROVINCES),
    key=lambda x: -len(x[0]),
)


def meta_from_name(name: str) -> ReportMeta:
    """Province and period from a file name: "lai-chau-2024-02.pdf", "laocai_2023.docx"."""
    stem = re.sub(r"[^a-z0-9]+", "-", _ascii(Path(name.split("!")[-1]).stem))
    province = next(
        (p for slug, p in _SLUGS if slug and (slug in stem or slug.replace("-", "") in stem)), None
    )
    m = re.search(r"(20\d\d)-(0[1-9]|1[0-2])(?!\d)", stem)
    if m:
        return ReportMeta(province, int(m.group(1)), int(m.group(2)), None, "monthly")
    m = re.search(r"(20\d\d)", stem)
    if m:
        return ReportMeta(province, int(m.group(1)), None, None, "annual")
    return ReportMeta(province=province)


def load_sidecar(path: Path) -> dict[str, ReportMeta]:
    """file,province,period rows: metadata for reports that do not state it."""
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as exc:
        raise ConfigError(f"cannot read metadata file {str(path)!r}: {exc.strerror}") from exc
    if rows and not {"file"} <= set(rows[0]):
        raise ConfigError(f"{str(path)!r} needs a header with columns file, province, period")
    out = {}
    for n, row in enumerate(rows, 2):
        meta = ReportMeta(province=(row.get("province") or "").strip() or None)
        if (row.get("period") or "").strip():
            try:
                meta = parse_period(row["period"]).merged(meta)
            except ValueError as exc:
                raise ConfigError(f"{str(path)!r} line {n}: {exc}") from exc
        out[Path(row["file"].strip()).name] = meta
    return out


def analyse_member(
    data: bytes, name: str, fallback: ReportMeta, budget: int
) -> tuple[Document, list[Chunk]] | str:
    """Load, analyse and chunk one report; the reason as a string when it cannot be read.

    Pure and picklable both ways: it runs in an analysis process."""
    try:
        doc = analyse_bytes(data, name)
    except DocumentError as exc:
        return exc.reason
    except Exception as exc:  # a bug must not end a batch of thousands: record it, go on
        return f"internal error while analysing ({type(exc).__name__}: {exc}); please report it"
    doc.meta = doc.meta.filled_from(fallback)
    return doc, make_chunks(doc, budget)


def _warm_up() -> bool:
    """Loads the tokenizer in an analysis process, so that its first document is not slow."""
    encoding()
    return True


def _exit_with_parent() -> None:
    """Ends an analysis process when the batch that started it is gone (``kill -9``
    leaves pool processes behind otherwise, each holding a tokenizer in memory)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="extractor-parent-watch", daemon=True).start()


class AnalysisPool:
    """Processes that load, analyse and chunk documents while the calls go on.

    Start it early: the processes start and load the tokenizer (a second) on the other
    cores while this process reads the inputs and builds the LLM client (importing the
    openai SDK and instructor, a second or more). Documents sent before the processes are
    ready wait in the pool's queue: analysing them here instead would compete with the
    client's build for this process's interpreter lock (measured: first request at 5 s
    instead of 2 s) and load a second tokenizer.
    """

    def __init__(self, processes: int | None = None) -> None:
        self.size = processes or max(1, (os.cpu_count() or 1) - 1)
        # spawn, not fork: the batch runs threads (the call workers)
        self.executor = ProcessPoolExecutor(
            self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
        )
        self.executor.submit(_warm_up)

    def analyse(
        self, data: bytes, name: str, fallback: ReportMeta, budget: int
    ) -> asyncio.Future[tuple[Document, list[Chunk]] | str]:
        return asyncio.get_running_loop().run_in_executor(
            self.executor, analyse_member, data, name, fallback, budget
        )

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ThreadAnalysis:
    """Documents analysed in threads of this process (``analysis_processes=0``)."""

    size = 1

    def analyse(
        self, data: bytes, name: str, fallback: ReportMeta, budget: int
    ) -> asyncio.Future[tuple[Document, list[Chunk]] | str]:
        return asyncio.get_running_loop().run_in_executor(
            None, analyse_member, data, name, fallback, budget
        )

    def close(self) -> None:
        pass


# ----------------------------------------------------------------------------- running


@dataclass
class _Work:
    doc: Document
    doc_id: int
    chunk: Chunk
    remaining: dict[int, int]


class BatchRunner:
    def __init__(
        self,
        backend: Backend,
        run_dir: Path,
        options: BatchOptions,
        prices: PriceTable | None = None,
        catalog: Catalog | None = None,
        on_event: Callable[[str, dict[str, Any]], None] | None = None,
        analysis: AnalysisPool | None = None,
    ) -> None:
        self.backend = backend
        self.run_dir = run_dir
        self.options = options
        self.prices = prices
        self.catalog = catalog or load_catalog()
        self.on_event = on_event or (lambda kind, data: None)
        self.sidecar = load_sidecar(options.metadata_csv) if options.metadata_csv else {}
        run_dir.mkdir(parents=True, exist_ok=True)
        self.lock = RunLock(run_dir).acquire()  # a second run into run_dir stops here
        try:
            self.store = RunStore(run_dir / "run.sqlite")
        except BaseException:
            self.lock.release()
            raise
        self.limiter = RateLimiter(options.requests_per_minute, options.tokens_per_minute)
        self.result = BatchResult(run_dir)
        self.stop_new = False
        self._committed = 0.0  # estimated cost of provider batch requests written
        self.seen: dict[str, str] = {}  # sha256 -> first name in this run
        # where documents are analysed: a pool the caller started early, else one started
        # on the first document to analyse; shut down once every input is analysed
        self.analysis: AnalysisPool | _ThreadAnalysis | None = analysis

    def _fallback_meta(self, member: Member) -> ReportMeta:
        """What the sidecar CSV, then the file name, say (used where the document is silent)."""
        sidecar = self.sidecar.get(Path(member.name.split("!")[-1]).name) or ReportMeta()
        return sidecar.filled_from(meta_from_name(member.name))

    def _finished_before(self, member: Member, sha: str) -> bool:
        known = self.store.document(member.name)
        if not (known and known[1] == sha and known[2] == "done"):
            return False
        done = self.store.chunk_status(known[0])
        if all(s in FINAL for s in done.values()):
            self.result.chunks_done_before += len(done)
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
        reason = f"same content as {first}; extracted once"
        self.store.skip_input(member.name, reason)
        self.result.skipped_inputs.append((member.name, reason))
        self.on_event("input_skipped", {"name": member.name, "reason": reason})
        return True

    def _register(
        self, member: Member, doc: Document, chunks: list[Chunk]
    ) -> tuple[int, list[Chunk]]:
        known = self.store.document(member.name)
        if known and known[1] == doc.sha256:
            states = self.store.chunk_status(known[0])
            if set(states) == {c.id for c in chunks}:
                todo = [c for c in chunks if states.get(c.id) not in FINAL]
                self.result.chunks_done_before += len(chunks) - len(todo)
                return known[0], todo
        meta = {"province": doc.meta.province, "period": doc.meta.period, "kind": doc.meta.kind}
        doc_id = self.store.start_document(
            member.name, doc.sha256, meta, [(c.id, c.tokens, len(c.quantity_ids)) for c in chunks]
        )
        return doc_id, chunks

    async def _produce(
        self, paths: list[str | Path], queue: asyncio.Queue[_Work | None], remaining: dict[int, int]
    ) -> None:
        """Read the inputs, analyse documents a few at a time in the analysis pool, and
        queue their chunks in input order."""
        analysis = self.analysis
        prepare: Callable[[], None] | None = getattr(self.backend, "prepare", None)
        window: deque[tuple[Member, str, asyncio.Future[Any]]] = deque()
        budget = self.options.budget or self.backend.budget
        try:
            for item in iter_inputs(paths, self.options.limits):
                if self.result.error is not None:
                    break  # the endpoint failed: the rest waits for a re-run
                if isinstance(item, Skipped):
                    self.store.skip_input(item.name, item.reason)
                    self.result.skipped_inputs.append((item.name, item.reason))
                    self.on_event("input_skipped", {"name": item.name, "reason": item.reason})
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
                job = analysis.analyse(item.data, item.name, self._fallback_meta(item), budget)
                window.append((item, sha, job))
                if len(window) > 2 * analysis.size:  # keeps every analysis process busy
                    await self._queue_document(*window.popleft(), queue, remaining)
            while window:
                await self._queue_document(*window.popleft(), queue, remaining)
        finally:
            for _, _, job in window:
                job.cancel()
            if analysis is not None:
                analysis.close()
                self.analysis = None
        for _ in range(self.options.concurrency):
            await queue.put(None)

    def _start_analysis(self) -> AnalysisPool | _ThreadAnalysis:
        if self.options.analysis_processes == 0:
            return _ThreadAnalysis()
        return AnalysisPool(self.options.analysis_processes)

    async def _queue_document(
        self,
        item: Member,
        sha: str,
        job: asyncio.Future[Any],
        queue: asyncio.Queue[_Work | None],
        remaining: dict[int, int],
    ) -> None:
        analysed = await job
        if isinstance(analysed, str):
            self.store.fail_document(item.name, sha, analysed)
            self.result.documents_failed.append((item.name, analysed))
            self.on_event("document_failed", {"name": item.name, "reason": analysed})
            return
        doc, chunks = analysed
        doc_id, todo = self._register(item, doc, chunks)
        self.result.documents += 1
        self.on_event(
            "document", {"name": item.name, "chunks": len(todo), "warnings": doc.source.warnings}
        )
        if not todo:
            self.store.finish_document(doc_id)
            return
        remaining[doc_id] = len(todo)
        for chunk in todo:
            await queue.put(_Work(doc, doc_id, chunk, remaining))

    def _record(self, work: _Work, outcome: ChunkOutcome) -> None:
        usage = outcome.usage
        facts = []
        if outcome.indicators:
            pairs = [(work.chunk.id, ind) for ind in outcome.indicators]
            facts = [
                f.record
                for f in build_facts(
                    work.doc, pairs, self.catalog, self.backend.name, self.backend.model
                )
            ]
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
        self.store.save_chunk(
            work.doc_id, work.chunk.id, outcome.status, outcome.reason, facts, call
        )
        r = self.result
        r.chunks[outcome.status] += 1
        r.usage.add(usage)
        work.remaining[work.doc_id] -= 1
        if work.remaining[work.doc_id] == 0:
            self.store.finish_document(work.doc_id)
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

    async def _work(self, queue: asyncio.Queue[_Work | None]) -> None:
        while True:
            work = await queue.get()
            if work is None:
                return
            if self.result.error is not None:
                self.result.not_run += 1  # stays pending: a re-run sends it
                continue
            max_cost = self.options.max_cost
            cost = self.result.usage.cost
            if self.stop_new or (max_cost is not None and cost is not None and cost >= max_cost):
                self.stop_new = True
                self.result.pending_left += 1
                continue
            await self.limiter.acquire(work.chunk.tokens)
            try:
                outcome = await asyncio.to_thread(_run_chunk, self.backend, work.doc, work.chunk)
            except ProviderError as exc:  # the endpoint as a whole: stop sending
                if isinstance(exc.usage, Usage):
                    self.result.usage.add(exc.usage)
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
            self._record(work, outcome)

    async def _pass(
        self, paths: list[str | Path], work: Callable[[asyncio.Queue[_Work | None]], Any]
    ) -> None:
        """Reads and analyses every input, ``concurrency`` consumers running ``work``.
        If any of them raises, the others are cancelled and the error propagates (a
        consumer that died must not leave the producer waiting on a full queue)."""
        queue: asyncio.Queue[_Work | None] = asyncio.Queue(maxsize=self.options.concurrency * 2)
        remaining: dict[int, int] = {}
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.options.concurrency):
                    group.create_task(work(queue))
                group.create_task(self._produce(paths, queue, remaining))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None

    async def run(self, paths: list[str | Path]) -> BatchResult:
        t0 = time.perf_counter()
        model = self.backend.model
        if self.options.max_cost is not None and model is not None and not self.options.dry_run:
            require_price(self.prices, model)
        if self.options.dry_run:
            self.result.estimate = self.estimate(paths)  # no calls: nothing to overlap
            self.result.seconds = time.perf_counter() - t0
            return self.result
        # asyncio.to_thread's default pool has min(32, cores + 4) threads: six on a two-core
        # machine, which would cap --concurrency 32 at six calls in flight.
        pool = ThreadPoolExecutor(
            max_workers=self.options.concurrency + 1, thread_name_prefix="extractor-batch"
        )
        asyncio.get_running_loop().set_default_executor(pool)
        if self.options.openai_batch:
            await self._run_provider_batch(paths)
        else:
            await self._pass(paths, self._work)
        self.finish()
        self.result.seconds = time.perf_counter() - t0
        return self.result

    # -- provider batch (--openai-batch) ---------------------------------------------

    async def _run_provider_batch(self, paths: list[str | Path]) -> None:
        """Answered requests are ingested, the others written to JSONL and submitted as
        OpenAI batches; then (unless told not to wait) the batches are polled until they
        end and a second pass over the inputs ingests their answers."""
        from .openai_batch import ProviderBatches

        if not isinstance(self.backend, LLMBackend | DeferredLLMBackend):
            raise ConfigError("--openai-batch needs an OpenAI backend (--backend openai)")
        batches = ProviderBatches(
            self.backend.client.openai,
            self.store,
            self.run_dir / "openai-batch",
            self.options.poll_interval,
            self.on_event,
        )
        await self._pass(paths, lambda queue: self._provider_work(queue, batches, True))
        if batches.added:
            batches.submit()
        self.result.provider_submitted = batches.added
        if not self.options.wait:
            self.result.provider_waiting += batches.added
        if self.options.wait and batches.wait():
            # the inputs again, quietly: only the chunks answered since are new
            tally = (
                self.result.documents,
                list(self.result.documents_failed),
                list(self.result.skipped_inputs),
                self.result.chunks_done_before,
            )
            on_event = self.on_event
            self.on_event = lambda kind, data: on_event(kind, data) if kind == "chunk" else None
            self.result.provider_waiting = 0
            try:
                await self._pass(paths, lambda queue: self._provider_work(queue, batches, False))
            finally:
                self.on_event = on_event
            (
                self.result.documents,
                self.result.documents_failed,
                self.result.skipped_inputs,
                self.result.chunks_done_before,
            ) = tally
        self.result.provider_batches = self.store.provider_batches()

    async def _provider_work(
        self, queue: asyncio.Queue[_Work | None], batches: ProviderBatches, collect: bool
    ) -> None:
        from .openai_batch import custom_id

        backend = self.backend
        assert isinstance(backend, LLMBackend | DeferredLLMBackend)
        while (work := await queue.get()) is not None:
            chunk = work.chunk
            if not chunk.quantity_ids:
                self._record(work, ChunkOutcome(chunk, "skipped", "no numbers in this chunk"))
                continue
            body = backend.batch_request(work.doc, chunk)
            cid = custom_id(body)
            known = self.store.provider_request(cid)
            status = known[0] if known else None
            if known is not None and status == "answered":
                try:
                    answer = json.loads(known[1] or "null")
                    result, usage = backend.parse_batch_answer(
                        work.doc, chunk, answer, BATCH_DISCOUNT
                    )
                    outcome = ChunkOutcome(chunk, "extracted", None, list(result.indicators), usage)
                except CallFailed as exc:
                    outcome = ChunkOutcome(chunk, "failed", exc.reason, [], exc.usage)
                self._record(work, outcome)
            elif known is not None and status == "error" and not collect:
                self._record(work, ChunkOutcome(chunk, "failed", known[2]))
            elif status in ("new", "submitted"):
                self.result.provider_waiting += 1  # in a batch that has not ended
            elif not collect:
                continue  # not submitted by this run (the cost cap): counted already
            elif self._over_budget(work):
                self.result.pending_left += 1
            else:  # never asked, or its earlier batch request failed: ask (again)
                batches.add(cid, body, work.doc.name, chunk.id)

    def _over_budget(self, work: _Work) -> bool:
        """``--max-cost`` for requests that are paid later: their estimated cost, at the
        batch price, is committed when they are written."""
        max_cost = self.options.max_cost
        if max_cost is None or self.prices is None or self.backend.model is None:
            return False
        if self.stop_new:
            return True
        tokens = self.backend.prompt_tokens(work.doc, work.chunk)
        cost = self.prices.cost(self.backend.model, tokens, _answer_tokens(work.chunk))
        if cost is None:
            return False
        spent = (self.result.usage.cost or 0.0) + self._committed
        if spent + cost * BATCH_DISCOUNT > max_cost:
            self.stop_new = True
            return True
        self._committed += cost * BATCH_DISCOUNT
        return False

    # -- dry run ---------------------------------------------------------------------

    def estimate(self, paths: list[str | Path]) -> dict[str, Any]:
        docs = chunks = input_tokens = output_tokens = 0
        seen: dict[str, str] = {}
        for item in iter_inputs(paths, self.options.limits):
            if isinstance(item, Skipped):
                self.result.skipped_inputs.append((item.name, item.reason))
                continue
            sha = hashlib.sha256(item.data).hexdigest()
            first = seen.setdefault(sha, item.name)
            if first != item.name or self.store.name_with_content(sha, item.name):
                continue  # a copy: the run will skip it
            budget = self.options.budget or self.backend.budget
            analysed = analyse_member(item.data, item.name, self._fallback_meta(item), budget)
            if isinstance(analysed, str):
                self.result.documents_failed.append((item.name, analysed))
                continue
            doc, doc_chunks = analysed
            docs += 1
            known = self.store.document(item.name)
            states = self.store.chunk_status(known[0]) if known and known[1] == doc.sha256 else {}
            for chunk in doc_chunks:
                if not chunk.quantity_ids or states.get(chunk.id) in FINAL:
                    continue
                chunks += 1
                input_tokens += self.backend.prompt_tokens(doc, chunk)
                if self.backend.model is not None:
                    output_tokens += _answer_tokens(chunk)
        cost = None
        if self.backend.model is not None and self.prices is not None:
            cost = self.prices.cost(self.backend.model, input_tokens, output_tokens)
            if cost is not None and self.options.openai_batch:
                cost *= BATCH_DISCOUNT
        elif self.backend.model is None:
            cost = 0.0
        return {
            "documents": docs,
            "chunks": chunks,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost": cost,
        }

    # -- outputs ---------------------------------------------------------------------

    def finish(self) -> None:
        facts = self.store.facts()
        findings = validate(facts)
        self.store.replace_findings(f.record() for f in findings)
        out = self.run_dir
        write_jsonl(facts, out / "facts.jsonl")
        write_csv(facts, out / "facts.csv")
        write_findings(findings, out / "findings.jsonl")
        write_findings(findings, out / "findings.csv")
        self.result.outputs = [
            out / n for n in ("facts.jsonl", "facts.csv", "findings.jsonl", "findings.csv")
        ]
        self.result.outputs += write_wide_tables(facts, out / "tables")
        parquet = write_parquet(facts, out / "facts.parquet")
        if parquet:
            self.result.outputs.append(parquet)
        self.result.facts = len(facts)
        self.result.failed_chunks = self.store.failed_chunks()
        self.result.findings = {
            s: sum(1 for f in findings if f.status == s) for s in ("fail", "skipped", "pass")
        }

    def close(self) -> None:
        if self.analysis is not None:
            self.analysis.close()
        self.store.close()
        self.lock.release()


def write_wide_tables(facts: list[dict[str, Any]], folder: Path) -> list[Path]:
    """One CSV per province: a row per indicator and period kind, a column per report
    period, the value with its scale applied."""
    from decimal import Decimal

    from .facts import safe_cell

    folder.mkdir(parents=True, exist_ok=True)
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        if f.get("code") and not f.get("parent"):
            by_province[f.get("province") or "unknown"].append(f)
    written = []
    for province, rows in sorted(by_province.items()):
        periods = sorted({str(f.get("report_period") or "?") for f in rows})
        table: dict[tuple[str, str, str], dict[str, Any]] = {}
        for f in rows:
            key = (f["code"], f.get("period") or "", f.get("unit") or "")
            cell = table.setdefault(key, {})
            period = str(f.get("report_period") or "?")
            if period not in cell:
                value = Decimal(str(f["value"])) * Decimal(f.get("scale") or 1)
                cell[period] = format(value.normalize(), "f")
        slug = re.sub(r"[^a-z0-9]+", "-", _ascii(province)).strip("-") or "unknown"
        path = folder / f"{slug}.csv"
        with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["code", "period", "unit", *periods])
            for (code, period, unit), cells in sorted(table.items()):
                writer.writerow(
                    [safe_cell(code), period, safe_cell(unit), *[cells.get(p, "") for p in periods]]
                )
        written.append(path)
    return written


def write_parquet(facts: list[dict[str, Any]], path: Path) -> Path | None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    import json

    rows = [
        {
            k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
            for k, v in f.items()
        }
        for f in facts
    ]
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows), tmp)
    return path


async def run_batch(
    paths: list[str | Path],
    run_dir: Path,
    backend: Backend,
    options: BatchOptions,
    prices: PriceTable | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    analysis: AnalysisPool | None = None,
) -> BatchResult:
    runner = BatchRunner(backend, run_dir, options, prices, on_event=on_event, analysis=analysis)
    try:
        return await runner.run(paths)
    finally:
        runner.close()


__all__ = [
    "AnalysisPool",
    "BatchOptions",
    "BatchResult",
    "BatchRunner",
    "meta_from_name",
    "run_batch",
]
