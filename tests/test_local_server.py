"""The embedded server's life: it ends with the command however the command ends, and a
crash is reported as a crash. `extractor extract --backend local` runs as a user runs
it, in a subprocess, with the llama.cpp server replaced by the test double in
tests/doubles (compiling llama.cpp and loading a 1 GB model would prove nothing more
about process handling)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import ROOT, SAMPLES, subprocess_env

DOUBLES = ROOT / "tests" / "doubles"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="parent-death signal is Linux-only"),
]


def _env(tmp_path: Path, behaviour: str) -> dict[str, str]:
    """The test double of llama.cpp's server found first, behaving as ``behaviour``."""
    pidfile = str(tmp_path / "server.pid")
    return subprocess_env(
        (DOUBLES, ROOT), FAKE_LLAMA_BEHAVIOUR=behaviour, FAKE_LLAMA_PIDFILE=pidfile
    )


def _extract(tmp_path: Path) -> list[str]:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF test double")
    report = SAMPLES / "lai-chau-2021-01.txt"
    cmd = [sys.executable, "-m", "extractor.cli", "extract", str(report), "--backend", "local"]
    return [*cmd, "--model-path", str(model)]


def _wait_for_server(tmp_path: Path, proc: subprocess.Popen[bytes]) -> int:
    pidfile = tmp_path / "server.pid"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not pidfile.exists():
        assert proc.poll() is None, "extractor ended before its server started"
        time.sleep(0.1)
    time.sleep(1.0)  # the first chunk is now in flight
    return int(pidfile.read_text())


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def test_sigterm_stops_the_command_and_its_server(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        _extract(tmp_path), env=_env(tmp_path, "slow"), stdout=subprocess.DEVNULL
    )
    server = _wait_for_server(tmp_path, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert _gone(server, within=20), "the llama.cpp server outlived the command"


def test_kill_9_of_the_command_still_stops_its_server(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        _extract(tmp_path), env=_env(tmp_path, "slow"), stdout=subprocess.DEVNULL
    )
    server = _wait_for_server(tmp_path, proc)
    proc.kill()
    proc.wait(timeout=10)
    # no cleanup code ran: the kernel's parent-death signal stops the server
    assert _gone(server, within=10), "the llama.cpp server outlived a killed command"


def test_a_crashed_server_is_reported_with_its_signal_and_how_to_rebuild(tmp_path: Path) -> None:
    done = subprocess.run(
        _extract(tmp_path),
        env=_env(tmp_path, "sigill"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    err = " ".join(done.stderr.split())
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the local llama.cpp server was killed by SIGILL" in err
    assert "ggml_cpu: executing an instruction this CPU lacks" in err  # its log's last lines
    assert "-DGGML_NATIVE=OFF" in err
    assert "cannot connect" not in err and "--base-url" not in err
