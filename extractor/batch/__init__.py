"""Batch mode: folders and archives of reports into one run directory.

    result = asyncio.run(run_batch(["reports.zip"], Path("run1"), backend, BatchOptions()))

:mod:`.runner` (the run), :mod:`.archive` (inputs), :mod:`.analysis` (documents
analysed in other processes), :mod:`.names` (metadata from file names and a sidecar),
:mod:`.store` (the SQLite run store), :mod:`.runlock`, :mod:`.ratelimit`,
:mod:`.outputs`, :mod:`.estimate` (``--dry-run``), :mod:`.provider` and
:mod:`.openai_batch` (``--openai-batch``).
"""

from __future__ import annotations

from pathlib import Path

from ..extraction.rules_backend import Backend
from ..writers import RUN_STORE
from .analysis import AnalysisPool
from .estimate import estimate
from .openai_batch_runner import ProviderBatchRunner
from .runner import BatchOptions, BatchResult, BatchRunner, Estimate, Events
from .sidecars import meta_from_name
from .store import RunStore

__all__ = [
    "AnalysisPool",
    "BatchOptions",
    "BatchResult",
    "BatchRunner",
    "Estimate",
    "documents_done",
    "meta_from_name",
    "run_batch",
]


async def run_batch(
    paths: list[str | Path],
    run_dir: Path,
    backend: Backend,
    options: BatchOptions,
    on_event: Events | None = None,
    analysis: AnalysisPool | None = None,
) -> BatchResult:
    """Run a batch (or, with ``options.dry_run``, estimate it); see :mod:`.runner`."""
    cls = ProviderBatchRunner if options.openai_batch and not options.dry_run else BatchRunner
    runner = cls(backend, run_dir, options, on_event=on_event, analysis=analysis)
    try:
        if options.dry_run:
            return estimate(runner, paths)
        return await runner.run(paths)
    finally:
        runner.close()


def documents_done(run_dir: Path) -> tuple[int, int]:
    """How many reports of the run directory are done, and how many were started (for
    the line an interrupted batch ends with)."""
    store_path = run_dir / RUN_STORE
    if not store_path.exists():
        return 0, 0
    store = RunStore(store_path)
    try:
        statuses = [row[4] for row in store.document_rows()]
    finally:
        store.close()
    return statuses.count("done"), len(statuses)
