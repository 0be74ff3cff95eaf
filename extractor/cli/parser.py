"""The command line's arguments: every subcommand, the handler that runs it (its
``handler`` default, see :mod:`.commands`) and its flags, with their help and the values
they take (:mod:`.flag_values`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from .. import __version__
from ..backends import KINDS
from ..chunking import DEFAULT_BUDGET
from . import flag_values as value
from .batch_command import batch_command
from .commands import (
    chunks_command,
    clean_command,
    extract_command,
    quantities_command,
    relations_command,
    sections_command,
)
from .output_commands import review_command, validate_command

# what runs a subcommand: its output on the first console, its errors on the second
Handler = Callable[[argparse.Namespace, Console, Console], int]


class ArgumentsRefused(Exception):
    """A command line the parser does not take; ``str()`` is argparse's usage and error
    lines, for the caller to show (exit 2)."""


class CommandLineParser(argparse.ArgumentParser):
    """argparse's parser, which raises :class:`ArgumentsRefused` where argparse prints its
    usage and error to sys.stderr and exits: ``main`` shows them on its own ``err``."""

    def error(self, message: str) -> NoReturn:
        raise ArgumentsRefused(f"{self.format_usage()}{self.prog}: error: {message}")

    def parse_command_line(self, argv: Sequence[str] | None) -> argparse.Namespace:
        """``parse_args``, except that a flag the subcommand does not know is refused
        with that subcommand's usage ("extractor extract: error: ..."), not the top
        parser's list of commands."""
        args, extras = self.parse_known_args(argv)
        if extras:
            refuse: Callable[[str], NoReturn] = getattr(args, "refuse", self.error)
            refuse(f"unrecognized arguments: {' '.join(extras)}")
        return args


def parser() -> CommandLineParser:
    parser = CommandLineParser(
        prog="extractor",
        description="Turn Vietnamese provincial socio-economic reports into checked data.",
    )
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def doc_command(name: str, help_: str, handler: Handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        p.add_argument("file", type=Path, help="report file (.txt, .docx, .pdf)")
        p.add_argument("--province", help="province, when the report does not name it")
        p.add_argument(
            "--period",
            type=value.period,
            help="reporting period when the report does not say: YYYY-MM, YYYY-Qn, YYYY-H1 or YYYY",
        )
        return p

    doc_command("sections", "Show the heading tree of a report.", sections_command)
    q = doc_command(
        "quantities",
        "List every number in a report with unit and comparison.",
        quantities_command,
    )
    q.add_argument("--format", choices=("table", "jsonl"), default="table")
    q.add_argument(
        "-o",
        "--output",
        type=value.output_file("quantities", value.JSONL),
        help="write to this .jsonl file instead of stdout (with --format jsonl)",
    )
    c = doc_command(
        "chunks", "Show the token-budgeted chunks a report is cut into.", chunks_command
    )
    c.add_argument(
        "--budget",
        type=value.budget,
        default=DEFAULT_BUDGET,
        help=f"tokens per chunk, at least {value.MIN_BUDGET} (default {DEFAULT_BUDGET})",
    )
    c.add_argument("--text", action="store_true", help="print each chunk's full text")
    doc_command(
        "clean", "Print the cleaned text (what offsets in the outputs index).", clean_command
    )
    e = doc_command("extract", "Extract indicator values (facts) from a report.", extract_command)
    e.add_argument(
        "-o",
        "--output",
        type=value.output_file("facts"),
        help="write facts to this .jsonl or .csv file (default: a table on screen)",
    )
    _backend_arguments(e)
    e.add_argument(
        "--findings",
        type=value.output_file("findings"),
        help="write the arithmetic checks to this .jsonl or .csv file",
    )
    e.add_argument(
        "--relations",
        type=value.output_file("relations", value.JSONL),
        help="write the relations the text states (what is checked) to this .jsonl file",
    )
    e.add_argument(
        "--html",
        type=value.output_file("review page", value.HTML),
        help="write the review page (the report with every value marked, the checks "
        "beside it) to this .html file",
    )
    _findings_arguments(e, fail_on="never")
    r = doc_command(
        "relations",
        "List the arithmetic a report states: which numbers add up to which total, which "
        "percentage is of which figure, which change against which reference.",
        relations_command,
    )
    r.add_argument("--format", choices=("table", "jsonl"), default="table")
    r.add_argument(
        "-o",
        "--output",
        type=value.output_file("relations", value.JSONL),
        help="write to this .jsonl file (with --format jsonl)",
    )
    v = sub.add_parser(
        "validate",
        help="Check the arithmetic of relations, and of facts across reports.",
        description="Check again the relations a report states (relations.jsonl from "
        "extract --relations or a batch) and compare facts across reports of the same "
        "province (facts .jsonl); a batch run folder gives both. Statements that were "
        "not formed into relations are in the findings written when they were found.",
    )
    v.set_defaults(handler=validate_command)
    v.add_argument(
        "inputs",
        type=Path,
        nargs="+",
        metavar="PATH",
        help="relations.jsonl or facts .jsonl files, or batch run folders",
    )
    v.add_argument(
        "-o",
        "--output",
        type=value.output_file("findings"),
        help="write findings to .jsonl or .csv",
    )
    _findings_arguments(v, fail_on="error")
    v.add_argument("--all", action="store_true", help="list passing checks too")
    rv = sub.add_parser(
        "review",
        help="Draw review pages: a report's values and checks, or a run at a glance.",
        description="Write self-contained HTML pages to look at in a browser (no network, "
        "work from file://): for a facts .jsonl written by extract, the report's page (the "
        "report is read again: --report, else the path the facts name); for a batch run "
        "folder, index.html and one page per report under reports/.",
    )
    rv.set_defaults(handler=review_command)
    rv.add_argument("input", type=Path, help="facts .jsonl file or batch run folder")
    rv.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the page (.html) for facts; a folder for a run (default: the run folder)",
    )
    rv.add_argument("--report", type=Path, help="the report the facts were extracted from")
    rv.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the pages")
    b = sub.add_parser(
        "batch",
        help="Extract and check a whole archive of reports.",
        description="Extract every report in folders and archives (.zip, "
        ".tar, .tar.gz, .tar.bz2, .tar.xz, nested) into one run "
        "directory; re-running continues where it stopped.",
    )
    b.set_defaults(handler=batch_command)
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
    b.add_argument(
        "--concurrency",
        type=value.concurrency,
        default=4,
        help="chunks in flight, 1 or more (default 4)",
    )
    b.add_argument("--rpm", type=value.rate_limit, help="requests per minute limit (more than 0)")
    b.add_argument("--tpm", type=value.rate_limit, help="tokens per minute limit (more than 0)")
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
    b.add_argument(
        "--force",
        action="store_true",
        help="write into an existing folder that is not a run directory (its files with "
        "the outputs' names are replaced)",
    )
    b.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the review pages"
    )
    ob = b.add_argument_group("OpenAI Batch API (half the price, answers within 24 h)")
    ob.add_argument(
        "--openai-batch",
        action="store_true",
        help="send the chunks as OpenAI batches instead of one call each; no re-asks "
        "(re-run without it to re-ask the chunks whose answer failed)",
    )
    ob.add_argument(
        "--poll-interval",
        type=value.poll_interval,
        default=60.0,
        metavar="SECONDS",
        help="seconds between polls of a running batch (default 60)",
    )
    ob.add_argument(
        "--no-wait",
        action="store_true",
        help="submit and return; re-run the same command later to collect the answers",
    )
    commands: dict[str, argparse.ArgumentParser] = dict(sub.choices)
    for command in commands.values():
        command.set_defaults(refuse=command.error)
    return parser


