"""The ``extractor`` command: parse arguments, call the library, render with rich.

Exit codes: 0 success, 1 an error extractor reports (one red line on stderr), 2 usage.
Set EXTRACTOR_DEBUG=1 to see the traceback of a reported error.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from . import __version__
from .backends import KINDS, BackendOptions, choose_kind, open_backend
from .chunking import DEFAULT_BUDGET, chunk_text, make_chunks
from .document import Document, analyse
from .errors import ConfigError, ExtractorError, ProviderError
from .extraction import ChunkOutcome, ExtractionRun, extract_document
from .facts import write_records
from .metadata import ReportMeta, parse_period
from .outputs import atomic_write, check_output, check_run_dir
from .records import quantity_record
from .sections import Section
from .usage import Usage
from .validation import Finding, read_facts, validate, write_findings

if TYPE_CHECKING:
    from .batch import BatchResult

SHOWN_FAILURES = 20  # failed chunks listed by name in a batch summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Turn Vietnamese provincial socio-economic reports into checked data.",
    )
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def doc_command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("file", type=Path, help="report file (.txt, .docx, .pdf)")
        p.add_argument("--province", help="province, when the report does not name it")
        p.add_argument(
            "--period",
            help="reporting period when the report does not say: YYYY-MM, YYYY-Qn, YYYY-H1 or YYYY",
        )
        return p

    doc_command("sections", "Show the heading tree of a report.")
    q = doc_command("quantities", "List every number in a report with unit and comparison.")
    q.add_argument("--format", choices=("table", "jsonl"), default="table")
    q.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    c = doc_command("chunks", "Show the token-budgeted chunks a report is cut into.")
    c.add_argument("--budget", type=int, default=DEFAULT_BUDGET, help="tokens per chunk")
    c.add_argument("--text", action="store_true", help="print each chunk's full text")
    doc_command("clean", "Print the cleaned text (what offsets in the outputs index).")
    e = doc_command("extract", "Extract indicator values (facts) from a report.")
    e.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write facts to this .jsonl or .csv file (default: a table on screen)",
    )
    _backend_arguments(e)
    e.add_argument(
        "--findings", type=Path, help="write the arithmetic checks to this .jsonl or .csv file"
    )
    _findings_arguments(e, fail_on="never")
    v = sub.add_parser(
        "validate",
        help="Check the arithmetic of extracted facts.",
        description="Check the arithmetic of extracted facts: within each "
        "report, and across reports of the same province.",
    )
    v.add_argument("facts", type=Path, nargs="+", help="facts .jsonl files from extract")
    v.add_argument("-o", "--output", type=Path, help="write findings to .jsonl or .csv")
    _findings_arguments(v, fail_on="error")
    v.add_argument("--all", action="store_true", help="list passing checks too")
    b = sub.add_parser(
        "batch",
        help="Extract and check a whole archive of reports.",
        description="Extract every report in folders and archives (.zip, "
        ".tar, .tar.gz, .tar.bz2, .tar.xz, nested) into one run "
        "directory; re-running continues where it stopped.",
    )
    b.add_argument("inputs", type=Path, nargs="+", help="folders, archives or report files")
    b.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        dest="run_dir",
        help="run directory (created; holds run.sqlite and the outputs)",
    )
    _backend_arguments(b)
    b.add_argument("--concurrency", type=int, default=4, help="chunks in flight (default 4)")
    b.add_argument("--rpm", type=float, help="requests per minute limit")
    b.add_argument("--tpm", type=float, help="tokens per minute limit")
    b.add_argument(
        "--dry-run",
        action="store_true",
        help="count documents, chunks, tokens and cost; call no LLM",
    )
    b.add_argument(
        "--metadata",
        type=Path,
        help="CSV with columns file, province, period for reports that do not say",
    )
    b.add_argument("--quiet", action="store_true", help="only the final summary")
    ob = b.add_argument_group("OpenAI Batch API (half the price, answers within 24 h)")
    ob.add_argument(
        "--openai-batch",
        action="store_true",
        help="send the chunks as OpenAI batches instead of one call each; no re-asks "
        "(re-run without it to re-ask the chunks whose answer failed)",
    )
    ob.add_argument(
        "--poll-interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="seconds between polls of a running batch (default 60)",
    )
    ob.add_argument(
        "--no-wait",
        action="store_true",
        help="submit and return; re-run the same command later to collect the answers",
    )
    return parser


def _findings_arguments(p: argparse.ArgumentParser, fail_on: str) -> None:
    p.add_argument(
        "--fail-on",
        choices=("never", "error"),
        default=fail_on,
        help=f"exit 1 when a check fails (default: {fail_on})",
    )
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of findings")


def _backend_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend",
        choices=KINDS,
        help="rules (no LLM), openai (any OpenAI-compatible endpoint) or local "
        "(embedded llama.cpp); default: openai when OPENAI_API_KEY or "
        "--base-url is set, else rules",
    )
    p.add_argument("--model", help="model name (openai default: gpt-4o-mini)")
    p.add_argument("--base-url", help="OpenAI-compatible endpoint")
    p.add_argument(
        "--mode",
        choices=("tools", "json_schema"),
        help="instructor mode (default: tools for OpenAI, json_schema for local)",
    )
    p.add_argument(
        "--llamacpp",
        action="store_true",
        help="the endpoint is a llama-cpp-python server: send the schema the way it enforces it",
    )
    p.add_argument("--model-path", type=Path, help="GGUF file for --backend local")
    p.add_argument("--budget", type=int, help="tokens per chunk (default depends on backend)")
    p.add_argument(
        "--max-cost",
        type=float,
        metavar="USD",
        help="stop starting new chunks once this much has been spent",
    )
    p.add_argument("--prices", type=Path, help="price table YAML (USD per million tokens)")
    p.add_argument(
        "--reasks", type=int, default=2, help="re-asks when an answer fails validation (default 2)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="seconds to wait for one answer before the request counts as failed "
        "(default 120 for an endpoint, 600 for --backend local); a request that times "
        "out is retried once, then its chunk fails and the run goes on",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=4,
        help="retries of a request after a 5xx, 429, dropped connection or timeout (default 4)",
    )
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached answers")
    p.add_argument("--cache", type=Path, help="response cache file (SQLite)")
    p.add_argument(
        "--allow-partial", action="store_true", help="exit 0 even when some chunks failed"
    )


def _overrides(args: argparse.Namespace) -> ReportMeta | None:
    meta = ReportMeta(province=args.province)
    if args.period:
        try:
            meta = parse_period(args.period).merged(meta)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    return meta


def _section_tree(doc: Document, console: Console) -> None:
    counts: dict[str, int] = {}
    for qty in doc.quantities:
        sid = doc.section_of(qty.start).id
        counts[sid] = counts.get(sid, 0) + 1
    meta = doc.meta
    title = (
        f"[bold]{escape(doc.name)}[/] — {escape(meta.province or '?')}, "
        f"{meta.kind or '?'} {meta.period or '?'}"
    )
    tree = Tree(title)  # headings come from the report: escaped below

    def add(node: Tree, section: Section) -> None:
        label = escape(section.heading)
        extra = []
        if counts.get(section.id):
            extra.append(f"{counts[section.id]} numbers")
        if section.footnotes:
            extra.append("footnotes " + ", ".join(map(str, section.footnotes)))
        text = f"{label} [dim]({'; '.join(extra)})[/]" if extra else label
        branch = node.add(text)
        for child in section.children:
            add(branch, child)

    for child in doc.root.children:
        add(tree, child)
    console.print(tree)


def _quantity_table(doc: Document, console: Console) -> None:
    table = Table(title=f"{len(doc.quantities)} quantities in {doc.name}", show_lines=False)
    for col in ("id", "text", "value", "unit", "scale", "kind", "qualifier", "comparison", "note"):
        table.add_column(col, overflow="fold")
    for qty in doc.quantities:
        rec = quantity_record(doc, qty)
        comp = rec["comparison"]
        note = []
        if rec["footnote"] is not None:
            note.append(f"in fn {rec['footnote']}")
        if rec["footnote_ref"] is not None:
            note.append(f"fn {rec['footnote_ref']}")
        if rec["ambiguity"]:
            note.append(f"[yellow]{rec['ambiguity']}[/]")
        table.add_row(
            rec["id"],
            rec["text"],
            str(rec["value"]),
            rec["unit"] or "",
            "" if rec["scale"] == 1 else f"{rec['scale']:.0e}",
            rec["kind"],
            rec["qualifier"] or "",
            f"{comp['direction']} / {comp['basis'] or '-'}" if comp else "",
            "; ".join(note),
        )
    console.print(table)


def _write_jsonl(doc: Document, out: IO[str]) -> None:
    for qty in doc.quantities:
        out.write(json.dumps(quantity_record(doc, qty), ensure_ascii=False) + "\n")


def _run(args: argparse.Namespace, console: Console, err: Console) -> int:
    if args.command == "validate":
        return _validate(args, console)
    if args.command == "batch":
        return _batch(args, console)
    if args.command == "quantities" and args.output:
        check_output(args.output, "quantities", {".jsonl": "jsonl"})
        if args.format != "jsonl":
            raise ConfigError("-o writes JSON Lines: add --format jsonl")
    if args.command == "extract":
        if args.output:
            check_output(args.output, "facts")
        if args.findings:
            check_output(args.findings, "findings")
        _options(args)  # every flag checked before the work
    doc = _analyse(args, console)
    for warning in doc.source.warnings:  # stderr: stdout may be JSON Lines
        err.print(f"[yellow]warning:[/] {escape(doc.name)}: {escape(warning)}", highlight=False)
    if args.command == "sections":
        _section_tree(doc, console)
    elif args.command == "quantities":
        if args.format == "jsonl":
            if args.output:
                with atomic_write(args.output) as fh:
                    _write_jsonl(doc, fh)
                n = len(doc.quantities)
                console.print(f"wrote {n} quantities to {escape(str(args.output))}")
            else:
                _write_jsonl(doc, console.file)
        else:
            _quantity_table(doc, console)
    elif args.command == "chunks":
        if args.budget < 100:
            raise ConfigError(f"--budget {args.budget} is too small: use at least 100 tokens")
        chunks = make_chunks(doc, args.budget)
        table = Table(title=f"{len(chunks)} chunks of ≤{args.budget} tokens in {doc.name}")
        for col in ("chunk", "section", "tokens", "numbers", "footnotes"):
            table.add_column(col, overflow="fold")
        for ch in chunks:
            table.add_row(
                ch.id,
                escape(ch.breadcrumb or "(preamble)"),
                str(ch.tokens),
                str(len(ch.quantity_ids)),
                ", ".join(map(str, ch.footnotes)),
            )
        console.print(table)
        if args.text:
            for ch in chunks:
                console.rule(ch.id)
                console.print(chunk_text(doc, ch), markup=False, highlight=False)
    elif args.command == "clean":
        console.file.write(doc.text + "\n")
    elif args.command == "extract":
        return _extract(doc, args, console)
    return 0


def _options(args: argparse.Namespace) -> BackendOptions:
    if args.budget is not None and args.budget < 100:
        raise ConfigError(f"--budget {args.budget} is too small: use at least 100 tokens")
    if args.max_cost is not None and args.max_cost <= 0:
        raise ConfigError("--max-cost must be a positive amount in USD")
    if args.reasks < 0:
        raise ConfigError(f"--reasks {args.reasks} is negative: use 0 for no re-ask")
    if args.retries < 0:
        raise ConfigError(f"--retries {args.retries} is negative: use 0 for no retry")
    if args.timeout is not None and args.timeout <= 0:
        raise ConfigError(f"--timeout {args.timeout:g} must be more than 0 seconds")
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


def _extract(doc: Document, args: argparse.Namespace, console: Console) -> int:
    options = _options(args)
    kind = choose_kind(options)
    if kind == "rules" and not args.backend:
        console.print(
            "[yellow]No LLM configured (no OPENAI_API_KEY, no --base-url): using the "
            "rules backend.[/]"
        )
    with open_backend(options) as backend:
        chunks = make_chunks(doc, args.budget or backend.budget)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task(f"{doc.name} ({backend.name})", total=len(chunks), status="")

            def advance(outcome: ChunkOutcome) -> None:
                progress.update(task, advance=1, status=f"{outcome.chunk.id}: {outcome.status}")

            run = extract_document(
                doc, backend, chunks=chunks, max_cost=args.max_cost, on_chunk=advance
            )
    # what finished is written even when the endpoint failed part way
    records = [f.record for f in run.facts]
    if args.output:
        n = write_records(records, args.output)
        console.print(f"wrote {n} facts to {escape(str(args.output))}")
    else:
        _facts_table(run, console)
    _summary(run, console)
    findings = validate(records, across=False)
    _findings_table(findings, console, args.lang, show_passes=False)
    if args.findings:
        n = write_findings(findings, args.findings)
        console.print(f"wrote {n} findings to {escape(str(args.findings))}")
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
    failed_checks = sum(1 for f in findings if f.status == "fail")
    if run.failed and not args.allow_partial:
        console.print(
            f"[red]{len(run.failed)} chunk(s) failed[/]: their values are missing "
            "from the output; rerun (cached chunks are free) or pass --allow-partial"
        )
        return 1
    if failed_checks and args.fail_on == "error":
        return 1
    return 0


def _batch(args: argparse.Namespace, console: Console) -> int:
    import asyncio

    from .batch import AnalysisPool, BatchOptions, run_batch
    from .usage import load_prices

    if args.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    for flag, value in (("--rpm", args.rpm), ("--tpm", args.tpm)):
        if value is not None and value <= 0:
            raise ConfigError(f"{flag} {value:g} must be more than 0 (leave it out for no limit)")
    check_run_dir(args.run_dir)
    options = _options(args)
    kind = choose_kind(options)
    if args.openai_batch and (kind != "openai" or options.llamacpp):
        raise ConfigError(
            "--openai-batch needs the OpenAI backend (set OPENAI_API_KEY or pass "
            "--backend openai; not with --llamacpp): other servers have no Batch API"
        )
    if args.poll_interval <= 0:
        raise ConfigError("--poll-interval must be more than 0 seconds")
    if kind == "rules" and not args.backend:
        console.print(
            "[yellow]No LLM configured (no OPENAI_API_KEY, no --base-url): using the "
            "rules backend.[/]"
        )
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
    )
    interactive = console.is_terminal and not args.quiet
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not interactive,
    )
    task = progress.add_task("chunks", total=None, info="")
    counts = {"extracted": 0, "failed": 0, "skipped": 0, "queued": 0}

    def on_event(kind: str, data: dict[str, object]) -> None:
        plain = not interactive and not args.quiet  # a log, one line per event
        if kind == "document":
            counts["queued"] += int(str(data["chunks"]))
            progress.update(task, total=counts["queued"])
            if plain:
                console.print(
                    f"document {escape(str(data['name']))}: {data['chunks']} chunks",
                    highlight=False,
                )
            warnings = data.get("warnings")
            for warning in warnings if isinstance(warnings, list) else []:
                console.print(
                    f"[yellow]warning[/] {escape(str(data['name']))}: {escape(str(warning))}",
                    highlight=False,
                )
        elif kind == "chunk":
            counts[str(data["status"])] += 1
            cost = data.get("cost")
            progress.update(
                task,
                advance=1,
                info=(
                    f"failed {counts['failed']}, tokens {data['tokens']:,}, "
                    + ("cost ?" if cost is None else f"${float(str(cost)):.4f}")
                ),
            )
            if plain and data["status"] == "failed":
                console.print(
                    f"failed {escape(str(data['doc']))} {data['chunk']}: "
                    f"{escape(str(data['reason']))}",
                    highlight=False,
                )
            done = sum(counts[s] for s in ("extracted", "failed", "skipped"))
            if plain and done % 50 == 0:
                console.print(
                    f"chunks {done}/{counts['queued']} so far, failed {counts['failed']}, "
                    f"tokens {data['tokens']:,}, "
                    + ("cost ?" if cost is None else f"cost ${float(str(cost)):.4f}"),
                    highlight=False,
                )
        elif kind == "provider_batch_submitted" and not args.quiet:
            console.print(
                f"submitted OpenAI batch {escape(str(data['id']))}: {data['requests']} "
                f"requests ({escape(str(data['file']))})",
                highlight=False,
            )
        elif kind == "provider_batch":
            status = f"batch {data['id']}: {data['status']}, {data['completed']}/{data['total']}"
            progress.update(task, info=status)
            if plain:
                console.print(status + f", failed {data['failed']}", highlight=False)
        elif kind == "stopped" and not args.quiet:
            console.print(
                f"[red]stopping[/]: {escape(str(data['reason']))}; finishing what is in flight",
                highlight=False,
            )
        elif kind in ("input_skipped", "document_failed") and plain:
            console.print(
                f"skipped {escape(str(data['name']))}: {escape(str(data['reason']))}",
                highlight=False,
            )

    prices = load_prices(args.prices)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    # the analysis processes start while the LLM client is being built, so that the first
    # documents are analysed by the time it is ready (a dry run analyses in this process)
    analysis = None if args.dry_run else AnalysisPool()
    with analysis or nullcontext(), open_backend(options) as backend, progress:
        # what exists now (modules, the client, the catalog) lives for the whole run: keep
        # it out of the collector's full passes, which stop every call worker (measured:
        # GC time 1.9 s -> 1.2 s of a 1,000-chunk run)
        gc.freeze()
        result = asyncio.run(
            run_batch(
                list(args.inputs), args.run_dir, backend, batch_options, prices, on_event, analysis
            )
        )
    _batch_summary(result, console)
    if result.error is not None:
        raise ProviderError(
            f"{result.error}. The run stopped: {result.not_run} chunk(s) left to do; everything "
            f"finished is kept in {str(args.run_dir)!r} (outputs written); fix the cause and "
            "run the same command again to continue",
            result.error.original,
        )
    failed = result.chunks.get("failed", 0)
    return 1 if failed and not args.allow_partial else 0


def _batch_summary(result: BatchResult, console: Console) -> None:
    if result.estimate is not None:
        e = result.estimate
        table = Table(title="dry run: nothing was sent", show_header=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        for what, value in (
            ("documents", e["documents"]),
            ("chunks to send", e["chunks"]),
            ("input tokens (estimate)", f"{e['input_tokens']:,}"),
            ("output tokens (estimate)", f"{e['output_tokens']:,}"),
            ("cost (estimate)", "unknown (no price)" if e["cost"] is None else f"${e['cost']:.4f}"),
            ("inputs skipped", len(result.skipped_inputs)),
        ):
            table.add_row(what, str(value))
        console.print(table)
        return
    table = Table(title=f"batch summary: {escape(str(result.run_dir))}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    chunks = result.chunks
    rows = [
        ("documents processed / failed", f"{result.documents} / {len(result.documents_failed)}"),
        ("inputs skipped", str(len(result.skipped_inputs))),
        (
            "chunks extracted / failed / skipped",
            f"{chunks.get('extracted', 0)} / "
            f"{chunks.get('failed', 0)} / {chunks.get('skipped', 0)}",
        ),
        ("chunks done in earlier runs", str(result.chunks_done_before)),
        ("chunks left (cost cap)", str(result.pending_left)),
        *(
            [
                ("sent in OpenAI batches", str(result.provider_submitted)),
                ("waiting on OpenAI batches", str(result.provider_waiting)),
            ]
            if result.provider_batches
            else []
        ),
        *([("chunks left to do (the run stopped)", str(result.not_run))] if result.error else []),
        *_usage_rows(result.usage),
        ("facts", str(result.facts)),
        (
            "checks failed / skipped / passed",
            f"{result.findings.get('fail', 0)} / "
            f"{result.findings.get('skipped', 0)} / {result.findings.get('pass', 0)}",
        ),
        ("time", f"{result.seconds:.1f} s"),
    ]
    for what, value in rows:
        table.add_row(what, value)
    console.print(table)
    for name, chunk, reason in result.failed_chunks[:SHOWN_FAILURES]:
        console.print(f"[red]failed[/] {escape(name)} {chunk}: {escape(reason)}", highlight=False)
    if len(result.failed_chunks) > SHOWN_FAILURES:
        console.print(
            f"… and {len(result.failed_chunks) - SHOWN_FAILURES} more failed chunks: "
            f'sqlite3 {escape(str(result.run_dir / "run.sqlite"))} "select * from chunks '
            "where status = 'failed'\"",
            highlight=False,
        )
    for name, reason in result.skipped_inputs + result.documents_failed:
        console.print(f"[yellow]skipped[/] {escape(name)}: {escape(reason)}")
    if result.pending_left:
        console.print(
            f"[yellow]{result.pending_left} chunk(s) not started: the cost cap was "
            "reached. Run again with a higher --max-cost to continue.[/]"
        )
    for batch in result.provider_batches:
        console.print(
            f"OpenAI batch {escape(batch['id'])}: {batch['status']}, {batch['completed']} of "
            f"{batch['requests']} answered, {batch['failed']} failed"
            + ("" if batch["fetched"] else " (not collected yet)"),
            highlight=False,
        )
    if result.provider_waiting:
        console.print(
            f"[yellow]{result.provider_waiting} chunk(s) wait on an OpenAI batch that has "
            "not ended: re-run the same command to collect the answers.[/]"
        )


def _validate(args: argparse.Namespace, console: Console) -> int:
    if args.output:
        check_output(args.output, "findings")
    facts = read_facts(args.facts)
    findings = validate(facts)
    _findings_table(findings, console, args.lang, show_passes=args.all)
    if args.output:
        n = write_findings(findings, args.output)
        console.print(f"wrote {n} findings to {escape(str(args.output))}")
    failed = sum(1 for f in findings if f.status == "fail")
    return 1 if failed and args.fail_on == "error" else 0


def _findings_table(
    findings: list[Finding], console: Console, lang: str, show_passes: bool
) -> None:
    counts = {s: sum(1 for f in findings if f.status == s) for s in ("fail", "skipped", "pass")}
    shown = [f for f in findings if show_passes or f.status != "pass"]
    title = (
        f"arithmetic checks: {counts['fail']} failed, {counts['skipped']} skipped, "
        f"{counts['pass']} passed"
    )
    table = Table(title=title)
    for col in ("status", "rule", "finding", "quoted", "doc"):
        table.add_column(col, overflow="fold")
    style = {"fail": "[red]fail[/]", "skipped": "[yellow]skipped[/]", "pass": "[green]pass[/]"}
    for f in shown:
        message = f.message_vi if lang == "vi" else f.message_en
        if f.status == "skipped" and f.reason:
            message = f"{message} ({f.reason})"
        quoted = "; ".join(f"“{x.get('text')}” @{x.get('start')}" for x in f.facts)
        table.add_row(
            style[f.status], f.rule, escape(message), escape(quoted), escape(str(f.doc or ""))
        )
    console.print(table)


def _facts_table(run: ExtractionRun, console: Console) -> None:
    table = Table(title=f"{len(run.facts)} facts from {run.doc.name} ({run.backend})")
    for col in ("indicator", "code", "period", "value", "unit", "comparisons", "parent"):
        table.add_column(col, overflow="fold")
    ids = {f.id: f.record["text"] for f in run.facts}
    for f in run.facts:
        r = f.record
        comps = ", ".join(
            f"{c['kind']} {c['text']}" + (f" ({c['basis']})" if c["basis"] else "")
            for c in r["comparisons"]
        )
        table.add_row(
            escape(r["indicator"]),
            escape(r["code"] or ""),
            r["period"],
            r["text"],
            r["unit"] or "",
            comps,
            ids.get(r["parent"], "") if r["parent"] else "",
        )
    console.print(table)


def _usage_rows(u: Usage) -> list[tuple[str, str]]:
    """What the endpoint was asked and what it cost (extract and batch summaries)."""
    return [
        ("LLM requests / answers (cached)", f"{u.requests} / {u.calls} ({u.cached_calls})"),
        ("HTTP retries / timeouts", f"{u.retries} / {u.timeouts}"),
        ("time waiting for the LLM", f"{u.seconds:.1f} s"),
        ("tokens in / out", f"{u.input_tokens:,} / {u.output_tokens:,}"),
        ("cost", "unknown (no price for this model)" if u.cost is None else f"${u.cost:.4f}"),
    ]


def _summary(run: ExtractionRun, console: Console) -> None:
    table = Table(title="extraction summary", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    label = "chunks extracted / failed / skipped"
    counts = f"{run.count('extracted')} / {run.count('failed')} / {run.count('skipped')}"
    if run.count("not_run"):
        label += " / left to do"
        counts += f" / {run.count('not_run')}"
    rows = [
        ("backend", f"{run.backend}" + (f" ({run.model})" if run.model else "")),
        (
            "report",
            f"{run.doc.meta.province or '?'}, {run.doc.meta.kind or '?'} "
            f"{run.doc.meta.period or '?'}",
        ),
        ("facts", str(len(run.facts))),
        (label, counts),
        *(_usage_rows(run.usage) if run.model is not None else []),
    ]
    for what, value in rows:
        table.add_row(what, value)
    console.print(table)
    for o in run.outcomes:
        if o.status == "failed":
            console.print(
                f"[red]failed[/] {o.chunk.id} ({escape(o.chunk.breadcrumb or 'preamble')}): "
                f"{escape(o.reason or '')}",
                markup=True,
                highlight=False,
            )
        elif o.status == "skipped" and o.reason and "cost cap" in o.reason:
            console.print(f"[yellow]skipped[/] {o.chunk.id}: {escape(o.reason)}")


def main(
    argv: Sequence[str] | None = None, console: Console | None = None, err: Console | None = None
) -> int:
    """Run the CLI; returns the exit code (tests call this directly)."""
    console = console or Console(highlight=False)
    err = err or Console(stderr=True, highlight=False)
    if os.environ.get("EXTRACTOR_DEBUG") != "1":
        # instructor logs every failed attempt and the transport every retry; the run
        # summary counts them and reports each failed chunk once
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        logging.getLogger("extractor").setLevel(logging.ERROR)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return _run(args, console, err)
    except ExtractorError as exc:
        if os.environ.get("EXTRACTOR_DEBUG") == "1":
            raise
        err.print(f"[red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        return 1


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a scheduler's stop) ends the command as Ctrl-C does: every
    ``with`` block unwinds, so the embedded model server is stopped and the run
    directory's lock released."""
    raise SystemExit(128 + signum)


def run() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `extractor quantities f --format jsonl | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    run()
