"""OpenAI's Batch API for a batch run (``extractor batch --openai-batch``): half the
price, answers within 24 hours.

    batches = ProviderBatches(client.openai, store, run_dir / "openai-batch")
    batches.add(custom_id(body), body, document, chunk)  # while documents are analysed
    batches.submit()  # upload each JSONL input file, create one batch per file
    batches.wait()    # poll until every batch has ended; download answers and errors

Each request is a JSONL line ``{"custom_id", "method": "POST", "url":
"/v1/chat/completions", "body"}`` whose body is exactly the first request the
synchronous path sends for the chunk (:meth:`LLMClient.batch_request`). The custom_id
is a hash of that body, so an answer is only ever used for the request it answers and
a request already answered is never paid for twice. Input files stay in the run
directory (they hold report text and the schema, never the API key).

Everything is recorded in the run store as it happens: a run stopped while it waits
(Ctrl-C, ``kill -9``) polls the same batches again when re-run, and a run stopped
before uploading writes its requests again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from .store import RunStore

if TYPE_CHECKING:  # the SDK's client is handed in; importing it costs a second
    import openai

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # per batch (the API's limit)
MAX_BYTES = 190 * 1024 * 1024  # per input file (the API's limit is 200 MB)
TERMINAL = {"completed", "failed", "expired", "cancelled"}


def custom_id(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "extractor-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]


def _error_text(record: dict[str, Any]) -> str:
    """What an output or error file line says went wrong with one request."""
    error = record.get("error") or {}
    response = record.get("response") or {}
    body = response.get("body") or {}
    detail = error or (body.get("error") if isinstance(body, dict) else None) or {}
    message = detail.get("message") if isinstance(detail, dict) else str(detail)
    code = detail.get("code") if isinstance(detail, dict) else None
    status = response.get("status_code")
    parts = [f"HTTP {status}" if status else None, code, message]
    return "the provider batch returned an error: " + (
        ": ".join(str(p) for p in parts if p) or "no detail"
    )


class ProviderBatches:
    """The requests of one batch run through OpenAI's Batch API: written to JSONL input
    files, submitted, polled, and their answers stored in the run store."""

    def __init__(
        self,
        client: openai.OpenAI,
        store: RunStore,
        folder: Path,
        poll_interval: float = 60.0,
        on_event: Callable[[str, dict[str, Any]], None] | None = None,
        max_requests: int = MAX_REQUESTS,
        max_bytes: int = MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.store = store
        self.folder = folder
        self.poll_interval = poll_interval
        self.on_event = on_event or (lambda kind, data: None)
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in store.forget_unsubmitted_requests():
            (folder / name).unlink(missing_ok=True)
        self.added = 0
        self.fetched = 0
        self._written: list[Path] = []
        self._file: IO[bytes] | None = None
        self._lines = 0
        self._bytes = 0

    # -- writing and submitting -------------------------------------------------------

    def add(self, cid: str, body: dict[str, Any], document: str, chunk: str) -> None:
        line = {"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": body}
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        if (
            self._file is None
            or self._lines >= self.max_requests
            or self._bytes + len(data) > self.max_bytes
        ):
            self._next_file()
        assert self._file is not None
        self._file.write(data)
        self._lines += 1
        self._bytes += len(data)
        self.store.add_provider_request(cid, document, chunk, self._written[-1].name)
        self.added += 1

    def _next_file(self) -> None:
        self._close_file()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        n = len(list(self.folder.glob(f"requests-{stamp}-*.jsonl"))) + 1
        path = self.folder / f"requests-{stamp}-{n:03d}.jsonl"
        self._file = path.open("wb")
        self._written.append(path)
        self._lines = self._bytes = 0

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def submit(self) -> list[str]:
        """Uploads the input files written by :meth:`add` and creates a batch for each."""
        self._close_file()
        created = []
        for path in self._written:
            uploaded = self.client.files.create(
                file=(path.name, path.read_bytes(), "application/jsonl"), purpose="batch"
            )
            batch = self.client.batches.create(
                input_file_id=uploaded.id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata={"created_by": "extractor", "input_file": path.name},
            )
            n = self.store.record_provider_batch(batch.id, uploaded.id, path.name, batch.status)
            self.on_event(
                "provider_batch_submitted", {"id": batch.id, "requests": n, "file": path.name}
            )
            created.append(batch.id)
        self._written = []
        return created

    # -- waiting and collecting -------------------------------------------------------

    def wait(self) -> int:
        """Polls every batch not collected yet until it ends, and stores its answers and
        errors; returns how many batches were collected."""
        while True:
            waiting = self.store.unfetched_provider_batches()
            if not waiting:
                return self.fetched
            for batch_id in waiting:
                batch = self.client.batches.retrieve(batch_id)
                counts = batch.request_counts
                completed = counts.completed if counts else 0
                failed = counts.failed if counts else 0
                self.store.update_provider_batch(
                    batch.id,
                    batch.status,
                    completed,
                    failed,
                    batch.output_file_id,
                    batch.error_file_id,
                )
                self.on_event(
                    "provider_batch",
                    {
                        "id": batch.id,
                        "status": batch.status,
                        "completed": completed,
                        "failed": failed,
                        "total": counts.total if counts else 0,
                    },
                )
                if batch.status in TERMINAL:
                    self._collect(batch)
            if self.store.unfetched_provider_batches():
                self.sleep(self.poll_interval)

    def _lines_of(self, file_id: str | None) -> list[dict[str, Any]]:
        if not file_id:
            return []
        text = self.client.files.content(file_id).text
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def _collect(self, batch: Any) -> None:
        answers: dict[str, str] = {}
        errors: dict[str, str] = {}
        for record in self._lines_of(batch.output_file_id) + self._lines_of(batch.error_file_id):
            cid = str(record.get("custom_id"))
            response = record.get("response") or {}
            if response.get("status_code") == 200 and not record.get("error"):
                answers[cid] = json.dumps(response.get("body"), ensure_ascii=False)
            else:
                errors[cid] = _error_text(record)
        reasons = [e.message for e in (batch.errors.data or [])] if batch.errors else []
        missing = f"no answer: the provider batch {batch.id} ended as {batch.status}" + (
            f" ({'; '.join(str(r) for r in reasons if r)})" if any(reasons) else ""
        )
        self.store.save_provider_results(batch.id, answers, errors, missing)
        self.fetched += 1
