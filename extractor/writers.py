"""Output files: checked before the work starts, replaced in one step after it.

* :func:`check_output` refuses, before anything runs, a path that cannot be written (a
  folder, a folder that does not exist, no permission) or whose extension names no
  format extractor writes, so that an hour of extraction never ends in a traceback.
* :func:`atomic_write` writes to a temporary file in the same folder and renames it over
  the target when complete: a reader (or a ``kill -9`` during the write) sees the old
  file or the new one, never a truncated file that looks finished.
* :func:`write_facts` writes facts as JSON Lines or CSV (by extension); CSV cells that a
  spreadsheet would run as a formula are escaped (:func:`safe_cell`). Comparisons are
  flattened into ``comparison1_kind``, ``comparison1_basis``, ``comparison1_value``,
  ``comparison1_text`` … up to three.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import IO, Any

from .errors import ConfigError
from .records import EXTRA_FIELDS, FACT_FIELDS, RECORD_FIELDS, Fact

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
) -> Iterator[IO[Any]]:
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


CSV_COMPARISONS = 3


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    n = 0
    with atomic_write(path) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def safe_cell(value: Any) -> Any:
    """Escape text a spreadsheet would run as a formula (= + - @, tab, CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_row(fact: Fact) -> dict[str, Any]:
    """A fact as a row of facts.csv, by column."""
    return dict(zip(csv_columns(), csv_cells(fact.record()), strict=True))


@cache
def csv_columns() -> tuple[str, ...]:
    cols = [k for k in FACT_FIELDS if k != "comparisons"] + list(EXTRA_FIELDS)
    for i in range(CSV_COMPARISONS):
        cols += [f"comparison{i + 1}_{p}" for p in ("kind", "basis", "value", "text")]
    return tuple(cols)


_CSV_PLAIN = tuple(k for k in RECORD_FIELDS if k != "comparisons")
_NO_COMPARISON = (None, None, None, None)


def csv_cells(rec: dict[str, Any]) -> list[Any]:
    """A fact's record as the cells of its facts.csv row, in csv_columns() order."""
    cells = [rec[k] if k != "changed_by_llm" else " ".join(rec[k]) for k in _CSV_PLAIN]
    comparisons = rec["comparisons"]
    for i in range(CSV_COMPARISONS):
        if i < len(comparisons):
            c = comparisons[i]
            cells += (c.get("kind"), c.get("basis"), c.get("value"), c.get("text"))
        else:
            cells += _NO_COMPARISON
    return [safe_cell(v) if isinstance(v, str) else v for v in cells]


def write_csv(facts: Iterable[Fact], path: str | Path) -> int:
    return write_csv_records((f.record() for f in facts), path)


def write_csv_records(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """facts.csv from the facts' records (each built once by a writer of several files)."""
    n = 0
    with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_columns())
        for rec in records:
            writer.writerow(csv_cells(rec))
            n += 1
    return n


def write_facts(facts: Iterable[Fact], path: str | Path) -> int:
    """By extension: .jsonl (JSON Lines) or .csv; any other extension is a ConfigError."""
    if output_format(Path(path), "facts") == "csv":
        return write_csv(facts, path)
    return write_jsonl((f.record() for f in facts), path)
