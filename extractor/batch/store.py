"""The run store: one SQLite file per run directory.

Tables: documents (input name, sha256, metadata, status), chunks (pending, extracted,
failed with its error, skipped with its reason), calls (tokens, cost, cache hit,
latency), facts, relations (and the statements no relation was formed of) and findings,
each as its JSON record plus the columns a query needs.
Each chunk's result (its status, its call, its facts) is written in one transaction, so
a crash loses at most the chunks in flight and a re-run continues where it stopped.

The schema is versioned (``PRAGMA user_version``) and upgraded by the migrations of
:mod:`.store_schema` in order; it uses plain types and no SQLite-only features beyond
that pragma, so the same tables work in PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ConfigError
from ..records import Fact
from ..relations import Gap, Relation
from ..validation import Finding
from .store_schema import MIGRATIONS, SCHEMA_VERSION


class StoredDocument(NamedTuple):
    """A document the run store knows: its id, hash and status."""

    id: int
    sha256: str
    status: str  # pending, done, failed
    relations_found: bool  # its relations are stored (a run of an older release: no)


class ProviderRequest(NamedTuple):
    """A request written for OpenAI's Batch API, and what became of it."""

    status: str  # new, submitted, answered, error
    response: str | None  # the answer's body, as JSON
    error: str | None


class FailedChunk(NamedTuple):
    """A chunk whose call failed, with the reason (listed in the run's summary)."""

    document: str
    chunk: str
    reason: str


