"""Output files: checked before the work starts, replaced in one step after it.

* :func:`check_output` refuses, before anything runs, a path that cannot be written (a
  folder, a folder that does not exist, no permission) or whose extension names no
  format extractor writes, so that an hour of extraction never ends in a traceback.
* :func:`atomic_write` writes to a temporary file in the same folder and renames it over
  the target when complete: a reader (or a ``kill -9`` during the write) sees the old
  file or the new one, never a truncated file that looks finished.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from .errors import ConfigError

TABLE_FORMATS = {".jsonl": "jsonl", ".csv": "csv"}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file (read once, at import)


def output_format(path: Path, what: str, formats: dict[str, str] = TABLE_FORMATS) -> str:
    """The format a path's extension names; ConfigError for any other extension."""
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        names = " or ".join(formats)
        raise ConfigError(
            f"cannot tell the format of {what} file {str(path)!r} from its extension: "
            f"name it {names} (e.g. {str(path.with_suffix(next(iter(formats))))!r})"
        )
    return fmt


def check_output(path: Path, what: str, formats: dict[str, str] | None = TABLE_FORMATS) -> None:
    """ConfigError unless ``path`` can be written as a ``what`` file (checked up front)."""
    if path.is_dir():
        raise ConfigError(f"{what} output {str(path)!r} is a folder: give a file name in it")
    if formats is not None:
        output_format(path, what, formats)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise ConfigError(
            f"cannot write {what} to {str(path)!r}: folder {str(folder)!r} does not exist; "
            "create it first or choose another path"
        )
    if not folder.is_dir():
        raise ConfigError(f"cannot write {what} to {str(path)!r}: {str(folder)!r} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(
            f"cannot write {what} to {str(path)!r}: no permission to create files in "
            f"{str(folder)!r}"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"cannot write {what} to {str(path)!r}: the file is read-only")


RUN_STORE = "run.sqlite"  # what makes a folder a run directory
RUN_FILES = (RUN_STORE, ".lock")  # ... or a run's lock, while the first run starts


def check_run_dir(path: Path, foreign_ok: bool = True) -> None:
    """ConfigError unless ``path`` is (or can be created as) a writable folder; unless
    ``foreign_ok``, also unless it is new, empty or a run directory already (a user's
    own files are never overwritten by a run's outputs)."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"run directory {str(path)!r} is a file: give a folder name")
    if not foreign_ok and path.is_dir() and not any((path / f).exists() for f in RUN_FILES):
        try:
            holds = next(path.iterdir(), None) is not None
        except OSError as exc:
            raise ConfigError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from exc
        if holds:
            raise ConfigError(
                f"{str(path)!r} is not empty and is not a run directory (no {RUN_STORE}): "
                "its files could be overwritten; give a new folder, or pass --force"
            )
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            f"cannot create or write run directory {str(path)!r}: no permission in "
            f"{str(existing)!r}"
        )


@contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:
    """``with atomic_write(p) as fh:`` writes ``p`` completely or not at all."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        os.chmod(tmp, _FILE_MODE)
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (parquet);
    renamed over ``path`` when the block ends without an error."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        os.chmod(tmp, _FILE_MODE)
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
