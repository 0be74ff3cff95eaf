"""What the command line shows: tables and summaries, rendered with rich.

Report text, names and file names are untrusted: everything that comes from a report is
passed through :func:`rich.markup.escape` (or printed with markup off).
"""

from __future__ import annotations

import json
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from ..batch import BatchResult
from ..chunking import Chunk
from ..document import Document
from ..extraction.pipeline import ExtractionRun
from ..extraction.usage import Usage
from ..metadata import ReportMeta
from ..records import quantity_record
from ..relations import Relation
from ..sections import Section
from ..validation import Finding, count

SHOWN_FAILURES = 20  # failed chunks listed by name in a batch summary
SHOWN_FINDINGS = 50  # checks listed in a table (all of them are in the findings file)


def section_tree(doc: Document, console: Console) -> None:
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


def quantity_table(doc: Document, console: Console) -> None:
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


def write_quantities_jsonl(doc: Document, out: IO[str]) -> None:
    for qty in doc.quantities:
        out.write(json.dumps(quantity_record(doc, qty), ensure_ascii=False) + "\n")


def checks_summary(relations: int, counts: dict[str, int]) -> str:
    """ "relations 31 found: 27 passed, 3 failed (1 error, 2 warnings), 1 not computable
    (5 read unsure); 14 statements not formed": every count is a part of the one before
    it, and the relations' parts add up to the relations found."""
    passed, failed = counts.get("relation_pass", 0), counts.get("relation_fail", 0)
    not_computable = counts.get("relation_skipped", 0)
    unchecked = relations - passed - failed - not_computable
    text = (
        f"relations {relations} found: {passed} passed, {failed} failed "
        f"({counts.get('relation_error', 0)} errors, "
        f"{counts.get('relation_warning', 0)} warnings), {not_computable} not computable"
    )
    if unchecked:
        text += f", {unchecked} not checked"
    if counts.get("unsure", 0):
        text += f" ({counts['unsure']} read unsure)"
    text += f"; {counts.get('gap', 0)} statements not formed"
    across = counts.get("across_pass", 0) + counts.get("across_fail", 0)
    if across:
        text += f"; {across} checks across reports ({counts['across_fail']} failed)"
    return text


def findings_table(
    findings: list[Finding],
    console: Console,
    lang: str,
    show_passes: bool,
    show_skipped: bool = True,
) -> None:
    counts = count(findings)
    shown = [
        f
        for f in findings
        if (show_passes or f.status != "pass") and (show_skipped or f.status != "skipped")
    ]
    title = (
        f"arithmetic checks: {counts['fail']} failed ({counts['error']} errors, "
        f"{counts['warning']} warnings), {counts['skipped']} skipped, {counts['pass']} passed"
    )
    if counts["skipped"] and not show_skipped:
        title += " (skipped ones are in the findings file)"
    table = Table(title=title)
    for col in ("status", "rule", "finding", "quoted", "doc"):
        table.add_column(col, overflow="fold")
    style = {
        "error": "[red]error[/]",
        "warning": "[yellow]warning[/]",
        "skipped": "[dim]skipped[/]",
        "pass": "[green]pass[/]",
    }
    for f in shown[:SHOWN_FINDINGS]:
        message = f.message(lang)
        if f.status == "skipped" and f.reason and f.reason not in message:
            message = f"{message} ({f.reason})"
        quoted = "; ".join(f"“{x.text}” @{x.start}" for x in f.facts)
        status = (f.severity or "error") if f.status == "fail" else f.status
        table.add_row(
            style[status], f.rule, escape(message), escape(quoted), escape(str(f.doc or ""))
        )
    console.print(table)
    if len(shown) > SHOWN_FINDINGS:
        console.print(
            f"… and {len(shown) - SHOWN_FINDINGS} more: every check is in the findings file "
            "(--findings, or validate -o)",
            highlight=False,
        )


def relations_table(relations: list[Relation], console: Console) -> None:
    """Every relation of a report: what kind, its numbers by role, and the words that
    state it."""
    table = Table(title=f"{len(relations)} relations")
    for col in ("id", "kind", "numbers", "cue", "found by"):
        table.add_column(col, overflow="fold")
    for r in relations:
        kind: str = r.kind
        if r.kind in ("sum", "ytd"):
            kind += " (complete)" if r.complete else " (partial: ≤)"
        elif r.form:
            kind += f" ({r.form}{', ' + r.direction if r.direction else ''})"
        numbers = "; ".join(f"{o.role} “{o.text}”" for o in r.operands)
        table.add_row(
            r.id.split(":", 1)[-1],
            kind,
            escape(numbers),
            escape(r.cue.text),
            escape(", ".join(r.tags) or r.origin),
        )
    console.print(table)


