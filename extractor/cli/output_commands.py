"""The commands that read what ``extract`` and ``batch`` wrote: ``validate`` checks the
relations and facts again, ``review`` draws their pages."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from ..batch.review_pages import review_run
from ..document import analyse
from ..errors import ConfigError, UsageError
from ..metadata import ReportMeta
from ..records import read_facts
from ..relations import Gap
from ..review import facts_page, write_page
from ..validation import count, validate, write_findings
from ..writers import check_output, check_run_dir, output_format
from . import status
from .commands import checks_fail
from .flag_values import HTML
from .inputs import find_report, read_checked, relations_of_reports
from .render import checks_summary, findings_table


def validate_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor validate``: the checks of relations and facts files or run folders;
    exit 1 when they fail under ``--fail-on``."""
    if args.output:
        check_output(args.output, "findings", None)  # the extension: the parser's
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
    return status.FAILURE if checks_fail(findings, args.fail_on) else status.OK


def review_command(args: argparse.Namespace, console: Console, err: Console) -> int:
    """``extractor review``: the pages of a run folder, or the page of a facts file."""
    if args.input.is_dir():
        return _review_run(args, console)
    if args.output is not None and not args.output.is_dir():
        try:  # what -o may be depends on the input: a page here, a folder for a run
            output_format(args.output, "review page", HTML)
        except ConfigError as exc:
            raise UsageError(f"{exc}; for a facts file -o is its page") from None
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
    return status.OK


def _review_run(args: argparse.Namespace, console: Console) -> int:
    """The index page of a run folder and a page per report, in ``-o`` or the run folder."""
    if args.report is not None:
        raise UsageError("--report is for a facts file: a run folder holds its reports")
    if args.output is not None:
        check_run_dir(args.output)
        args.output.mkdir(parents=True, exist_ok=True)
    written = review_run(args.input, args.output, args.lang)
    console.print(
        f"wrote {escape(str(written[0]))} and {len(written) - 1} report page(s) in "
        f"{escape(str(written[0].parent / 'reports'))}"
    )
    return status.OK
