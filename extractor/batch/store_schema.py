"""The run store's tables: the SQL of each schema version, applied in order.

A new version is a new entry at the end (never an edit of an old one): a run directory
made by an earlier release is upgraded by the entries it has not seen
(``PRAGMA user_version`` counts them).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        province TEXT,
        period TEXT,
        kind TEXT,
        status TEXT NOT NULL,           -- pending, done, failed
        error TEXT,
        chunks INTEGER NOT NULL DEFAULT 0,
        updated REAL NOT NULL
    );
    CREATE TABLE skipped_inputs (
        name TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE chunks (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        chunk TEXT NOT NULL,
        status TEXT NOT NULL,           -- pending, extracted, failed, skipped (6: draft)
        reason TEXT,
        tokens INTEGER NOT NULL,
        quantities INTEGER NOT NULL,
        updated REAL NOT NULL,
        PRIMARY KEY (document_id, chunk)
    );
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        chunk TEXT NOT NULL,
        model TEXT,
        calls INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost REAL,
        cached INTEGER NOT NULL,
        latency REAL NOT NULL,
        created REAL NOT NULL
    );
    CREATE TABLE facts (
        id TEXT PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        chunk TEXT NOT NULL,
        code TEXT,
        period TEXT,
        record TEXT NOT NULL
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT,
        record TEXT NOT NULL
    );
    CREATE INDEX facts_by_document ON facts (document_id);
    CREATE INDEX chunks_by_status ON chunks (status);
    """,
    # 2: OpenAI Batch API jobs (--openai-batch) and their requests, by custom_id (a hash of
    # the request body: an answer is only ever used for the exact request it answers)
    """
    CREATE TABLE provider_batches (
        id TEXT PRIMARY KEY,
        input_file_id TEXT NOT NULL,
        input_file TEXT NOT NULL,       -- the JSONL kept in the run directory
        status TEXT NOT NULL,           -- the provider's: validating ... completed, expired
        requests INTEGER NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        output_file_id TEXT,
        error_file_id TEXT,
        fetched INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE provider_requests (
        custom_id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        chunk TEXT NOT NULL,
        input_file TEXT NOT NULL,
        batch_id TEXT REFERENCES provider_batches(id),
        status TEXT NOT NULL,           -- new, submitted, answered, error
        response TEXT,
        error TEXT,
        updated REAL NOT NULL
    );
    CREATE INDEX provider_requests_by_batch ON provider_requests (batch_id);
    """,
    # 3: what the transport did per chunk: HTTP requests sent, retries, timeouts
    """
    ALTER TABLE calls ADD COLUMN requests INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE calls ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE calls ADD COLUMN timeouts INTEGER NOT NULL DEFAULT 0;
    """,
    # 4: the relations each report states (what the validators check), and the
    # statements no relation could be formed of (skipped checks), as JSON records
    """
    CREATE TABLE relations (
        id TEXT PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE TABLE relation_gaps (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        reason TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX relations_by_document ON relations (document_id);
    CREATE INDEX relation_gaps_by_document ON relation_gaps (document_id);
    -- a document finished before this schema has no relations yet: a re-run finds them
    ALTER TABLE documents ADD COLUMN relations_found INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: what a report's review page shows of it (cleaned text, headings, footnotes), so
    # that the pages can be drawn again without the archive; a document finished before
    # has none, and a re-run reads it again for its page (sending nothing)
    """
    CREATE TABLE document_views (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        view TEXT NOT NULL
    );
    """,
    # 6: a chunk's facts are replaced by chunk (each chunk's save deleted them through a
    # scan of the document's facts: quadratic in a big report); chunk status "draft" is
    # new too (hybrid: the rules' draft stored, the model asked again by the next run)
    """
    CREATE INDEX facts_by_chunk ON facts (document_id, chunk);
    """,
    # 7: the facts as a table to query and pivot: one column per field, the value in base
    # units (value x scale) beside the unit and the scale word printed
    """
    CREATE VIEW fact_values AS
    SELECT
        facts.id AS id,
        documents.name AS doc,
        json_extract(record, '$.province') AS province,
        json_extract(record, '$.report_period') AS report_period,
        json_extract(record, '$.section') AS section,
        json_extract(record, '$.indicator') AS indicator,
        facts.code AS code,
        facts.period AS period,
        json_extract(record, '$.period_date') AS period_date,
        json_extract(record, '$.measure') AS measure,
        json_extract(record, '$.basis') AS basis,
        json_extract(record, '$.direction') AS direction,
        json_extract(record, '$.value') AS value,
        json_extract(record, '$.scale_word') AS scale_word,
        json_extract(record, '$.unit') AS unit,
        json_extract(record, '$.base_value') AS base_value,
        json_extract(record, '$.text') AS text,
        json_extract(record, '$.start') AS start,
        json_extract(record, '$.end') AS "end"
    FROM facts JOIN documents ON documents.id = facts.document_id;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