class RunStore:
    """The run store: one SQLite file (WAL) holding a run's documents, chunks, facts,
    relations, requests and skipped inputs, written as the run goes so that a run
    stopped at any moment resumes where it was."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"run store {str(self.path)!r} has schema version {version}, "
                f"newer than this extractor ({SCHEMA_VERSION}): upgrade extractor"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.db:
                self.db.executescript(MIGRATIONS[number])
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    # -- documents --------------------------------------------------------------------

    def document(self, name: str) -> StoredDocument | None:
        """A document already in the store, by its input name."""
        row = self.db.execute(
            "SELECT id, sha256, status, relations_found FROM documents WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        return StoredDocument(int(row[0]), str(row[1]), str(row[2]), bool(row[3]))

    def name_with_content(self, sha256: str, other_than: str) -> str | None:
        """Another document already registered with the same bytes, if any."""
        row = self.db.execute(
            "SELECT name FROM documents WHERE sha256 = ? AND name != ? ORDER BY id LIMIT 1",
            (sha256, other_than),
        ).fetchone()
        return str(row[0]) if row else None

    def start_document(
        self, name: str, sha256: str, meta: dict[str, Any], chunks: Iterable[tuple[str, int, int]]
    ) -> int:
        """Register a document (replacing an older version with another sha256) and its
        chunks as pending; returns its id."""
        with self.db:
            old = self.document(name)
            if old is not None:
                self.db.execute("DELETE FROM documents WHERE id = ?", (old.id,))
            cur = self.db.execute(
                "INSERT INTO documents (name, sha256, province, period, kind, status, chunks, "
                "updated) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)",
                (
                    name,
                    sha256,
                    meta.get("province"),
                    meta.get("period"),
                    meta.get("kind"),
                    time.time(),
                ),
            )
            doc_id = int(cur.lastrowid or 0)
            rows = [(doc_id, c, "pending", None, tokens, n, time.time()) for c, tokens, n in chunks]
            self.db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.execute("UPDATE documents SET chunks = ? WHERE id = ?", (len(rows), doc_id))
        return doc_id

    def fail_document(self, name: str, sha256: str, error: str) -> None:
        with self.db:
            old = self.document(name)
            if old is not None:
                self.db.execute("DELETE FROM documents WHERE id = ?", (old.id,))
            self.db.execute(
                "INSERT INTO documents (name, sha256, status, error, updated) "
                "VALUES (?, ?, 'failed', ?, ?)",
                (name, sha256, error, time.time()),
            )

    def skip_input(self, name: str, reason: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO skipped_inputs VALUES (?, ?, ?)",
                (name, reason, time.time()),
            )

    def finish_document(self, doc_id: int) -> None:
        with self.db:
            self.db.execute(
                "UPDATE documents SET status = 'done', updated = ? WHERE id = ?",
                (time.time(), doc_id),
            )

    # -- chunks -----------------------------------------------------------------------

    def chunk_status(self, doc_id: int) -> dict[str, str]:
        return {
            str(c): str(s)
            for c, s in self.db.execute(
                "SELECT chunk, status FROM chunks WHERE document_id = ?", (doc_id,)
            )
        }

    def save_chunk(
        self,
        doc_id: int,
        chunk: str,
        status: str,
        reason: str | None,
        facts: list[Fact],
        usage: dict[str, Any] | None,
    ) -> None:
        """One chunk's outcome, its call and its facts, in one transaction."""
        with self.db:
            self.db.execute(
                "DELETE FROM facts WHERE document_id = ? AND chunk = ?", (doc_id, chunk)
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        f.id,
                        doc_id,
                        chunk,
                        f.code,
                        f.period,
                        json.dumps(f.record(), ensure_ascii=False),
                    )
                    for f in facts
                ],
            )
            if usage is not None:
                self.db.execute(
                    "INSERT INTO calls (document_id, chunk, model, calls, input_tokens, "
                    "output_tokens, cost, cached, latency, created, requests, retries, timeouts) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc_id,
                        chunk,
                        usage.get("model"),
                        usage.get("calls", 0),
                        usage.get("input_tokens", 0),
                        usage.get("output_tokens", 0),
                        usage.get("cost"),
                        int(bool(usage.get("cached"))),
                        usage.get("latency", 0.0),
                        time.time(),
                        usage.get("requests", 0),
                        usage.get("retries", 0),
                        usage.get("timeouts", 0),
                    ),
                )
            self.db.execute(
                "UPDATE chunks SET status = ?, reason = ?, updated = ? WHERE document_id = ? "
                "AND chunk = ?",
                (status, reason, time.time(), doc_id, chunk),
            )

    # -- results ----------------------------------------------------------------------

    def facts(self) -> list[Fact]:
        return [
            Fact.from_record(json.loads(r))
            for (r,) in self.db.execute(
                "SELECT f.record FROM facts f JOIN documents d ON d.id = f.document_id "
                "ORDER BY d.name, f.id"
            )
        ]

    def save_relations(self, doc_id: int, relations: list[Relation], gaps: list[Gap]) -> None:
        """A document's relations and gaps, replacing what was stored for it."""
        with self.db:
            self.db.execute("DELETE FROM relations WHERE document_id = ?", (doc_id,))
            self.db.execute("DELETE FROM relation_gaps WHERE document_id = ?", (doc_id,))
            self.db.executemany(
                "INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?)",
                [
                    (r.id, doc_id, r.kind, json.dumps(r.record(), ensure_ascii=False))
                    for r in relations
                ],
            )
            self.db.execute("UPDATE documents SET relations_found = 1 WHERE id = ?", (doc_id,))
            self.db.executemany(
                "INSERT INTO relation_gaps (document_id, rule, reason, record) VALUES (?, ?, ?, ?)",
                [
                    (doc_id, g.rule, g.reason, json.dumps(g.record(), ensure_ascii=False))
                    for g in gaps
                ],
            )

    def save_view(self, doc_id: int, view: str) -> None:
        """What the review page of a document shows of it (a ReportView as JSON)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO document_views VALUES (?, ?)", (doc_id, view))

    def has_view(self, doc_id: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM document_views WHERE document_id = ?", (doc_id,)
        ).fetchone()
        return row is not None

    def views(self) -> list[str]:
        return [
            str(v)
            for (v,) in self.db.execute(
                "SELECT v.view FROM document_views v JOIN documents d ON d.id = v.document_id "
                "ORDER BY d.name"
            )
        ]

    def document_rows(self) -> list[tuple[Any, ...]]:
        """Every document: name, sha256, province, period, status, error, chunks, and the
        cost of its calls (None when no call was priced)."""
        return list(
            self.db.execute(
                "SELECT d.name, d.sha256, d.province, d.period, d.status, d.error, d.chunks, "
                "(SELECT SUM(c.cost) FROM calls c WHERE c.document_id = d.id) "
                "FROM documents d ORDER BY d.name"
            )
        )

    def skipped(self) -> list[tuple[str, str]]:
        return [
            (str(n), str(r))
            for n, r in self.db.execute("SELECT name, reason FROM skipped_inputs ORDER BY name")
        ]

    def relations(self) -> list[Relation]:
        return [
            Relation.from_record(json.loads(r))
            for (r,) in self.db.execute(
                "SELECT r.record FROM relations r JOIN documents d ON d.id = r.document_id "
                "ORDER BY d.name, r.rowid"
            )
        ]

    def gaps(self) -> list[Gap]:
        return [
            Gap.from_record(json.loads(r))
            for (r,) in self.db.execute(
                "SELECT g.record FROM relation_gaps g JOIN documents d ON d.id = g.document_id "
                "ORDER BY d.name, g.id"
            )
        ]

    def replace_findings(self, findings: Iterable[Finding]) -> None:
        with self.db:
            self.db.execute("DELETE FROM findings")
            self.db.executemany(
                "INSERT INTO findings (rule, status, doc, record) VALUES (?, ?, ?, ?)",
                [
                    (f.rule, f.status, f.doc, json.dumps(f.record(), ensure_ascii=False))
                    for f in findings
                ],
            )

    def failed_chunks(self) -> list[FailedChunk]:
        return [
            FailedChunk(str(n), str(c), str(r))
            for n, c, r in self.db.execute(
                "SELECT d.name, c.chunk, c.reason FROM chunks c JOIN documents d ON "
                "d.id = c.document_id WHERE c.status = 'failed' ORDER BY d.name, c.chunk"
            )
        ]

    # -- provider batches (--openai-batch) ---------------------------------------------

    def provider_request(self, custom_id: str) -> ProviderRequest | None:
        """A request already written for a provider batch."""
        row = self.db.execute(
            "SELECT status, response, error FROM provider_requests WHERE custom_id = ?",
            (custom_id,),
        ).fetchone()
        return ProviderRequest(str(row[0]), row[1], row[2]) if row else None

    def add_provider_request(self, custom_id: str, document: str, chunk: str, file: str) -> None:
        """A request written to ``file``, not submitted yet (a failed one is asked again)."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO provider_requests (custom_id, document, chunk, "
                "input_file, status, updated) VALUES (?, ?, ?, ?, 'new', ?)",
                (custom_id, document, chunk, file, time.time()),
            )

    def forget_unsubmitted_requests(self) -> list[str]:
        """Drop requests written but never submitted (a run stopped before uploading);
        returns their input files, which are incomplete and are written again."""
        with self.db:
            files = [
                str(f)
                for (f,) in self.db.execute(
                    "SELECT DISTINCT input_file FROM provider_requests WHERE status = 'new'"
                )
            ]
            self.db.execute("DELETE FROM provider_requests WHERE status = 'new'")
        return files

    def record_provider_batch(
        self, batch_id: str, input_file_id: str, file: str, status: str
    ) -> int:
        """A batch created from ``file``: its requests are now submitted; returns how many."""
        with self.db:
            self.db.execute(
                "INSERT INTO provider_batches (id, input_file_id, input_file, status, requests, "
                "created, updated) VALUES (?, ?, ?, ?, 0, ?, ?)",
                (batch_id, input_file_id, file, status, time.time(), time.time()),
            )
            n = self.db.execute(
                "UPDATE provider_requests SET batch_id = ?, status = 'submitted', updated = ? "
                "WHERE input_file = ? AND status = 'new'",
                (batch_id, time.time(), file),
            ).rowcount
            self.db.execute("UPDATE provider_batches SET requests = ? WHERE id = ?", (n, batch_id))
        return n

    def unfetched_provider_batches(self) -> list[str]:
        """Batches whose answers have not been downloaded yet, oldest first."""
        return [
            str(b)
            for (b,) in self.db.execute(
                "SELECT id FROM provider_batches WHERE fetched = 0 ORDER BY created"
            )
        ]

    def update_provider_batch(
        self,
        batch_id: str,
        status: str,
        completed: int,
        failed: int,
        output_file_id: str | None,
        error_file_id: str | None,
    ) -> None:
        with self.db:
            self.db.execute(
                "UPDATE provider_batches SET status = ?, completed = ?, failed = ?, "
                "output_file_id = ?, error_file_id = ?, updated = ? WHERE id = ?",
                (status, completed, failed, output_file_id, error_file_id, time.time(), batch_id),
            )

    def save_provider_results(
        self,
        batch_id: str,
        answers: dict[str, str],
        errors: dict[str, str],
        missing_reason: str,
    ) -> None:
        """A finished batch's answers (response bodies as JSON) and errors by custom_id;
        its requests with neither get ``missing_reason``. One transaction."""
        now = time.time()
        with self.db:
            ids = [
                str(c)
                for (c,) in self.db.execute(
                    "SELECT custom_id FROM provider_requests WHERE batch_id = ? AND "
                    "status = 'submitted'",
                    (batch_id,),
                )
            ]
            rows: list[tuple[str, str | None, str | None, float, str]] = []
            for cid in ids:
                if cid in answers:
                    rows.append(("answered", answers[cid], None, now, cid))
                else:
                    rows.append(("error", None, errors.get(cid, missing_reason), now, cid))
            self.db.executemany(
                "UPDATE provider_requests SET status = ?, response = ?, error = ?, updated = ? "
                "WHERE custom_id = ?",
                rows,
            )
            self.db.execute("UPDATE provider_batches SET fetched = 1 WHERE id = ?", (batch_id,))

    def provider_batches(self) -> list[dict[str, Any]]:
        cols = ("id", "status", "requests", "completed", "failed", "input_file", "fetched")
        return [
            dict(zip(cols, row, strict=True))
            for row in self.db.execute(
                f"SELECT {', '.join(cols)} FROM provider_batches ORDER BY created"
            )
        ]

    def close(self) -> None:
        self.db.close()
