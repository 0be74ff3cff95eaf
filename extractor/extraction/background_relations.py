"""The relations of a large report, found in another process while its chunks are read.

Finding relations is CPU work of its own (about 0.35 s per MB); extracting the chunks
is too. On a machine with a second core, :class:`RelationsJob` runs
:func:`~extractor.relations.find_relations` in a forked process (the document is
inherited, not copied through a pipe; only the relations come back, pickled), and
:meth:`RelationsJob.result` joins it. Small reports, platforms without ``fork``, and
any failure of the child fall back to finding them here: the result is the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from ..document import Document
from ..relations import FoundRelations, attach_facts, find_relations

BACKGROUND_CHARS = 2_000_000  # a report this long (or longer) is worth a process

_inherited: Document | None = None  # the document a forked child works on


def _find_inherited() -> FoundRelations:
    assert _inherited is not None, "RelationsJob's child starts with the document"
    return find_relations(_inherited)


class RelationsJob:
    """The relations of one document, found in another process when the report is long
    (so that its chunks are read meanwhile), or here when it is short."""

    def __init__(self, doc: Document, threshold: int = BACKGROUND_CHARS) -> None:
        global _inherited
        self.doc = doc
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[FoundRelations] | None = None
        self.from_child = False  # the result came from the other process
        if len(doc.text) < threshold or (os.cpu_count() or 1) < 2:
            return
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        _inherited = doc
        try:  # the worker process is forked on the first submit, with the document
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self._future = self._pool.submit(_find_inherited)
        except (OSError, RuntimeError):
            self._pool = self._future = None
        finally:
            _inherited = None

    @property
    def in_background(self) -> bool:
        return self._future is not None

    def result(self, fact_ids: Iterable[str]) -> FoundRelations:
        """The relations, with the ids of the facts among ``fact_ids`` attached."""
        found = None
        if self._future is not None and self._pool is not None:
            try:
                found = self._future.result()
            except Exception:  # a child that died (memory, a signal): do it here
                found = None
            finally:
                self._pool.shutdown()
        self.from_child = found is not None
        if found is None:
            found = find_relations(self.doc)
        return FoundRelations(attach_facts(found.relations, fact_ids), found.gaps)
