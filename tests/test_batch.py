"""Batch mode over archives: hostile members, resume after SIGKILL, dry run, cost cap."""

from __future__ import annotations

import asyncio
import io
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml

from extractor.batch import BatchOptions, run_batch
from extractor.batch.analysis import analyse_member
from extractor.batch.archive import Limits, Member, Skipped, iter_inputs
from extractor.batch.sidecars import load_sidecar, meta_from_name
from extractor.extraction.pipeline import extract_document
from extractor.extraction.prompting import chunk_message
from extractor.extraction.rules_backend import RulesBackend
from extractor.metadata import ReportMeta

from . import scenarios
from .helpers import FIXTURES, ROOT, SAMPLES, subprocess_env
from .openai_double import EchoOpenAIServer

EXTRACTOR = [sys.executable, "-m", "extractor.cli"]


def _zip_symlink(zf: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16  # S_IFLNK
    zf.writestr(info, target)


@pytest.fixture
def hostile_zip(tmp_path: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("lao-cai-2024-02.txt", (SAMPLES / "lao-cai-2024-02.txt").read_bytes())
    path = tmp_path / "reports.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("reports/lai-chau-2024-02.txt", (SAMPLES / "lai-chau-2024-02.txt").read_bytes())
        z.write(FIXTURES / "sample.docx", "reports/sample.docx")
        z.write(FIXTURES / "sample.pdf", "reports/sample.pdf")
        z.writestr("reports/broken.pdf", b"%PDF-1.4 this is not a pdf")
        z.writestr("nested/inner.zip", inner.getvalue())
        z.writestr("nested/corrupt.zip", b"PK\x03\x04 not really a zip")
        z.writestr("../../evil.txt", "Tổng đàn gia súc 1.000 con.")
        z.writestr("/etc/evil.txt", "Tổng đàn gia súc 1.000 con.")
        _zip_symlink(z, "reports/link.txt", "/etc/passwd")
        z.writestr("reports/huge.txt", "Doanh thu 1 tỷ đồng. " * 20_000)  # ~440 KB
        z.writestr("reports/table.xlsx", b"PK")
    return path


def test_zip_with_bad_members(tmp_path: Path, hostile_zip: Path) -> None:
    before = {p for p in tmp_path.rglob("*")}
    run_dir = tmp_path / "run"
    options = BatchOptions(concurrency=2, limits=Limits(member_bytes=300_000))
    result = asyncio.run(run_batch([hostile_zip], run_dir, RulesBackend(), options))
    skipped = dict(result.skipped_inputs)
    reasons = {name.split("!")[-1]: reason for name, reason in skipped.items()}
    assert "unsafe member name" in reasons["../../evil.txt"]
    assert "unsafe member name" in reasons["/etc/evil.txt"]
    assert "symbolic link" in reasons["reports/link.txt"]
    assert "limit" in reasons["reports/huge.txt"]
    assert "unsupported file type '.xlsx'" in reasons["reports/table.xlsx"]
    assert "corrupt or unreadable archive" in reasons["nested/corrupt.zip"]
    failed = dict(result.documents_failed)
    assert any(name.endswith("reports/broken.pdf") for name in failed)
    facts = [json.loads(x) for x in (run_dir / "facts.jsonl").read_text("utf-8").splitlines()]
    docs = {f["doc"] for f in facts}
    assert {"lai-chau-2024-02.txt", "sample.docx", "sample.pdf", "lao-cai-2024-02.txt"} <= docs
    assert result.documents == 4
    # nothing written outside the run directory
    after = {p for p in tmp_path.rglob("*")}
    assert {p for p in after - before if run_dir not in p.parents and p != run_dir} == set()
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_ratio_and_tar_members(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", b"0" * 20_000_000)
    [item] = list(iter_inputs([bomb]))
    assert isinstance(item, Skipped) and "compression ratio" in item.reason

    tar_path = tmp_path / "reports.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tf:
        data = (SAMPLES / "lai-chau-2021-01.txt").read_bytes()
        info = tarfile.TarInfo("ok/lai-chau-2021-01.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("ok/link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        dev = tarfile.TarInfo("ok/dev.txt")
        dev.type = tarfile.CHRTYPE
        tf.addfile(dev)
        slip = tarfile.TarInfo("../escape.txt")
        slip.size = 4
        tf.addfile(slip, io.BytesIO(b"abcd"))
    items = list(iter_inputs([tar_path]))
    members = [i for i in items if isinstance(i, Member)]
    reasons = {i.name.split("!")[-1]: i.reason for i in items if isinstance(i, Skipped)}
    assert [m.name.split("!")[-1] for m in members] == ["ok/lai-chau-2021-01.txt"]
    assert "link" in reasons["ok/link.txt"]
    assert "not a regular file" in reasons["ok/dev.txt"]
    assert "unsafe" in reasons["../escape.txt"]


def test_two_members_under_one_name_are_both_read(tmp_path: Path) -> None:
    archive = tmp_path / "appended.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("r/lai-chau.txt", "first")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("r/lai-chau.txt", "second")
    members = [i for i in iter_inputs([archive]) if isinstance(i, Member)]
    assert [(m.name.split("!")[-1], m.data) for m in members] == [
        ("r/lai-chau.txt", b"first"),
        ("r/lai-chau (2).txt", b"second"),
    ]


def test_folder_input_and_missing_path(tmp_path: Path) -> None:
    items = list(iter_inputs([SAMPLES, tmp_path / "nope"]))
    assert sorted(Path(i.name).name for i in items if isinstance(i, Member)) == sorted(
        p.name for p in SAMPLES.glob("*.txt")
    )
    assert any(isinstance(i, Skipped) and i.reason == "not found" for i in items)


def _facts(run_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (run_dir / "facts.jsonl").read_text("utf-8").splitlines()]


def _batch_cmd(
    server: EchoOpenAIServer, run_dir: Path, *extra: str, inputs: Path = SAMPLES
) -> list[str]:
    return [
        *EXTRACTOR,
        "batch",
        str(inputs),
        "-o",
        str(run_dir),
        "--backend",
        "openai",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--mode",
        "json_schema",
        "--no-cache",
        *extra,
    ]


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes in /proc")
def test_resume_after_sigkill_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    with EchoOpenAIServer(delay=0.15) as server:
        reference = tmp_path / "reference"
        done = subprocess.run(
            _batch_cmd(server, reference, "--concurrency", "3", "--quiet"),
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        sent_uninterrupted = server.count

        run_dir = tmp_path / "killed"
        proc = subprocess.Popen(
            _batch_cmd(server, run_dir, "--concurrency", "3", "--quiet"),
            env=subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        extracted = 0
        while time.monotonic() < deadline and extracted < 8:
            time.sleep(0.1)
            try:
                db = sqlite3.connect(run_dir / "run.sqlite")
                extracted = db.execute(
                    "SELECT COUNT(*) FROM chunks WHERE status = 'extracted'"
                ).fetchone()[0]
                db.close()
            except sqlite3.Error:
                pass
        analysers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert extracted >= 8
        # its analysis processes notice and end, rather than linger as orphans
        assert analysers, "documents are analysed in child processes"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in analysers):
            time.sleep(0.1)
        assert not [p for p in analysers if _alive(p)]
        before_resume = server.count
        resumed = subprocess.run(
            _batch_cmd(server, run_dir, "--concurrency", "3"),
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        sent_on_resume = server.count - before_resume
    assert "chunks done in earlier runs" in resumed.stdout
    facts, ref = _facts(run_dir), _facts(reference)
    assert len(facts) == len({f["id"] for f in facts})  # no duplicates
    assert sorted(f["id"] for f in facts) == sorted(f["id"] for f in ref)
    assert sorted(json.dumps(f, sort_keys=True) for f in facts) == sorted(
        json.dumps(f, sort_keys=True) for f in ref
    )
    assert sent_on_resume < sent_uninterrupted  # finished chunks were not sent again


def test_a_finished_batch_reruns_without_building_the_client(tmp_path: Path) -> None:
    """Nothing to send, nothing to import: the openai SDK (a second or more) is loaded
    only when a chunk needs a call."""
    probe = (
        "import sys; from extractor.cli import main; code = main(sys.argv[1:]); "
        "print('SDK', 'openai' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    with EchoOpenAIServer() as server:
        cmd = [sys.executable, "-c", probe, *_batch_cmd(server, tmp_path / "run", "--quiet")[3:]]
        first = subprocess.run(cmd, env=subprocess_env(), capture_output=True, text=True)
        sent = server.count
        second = subprocess.run(cmd, env=subprocess_env(), capture_output=True, text=True)
        assert server.count == sent > 0
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "SDK True" in first.stderr
    assert "SDK False" in second.stderr


def test_rerun_sends_nothing_and_a_changed_file_is_redone(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("lai-chau-2021-01.txt", "lai-chau-2024-02.txt"):
        (reports / name).write_bytes((SAMPLES / name).read_bytes())
    with EchoOpenAIServer() as server:
        cmd = _batch_cmd(server, tmp_path / "run", "--quiet", inputs=reports)
        assert subprocess.run(cmd, env=subprocess_env(), capture_output=True).returncode == 0
        first = server.count
        assert subprocess.run(cmd, env=subprocess_env(), capture_output=True).returncode == 0
        assert server.count == first  # nothing re-sent
        changed = reports / "lai-chau-2021-01.txt"
        changed.write_text(changed.read_text("utf-8").replace("3.208 ha", "3.280 ha"), "utf-8")
        assert subprocess.run(cmd, env=subprocess_env(), capture_output=True).returncode == 0
    redone = server.count - first
    assert 0 < redone < first  # only the changed report went out again


def test_dry_run_estimate_is_within_10_percent_of_real_input_tokens() -> None:
    """Estimates against the prompt tokens llama.cpp counted for the recorded first
    attempts of the gold-section chunks (cassettes/local_gold_section.yaml)."""
    data = yaml.safe_load((ROOT / "cassettes" / "local_gold_section.yaml").read_text("utf-8"))
    actual = {}
    for it in data["interactions"]:
        messages = it["request"]["body"]["json"]["messages"]
        if len(messages) == 2:  # a first attempt, not a re-ask
            actual[messages[1]["content"]] = it["response"]["body"]["json"]["usage"][
                "prompt_tokens"
            ]
    doc = scenarios.gold_document()
    backend = scenarios.local_backend()
    estimated = measured = 0
    for chunk in scenarios.gold_chunks(doc):
        message, _ = chunk_message(doc, chunk, backend.catalog)
        estimated += backend.prompt_tokens(doc, chunk)
        measured += actual[message]
    assert abs(estimated - measured) / measured <= 0.10, (estimated, measured)
    print(f"dry-run estimate {estimated:,} vs {measured:,} counted: {estimated / measured:.3f}")


def test_dry_run_sends_nothing(tmp_path: Path) -> None:
    with EchoOpenAIServer() as server:
        out = subprocess.run(
            _batch_cmd(server, tmp_path / "run", "--dry-run"),
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
    assert out.returncode == 0 and server.count == 0
    assert "dry run: nothing was sent" in out.stdout and "input tokens (estimate)" in out.stdout


def test_max_cost_stops_new_chunks_and_a_rerun_continues(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("models:\n  - {match: m, input: 10.0, output: 10.0}\n", "utf-8")
    run_dir = tmp_path / "run"
    with EchoOpenAIServer() as server:
        unpriced = subprocess.run(
            _batch_cmd(server, run_dir, "--max-cost", "0.05"),
            env=subprocess_env(),
            capture_output=True,
        )
        assert unpriced.returncode == 1 and server.count == 0
        assert b"so --max-cost cannot be enforced" in unpriced.stderr  # (the line wraps)
        capped = subprocess.run(
            _batch_cmd(
                server, run_dir, "--prices", str(prices), "--max-cost", "0.05", "--concurrency", "1"
            ),
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
        assert capped.returncode == 0, capped.stdout + capped.stderr
        assert "the cost cap was reached" in capped.stdout
        # not a terminal: a plain log, one line per document
        assert f"document {SAMPLES / 'lai-chau-2021-01.txt'}: " in capped.stdout
        first = server.count
        assert first == 5  # 1,050 tokens at $10/M = $0.0105 a call: the 5th passes $0.05
        full = subprocess.run(
            _batch_cmd(server, run_dir, "--prices", str(prices)),
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
    assert full.returncode == 0 and "chunks done in earlier runs" in full.stdout
    db = sqlite3.connect(run_dir / "run.sqlite")
    assert db.execute("SELECT COUNT(*) FROM chunks WHERE status = 'pending'").fetchone()[0] == 0


def test_metadata_from_sidecar_then_file_name(tmp_path: Path) -> None:
    report = tmp_path / "in" / "bao-cao-x.txt"
    report.parent.mkdir()
    report.write_text(
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ ước đạt 593,09 tỷ đồng, "
        "giảm 6,3% so với cùng kỳ năm trước.\n",
        "utf-8",
    )
    named = tmp_path / "in" / "son-la-2024-03.txt"
    named.write_text(report.read_text("utf-8").replace("593,09", "611,40"), "utf-8")
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text("file,province,period\nbao-cao-x.txt,Điện Biên,2024-05\n", "utf-8")
    options = BatchOptions(metadata_csv=sidecar)
    asyncio.run(run_batch([report.parent], tmp_path / "run", RulesBackend(), options))
    facts = {f["doc"]: f for f in _facts(tmp_path / "run")}
    assert (facts["bao-cao-x.txt"]["province"], facts["bao-cao-x.txt"]["report_period"]) == (
        "Điện Biên",
        "2024-05",
    )
    assert (
        facts["son-la-2024-03.txt"]["province"],
        facts["son-la-2024-03.txt"]["report_period"],
    ) == ("Sơn La", "2024-03")
    assert meta_from_name("x.zip!lai-chau-2023.docx").kind == "annual"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,province\nx,y\n", "utf-8")
    with pytest.raises(Exception, match="file, province, period"):
        load_sidecar(bad)


def test_a_byte_identical_copy_is_skipped_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (SAMPLES / "lao-cai-2024-02.txt").read_bytes()
    (folder / "a-lao-cai-2024-02.txt").write_bytes(text)
    (folder / "b-copy.txt").write_bytes(text)
    result = asyncio.run(run_batch([folder], tmp_path / "run", RulesBackend(), BatchOptions()))
    assert result.documents == 1
    assert result.skipped_inputs == [
        (
            str(folder / "b-copy.txt"),
            f"same content as {folder / 'a-lao-cai-2024-02.txt'}; extracted once",
        )
    ]
    assert {f["doc"] for f in _facts(tmp_path / "run")} == {"a-lao-cai-2024-02.txt"}


def test_analysis_in_a_process_equals_analysis_in_a_thread() -> None:
    """Documents cross the process boundary (pickled both ways) with nothing lost."""
    data = (SAMPLES / "lai-chau-2023-annual.txt").read_bytes()
    args = (data, "lai-chau-2023-annual.txt", ReportMeta(province="Lai Châu"), 3000)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = pool.submit(analyse_member, *args).result()
        failed = pool.submit(analyse_member, b"%PDF-1.4 broken", "x.pdf", ReportMeta(), 3000)
        assert isinstance(failed.result(), str)
    local = analyse_member(*args)
    assert not isinstance(remote, str) and not isinstance(local, str)
    assert [(c.id, c.quantity_ids) for c in remote[1]] == [(c.id, c.quantity_ids) for c in local[1]]
    facts = [
        [f.record() for f in extract_document(doc, RulesBackend()).facts]
        for doc in (remote[0], local[0])
    ]
    assert len(facts[0]) > 100 and facts[0] == facts[1]


def test_relations_found_apart_while_the_chunks_are_read_are_the_same(tmp_path: Path) -> None:
    """A long report's relations are found by a job of their own in the analysis
    process (here every report counts as long): the outputs are those of a run that
    finds them with the analysis, and the facts' backend cache is emptied per report."""

    def outputs(run: Path, apart: int) -> dict[str, str]:
        backend = RulesBackend()
        options = BatchOptions(relations_apart_chars=apart, analysis_processes=1)
        result = asyncio.run(run_batch([SAMPLES], run, backend, options))
        assert result.documents == 4 and not result.documents_failed
        assert not backend._extractors  # each report forgotten once its chunks are done
        names = ("facts.jsonl", "relations.jsonl", "findings.jsonl", "facts.csv")
        return {name: (run / name).read_text("utf-8") for name in names}

    apart = outputs(tmp_path / "apart", 0)
    together = outputs(tmp_path / "together", 10**12)
    assert apart == together
    assert len(apart["relations.jsonl"].splitlines()) > 100
    with sqlite3.connect(tmp_path / "apart" / "run.sqlite") as db:
        found = db.execute("SELECT count(*) FROM documents WHERE relations_found = 1")
        assert found.fetchone()[0] == 4  # a rerun does not analyse them again


def test_outputs_of_a_run(tmp_path: Path) -> None:
    result = asyncio.run(run_batch([SAMPLES], tmp_path / "run", RulesBackend(), BatchOptions()))
    names = {p.name for p in result.outputs}
    assert {
        "facts.jsonl",
        "facts.csv",
        "relations.jsonl",
        "findings.jsonl",
        "findings.csv",
        "lai-chau.csv",
        "lao-cai.csv",
    } <= names
    table = (tmp_path / "run" / "tables" / "lai-chau.csv").read_text("utf-8-sig").splitlines()
    assert table[0] == "code,period,measure,unit,2021-01,2023,2024-02"
    assert any(row.startswith("retail_sales,month,level,đồng,593090000000,") for row in table)
    findings = [
        json.loads(x) for x in (tmp_path / "run" / "findings.jsonl").read_text("utf-8").splitlines()
    ]
    assert any(f["rule"] == "scale_jump" and f["status"] == "fail" for f in findings)
    # every relation of every report, checked; every finding of one names it
    relations = [
        json.loads(x)
        for x in (tmp_path / "run" / "relations.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(relations) == result.relations > 100
    assert {r["id"] for r in relations} == {f["relation"] for f in findings if f["relation"]}
    failed = {(f["facts"][0]["text"], f["severity"]) for f in findings if f["status"] == "fail"}
    assert {("09 vụ", "error"), ("550 lao động", "error"), ("1110/952 tỷ đồng", "error")} <= failed
    assert any(o["fact"] for r in relations for o in r["operands"])  # facts' ids attached
    with sqlite3.connect(tmp_path / "run" / "run.sqlite") as db:
        stored = db.execute("SELECT count(*) FROM relations").fetchone()[0]
        gaps = db.execute("SELECT count(*) FROM relation_gaps").fetchone()[0]
        # the facts as a table a spreadsheet or SQL pivots: base value beside unit and scale
        pivot = db.execute(
            "SELECT value, scale_word, unit, base_value, measure FROM fact_values "
            "WHERE code = 'retail_sales' AND period = 'month' AND report_period = '2024-02'"
        ).fetchall()
    assert stored == len(relations)
    assert (732.3, "tỷ", "đồng", 732300000000, "level") in pivot
    assert gaps == sum(1 for f in findings if f["status"] == "skipped" and f["relation"] is None)
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is in the test extra")
    rows = pq.read_table(tmp_path / "run" / "facts.parquet").to_pylist()
    facts = _facts(tmp_path / "run")
    assert len(rows) == len(facts) == result.facts
    assert (rows[0]["id"], rows[0]["value"]) == (facts[0]["id"], facts[0]["value"])
    assert json.loads(rows[0]["comparisons"]) == facts[0]["comparisons"]


def test_a_run_folder_of_the_previous_release_is_upgraded(tmp_path: Path) -> None:
    """A run store at schema 3 (before relations and review pages) is migrated on open,
    and a re-run fills in the relations and page of the documents it already finished."""
    from extractor.batch.store_schema import MIGRATIONS, SCHEMA_VERSION

    run_dir = tmp_path / "run"
    sample = SAMPLES / "lai-chau-2024-02.txt"
    first = asyncio.run(run_batch([sample], run_dir, RulesBackend(), BatchOptions()))
    with sqlite3.connect(run_dir / "run.sqlite") as db:  # as the previous release left it
        db.executescript(
            "DROP TABLE relations; DROP TABLE relation_gaps; DROP TABLE document_views; "
            "DROP INDEX facts_by_chunk; DROP VIEW fact_values; PRAGMA user_version = 3; "
            "ALTER TABLE documents DROP COLUMN relations_found;"
        )
        assert db.execute("SELECT status FROM documents").fetchone()[0] == "done"
    again = asyncio.run(run_batch([sample], run_dir, RulesBackend(), BatchOptions()))
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        stored = db.execute("SELECT count(*) FROM relations").fetchone()[0]
        views = db.execute("SELECT count(*) FROM document_views").fetchone()[0]
    assert version == SCHEMA_VERSION == len(MIGRATIONS) == 7
    assert views == 1 and len(list((run_dir / "reports").glob("*.html"))) == 1
    assert again.chunks.get("extracted", 0) == 0  # nothing sent again
    assert stored == again.relations == first.relations > 20


def test_default_batch_with_an_endpoint_is_hybrid_and_keeps_every_rules_value(
    tmp_path: Path,
) -> None:
    """The default configuration (hybrid, cache on) over two reports: every value of a
    rules batch, each fact marked with what the model changed; a re-run sends nothing."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("lai-chau-2021-01.txt", "lao-cai-2024-02.txt"):
        (reports / name).write_bytes((SAMPLES / name).read_bytes())
    env = subprocess_env()  # the response cache on, a folder of this test's own (conftest)
    rules_cmd = [*EXTRACTOR, "batch", str(reports), "-o", str(tmp_path / "rules"), "--quiet"]
    rules_cmd += ["--backend", "rules", "--budget", "10000"]  # the hybrid's chunks
    assert subprocess.run(rules_cmd, env=env, capture_output=True).returncode == 0
    with EchoOpenAIServer() as server:
        cmd = [*EXTRACTOR, "batch", str(reports), "-o", str(tmp_path / "run")]
        cmd += ["--base-url", server.base_url, "--model", "m"]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        sent = server.count
        again = subprocess.run(cmd, env=env, capture_output=True, text=True)
        assert again.returncode == 0 and server.count == sent > 0
    assert "hybrid" in done.stdout

    def read(run: str) -> list[dict]:
        text = (tmp_path / run / "facts.jsonl").read_text("utf-8")
        return [json.loads(line) for line in text.splitlines()]

    rules, hybrid = read("rules"), read("run")
    assert sorted((f["id"], f["text"]) for f in hybrid) == sorted(
        (f["id"], f["text"]) for f in rules
    )
    assert {f["llm"] for f in hybrid} == {"refined"}
    assert sum(1 for f in hybrid if f["changed_by_llm"] == ["name"]) == sent
