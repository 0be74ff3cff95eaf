"""The command line's parser: every subcommand routed to its own handler, every flag value
the command does not take refused while parsing (exit 2, argparse's ``error: argument
--x: ...`` on the error console, no work done), and the boundary values taken."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import batch_command, commands, output_commands
from extractor.errors import ConfigError, UsageError
from extractor.metadata import ReportMeta

from .helpers import SAMPLES, run_cli

SAMPLE = str(SAMPLES / "lai-chau-2024-02.txt")
# the module: the package's ``parser`` attribute is the function it holds
cli_parser = importlib.import_module("extractor.cli.parser")


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (["sections", SAMPLE], commands.sections_command),
        (["quantities", SAMPLE], commands.quantities_command),
        (["chunks", SAMPLE], commands.chunks_command),
        (["clean", SAMPLE], commands.clean_command),
        (["extract", SAMPLE], commands.extract_command),
        (["relations", SAMPLE], commands.relations_command),
        (["validate", "facts.jsonl"], output_commands.validate_command),
        (["review", "facts.jsonl"], output_commands.review_command),
        (["batch", SAMPLE, "-o", "run"], batch_command.batch_command),
    ],
)
def test_each_subcommand_routes_to_its_handler(argv: list[str], handler: Any) -> None:
    assert cli_parser.parser().parse_args(argv).handler is handler


EXTRACT = ["extract", SAMPLE]
BATCH = ["batch", SAMPLE, "-o", "{tmp}/run"]


@pytest.mark.parametrize(
    ("argv", "flag", "message"),
    [
        (["chunks", SAMPLE, "--budget", "99"], "--budget", "99 is too small: use at least 100"),
        (["chunks", SAMPLE, "--budget", "1e3"], "--budget", "'1e3' is not a whole number"),
        ([*EXTRACT, "--budget", "-5"], "--budget", "-5 is negative: use at least 100 tokens"),
        ([*BATCH, "--budget", "50"], "--budget", "50 is too small: use at least 100 tokens"),
        ([*EXTRACT, "--max-cost", "0"], "--max-cost", "0 must be more than 0: give the most"),
        ([*EXTRACT, "--max-cost", "-1"], "--max-cost", "-1 must be more than 0"),
        ([*EXTRACT, "--max-cost", "inf"], "--max-cost", "'inf' is not a finite number"),
        ([*EXTRACT, "--max-cost", "$1"], "--max-cost", "'$1' is not a number: give the most"),
        ([*EXTRACT, "--reasks", "-1"], "--reasks", "-1 is negative: give 0 (no re-ask) or more"),
        ([*EXTRACT, "--retries", "-2"], "--retries", "-2 is negative: give 0 (no retry) or more"),
        ([*EXTRACT, "--retries", "two"], "--retries", "'two' is not a whole number"),
        ([*EXTRACT, "--timeout", "0"], "--timeout", "0 must be more than 0: give the seconds"),
        ([*EXTRACT, "--timeout", "nan"], "--timeout", "'nan' is not a finite number"),
        ([*EXTRACT, "--threads", "0"], "--threads", "0 is too small: use at least 1"),
        ([*BATCH, "--threads", "-2"], "--threads", "-2 is negative: use at least 1"),
        ([*BATCH, "--concurrency", "0"], "--concurrency", "0 is too small: use at least 1"),
        ([*BATCH, "--rpm", "0"], "--rpm", "0 must be more than 0: leave it out for no limit"),
        ([*BATCH, "--tpm", "-1"], "--tpm", "-1 must be more than 0: leave it out for no limit"),
        ([*BATCH, "--tpm", "inf"], "--tpm", "'inf' is not a finite number: leave it out"),
        ([*BATCH, "--poll-interval", "0"], "--poll-interval", "0 must be more than 0"),
        ([*BATCH, "--reasks", "-1"], "--reasks", "-1 is negative"),
        (
            [*EXTRACT, "--base-url", "localhost:8080/v1"],
            "--base-url",
            "'localhost:8080/v1' is not an http:// or https:// address: give the endpoint's "
            "base URL, e.g. http://localhost:8080/v1",
        ),
        ([*BATCH, "--base-url", "ftp://host/v1"], "--base-url", "is not an http:// or https://"),
        ([*EXTRACT, "--base-url", "http:///v1"], "--base-url", "is not an http:// or https://"),
        ([*EXTRACT, "--base-url", "http://h:port/v1"], "--base-url", "'http://h:port/v1' is not"),
        (["sections", SAMPLE, "--period", "February"], "--period", "use YYYY-MM (monthly)"),
        (["clean", SAMPLE, "--period", "2024-13"], "--period", "month must be 01..12"),
        (["extract", SAMPLE, "--period", "2024-Q5"], "--period", "not understood"),
        ([*EXTRACT, "-o", "{tmp}/facts.txt"], "-o/--output", "name it .jsonl or .csv"),
        ([*EXTRACT, "--findings", "{tmp}/f.xlsx"], "--findings", "name it .jsonl or .csv"),
        ([*EXTRACT, "--relations", "{tmp}/r.csv"], "--relations", "name it .jsonl"),
        ([*EXTRACT, "--html", "{tmp}/page.pdf"], "--html", "name it .html or .htm"),
        (["quantities", SAMPLE, "-o", "{tmp}/q.csv"], "-o/--output", "name it .jsonl"),
        (["relations", SAMPLE, "-o", "{tmp}/r"], "-o/--output", "name it .jsonl"),
        (["validate", SAMPLE, "-o", "{tmp}/f.txt"], "-o/--output", "name it .jsonl or .csv"),
    ],
)
def test_a_bad_flag_value_is_refused_by_the_parser(
    tmp_path: Path, argv: list[str], flag: str, message: str
) -> None:
    code, out, err = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith(f"usage: extractor {argv[0]} ")  # argparse's usage, then its error
    assert f"extractor {argv[0]}: error: argument {flag}: " in err
    assert message in err, err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # refused before any work: nothing created


@pytest.mark.parametrize(
    "argv",
    [
        [*EXTRACT, "--chunk-tokens", "500"],
        ["sections", SAMPLE, "--format", "jsonl"],
        [*BATCH, "--workers", "2"],
        ["review", "facts.jsonl", "--backend", "rules"],
    ],
)
def test_an_unknown_flag_is_refused_with_its_commands_usage(
    tmp_path: Path, argv: list[str]
) -> None:
    """Not the top parser's "extractor [-h] [--version] COMMAND": the usage of the
    command the user typed, which lists the flags it does take."""
    code, out, err = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith(f"usage: extractor {argv[0]} "), err
    assert f"extractor {argv[0]}: error: unrecognized arguments: " in err
    assert list(tmp_path.iterdir()) == []


def monthly(year: int, month: int) -> ReportMeta:
    return ReportMeta(year=year, month=month, kind="monthly")


@pytest.mark.parametrize(
    ("argv", "dest", "expected"),
    [
        (["chunks", SAMPLE, "--budget", "100"], "budget", 100),
        ([*EXTRACT, "--budget", "100"], "budget", 100),
        ([*EXTRACT, "--max-cost", "0.001"], "max_cost", 0.001),
        ([*EXTRACT, "--reasks", "0"], "reasks", 0),
        ([*EXTRACT, "--retries", "0"], "retries", 0),
        ([*EXTRACT, "--timeout", "0.5"], "timeout", 0.5),
        ([*EXTRACT, "--threads", "1"], "threads", 1),
        ([*BATCH, "--concurrency", "1"], "concurrency", 1),
        ([*BATCH, "--rpm", "0.5"], "rpm", 0.5),
        ([*BATCH, "--tpm", "1"], "tpm", 1.0),
        ([*BATCH, "--poll-interval", "0.02"], "poll_interval", 0.02),
        (
            [*EXTRACT, "--base-url", "http://127.0.0.1:8080/v1"],
            "base_url",
            "http://127.0.0.1:8080/v1",
        ),
        ([*BATCH, "--base-url", "https://api.example.com"], "base_url", "https://api.example.com"),
        (["sections", SAMPLE, "--period", "2024-12"], "period", monthly(2024, 12)),
        (["sections", SAMPLE, "--period", "2024-01"], "period", monthly(2024, 1)),
        (
            ["sections", SAMPLE, "--period", "2024-Q4"],
            "period",
            ReportMeta(year=2024, quarter=4, kind="quarterly"),
        ),
        (["sections", SAMPLE, "--period", "2023"], "period", ReportMeta(year=2023, kind="annual")),
        ([*EXTRACT, "-o", "facts.CSV"], "output", Path("facts.CSV")),
        ([*EXTRACT, "--html", "page.htm"], "html", Path("page.htm")),
        (["quantities", SAMPLE, "-o", "q.jsonl"], "output", Path("q.jsonl")),
        (["validate", "run", "-o", "f.jsonl"], "output", Path("f.jsonl")),
    ],
)
def test_a_boundary_value_is_taken(argv: list[str], dest: str, expected: Any) -> None:
    taken = getattr(cli_parser.parser().parse_args(argv), dest)
    assert taken == expected and type(taken) is type(expected)


def test_an_existing_folder_passes_the_parser_for_the_command_to_refuse(tmp_path: Path) -> None:
    """An output that is a folder is refused by the command, with its own message."""
    assert cli_parser.parser().parse_args([*EXTRACT, "-o", str(tmp_path)]).output == tmp_path
    code, _, err = run_cli(*EXTRACT, "-o", str(tmp_path))
    assert code == 1 and err.startswith("error:") and "is a folder" in err


def test_a_period_sets_the_report_period_the_report_does_not_state(tmp_path: Path) -> None:
    """What --period parses reaches the analysis (the report names no period here)."""
    report = tmp_path / "report.txt"
    report.write_text(
        "Tỉnh Lai Châu\nBáo cáo tình hình kinh tế - xã hội\n"
        "Tổng đàn trâu đạt 92.400 con, tăng 1,2% so với cùng kỳ.\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("sections", str(report), "--period", "2024-Q3")
    assert code == 0 and "quarterly 2024-Q3" in out, out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["quantities", SAMPLE, "-o", "{tmp}/q.jsonl"], "-o writes JSON Lines: add --format"),
        (["relations", SAMPLE, "-o", "{tmp}/r.jsonl"], "-o writes JSON Lines: add --format"),
        ([*BATCH, "--backend", "rules", "--openai-batch"], "--openai-batch needs the LLM-only"),
    ],
)
def test_a_combination_of_flags_the_command_refuses_is_a_usage_error(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    code, out, err = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and err.startswith("error: ") and message in err, err
    assert out == "" and list(tmp_path.iterdir()) == []


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["extract", "--help"], ["--version"]):
        code, _, err = run_cli(*argv)
        assert code == 0 and err == ""
    printed = capsys.readouterr().out
    assert "usage: extractor extract" in printed and "extractor " in printed.splitlines()[-1]


def test_a_refused_command_line_goes_to_the_error_console_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli("chunks", SAMPLE, "--budget", "abc")
    assert code == 2 and "argument --budget" in err
    assert capsys.readouterr().err == ""  # not to sys.stderr, which main was not given
    code, _, err = run_cli()
    assert code == 2 and "the following arguments are required: COMMAND" in err


@pytest.mark.parametrize(
    ("raised", "code"),
    [
        (KeyboardInterrupt(), 130),
        (UsageError("--x and --y do not go together"), 2),
        (ConfigError("set OPENAI_API_KEY"), 1),
    ],
)
def test_main_runs_the_handler_and_maps_what_it_raises(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, code: int
) -> None:
    calls: list[str] = []

    def handler(args: Any, console: Any, err: Any) -> int:
        calls.append(args.command)
        raise raised

    monkeypatch.setattr(cli_parser, "sections_command", handler)
    got, out, err = run_cli("sections", SAMPLE)
    assert (got, calls, out) == (code, ["sections"], "")
    assert ("interrupted" if code == 130 else str(raised)) in err


def test_main_returns_what_the_handler_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_parser, "clean_command", lambda args, console, err: 3)
    assert run_cli("clean", SAMPLE)[0] == 3
