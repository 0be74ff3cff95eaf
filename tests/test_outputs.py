"""Output files: a path that cannot be written is refused before any work, with one
line; a file is replaced whole or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.writers import atomic_write

from . import unprivileged
from .helpers import SAMPLES, run_cli, subprocess_env

SAMPLE = str(SAMPLES / "lai-chau-2024-02.txt")
CLI = [sys.executable, "-m", "extractor.cli"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", SAMPLE, "-o", "/nonexistent/dir/f.jsonl"], "does not exist"),
        (["extract", SAMPLE, "-o", "{tmp}"], "is a folder"),
        (["extract", SAMPLE, "--findings", "/nonexistent/dir/f.jsonl"], "does not exist"),
        (["extract", SAMPLE, "--findings", "{tmp}"], "is a folder"),
        (["extract", SAMPLE, "-o", "{tmp}/facts.txt"], "name it .jsonl or .csv"),
        (["extract", SAMPLE, "--findings", "{tmp}/f.xlsx"], "name it .jsonl or .csv"),
        (["quantities", SAMPLE, "--format", "jsonl", "-o", "{tmp}/q.csv"], "name it .jsonl"),
        (["validate", "{tmp}/facts.jsonl", "-o", "/nonexistent/f.csv"], "does not exist"),
        (["batch", SAMPLE, "-o", SAMPLE], "is a file"),
    ],
)
def test_unwritable_outputs_are_refused_before_the_work(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    t0 = time.monotonic()
    code, out, err = run_cli(*argv)
    usage = message.startswith("name it")  # an extension the flag does not take: exit 2
    assert code == (2 if usage else 1) and message in err, err
    assert err.startswith("usage:" if usage else "error:"), err
    assert "Traceback" not in err and "wrote" not in out
    assert time.monotonic() - t0 < 2  # refused up front, not after the extraction


def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    """Run unprivileged (tests.unprivileged): as root a read-only folder is writable."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    done = subprocess.run(
        [*unprivileged.prefix(), *CLI, "extract", SAMPLE, "-o", str(folder / "f.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "no permission" in " ".join(done.stderr.split()), done.stderr
    assert not (folder / "f.jsonl").exists()


def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "facts.jsonl"
    target.write_text("old\n", "utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("the writer failed")
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.jsonl"]  # no temporary left
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.read_text("utf-8") == "new\n"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # a normal file, not mkstemp's


WRITER = """
import sys, time
from pathlib import Path
from extractor.writers import write_jsonl

def records():
    for n in range(2000):
        yield {"id": n, "text": "x" * 200}
    Path(sys.argv[2]).write_text("ready")
    time.sleep(60)

write_jsonl(records(), sys.argv[1])
"""


@pytest.mark.slow
def test_kill_9_during_a_write_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "facts.jsonl"
    target.write_text('{"id": "previous run"}\n', "utf-8")
    ready = tmp_path / "ready"
    env = subprocess_env()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(ready)], env=env)
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # 400 KB were written somewhere, but the file readers see is the previous one, whole
    assert target.read_text("utf-8") == '{"id": "previous run"}\n'
