"""``--openai-batch``: the chunks of a batch through OpenAI's Batch API.

A first pass over the inputs ingests the answers already received and writes every
other pending chunk's request (:mod:`.openai_batch`); the files are submitted as
batches; then, unless told not to wait, the batches are polled until they end and a
second pass ingests their answers. A batch has no re-asks: an invalid answer fails its
chunk, and a later run (with or without ``--openai-batch``) asks again for it.

``--max-cost`` counts requests when they are written, at their estimated cost at the
batch price, since they are paid later.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..backends import DeferredLLMBackend, LLMBackend
from ..errors import ConfigError
from ..extraction.pipeline import ChunkOutcome
from ..extraction.usage import BATCH_DISCOUNT, CallFailed
from .estimate import answer_tokens
from .openai_batch import ProviderBatches, custom_id
from .runner import BatchRunner, Queue, Work


class ProviderBatchRunner(BatchRunner):
    """A batch run whose calls go through OpenAI's Batch API."""

    committed = 0.0  # estimated cost of the requests written by this run
    capped = False  # the cost cap stopped writing requests

    def _llm(self) -> LLMBackend | DeferredLLMBackend:
        if not isinstance(self.backend, LLMBackend | DeferredLLMBackend):
            raise ConfigError("--openai-batch needs an OpenAI backend (--backend openai)")
        return self.backend

    async def send(self, paths: list[str | Path]) -> None:
        backend = self._llm()
        batches = ProviderBatches(
            backend.client.openai,
            self.store,
            self.run_dir / "openai-batch",
            self.options.poll_interval,
            self.on_event,
        )
        await self.run_pass(paths, lambda queue: self._provider_work(queue, batches, True))
        if batches.added:
            batches.submit()
        result = self.result
        result.provider_submitted = batches.added
        if not self.options.wait:
            result.provider_waiting += batches.added
        if self.options.wait and batches.wait():
            # the inputs again, quietly: only the chunks answered since are new
            tally = (
                result.documents,
                list(result.documents_failed),
                list(result.skipped_inputs),
                result.chunks_done_before,
            )
            on_event = self.on_event
            self.on_event = lambda kind, data: on_event(kind, data) if kind == "chunk" else None
            result.provider_waiting = 0
            try:
                await self.run_pass(paths, lambda queue: self._provider_work(queue, batches, False))
            finally:
                self.on_event = on_event
            (
                result.documents,
                result.documents_failed,
                result.skipped_inputs,
                result.chunks_done_before,
            ) = tally
        result.provider_batches = self.store.provider_batches()

    async def _provider_work(self, queue: Queue, batches: ProviderBatches, collect: bool) -> None:
        backend = self._llm()
        while (work := await queue.get()) is not None:
            chunk = work.chunk
            if not chunk.quantity_ids:
                self.record(work, ChunkOutcome(chunk, "skipped", "no numbers in this chunk"))
                continue
            body = backend.batch_request(work.doc, chunk)
            cid = custom_id(body)
            known = self.store.provider_request(cid)
            status = known.status if known else None
            if known is not None and status == "answered":
                try:
                    answer = json.loads(known.response or "null")
                    extraction, usage = backend.parse_batch_answer(
                        work.doc, chunk, answer, BATCH_DISCOUNT
                    )
                    outcome = ChunkOutcome(
                        chunk, "extracted", None, list(extraction.indicators), usage
                    )
                except CallFailed as exc:
                    outcome = ChunkOutcome(chunk, "failed", exc.reason, [], exc.usage)
                self.chunk_runner.add(outcome.usage)
                self.record(work, outcome)
            elif known is not None and status == "error" and not collect:
                self.record(work, ChunkOutcome(chunk, "failed", known.error))
            elif status in ("new", "submitted"):
                self.result.provider_waiting += 1  # in a batch that has not ended
            elif not collect:
                continue  # not submitted by this run (the cost cap): counted already
            elif self._over_budget(work):
                self.result.pending_left += 1
            else:  # never asked, or its earlier batch request failed: ask (again)
                batches.add(cid, body, work.doc.name, chunk.id)

    def _over_budget(self, work: Work) -> bool:
        """``--max-cost`` for requests that are paid later: their estimated cost, at the
        batch price, is committed when they are written."""
        max_cost = self.options.max_cost
        prices = self.backend.prices
        if max_cost is None or prices is None or self.backend.model is None:
            return False
        if self.capped:
            return True
        tokens = self.backend.prompt_tokens(work.doc, work.chunk)
        cost = prices.cost(self.backend.model, tokens, answer_tokens(work.chunk))
        if cost is None:
            return False
        spent = (self.result.usage.cost or 0.0) + self.committed
        if spent + cost * BATCH_DISCOUNT > max_cost:
            self.capped = True
            return True
        self.committed += cost * BATCH_DISCOUNT
        return False