def facts_table(run: ExtractionRun, console: Console) -> None:
    table = Table(title=f"{len(run.facts)} facts from {escape(run.doc.name)} ({run.backend})")
    for col in ("indicator", "code", "period", "value", "unit", "comparisons", "parent"):
        table.add_column(col, overflow="fold")
    texts = {f.id: f.text for f in run.facts}
    for f in run.facts:
        comps = ", ".join(
            f"{c.kind} {c.text}" + (f" ({c.basis})" if c.basis else "") for c in f.comparisons
        )
        table.add_row(
            escape(f.indicator),
            escape(f.code or ""),
            f.period,
            escape(f.text),
            escape(f.unit or ""),
            escape(comps),
            escape(texts.get(f.parent, "")) if f.parent else "",
        )
    console.print(table)


def chunk_table(doc: Document, chunks: list[Chunk], budget: int, console: Console) -> None:
    table = Table(title=f"{len(chunks)} chunks of ≤{budget} tokens in {escape(doc.name)}")
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


def usage_rows(u: Usage) -> list[tuple[str, str]]:
    """What the endpoint was asked and what it cost (extract and batch summaries)."""
    speed = f"{u.output_tokens / u.seconds:.1f} tokens/s" if u.seconds and u.output_tokens else "-"
    return [
        ("LLM requests / answers (cached)", f"{u.requests} / {u.calls} ({u.cached_calls})"),
        ("HTTP retries / timeouts", f"{u.retries} / {u.timeouts}"),
        ("time waiting for the LLM", f"{u.seconds:.1f} s"),
        ("tokens in / out", f"{u.input_tokens:,} / {u.output_tokens:,}"),
        ("answer speed (tokens out per second waited)", speed),
        ("cost", "unknown (no price for this model)" if u.cost is None else f"${u.cost:.4f}"),
    ]


def hybrid_rows(run: ExtractionRun) -> list[tuple[str, str]]:
    """What the model changed in the rules' draft, and where its answer failed."""
    changed: dict[str, int] = {}
    for f in run.facts:
        for name in f.changed_by_llm:
            changed[name] = changed.get(name, 0) + 1
    failed = sum(1 for o in run.outcomes if o.llm_failed)
    return [
        (
            "changed by the model",
            ", ".join(f"{k} {v}" for k, v in sorted(changed.items())) or "nothing",
        ),
        ("model answers failed (rules' draft kept)", str(failed)),
    ]


def report_name(meta: ReportMeta) -> str:
    """ "Lai Châu, monthly 2024-02"; what the report does not say is named as missing."""
    if not (meta.province or meta.kind or meta.period):
        return "no province, kind or period found (pass --province, --period)"
    return (
        f"{meta.province or 'province not found'}, {meta.kind or 'kind not found'} "
        f"{meta.period or 'period not found'}"
    )


def extraction_summary(run: ExtractionRun, findings: list[Finding], console: Console) -> None:
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
        ("report", report_name(run.doc.meta)),
        ("facts", str(len(run.facts))),
        ("checks", checks_summary(len(run.relations), count(findings))),
        (label, counts),
        *(hybrid_rows(run) if run.backend == "hybrid" else []),
        *(usage_rows(run.usage) if run.model is not None else []),
    ]
    for what, value in rows:
        table.add_row(what, value)
    console.print(table)
    by_reason: dict[str, list[str]] = {}
    for o in run.outcomes:
        if o.llm_failed:
            by_reason.setdefault(o.llm_failed, []).append(o.chunk.id)
    for reason, ids in by_reason.items():  # one line per reason, not per chunk
        where = ids[0] if len(ids) == 1 else f"{len(ids)} chunks ({ids[0]} … {ids[-1]})"
        console.print(
            f"[yellow]llm_failed[/] {where}: {escape(reason)} (the rules' draft is kept)",
            highlight=False,
        )
    for o in run.outcomes:
        if o.status == "failed":
            console.print(
                f"[red]failed[/] {o.chunk.id} ({escape(o.chunk.breadcrumb or 'preamble')}): "
                f"{escape(o.reason or '')}",
                markup=True,
                highlight=False,
            )
        elif o.status == "not_run" and o.reason and "cost cap" in o.reason:
            console.print(f"[yellow]not sent[/] {o.chunk.id}: {escape(o.reason)}")


