import json
import re
from collections import Counter

import pytest

from extractor.records import QUANTITY_FIELDS

from .helpers import SAMPLES, run_cli

SAMPLE = str(SAMPLES / "lai-chau-2024-02.txt")
LAO_CAI = str(SAMPLES / "lao-cai-2024-02.txt")


def test_sections_command_shows_the_tree() -> None:
    code, out, _ = run_cli("sections", SAMPLE)
    assert code == 0
    assert "Lai Châu, monthly 2024-02" in out
    assert "a) Sản xuất nông - lâm nghiệp - thủy sản" in out
    assert "footnotes 1, 2, 3, 4, 5" in out


def test_quantities_jsonl_contract(tmp_path) -> None:
    target = tmp_path / "q.jsonl"
    code, out, _ = run_cli("quantities", SAMPLE, "--format", "jsonl", "-o", str(target))
    assert code == 0 and "wrote" in out
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 200
    for row in rows:
        assert set(QUANTITY_FIELDS) <= set(row)
        assert isinstance(row["ambiguous"], bool)
    herd = next(r for r in rows if r["text"] == "349.090 con")
    assert herd["value"] == 349090 and herd["unit"] == "con" and herd["footnote_ref"] == 1
    change = next(r for r in rows if r["text"] == "4,2%")
    assert change["comparison"] == {"direction": "increase", "basis": "same_period"}
    buffalo = next(r for r in rows if r["text"] == "92.400 con")
    assert buffalo["footnote"] == 1 and "a) Sản xuất" in buffalo["section"]


def test_quantities_table() -> None:
    code, out, _ = run_cli("quantities", SAMPLE)
    assert code == 0 and "349.090 con" in out and "increase / same_period" in out


def test_chunks_command() -> None:
    code, out, _ = run_cli("chunks", SAMPLE, "--budget", "600")
    assert code == 0 and "chunks of ≤600 tokens" in out


def test_errors_are_one_red_line_and_exit_1(tmp_path) -> None:
    code, out, err = run_cli("quantities", str(tmp_path / "missing.txt"))
    assert code == 1 and out == ""
    assert err.strip().startswith("error:") and "file not found" in err


def test_usage_errors_exit_2() -> None:
    """A command, a flag or a flag's value the command does not take: exit 2, one line."""
    code, _, _ = run_cli("nonsense")
    assert code == 2
    code, _, err = run_cli("sections", SAMPLE, "--period", "February")
    assert code == 2 and "YYYY-MM" in err
    code, _, err = run_cli("sections", SAMPLE, "--period", "2024-13")
    assert code == 2 and "month must be 01..12" in err and "Traceback" not in err
    code, _, err = run_cli("chunks", SAMPLE, "--budget", "10")
    assert code == 2 and "argument --budget: 10 is too small" in err


def test_a_value_outside_the_choices_is_a_usage_error() -> None:
    """argparse's own refusals are exit 2 too, for every command that runs checks."""
    for argv in (
        ["validate", SAMPLE, "--fail-on", "sometimes"],
        ["extract", SAMPLE, "--fail-on", "sometimes"],
        ["batch", SAMPLE, "-o", "run", "--backend", "nothing"],
    ):
        code, out, err = run_cli(*argv)
        assert code == 2 and out == ""
        assert "invalid choice" in err


def test_extract_without_key_uses_rules_and_writes_facts(tmp_path) -> None:
    target = tmp_path / "facts.csv"
    code, out, _ = run_cli("extract", SAMPLE, "-o", str(target))
    assert code == 0
    assert "using the rules backend" in out and "wrote" in out
    assert "chunks extracted / failed / skipped" in out
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,doc,doc_sha256,province,report_period,section,chunk,indicator")


def test_extract_table_on_screen() -> None:
    code, out, _ = run_cli("extract", SAMPLE, "--backend", "rules")
    assert code == 0 and "livestock_herd" in out and "349.090 con" in out
    assert "using the rules backend" not in out  # chosen explicitly, nothing to warn about


