"""Documents analysed in other processes while the calls go on.

Loading, cleaning, tagging and chunking a report is CPU work; the calls are waiting on
the network. :class:`AnalysisPool` runs :func:`analyse_member` in spawned processes
(one per core but one), a few documents ahead of the calls; with
``analysis_processes=0`` documents are analysed in threads of this process instead.

The relations of a long report (``LATER_CHARS`` or more) are found by a job of their
own (:func:`relations_of`), sent once the report is analysed: they are found in the
pool while this process reads the report's chunks, as ``extract`` finds them in a
forked process, instead of before the first chunk is read.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import pickle
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

LATER_CHARS = 2_000_000  # a report this long has its relations found by a job of their own


class Analysed(NamedTuple):
    """One report analysed for a batch: its document, chunks and the relations its text states."""

    doc: Document
    chunks: list[Chunk]
    found: FoundRelations | None  # the relations its text states (None in a dry run)
    later: bool = False  # its relations are to be found by relations_of (a long report)


def analyse_member(
    data: bytes,
    name: str,
    fallback: ReportMeta,
    budget: int,
    relations: bool = True,
    later_chars: int | None = None,
) -> Analysed | str:
    """Load, analyse and chunk one report, and find the relations it states (unless it
    has ``later_chars`` characters or more: then ``later`` says they are still to find);
    the reason as a string when it cannot be read.

    Pure and picklable both ways: it runs in an analysis process."""
    try:
        doc = analyse_bytes(data, name, fallback)
        require_figures(doc)
        later = relations and later_chars is not None and len(doc.text) >= later_chars
        found = find_relations(doc) if relations and not later else None
    except DocumentError as exc:
        return exc.reason
    except Exception as exc:  # a bug must not end a batch of thousands: record it, go on
        return f"internal error while analysing ({type(exc).__name__}: {exc}); please report it"
    return Analysed(doc, make_chunks(doc, budget), found, later)


def relations_of(doc: Document | bytes) -> FoundRelations | str:
    """The relations of an analysed report (or of its pickle), or the reason they could
    not be found."""
    try:
        return find_relations(doc if isinstance(doc, Document) else pickle.loads(doc))
    except Exception as exc:  # recorded, as analyse_member does
        return f"internal error while finding relations ({type(exc).__name__}: {exc})"


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
        self,
        data: bytes,
        name: str,
        fallback: ReportMeta,
        budget: int,
        later_chars: int | None = LATER_CHARS,
    ) -> asyncio.Future[Analysed | str]:
        return asyncio.get_running_loop().run_in_executor(
            self.executor, analyse_member, data, name, fallback, budget, True, later_chars
        )

    def relations(self, doc: Document) -> asyncio.Future[FoundRelations | str]:
        # pickled here and now: the pool's feeder thread would pickle it while this
        # process's chunk workers fill the document's caches
        blob = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        return asyncio.get_running_loop().run_in_executor(self.executor, relations_of, blob)

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
        self,
        data: bytes,
        name: str,
        fallback: ReportMeta,
        budget: int,
        later_chars: int | None = None,  # in this process, nothing is gained by a job apart
    ) -> asyncio.Future[Analysed | str]:
        return asyncio.get_running_loop().run_in_executor(
            None, analyse_member, data, name, fallback, budget
        )

    def relations(self, doc: Document) -> asyncio.Future[FoundRelations | str]:
        return asyncio.get_running_loop().run_in_executor(None, relations_of, doc)

    def close(self) -> None:
        pass
