"""The commands that read one report (sections, quantities, chunks, clean, relations,
extract), one handler each, and the steps they share: parse nothing, decide nothing about
reports; call the library, show the result, map it to an exit code (:mod:`.status`).

Every handler is ``handler(args, console, err) -> int``; :mod:`.parser` attaches it to its
subcommand and has already refused every flag value the command does not take.
"""

from __future__ import annotations

import argparse
import gc
import json

from rich.console import Console
from rich.markup import escape

from ..backends import BackendOptions, choose_kind, open_backend
from ..catalog import load_catalog
from ..chunking import make_chunks
from ..document import Document, analyse, require_figures
from ..errors import ProviderError, UsageError
from ..extraction.background_relations import RelationsJob
from ..extraction.pipeline import ChunkOutcome, ExtractionRun, extract_document
from ..extraction.prompting import chunk_message
from ..metadata import ReportMeta
from ..relations import find_relations, write_relations
from ..review import ReportView, report_page, write_page
from ..validation import Finding, validate, write_findings
from ..writers import atomic_write, check_output, write_facts
from . import status
from .render import (
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


def sections_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor sections``: the report's heading tree."""
    section_tree(analysed(args, console, err), console)
    return status.OK


def quantities_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor quantities``: every number of the report, as a table or JSON Lines."""
    if args.output:
        check_output(args.output, "quantities", None)  # the extension: the parser's
        _require_jsonl(args)
    doc = analysed(args, console, err)
    if args.format != "jsonl":
        quantity_table(doc, console)
    elif args.output:
        with atomic_write(args.output) as fh:
            write_quantities_jsonl(doc, fh)
        console.print(f"wrote {len(doc.quantities)} quantities to {escape(str(args.output))}")
    else:
        write_quantities_jsonl(doc, console.file)
    return status.OK


def chunks_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor chunks``: the token-budgeted chunks, with their text on request."""
    doc = analysed(args, console, err)
    chunks = make_chunks(doc, args.budget)
    chunk_table(doc, chunks, args.budget, console)
    if args.text:  # exactly the user message an LLM backend sends for each chunk
        catalog = load_catalog()
        for ch in chunks:
            console.rule(ch.id)
            console.print(chunk_message(doc, ch, catalog)[0], markup=False, highlight=False)
    return status.OK


def clean_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor clean``: the cleaned text, which the outputs' offsets index."""
    console.file.write(analysed(args, console, err).text + "\n")
    return status.OK


def relations_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor relations``: the arithmetic the report states, as a table or JSON Lines."""
    if args.output:
        check_output(args.output, "relations", None)  # the extension: the parser's
        _require_jsonl(args)
    found = find_relations(analysed(args, console, err))
    if args.format != "jsonl":
        relations_table(found.relations, console)
        console.print(
            f"{len(found.gaps)} statements recognised but not formed (skipped checks); "
            "`extractor extract --findings` lists them with the reason",
            highlight=False,
        )
    elif args.output:
        n = write_relations(found.relations, args.output)
        console.print(f"wrote {n} relations to {escape(str(args.output))}")
    else:
        for r in found.relations:
            console.file.write(json.dumps(r.record(), ensure_ascii=False) + "\n")
    return status.OK


def extract_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor extract``: the report's facts, checked; exit 1 when the checks fail
    under ``--fail-on``, 3 when chunks failed (unless ``--allow-partial``)."""
    for path, what in (
        (args.output, "facts"),
        (args.findings, "findings"),
        (args.relations, "relations"),
        (args.html, "review page"),
    ):
        if path:  # before the work; the extensions were checked by the parser
            check_output(path, what, None)
    doc = analysed(args, console, err)
    require_figures(doc)
    options = backend_options(args)
    if choose_kind(options) == "rules" and not args.backend:
        rules_by_default(console)
    run = _extraction(doc, options, args, console)
    findings = validate(run.relations, run.gaps)
    _show_extraction(doc, run, findings, args, console)
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
    return _extraction_status(run, findings, args, err)


def analysed(args: argparse.Namespace, console: Console, err: Console) -> Document:
    """The report ``args.file``, analysed, its loading warnings printed on ``err``
    (stdout may be JSON Lines); on a terminal a spinner names the stage (a 50 MB report
    takes most of a minute).

    The analysis builds hundreds of thousands of objects that all live until the end,
    and no garbage cycles: the cyclic collector is paused while it runs, and what it
    built is then frozen out of later collections (measured: 62 s -> 54 s for 50 MB)."""
    gc.disable()
    try:
        if not console.is_terminal:
            doc = analyse(args.file, _overrides(args))
        else:
            with console.status(f"reading {escape(str(args.file))}") as spinner:

                def stage(name: str) -> None:
                    spinner.update(f"{escape(str(args.file))}: {name}")

                doc = analyse(args.file, _overrides(args), on_stage=stage)
    finally:
        gc.enable()
        gc.freeze()
    for warning in doc.source.warnings:
        err.print(f"[yellow]warning:[/] {escape(doc.name)}: {escape(warning)}", highlight=False)
    return doc


def backend_options(args: argparse.Namespace) -> BackendOptions:
    """The backend flags of ``extract`` and ``batch`` (their values checked by the parser)."""
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


def checks_fail(findings: list[Finding], fail_on: str) -> bool:
    """Whether the checks fail the command: ``error`` counts errors only, ``warning``
    warnings too."""
    severities = {"error": ("error",), "warning": ("error", "warning")}.get(fail_on, ())
    return any(f.status == "fail" and (f.severity or "error") in severities for f in findings)


def _overrides(args: argparse.Namespace) -> ReportMeta:
    """What ``--province`` and ``--period`` (parsed by the parser) say of the report."""
    meta = ReportMeta(province=args.province)
    return args.period.merged(meta) if args.period else meta


def _require_jsonl(args: argparse.Namespace) -> None:
    if args.format != "jsonl":
        raise UsageError("-o writes JSON Lines: add --format jsonl")


def _extraction(
    doc: Document, options: BackendOptions, args: argparse.Namespace, console: Console
) -> ExtractionRun:
    """The extraction of ``doc``, its progress shown on a terminal."""
    relations = RelationsJob(doc)  # started before the chunks are cut: they take a while
    with open_backend(options) as backend:
        chunks = make_chunks(doc, args.budget or backend.budget)
        with progress_bar(console, enabled=console.is_terminal) as progress:
            task = progress.add_task(f"{doc.name} ({backend.name})", total=len(chunks), info="")

            def advance(outcome: ChunkOutcome) -> None:
                progress.update(task, advance=1, info=f"{outcome.chunk.id}: {outcome.status}")

            return extract_document(
                doc,
                backend,
                chunks=chunks,
                max_cost=args.max_cost,
                on_chunk=advance,
                relations=relations,
            )


def _show_extraction(
    doc: Document,
    run: ExtractionRun,
    findings: list[Finding],
    args: argparse.Namespace,
    console: Console,
) -> None:
    """The facts, the summary and the checks, on screen and in the files asked for: what
    finished is written even when the endpoint failed part way."""
    if args.output:
        n = write_facts(run.facts, args.output)
        console.print(f"wrote {n} facts to {escape(str(args.output))}")
    else:
        facts_table(run, console)
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


def _extraction_status(
    run: ExtractionRun, findings: list[Finding], args: argparse.Namespace, err: Console
) -> int:
    """The exit status of an extraction that ran to its end, and, when chunks failed,
    the line on stderr that says so (even when stdout is a file or a pipe)."""
    if checks_fail(findings, args.fail_on):
        return status.FAILURE
    drafts = sum(1 for o in run.outcomes if o.llm_failed)
    if not (run.failed or drafts) or args.allow_partial:
        return status.OK
    parts = [
        f"{n} {what}"
        for n, what in (
            (len(run.failed), "chunk(s) failed, their values missing from the output"),
            (drafts, "chunk(s) kept the rules' draft, the model's answer failed"),
        )
        if n
    ]
    err.print(
        f"[yellow]partial[/]: {'; '.join(parts)}; run the same command again (answers "
        "received are cached); exit status 3 (--allow-partial: 0)"
    )
    return status.PARTIAL
