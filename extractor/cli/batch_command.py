"""``extractor batch``: extract and check a whole archive of reports into a run directory,
and the exit status of the run (0 done, 1 nothing read, 3 partial, 130 interrupted)."""

from __future__ import annotations

import argparse
import asyncio
import gc
from contextlib import nullcontext

from rich.console import Console
from rich.markup import escape

from ..backends import BackendOptions, choose_kind, open_backend
from ..batch import AnalysisPool, BatchOptions, BatchResult, documents_done, run_batch
from ..errors import ProviderError, UsageError
from ..writers import check_run_dir
from . import status
from .commands import backend_options
from .render import BatchLog, batch_summary, rules_by_default


def batch_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor batch``: its outputs in ``-o``; re-running continues where it stopped."""
    check_run_dir(args.run_dir, foreign_ok=args.force)
    options = _backend(args, console)
    log = BatchLog(console, interactive=console.is_terminal and not args.quiet, quiet=args.quiet)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    try:
        result = _run(args, options, log)
    except KeyboardInterrupt:
        done, started = documents_done(args.run_dir)
        err.print(
            f"[yellow]interrupted[/]: {done} report(s) done"
            + (f", {started - done} started" if started > done else "")
            + "; run the same command again to resume (what is done is kept)"
        )
        return status.INTERRUPTED
    batch_summary(result, console)
    if result.error is not None:
        raise ProviderError(
            f"{result.error}. The run stopped: {result.not_run} chunk(s) left to do; everything "
            f"finished is kept in {str(args.run_dir)!r} (outputs written); fix the cause and "
            "run the same command again to continue",
            result.error.original,
        )
    return _batch_status(result, args.allow_partial, err)


def _backend(args: argparse.Namespace, console: Console) -> BackendOptions:
    """The backend the batch runs on, refused when ``--openai-batch`` cannot use it."""
    options = backend_options(args)
    kind = choose_kind(options)
    if args.openai_batch and (kind != "openai" or options.llamacpp):
        raise UsageError(
            "--openai-batch needs the LLM-only OpenAI backend (set OPENAI_API_KEY and pass "
            "--backend openai; not with --llamacpp): other servers have no Batch API, and "
            "the hybrid backend's requests depend on the rules' draft of each chunk"
        )
    if kind == "rules" and not args.backend:
        rules_by_default(console)
    return options


def _run(args: argparse.Namespace, options: BackendOptions, log: BatchLog) -> BatchResult:
    """The batch, run to its end (or its first endpoint error)."""
    batch_options = BatchOptions(
        concurrency=args.concurrency,
        requests_per_minute=args.rpm,
        tokens_per_minute=args.tpm,
        max_cost=args.max_cost,
        dry_run=args.dry_run,
        metadata_csv=args.metadata,
        budget=args.budget,
        openai_batch=args.openai_batch,
        poll_interval=args.poll_interval,
        wait=not args.no_wait,
        lang=args.lang,
    )
    # the analysis processes start while the LLM client is being built, so that the first
    # documents are analysed by the time it is ready (a dry run analyses in this process)
    analysis = None if args.dry_run else AnalysisPool()
    with analysis or nullcontext(), open_backend(options) as backend, log.progress:
        # what exists now (modules, the client, the catalog) lives for the whole run:
        # keep it out of the collector's full passes, which stop every call worker
        # (measured: GC time 1.9 s -> 1.2 s of a 1,000-chunk run)
        gc.freeze()
        return asyncio.run(
            run_batch(list(args.inputs), args.run_dir, backend, batch_options, log, analysis)
        )


def _batch_status(result: BatchResult, allow_partial: bool, console: Console) -> int:
    """The last line of a batch (on ``console``: stderr) and its exit status: a run that
    read no report is a failure; one that skipped inputs or failed reports or chunks a
    partial success."""
    if result.estimate is None and result.documents + result.documents_done_before == 0:
        return _nothing_read(result, console)
    parts = [
        f"{n} {what}"
        for n, what in (
            (len(result.skipped_inputs), "input(s) skipped"),
            (len(result.documents_failed), "report(s) failed"),
            (result.chunks.get("failed", 0), "chunk(s) failed"),
            (
                len(result.llm_failed),
                "chunk(s) kept the rules' draft (the model failed; asked again next run)",
            ),
        )
        if n
    ]
    if not parts:
        return status.OK
    console.print(
        f"[yellow]partial[/]: {', '.join(parts)} (reasons above and in "
        f"{escape(str(result.run_dir / 'run.sqlite'))}); everything else is done"
        + ("" if allow_partial else "; exit status 3 (--allow-partial: 0)")
    )
    return status.OK if allow_partial else status.PARTIAL


def _nothing_read(result: BatchResult, console: Console) -> int:
    """A run that read no report: why, in one line, and exit status 1."""
    skipped, failed_docs = len(result.skipped_inputs), len(result.documents_failed)
    why = "; ".join(f"{name}: {reason}" for name, reason in result.skipped_inputs[:3])
    more = f" (and {skipped - 3} more)" if skipped > 3 else ""
    found = (
        f"{failed_docs} failed, {skipped} input(s) skipped"
        + (f" ({escape(why)}{more})" if why else "")
        if failed_docs or skipped
        else "the inputs hold no file"
    )
    console.print(
        f"[red]no report was read[/]: {found}; give report files (.txt, .docx, .pdf), "
        "folders or archives of them"
    )
    return status.FAILURE