def _findings_arguments(p: argparse.ArgumentParser, fail_on: str) -> None:
    p.add_argument(
        "--fail-on",
        choices=("never", "error", "warning"),
        default=fail_on,
        help="exit 1 when a check fails as an error (error), or as an error or a warning "
        f"(warning: a hedged or rounded figure may explain it); default: {fail_on}",
    )
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of findings")


def _backend_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend",
        choices=KINDS,
        help="rules (no LLM); hybrid (the rules draft every value, the model revises "
        "names, codes, periods and links: through --base-url or OPENAI_API_KEY when set, "
        "else the embedded llama.cpp model); openai or local (the model alone, LLM only); "
        "default: hybrid when OPENAI_API_KEY or --base-url is set, else rules",
    )
    p.add_argument("--model", help="model name (openai default: gpt-4o-mini)")
    p.add_argument(
        "--base-url",
        type=value.endpoint,
        help="OpenAI-compatible endpoint, e.g. http://localhost:8080/v1",
    )
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
    p.add_argument("--model-path", type=Path, help="GGUF file for the embedded model")
    p.add_argument(
        "--threads",
        type=value.threads,
        help="threads of the embedded model (default: the cores other work leaves free; "
        "llama.cpp slows down 10-20x when its threads share cores)",
    )
    p.add_argument(
        "--budget",
        type=value.budget,
        help=f"tokens per chunk, at least {value.MIN_BUDGET} (default depends on backend)",
    )
    p.add_argument(
        "--max-cost",
        type=value.max_cost,
        metavar="USD",
        help="stop starting new chunks once this much has been spent",
    )
    p.add_argument("--prices", type=Path, help="price table YAML (USD per million tokens)")
    p.add_argument(
        "--reasks",
        type=value.reasks,
        default=2,
        help="re-asks when an answer fails validation, 0 or more (default 2)",
    )
    p.add_argument(
        "--timeout",
        type=value.timeout,
        metavar="SECONDS",
        help="seconds to wait for one answer before the request counts as failed "
        "(default 120 for an endpoint, 600 for --backend local); a request that times "
        "out is retried once, then its chunk fails and the run goes on",
    )
    p.add_argument(
        "--retries",
        type=value.retries,
        default=4,
        help="retries of a request after a 5xx, 429, dropped connection or timeout (default 4)",
    )
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached answers")
    p.add_argument("--cache", type=Path, help="response cache file (SQLite)")
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="exit 0, not 3, when some chunks failed or some inputs were skipped",
    )
