"""Runs that never claim a success they did not have (issue 20).

Each test runs the real command in a real process, as a user would, with the input
that broke it: unreadable files (run unprivileged, tests.unprivileged), a batch that
reads nothing, a folder of the user's own files as the run directory, facts given to
`validate` alone, an interrupted batch, malformed flags and files. The exit status is
the README's table: 0 done, 1 failure, 2 usage, 3 partial success, 130 interrupted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from . import unprivileged
from .fault_server import FaultOpenAIServer
from .helpers import ROOT, SAMPLES, subprocess_env
from .openai_double import EchoOpenAIServer

CLI = [sys.executable, "-m", "extractor.cli"]
REPORT = SAMPLES / "lai-chau-2021-01.txt"
OTHER = SAMPLES / "lai-chau-2024-02.txt"


def run(*argv: str | Path, prefix: list[str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [*(prefix or []), *CLI, *map(str, argv)],
        capture_output=True,
        text=True,
        check=False,
        env=subprocess_env(COLUMNS="200"),
        cwd=cwd,
        timeout=300,
    )


def words(text: str) -> str:
    return " ".join(text.split())


# --- 1. unreadable inputs ---------------------------------------------------------------


def test_an_unreadable_report_is_one_line_and_exit_1(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes(REPORT.read_bytes())
    report.chmod(0)
    done = run("extract", report, prefix=unprivileged.prefix())
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "cannot read it: permission denied" in words(done.stderr)


def test_unreadable_members_and_folders_are_skipped_and_the_batch_finishes(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    (inputs / "locked").mkdir(parents=True)
    (inputs / "a.txt").write_bytes(REPORT.read_bytes())
    (inputs / "b.txt").write_bytes(OTHER.read_bytes())
    (inputs / "b.txt").chmod(0)
    (inputs / "locked" / "c.txt").write_bytes(OTHER.read_bytes())
    (inputs / "locked").chmod(0)
    done = run("batch", inputs, "-o", tmp_path / "run", "--quiet", prefix=unprivileged.prefix())
    out = words(done.stdout)
    assert done.returncode == 3, done.stdout + done.stderr  # partial success
    assert "Traceback" not in done.stderr
    assert "skipped " + str(inputs / "b.txt") + ": cannot read: permission denied" in out
    assert str(inputs / "locked") + ": cannot read the folder: permission denied" in out
    assert words(done.stderr).startswith("partial: 2 input(s) skipped")
    facts = (tmp_path / "run" / "facts.jsonl").read_text("utf-8")
    assert "a.txt" in facts and "b.txt" not in facts  # the readable report is done


def test_an_unreadable_folder_reads_no_report_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.txt").write_bytes(REPORT.read_bytes())
    folder.chmod(0)
    done = run("batch", folder, "-o", tmp_path / "run", "--quiet", prefix=unprivileged.prefix())
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no report was read" in words(done.stderr)
    assert "cannot read the folder: permission denied" in words(done.stderr)


# --- 2. a batch that read nothing --------------------------------------------------------


def _written(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _empty(path: Path) -> Path:
    path.mkdir()
    return path


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("report.txt", b"0" * (3 * 1024 * 1024))  # 3 MB of zeros: ratio ~1000:1
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d / "nonexistent_dir", "not found"),
        (lambda d: _empty(d / "empty"), "the inputs hold no file"),
        (lambda d: _written(d / "notes" / "a.md", b"x").parent, "unsupported file type '.md'"),
        (lambda d: _written(d / "zero.zip", b""), "corrupt or unreadable"),
        (lambda d: _written(d / "bad.zip", b"PK\x03\x04 not a zip"), "corrupt or unreadable"),
        (lambda d: _bomb(d / "bomb.zip"), "a zip bomb?"),
    ],
    ids=["mistyped path", "empty folder", "no reports", "0-byte zip", "corrupt zip", "bomb only"],
)
def test_a_batch_that_read_no_report_fails_with_one_line(tmp_path: Path, make, reason) -> None:
    target = make(tmp_path)
    done = run("batch", target, "-o", tmp_path / "run", "--quiet")
    assert done.returncode == 1, done.stdout + done.stderr
    line = words(done.stderr)  # one line (wrapped at most), on stderr
    assert line.startswith("no report was read") and reason in line, done.stderr
    assert "Traceback" not in done.stderr


def test_a_batch_that_skipped_some_inputs_says_how_many_and_exits_3(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(REPORT.read_bytes())
    (inputs / "photo.jpg").write_bytes(b"\xff\xd8")
    done = run("batch", inputs, "-o", tmp_path / "run", "--quiet")
    assert done.returncode == 3
    assert words(done.stderr).endswith("exit status 3 (--allow-partial: 0)")
    assert words(done.stderr).startswith("partial: 1 input(s) skipped")
    again = run("batch", inputs, "-o", tmp_path / "run", "--quiet", "--allow-partial")
    assert again.returncode == 0


# --- 3. the run directory is the tool's, not the user's ----------------------------------


def test_batch_refuses_a_folder_of_the_users_own_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "facts.csv").write_text("my own facts\n")
    done = run("batch", REPORT, "-o", mine, "--quiet")
    assert done.returncode == 1
    assert "is not empty and is not a run directory" in words(done.stderr)
    assert (mine / "facts.csv").read_text() == "my own facts\n"  # untouched
    forced = run("batch", REPORT, "-o", mine, "--quiet", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    rerun = run("batch", REPORT, "-o", mine, "--quiet")  # a run directory now
    assert rerun.returncode == 0


# --- 4. validate given facts alone -------------------------------------------------------


def test_validate_given_facts_alone_checks_the_relations_of_their_report(tmp_path: Path) -> None:
    report = tmp_path / REPORT.name
    report.write_bytes(REPORT.read_bytes())
    assert run("extract", report.name, "-o", "f.jsonl", cwd=tmp_path).returncode == 0
    done = run("validate", "f.jsonl", cwd=tmp_path)
    out = words(done.stdout)
    assert "relations found again in 1 report(s)" in out
    found = int(out.split("relations ")[-1].split(" found")[0])
    assert found > 0 and done.returncode in (0, 1)  # 1 only if a check fails
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f.jsonl").write_bytes((tmp_path / "f.jsonl").read_bytes())
    lost = run("validate", "f.jsonl", cwd=elsewhere)
    assert lost.returncode == 1 and "cannot find the report" in words(lost.stderr)
    (elsewhere / "empty.jsonl").write_text("")
    empty = run("validate", "empty.jsonl", cwd=elsewhere)
    assert empty.returncode == 1 and "holds no relations or facts" in words(empty.stderr)


# --- 5. Ctrl-C -----------------------------------------------------------------------------


def test_ctrl_c_during_a_batch_is_one_line_exit_130_and_the_rerun_resumes(tmp_path: Path) -> None:
    """A real SIGINT to the process group of a real batch, as a terminal's Ctrl-C."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(40):  # enough work to be interrupted in the middle
        (inputs / f"r{n:02}.txt").write_text(OTHER.read_text("utf-8") + f"\n// {n}\n", "utf-8")
    env = subprocess_env(COLUMNS="200")
    cmd = [*CLI, "batch", str(inputs), "-o", str(tmp_path / "run")]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not (tmp_path / "run" / "run.sqlite").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)  # some reports done, some not
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out[-2000:] + err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    line = words(err)  # the one line on stderr
    assert line.startswith("interrupted:") and "report(s) done" in line and "resume" in line
    rerun = run("batch", inputs, "-o", tmp_path / "run", "--quiet")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    earlier = re.search(r"chunks done in earlier runs\s*│\s*(\d+)", rerun.stdout)
    assert earlier and int(earlier.group(1)) > 0  # resumed, not redone


