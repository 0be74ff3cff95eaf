"""The commands: parse nothing, decide nothing about reports; call the library, show the
result, map it to an exit code (0 done, 1 a failure the user should see)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
from contextlib import nullcontext

from rich.console import Console
from rich.markup import escape

from ..backends import BackendOptions, choose_kind, open_backend
from ..batch import AnalysisPool, BatchOptions, BatchResult, documents_done, run_batch
from ..batch.review_pages import review_run
from ..catalog import load_catalog
from ..chunking import make_chunks
from ..document import Document, analyse, require_figures
from ..errors import ConfigError, ProviderError, UsageError
from ..extraction.background_relations import RelationsJob
from ..extraction.pipeline import ChunkOutcome, extract_document
from ..extraction.prompting import chunk_message
from ..metadata import ReportMeta, parse_period
from ..records import read_facts
from ..relations import Gap, find_relations, write_relations
from ..review import ReportView, facts_page, report_page, write_page
from ..validation import Finding, count, validate, write_findings
from ..writers import atomic_write, check_output, check_run_dir, write_facts
from . import status
from .inputs import find_report, read_checked, relations_of_reports
from .render import (
    BatchLog,
    batch_summary,
    checks_summary,
    chunk_table,
    extraction_summary,
    facts_table,
    findings_table,
    progress_bar,
    quantity_table,
    relations_table,
    rules_by_default,
    section_tree,
    write_quantities_jsonl,
)

HTML = {".html": "html", ".htm": "html"}


def run_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    if args.command == "validate":
        return _validate(args, console)
    if args.command == "review":
        return _review(args, console)
    if args.command == "batch":
        return _batch(args, console, err)
    if args.command == "quantities" and args.output:
        check_output(args.output, "quantities", {".jsonl": "jsonl"})
        if args.format != "jsonl":
            raise UsageError("-o writes JSON Lines: add --format jsonl")
    if args.command == "relations" and args.output:
        check_output(args.output, "relations", {".jsonl": "jsonl"})
        if args.format != "jsonl":
            raise UsageError("-o writes JSON Lines: add --format jsonl")
    if args.command == "extract":
        if args.output:
            check_output(args.output, "facts")
        if args.findings:
            check_output(args.findings, "findings")
        if args.relations:
            check_output(args.relations, "relations", {".jsonl": "jsonl"})
        if args.html:
            check_output(args.html, "review page", HTML)
        _options(args)  # every flag checked before the work
    doc = _analyse(args, console)
    for warning in doc.source.warnings:  # stderr: stdout may be JSON Lines
        err.print(f"[yellow]warning:[/] {escape(doc.name)}: {escape(warning)}", highlight=False)
    if args.command == "sections":
        section_tree(doc, console)
    elif args.command == "quantities":
        if args.format == "jsonl":
            if args.output:
                with atomic_write(args.output) as fh:
                    write_quantities_jsonl(doc, fh)
                n = len(doc.quantities)
                console.print(f"wrote {n} quantities to {escape(str(args.output))}")
            else:
                write_quantities_jsonl(doc, console.file)
        else:
            quantity_table(doc, console)
    elif args.command == "chunks":
        if args.budget < 100:
            raise UsageError(f"--budget {args.budget} is too small: use at least 100 tokens")
        chunks = make_chunks(doc, args.budget)
        chunk_table(doc, chunks, args.budget, console)
        if args.text:  # exactly the user message an LLM backend sends for each chunk
            catalog = load_catalog()
            for ch in chunks:
                console.rule(ch.id)
                console.print(chunk_message(doc, ch, catalog)[0], markup=False, highlight=False)
    elif args.command == "clean":
        console.file.write(doc.text + "\n")
    elif args.command == "extract":
        return _extract(doc, args, console, err)
    elif args.command == "relations":
        return _relations(doc, args, console)
    return 0


def _overrides(args: argparse.Namespace) -> ReportMeta | None:
    meta = ReportMeta(province=args.province)
    if args.period:
        try:
            meta = parse_period(args.period).merged(meta)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    return meta


def _options(args: argparse.Namespace) -> BackendOptions:
    if args.budget is not None and args.budget < 100:
        raise UsageError(f"--budget {args.budget} is too small: use at least 100 tokens")
    if args.max_cost is not None and args.max_cost <= 0:
        raise UsageError("--max-cost must be a positive amount in USD")
    if args.reasks < 0:
        raise UsageError(f"--reasks {args.reasks} is negative: use 0 for no re-ask")
    if args.retries < 0:
        raise UsageError(f"--retries {args.retries} is negative: use 0 for no retry")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g} must be more than 0 seconds")
    if args.threads is not None and args.threads < 1:
        raise UsageError(f"--threads {args.threads} must be at least 1")
    return BackendOptions(
        kind=args.backend,
        model=args.model,
        base_url=args.base_url,
        mode=args.mode,
        llamacpp=args.llamacpp,
        model_path=args.model_path,
        prices=args.prices,
        cache=args.cache,
        use_cache=not args.no_cache,
        reasks=args.reasks,
        budget=args.budget,
        timeout=args.timeout,
        retries=args.retries,
        threads=args.threads,
    )


def _analyse(args: argparse.Namespace, console: Console) -> Document:
    """The report, analysed; on a terminal a spinner names the stage (a 50 MB report
    takes most of a minute).

    The analysis builds hundreds of thousands of objects that all live until the end,
    and no garbage cycles: the cyclic collector is paused while it runs, and what it
    built is then frozen out of later collections (measured: 62 s -> 54 s for 50 MB)."""
    gc.disable()
    try:
        if not console.is_terminal:
            return analyse(args.file, _overrides(args))
        with console.status(f"reading {escape(str(args.file))}") as status:

            def stage(name: str) -> None:
                status.update(f"{escape(str(args.file))}: {name}")

            return analyse(args.file, _overrides(args), on_stage=stage)
    finally:
        gc.enable()
        gc.freeze()


def _extract(doc: Document, args: argparse.Namespace, console: Console, err: Console) -> int:
    require_figures(doc)
    options = _options(args)
    kind = choose_kind(options)
    if kind == "rules" and not args.backend:
        rules_by_default(console)
    relations = RelationsJob(doc)  # started before the chunks are cut: they take a while
    with open_backend(options) as backend:
        chunks = make_chunks(doc, args.budget or backend.budget)
        with progress_bar(console, enabled=console.is_terminal) as progress:
            task = progress.add_task(f"{doc.name} ({backend.name})", total=len(chunks), info="")

            def advance(outcome: ChunkOutcome) -> None:
                progress.update(task, advance=1, info=f"{outcome.chunk.id}: {outcome.status}")

            run = extract_document(
                doc,
                backend,
                chunks=chunks,
                max_cost=args.max_cost,
                on_chunk=advance,
                relations=relations,
            )
    # what finished is written even when the endpoint failed part way
    if args.output:
        n = write_facts(run.facts, args.output)
        console.print(f"wrote {n} facts to {escape(str(args.output))}")
    else:
        facts_table(run, console)
    findings = validate(run.relations, run.gaps)
    extraction_summary(run, findings, console)
    findings_table(findings, console, args.lang, show_passes=False, show_skipped=False)
    if args.findings:
        n = write_findings(findings, args.findings)
        console.print(f"wrote {n} findings to {escape(str(args.findings))}")
    if args.relations:
        n = write_relations(run.relations, args.relations)
        console.print(f"wrote {n} relations to {escape(str(args.relations))}")
    if args.html:
        page = report_page(ReportView.of(doc), run.facts, run.relations, findings, args.lang)
        write_page(page, args.html)
        console.print(f"wrote the review page to {escape(str(args.html))}")
    if run.error is not None:
        kept = run.count("extracted")
        raise ProviderError(
            f"{run.error}. The run stopped: {run.count('not_run')} chunk(s) left to do, the "
            f"{kept} extracted before are kept"
            + (f" in {str(args.output)!r}" if args.output else "")
            + "; fix the cause and run the same command again (answers already received "
            "come from the cache)",
            run.error.original,
        )
    if _fails(findings, args.fail_on):
        return status.FAILURE
    drafts = sum(1 for o in run.outcomes if o.llm_failed)
    if (run.failed or drafts) and not args.allow_partial:
        parts = [
            f"{n} {what}"
            for n, what in (
                (len(run.failed), "chunk(s) failed, their values missing from the output"),
                (drafts, "chunk(s) kept the rules' draft, the model's answer failed"),
            )
            if n
        ]
        err.print(  # stderr: the status line, even when stdout is a file or a pipe
            f"[yellow]partial[/]: {'; '.join(parts)}; run the same command again (answers "
            "received are cached); exit status 3 (--allow-partial: 0)"
        )
        return status.PARTIAL
    return status.OK


def _fails(findings: list[Finding], fail_on: str) -> bool:
    """Whether the checks fail the command: ``error`` counts errors only, ``warning``
    warnings too."""
    severities = {"error": ("error",), "warning": ("error", "warning")}.get(fail_on, ())
    return any(f.status == "fail" and (f.severity or "error") in severities for f in findings)


def _batch(args: argparse.Namespace, console: Console, err: Console) -> int:
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    for flag, value in (("--rpm", args.rpm), ("--tpm", args.tpm)):
        if value is not None and value <= 0:
            raise UsageError(f"{flag} {value:g} must be more than 0 (leave it out for no limit)")
    check_run_dir(args.run_dir, foreign_ok=args.force)
    options = _options(args)
    kind = choose_kind(options)
    if args.openai_batch and (kind != "openai" or options.llamacpp):
        raise UsageError(
            "--openai-batch needs the LLM-only OpenAI backend (set OPENAI_API_KEY and pass "
            "--backend openai; not with --llamacpp): other servers have no Batch API, and "
            "the hybrid backend's requests depend on the rules' draft of each chunk"
        )
    if args.poll_interval <= 0:
        raise UsageError("--poll-interval must be more than 0 seconds")
    if kind == "rules" and not args.backend:
        rules_by_default(console)
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
    log = BatchLog(console, interactive=console.is_terminal and not args.quiet, quiet=args.quiet)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    # the analysis processes start while the LLM client is being built, so that the first
    # documents are analysed by the time it is ready (a dry run analyses in this process)
    analysis = None if args.dry_run else AnalysisPool()
    try:
        with analysis or nullcontext(), open_backend(options) as backend, log.progress:
            # what exists now (modules, the client, the catalog) lives for the whole run:
            # keep it out of the collector's full passes, which stop every call worker
            # (measured: GC time 1.9 s -> 1.2 s of a 1,000-chunk run)
            gc.freeze()
            result = asyncio.run(
                run_batch(list(args.inputs), args.run_dir, backend, batch_options, log, analysis)
            )
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


def _batch_status(result: BatchResult, allow_partial: bool, console: Console) -> int:
    """The last line of a batch (on ``console``: stderr) and its exit status: a run that
    read no report is a failure; one that skipped inputs or failed reports or chunks a
    partial success."""
    skipped, failed_docs = len(result.skipped_inputs), len(result.documents_failed)
    failed_chunks, drafts = result.chunks.get("failed", 0), len(result.llm_failed)
    if result.estimate is None and result.documents + result.documents_done_before == 0:
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
    parts = [
        f"{n} {what}"
        for n, what in (
            (skipped, "input(s) skipped"),
            (failed_docs, "report(s) failed"),
            (failed_chunks, "chunk(s) failed"),
            (drafts, "chunk(s) kept the rules' draft (the model failed; asked again next run)"),
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


def _validate(args: argparse.Namespace, console: Console) -> int:
    if args.output:
        check_output(args.output, "findings")
    relations, facts = read_checked(args.inputs)
    gaps: list[Gap] = []
    if not relations and not facts:
        raise ConfigError(
            f"{', '.join(repr(str(p)) for p in args.inputs)} "
            f"{'holds' if len(args.inputs) == 1 else 'hold'} no relations or facts: "
            "nothing to check; give the relations.jsonl and facts files written by "
            "extractor extract, or a batch run folder"
        )
    if not relations:  # facts alone: the relations their reports state, found again
        relations, gaps = relations_of_reports(facts, args.inputs[0])
        console.print(
            f"checked the relations found again in {len({f.doc for f in facts})} report(s) "
            "the facts name",
            highlight=False,
        )
    findings = validate(relations, gaps, facts=facts)
    findings_table(findings, console, args.lang, show_passes=args.all)
    console.print(checks_summary(len(relations), count(findings)), highlight=False)
    if args.output:
        n = write_findings(findings, args.output)
        console.print(f"wrote {n} findings to {escape(str(args.output))}")
    return 1 if _fails(findings, args.fail_on) else 0


def _review(args: argparse.Namespace, console: Console) -> int:
    if args.input.is_dir():
        if args.output is not None:
            check_run_dir(args.output)
            args.output.mkdir(parents=True, exist_ok=True)
        if args.report is not None:
            raise UsageError("--report is for a facts file: a run folder holds its reports")
        written = review_run(args.input, args.output, args.lang)
        console.print(
            f"wrote {escape(str(written[0]))} and {len(written) - 1} report page(s) in "
            f"{escape(str(written[0].parent / 'reports'))}"
        )
        return 0
    output = args.output or args.input.with_suffix(".html")
    check_output(output, "review page", HTML)
    facts = read_facts([args.input])
    if not facts:
        raise ConfigError(f"{str(args.input)!r} holds no facts: nothing to review")
    docs = {(f.doc, f.doc_sha256) for f in facts}
    if len(docs) > 1:
        raise ConfigError(
            f"{str(args.input)!r} holds facts of {len(docs)} reports: a page shows one; "
            "run a batch for several (its folder gets a page per report)"
        )
    name, sha = docs.pop()
    report = args.report or find_report(name, args.input, "pass it with --report")
    doc = analyse(report, ReportMeta(province=facts[0].province))
    if doc.sha256 != sha:
        raise ConfigError(
            f"{str(report)!r} is not the report these facts were extracted from (its "
            "content differs): pass the same file with --report"
        )
    write_page(facts_page(doc, facts, args.lang), output)
    console.print(f"wrote the review page to {escape(str(output))}")
    return 0


def _relations(doc: Document, args: argparse.Namespace, console: Console) -> int:
    found = find_relations(doc)
    if args.format == "jsonl":
        if args.output:
            n = write_relations(found.relations, args.output)
            console.print(f"wrote {n} relations to {escape(str(args.output))}")
        else:
            for r in found.relations:
                console.file.write(json.dumps(r.record(), ensure_ascii=False) + "\n")
        return 0
    relations_table(found.relations, console)
    console.print(
        f"{len(found.gaps)} statements recognised but not formed (skipped checks); "
        "`extractor extract --findings` lists them with the reason",
        highlight=False,
    )
    return 0