def test_extract_openai_without_key_is_a_config_error() -> None:
    code, _, err = run_cli("extract", SAMPLE, "--backend", "openai")
    assert code == 1 and "set OPENAI_API_KEY or pass --base-url" in err


def test_extract_against_an_endpoint_that_fails_every_answer(tmp_path) -> None:
    from .openai_double import Canned, CannedOpenAIServer, completion

    bad = completion(
        '{"indicators": [{"name": "xx", "code": null, "value_id": "q9999", '
        '"period": "month", "comparison_ids": [], "parent_id": null}]}'
    )
    with CannedOpenAIServer([Canned(body=bad)] * 200) as server:
        argv = [
            *("extract", SAMPLE, "--backend", "openai", "--base-url", server.base_url),
            *("--model", "m"),
            *("--mode", "json_schema", "--reasks", "0", "--no-cache", "--budget", "4000"),
            *("-o", str(tmp_path / "f.jsonl")),
        ]
        code, out, err = run_cli(*argv)
        # partial success, said on stderr; each failed chunk's reason in one line of words
        assert code == 3 and "chunk(s) failed" in err and "exit status 3" in err
        failed = [line for line in out.splitlines() if line.startswith("failed c")]
        assert failed and all("'q9999' is not" in line for line in failed), out
        assert "errors.pydantic.dev" not in out and "input_value" not in out
        code, out, _ = run_cli(*argv, "--allow-partial")
    assert code == 0
    assert (tmp_path / "f.jsonl").read_text() == ""  # nothing guessed for failed chunks


def test_extract_reports_arithmetic_and_fail_on(tmp_path) -> None:
    findings = tmp_path / "findings.jsonl"
    relations = tmp_path / "relations.jsonl"
    code, out, _ = run_cli(
        "extract",
        SAMPLE,
        "-o",
        str(tmp_path / "f.jsonl"),
        "--findings",
        str(findings),
        "--relations",
        str(relations),
        "--lang",
        "en",
    )
    assert code == 0  # --fail-on never by default for extract
    assert "arithmetic checks: 2 failed (2 errors, 0 warnings)" in out
    assert "the total says 09 vụ" in " ".join(out.split())
    rows = [json.loads(x) for x in findings.read_text("utf-8").splitlines()]
    assert rows[0]["status"] == "fail" and rows[0]["facts"][0]["text"] == "09 vụ"
    assert rows[0]["severity"] == "error"
    written = [json.loads(x) for x in relations.read_text("utf-8").splitlines()]
    assert rows[0]["relation"] in {r["id"] for r in written}
    # the summary's counts are a partition: the relations found are passed, failed or
    # not computable, as the findings file says
    summary = re.search(
        r"relations (\d+) found: (\d+) passed, (\d+) failed \((\d+) errors, (\d+) "
        r"warnings\), (\d+) not computable.*?; (\d+) statements not formed",
        " ".join(out.split()),
    )
    assert summary, out
    found, passed, failed, errors, warnings, not_computable, gaps = map(int, summary.groups())
    by_relation = Counter(r["status"] for r in rows if r["relation"])
    assert found == len(written) == passed + failed + not_computable
    assert (passed, failed, not_computable) == (
        by_relation["pass"],
        by_relation["fail"],
        by_relation["skipped"],
    )
    assert errors + warnings == failed
    assert gaps == sum(1 for r in rows if not r["relation"] and r["status"] == "skipped")
    code, _, _ = run_cli("extract", SAMPLE, "-o", str(tmp_path / "f.jsonl"), "--fail-on", "error")
    assert code == 1


