"""Documents analysed in other processes while the calls go on.

Loading, cleaning, tagging and chunking a report is CPU work; the calls are waiting on
the network. :class:`AnalysisPool` runs :func:`analyse_member` in spawned processes
(one per core but one), a few documents ahead of the calls; with
``analysis_processes=0`` documents are analysed in threads of this process instead.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from ..chunking import Chunk, make_chunks
from ..document import Document, analyse_bytes, require_figures
from ..errors import DocumentError
from ..metadata import ReportMeta
from ..relations import FoundRelations, find_relations
from ..tokens import encoding


class Analysed(NamedTuple):
    doc: Document
    chunks: list[Chunk]
    found: FoundRelations | None  # the relations its text states (None in a dry run)


def analyse_member(
    data: bytes, name: str, fallback: ReportMeta, budget: int, relations: bool = True
) -> Analysed | str:
    """Load, analyse and chunk one report, and find the relations it states; the reason
    as a string when it cannot be read.

    Pure and picklable both ways: it runs in an analysis process."""
    try:
        doc = analyse_bytes(data, name, fallback)
        require_figures(doc)
        found = find_relations(doc) if relations else None
    except DocumentError as exc:
        return exc.reason
    except Exception as exc:  # a bug must not end a batch of thousands: record it, go on
        return f"internal error while analysing ({type(exc).__name__}: {exc}); please report it"
    return Analysed(doc, make_chunks(doc, budget), found)


def _warm_up() -> bool:
    """Loads the tokenizer in an analysis process, so that its first document is not slow."""
    encoding()
    return True


def _exit_with_parent() -> None:
    """Ends an analysis process when the batch that started it is gone (``kill -9``
    leaves pool processes behind otherwise, each holding a tokenizer in memory); a
    Ctrl-C, sent to the whole process group, is the batch's to handle (the pool is shut
    down with it), not a traceback from every process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    ) -> asyncio.Future[Analysed | str]:
        return asyncio.get_running_loop().run_in_executor(
            self.executor, analyse_member, data, name, fallback, budget
        )

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ThreadAnalysis:
    """Documents analysed in threads of this process (``analysis_processes=0``)."""

    size = 1

    def analyse(
        self, data: bytes, name: str, fallback: ReportMeta, budget: int
    ) -> asyncio.Future[Analysed | str]:
        return asyncio.get_running_loop().run_in_executor(
            None, analyse_member, data, name, fallback, budget
        )

    def close(self) -> None:
        pass
