"""The ``extractor`` command: parse arguments, call the library, render with rich.

Exit codes: 0 success, 1 an error extractor reports (one red line on stderr), 2 usage.
Set EXTRACTOR_DEBUG=1 to see the traceback of a reported error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from . import __version__
from .chunking import DEFAULT_BUDGET, chunk_text, make_chunks
from .document import Document, analyse
from .errors import ConfigError, ExtractorError
from .metadata import ReportMeta, parse_period
from .records import quantity_record
from .sections import Section


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
    return parser


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
    title = f"[bold]{doc.name}[/] — {meta.province or '?'}, {meta.kind or '?'} {meta.period or '?'}"
    tree = Tree(title)

    def add(node: Tree, section: Section) -> None:
        label = section.heading
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


def _run(args: argparse.Namespace, console: Console) -> int:
    doc = analyse(args.file, _overrides(args))
    if args.command == "sections":
        _section_tree(doc, console)
    elif args.command == "quantities":
        if args.format == "jsonl":
            if args.output:
                with args.output.open("w", encoding="utf-8") as fh:
                    _write_jsonl(doc, fh)
                console.print(f"wrote {len(doc.quantities)} quantities to {args.output}")
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
                ch.breadcrumb or "(preamble)",
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
    return 0


def main(
    argv: Sequence[str] | None = None, console: Console | None = None, err: Console | None = None
) -> int:
    """Run the CLI; returns the exit code (tests call this directly)."""
    console = console or Console(highlight=False)
    err = err or Console(stderr=True, highlight=False)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return _run(args, console)
    except ExtractorError as exc:
        if os.environ.get("EXTRACTOR_DEBUG") == "1":
            raise
        err.print(f"[red]error:[/] {exc}", markup=True, highlight=False)
        return 1


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `extractor quantities f --format jsonl | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code)