def test_fail_on_warning_counts_warnings_too(tmp_path) -> None:
    """Lào Cai's "83,1 ha/1.700ha (= 4,8% KH)" is 4,89% cut to 4,8%: a warning, and its
    1110/952 line an error."""
    relations = tmp_path / "r.jsonl"
    run_cli("extract", LAO_CAI, "-o", str(tmp_path / "f.jsonl"), "--relations", str(relations))
    rows = [json.loads(x) for x in relations.read_text("utf-8").splitlines()]
    warning_only = tmp_path / "w.jsonl"
    warning_only.write_text(
        "".join(
            json.dumps(r, ensure_ascii=False) + "\n"
            for r in rows
            if any(o["text"] == "83,1 ha/1.700ha" for o in r["operands"])
        ),
        encoding="utf-8",
    )
    assert run_cli("validate", str(warning_only))[0] == 0  # --fail-on error: a warning passes
    assert run_cli("validate", str(warning_only), "--fail-on", "warning")[0] == 1
    assert run_cli("validate", str(relations))[0] == 1


def test_validate_command(tmp_path) -> None:
    facts, relations = tmp_path / "f.jsonl", tmp_path / "r.jsonl"
    run_cli("extract", SAMPLE, "-o", str(facts), "--relations", str(relations))
    code, out, _ = run_cli("validate", str(relations), str(facts), "-o", str(tmp_path / "v.csv"))
    assert code == 1
    assert "tổng số ghi 09 vụ" in " ".join(out.split())  # Vietnamese by default
    code, out, _ = run_cli(
        "validate", str(relations), "--fail-on", "never", "--all", "--lang", "en"
    )
    assert code == 0 and "92.400 con + 25.490 con + 231.200 con" in " ".join(out.split())
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = run_cli("validate", str(bad))
    assert code == 1 and "is not JSON Lines" in err
    code, _, err = run_cli("validate", str(tmp_path))
    assert code == 1 and "holds no relations.jsonl or facts.jsonl" in err


def test_relations_command(tmp_path) -> None:
    code, out, _ = run_cli("relations", SAMPLE)
    assert code == 0 and "relations" in out and "349.090 con" in out
    code, out, _ = run_cli("relations", SAMPLE, "--format", "jsonl")
    rows = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    assert code == 0 and rows and {r["kind"] for r in rows} >= {"sum", "ratio", "ytd"}
    assert all(r["origin"] == "structure" and r["cue"]["text"] for r in rows)
    target = tmp_path / "rel.jsonl"
    code, out, _ = run_cli("relations", SAMPLE, "--format", "jsonl", "-o", str(target))
    assert code == 0 and target.read_text("utf-8").count("\n") == len(rows)
    code, _, err = run_cli("relations", SAMPLE, "-o", str(target))
    assert code == 2 and "--format jsonl" in err


def test_the_command_and_the_batch_start_without_the_openai_sdk() -> None:
    """The SDK takes about a second to import: the rules backend and the processes that
    analyse a batch's documents (which import the main module again) do without it."""
    import subprocess
    import sys

    probe = (
        "import sys, extractor.cli, extractor.batch, extractor.backends; "
        "print(sorted(m for m in ('openai', 'instructor') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batch", SAMPLE, "-o", "{tmp}/run", "--rpm", "0"], "--rpm: 0 must be more than 0"),
        (["batch", SAMPLE, "-o", "{tmp}/run", "--tpm", "-1"], "--tpm: -1 must be more than 0"),
        (["batch", SAMPLE, "-o", "{tmp}/run", "--concurrency", "0"], "at least 1"),
        (["extract", SAMPLE, "--reasks", "-1"], "--reasks: -1 is negative"),
        (["extract", SAMPLE, "--retries", "-2"], "--retries: -2 is negative"),
        (["extract", SAMPLE, "--timeout", "0"], "--timeout: 0 must be more than 0"),
    ],
)
def test_nonsense_limits_are_refused(tmp_path, argv, message) -> None:
    code, out, err = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and message in " ".join(err.split()) and out == ""  # usage
    assert not (tmp_path / "run").exists()
