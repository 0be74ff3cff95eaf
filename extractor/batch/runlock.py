"""One run at a time per run directory.

Two batch runs into one run directory would both send every pending chunk (paying
twice) and race on the outputs. :class:`RunLock` takes an exclusive ``flock`` on
``RUN_DIR/.lock`` for the life of a run; the kernel releases it when the process ends,
however it ends (``kill -9`` included), so a stale lock never blocks a re-run. The file
says who holds it (pid, host, start time), for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from ..errors import ConfigError
from ..writers import RUN_FILES

LOCK_NAME = RUN_FILES[1]


class RunLock:
    """An exclusive lock on a run directory (``with RunLock(dir):``); a second run on the same
    directory is refused with a message saying which process holds it."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(os.read(fd, 4096))
            os.close(fd)
            raise ConfigError(
                f"run directory {str(self.path.parent)!r} is in use by another extractor run "
                f"({holder}): wait for it to end, or write to another folder with -o"
            ) from None
        os.ftruncate(fd, 0)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _describe(raw: bytes) -> str:
    try:
        info = json.loads(raw)
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(info["started"])))
        return f"pid {int(info['pid'])} on {info['host']}, started {started}"
    except (ValueError, KeyError, TypeError):
        return "pid unknown"