# --- 6. flags and files ----------------------------------------------------------------------


def _minimal_docx(path: Path, text: str) -> Path:
    """A valid .docx of three parts, its document.xml declaring only the main namespace."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicati'
            'on/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conten'
            'tType="application/xml"/><Override PartName="/word/document.xml" ContentType="app'
            'lication/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sch'
            'emas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target'
            '="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body><w:p>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


def test_a_minimal_valid_docx_is_read(tmp_path: Path) -> None:
    report = _minimal_docx(
        tmp_path / "min.docx", "Tổng sản lượng lương thực đạt 12.400 tấn, tăng 3,1% so cùng kỳ."
    )
    done = run("quantities", report, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert '"text": "12.400 tấn"' in done.stdout and "cannot read the .docx" not in done.stderr


def test_a_text_with_no_figures_is_not_extracted_as_a_report(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("The quick brown fox jumps over the lazy dog. No figures here at all.\n")
    done = run("extract", text, "-o", tmp_path / "f.jsonl")
    assert done.returncode == 1 and "no figures found" in words(done.stderr)
    assert not (tmp_path / "f.jsonl").exists()


# --- 7, 8. the hybrid never loses the rules' values, and asks again --------------------------


def _cli(argv: list[str | Path], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, argv)], capture_output=True, text=True, check=False, env=env, timeout=300
    )


def test_a_hybrid_batch_against_a_failing_endpoint_stores_drafts_and_asks_again(
    tmp_path: Path,
) -> None:
    """Real HTTP servers on loopback: one answering 500 to everything, then one that works."""
    env = subprocess_env(COLUMNS="200")
    run_dir = tmp_path / "run"
    with FaultOpenAIServer(lambda n, body: "500") as broken:
        argv: list[str | Path] = ["batch", REPORT, "-o", run_dir, "--backend", "hybrid", "--quiet"]
        first = _cli([*argv, "--base-url", broken.base_url, "--model", "m", "--retries", "0"], env)
    assert first.returncode == 3, first.stdout + first.stderr  # partial: the model failed
    assert "kept the rules' draft" in words(first.stderr)
    store = sqlite3.connect(run_dir / "run.sqlite")
    drafts = store.execute("SELECT count(*) FROM chunks WHERE status = 'draft'").fetchone()[0]
    assert drafts > 0
    facts = [json.loads(x) for x in (run_dir / "facts.jsonl").read_text("utf-8").splitlines()]
    assert facts and {f["llm"] for f in facts} == {"failed"}  # the rules' values, marked
    with EchoOpenAIServer() as working:
        second = _cli([*argv, "--base-url", working.base_url, "--model", "m"], env)
        asked = working.count
    assert second.returncode == 0, second.stdout + second.stderr
    assert asked == drafts  # each draft chunk asked again, nothing else
    left = store.execute("SELECT count(*) FROM chunks WHERE status = 'draft'").fetchone()[0]
    assert left == 0
    facts = [json.loads(x) for x in (run_dir / "facts.jsonl").read_text("utf-8").splitlines()]
    assert {f["llm"] for f in facts} == {"refined"}


def test_a_hybrid_extract_with_nothing_listening_writes_the_rules_values(tmp_path: Path) -> None:
    env = subprocess_env(COLUMNS="200")
    rules = tmp_path / "rules.jsonl"
    assert _cli(["extract", REPORT, "--backend", "rules", "-o", rules], env).returncode == 0
    target = tmp_path / "hybrid.jsonl"
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    done = _cli(
        ["extract", REPORT, "--backend", "hybrid", "--base-url", url, "--model", "m", "-o", target],
        env,
    )
    assert done.returncode == 3, done.stdout + done.stderr  # partial success
    out = words(done.stdout)
    assert "the endpoint failed" in out and "kept the rules' draft" in words(done.stderr)
    hybrid = [json.loads(x) for x in target.read_text("utf-8").splitlines()]
    plain = [json.loads(x) for x in rules.read_text("utf-8").splitlines()]
    assert {(f["text"], f["start"]) for f in hybrid} >= {(f["text"], f["start"]) for f in plain}
    assert {f["llm"] for f in hybrid} == {"failed"}
    assert out.count("llm_failed") == 1  # one line for the one reason, not one per chunk


# --- 10. install hints that install this project ---------------------------------------

DISTRIBUTION = "vn-report-extractor"


def test_the_distribution_has_a_name_of_its_own() -> None:
    """`extractor` on the public index is another project: ours must not be called so."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == DISTRIBUTION


def test_every_install_hint_installs_this_project() -> None:
    """Each `pip install '...[extra]'` with one of our extras, in the package and the
    README, names the checkout (`-e '.[local]'`) or this distribution, never the other
    project's `extractor[local]`."""
    import tomllib

    ours = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
            "optional-dependencies"
        ]
    )
    sources = [*sorted((ROOT / "extractor").rglob("*.py")), ROOT / "README.md"]
    hints = [
        (path.name, m.group(1), m.group(2))
        for path in sources
        for m in re.finditer(r"pip install[^\n]*?'([^'\s]*)\[(\w+)\]'", path.read_text("utf-8"))
        if m.group(2) in ours
    ]
    assert hints  # the scan finds the hints at all
    assert not [(where, name) for where, name, _ in hints if name not in (".", DISTRIBUTION)]


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is not None,
    reason="llama-cpp-python is installed here: the hint for its absence cannot show",
)
def test_the_local_backend_without_llama_cpp_says_how_to_install_it(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    done = run("extract", REPORT, "--backend", "local", "--model-path", model)
    message = words(done.stderr)
    assert done.returncode == 1 and "Traceback" not in message
    assert "pip install -e '.[local]'" in message and f"'{DISTRIBUTION}[local]'" in message