def batch_summary(result: BatchResult, console: Console) -> None:
    if result.estimate is not None:
        e = result.estimate
        table = Table(title="dry run: nothing was sent", show_header=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        for what, value in (
            ("documents", e.documents),
            ("chunks to send", e.chunks),
            ("input tokens (estimate)", f"{e.input_tokens:,}"),
            ("output tokens (estimate)", f"{e.output_tokens:,}"),
            ("cost (estimate)", "unknown (no price)" if e.cost is None else f"${e.cost:.4f}"),
            ("inputs skipped", len(result.skipped_inputs)),
        ):
            table.add_row(what, str(value))
        console.print(table)
        return
    table = Table(title=f"batch summary: {escape(str(result.run_dir))}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    chunks = result.chunks
    backend = result.backend + (f" ({result.model})" if result.model else "")
    rows = [
        *([("backend", escape(backend))] if backend else []),
        ("documents processed / failed", f"{result.documents} / {len(result.documents_failed)}"),
        ("inputs skipped", str(len(result.skipped_inputs))),
        (
            "chunks extracted / failed / skipped"
            + (" / rules' draft kept" if chunks.get("draft") else ""),
            f"{chunks.get('extracted', 0)} / {chunks.get('failed', 0)} / "
            f"{chunks.get('skipped', 0)}"
            + (f" / {chunks['draft']}" if chunks.get("draft") else ""),
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
        *usage_rows(result.usage),
        ("facts", str(result.facts)),
        *(
            [("model answers failed (rules' draft kept)", str(len(result.llm_failed)))]
            if result.llm_failed
            else []
        ),
        ("checks", checks_summary(result.relations, result.findings)),
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


def progress_bar(console: Console, enabled: bool) -> Progress:
    """A bar with a count, a line of status (the task's ``info`` field) and the time."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not enabled,
    )


def rules_by_default(console: Console) -> None:
    console.print(
        "[yellow]No LLM configured (no OPENAI_API_KEY, no --base-url): using the rules backend.[/]"
    )


class BatchLog:
    """A batch's events on screen: a progress bar on a terminal, else a plain log (one
    line per document, skipped input, failed chunk, and every 50 chunks); ``quiet``
    leaves only the summary. Passed to :func:`~extractor.batch.run_batch` as
    ``on_event``."""

    def __init__(self, console: Console, interactive: bool, quiet: bool) -> None:
        self.console = console
        self.plain = not interactive and not quiet
        self.quiet = quiet
        self.progress = progress_bar(console, enabled=interactive)
        self.task = self.progress.add_task("chunks", total=None, info="")
        self.counts = {"extracted": 0, "failed": 0, "skipped": 0, "not_run": 0, "queued": 0}

    def _line(self, text: str) -> None:
        self.console.print(text, highlight=False)

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        name = escape(str(data.get("name", "")))
        if kind == "document":
            self.counts["queued"] += int(data["chunks"])
            self.progress.update(self.task, total=self.counts["queued"])
            if self.plain:
                self._line(f"document {name}: {data['chunks']} chunks")
            for warning in data.get("warnings") or ():
                self._line(f"[yellow]warning[/] {name}: {escape(str(warning))}")
        elif kind == "chunk":
            self._chunk(data)
        elif kind == "provider_batch_submitted" and not self.quiet:
            self._line(
                f"submitted OpenAI batch {escape(str(data['id']))}: {data['requests']} "
                f"requests ({escape(str(data['file']))})"
            )
        elif kind == "provider_batch":
            status = f"batch {data['id']}: {data['status']}, {data['completed']}/{data['total']}"
            self.progress.update(self.task, info=status)
            if self.plain:
                self._line(status + f", failed {data['failed']}")
        elif kind == "stopped" and not self.quiet:
            self._line(
                f"[red]stopping[/]: {escape(str(data['reason']))}; finishing what is in flight"
            )
        elif kind in ("input_skipped", "document_failed") and self.plain:
            self._line(f"skipped {name}: {escape(str(data['reason']))}")

    def _chunk(self, data: dict[str, Any]) -> None:
        counts = self.counts
        counts[str(data["status"])] += 1
        cost = data.get("cost")
        money = "cost ?" if cost is None else f"cost ${float(cost):.4f}"
        self.progress.update(
            self.task,
            advance=1,
            info=f"failed {counts['failed']}, tokens {data['tokens']:,}, {money}",
        )
        if self.plain and data["status"] == "failed":
            self._line(
                f"failed {escape(str(data['doc']))} {data['chunk']}: {escape(str(data['reason']))}"
            )
        done = sum(counts[s] for s in ("extracted", "failed", "skipped"))
        if self.plain and done % 50 == 0:
            self._line(
                f"chunks {done}/{counts['queued']} so far, failed {counts['failed']}, "
                f"tokens {data['tokens']:,}, {money}"
            )
