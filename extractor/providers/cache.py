"""The response cache: validated answers by (model, prompt, schema version, chunk text).

A re-run of the same chunk with the same model, prompt and answer contract costs
nothing. One SQLite file in the user cache (``--cache FILE`` to choose another), shared
by the threads of a batch's call workers behind a lock, and by several processes (WAL,
a busy timeout). Answers are stored after validation, never the API key.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

from ..errors import ConfigError
from ..extraction.usage import Usage
from ..schema import SCHEMA_VERSION
from .settings import cache_dir


class ResponseCache:
    """Validated answers by (model, prompt, schema version, chunk text): re-runs are free.

    One connection shared by the threads of a batch's call workers, behind a lock;
    several processes may share the file (WAL, and a busy timeout)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the response cache {str(self.path)!r}: {exc}; pass "
                "--cache FILE somewhere writable, or --no-cache"
            ) from exc
        self.lock = threading.Lock()
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, model TEXT NOT NULL, "
            "prompt TEXT NOT NULL, schema_version INTEGER NOT NULL, answer TEXT NOT NULL, "
            "input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, "
            "created REAL NOT NULL)"
        )
        self.db.commit()

    @staticmethod
    def key(model: str, prompt_id: str, mode: str, system: str, user: str) -> str:
        h = hashlib.sha256()
        for part in (model, prompt_id, f"schema.v{SCHEMA_VERSION}", mode, system, user):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    def get(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT answer FROM responses WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, model: str, prompt_id: str, answer: str, usage: Usage) -> None:
        with self.lock, self.db:
            self._put(key, model, prompt_id, answer, usage)

    def _put(self, key: str, model: str, prompt_id: str, answer: str, usage: Usage) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                model,
                prompt_id,
                SCHEMA_VERSION,
                answer,
                usage.input_tokens,
                usage.output_tokens,
                time.time(),
            ),
        )

    def close(self) -> None:
        with self.lock:
            self.db.close()


def default_cache_path() -> Path:
    return cache_dir() / "responses.sqlite"
