"""Reports out of folders and archives, read in memory, never trusting member names.

Inputs: a report file, a folder (recursively), .zip, .tar, .tar.gz/.tgz, .tar.bz2,
.tar.xz, and archives nested inside those (up to MAX_DEPTH). Members are read into
memory, never extracted, so a name like "../../etc/passwd" or "/abs/path" cannot write
anywhere; it is only a label. Symbolic links, hard links and device files are skipped.

Every decompression is streamed and bounded the same way: the declared size, the bytes
actually read, the compression ratio (per zip member; over the whole stream of a
compressed tar, whose members share one stream) and the total read over a whole
input. A top-level archive is read from disk as it is walked, never loaded whole.
Every member that is not read ends as a Skipped with the reason; the rest of the batch
goes on.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..loading import SUPPORTED, unreadable

MAX_DEPTH = 3
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


@dataclass(frozen=True)
class Limits:
    """How much one input may unpack to: a report, an archive in all, the compression ratio
    and the count of members (a zip bomb is refused, not read)."""

    member_bytes: int = 100 * 1024 * 1024  # one report
    total_bytes: int = 2 * 1024**3  # everything read from one input
    ratio: int = 100  # uncompressed / compressed, per zip member or compressed tar stream
    members: int = 100_000
    ratio_floor: int = 1024 * 1024  # a stream this small is never a bomb, whatever its ratio


@dataclass(frozen=True)
class Member:
    """A report to process: where it came from and its bytes."""

    name: str  # "archive.zip!reports/lai-chau.pdf"
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.split("!")[-1]).suffix.lower()


@dataclass(frozen=True)
class Skipped:
    """An archive member or file not read, and why (reported at the end of the run)."""

    name: str
    reason: str


def _archive_kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".zip"):
        return "zip"
    if any(lower.endswith(s) for s in ARCHIVE_SUFFIXES):
        return "tar"
    return None


def _unsafe_name(name: str) -> bool:
    """An absolute path or a ".." component: a zip-slip attempt, never read."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts


def _safe_label(name: str) -> str:
    """A member name as a label only: no leading slash, no "..", no backslashes."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts) or "(unnamed)"


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.read = 0
        self.count = 0


def iter_inputs(
    paths: list[str | Path],
    limits: Limits | None = None,
) -> Iterator[Member | Skipped]:
    """Every report (or the reason it was skipped) under ``paths``, in a stable order."""
    limits = limits or Limits()
    for raw in paths:
        path = Path(raw)
        budget = _Budget(limits)
        try:
            exists, folder = path.exists(), path.is_dir()
        except OSError as exc:  # a folder above it cannot be searched
            yield Skipped(str(path), f"cannot read: {unreadable(exc)}")
            continue
        if not exists:
            yield Skipped(str(path), "not found")
        elif folder:
            yield from _from_folder(path, budget)
        else:
            yield from _from_file(path, budget)


def _from_folder(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    """Every file under ``path`` in name order; a folder that cannot be read is a
    skipped input with the reason (the walk goes on with the others)."""
    errors: list[OSError] = []
    children: list[Path] = []
    for root, dirs, files in os.walk(path, onerror=errors.append):
        children += [Path(root, d) for d in dirs if Path(root, d).is_symlink()]
        children += [Path(root, f) for f in files]
    for exc in errors:
        yield Skipped(str(exc.filename or path), f"cannot read the folder: {unreadable(exc)}")
    for child in sorted(children):
        if child.is_symlink():
            yield Skipped(str(child), "symbolic link, not followed")
        elif child.is_file():
            yield from _from_file(child, budget)


def _from_file(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    name = str(path)
    kind = _archive_kind(name)
    if kind is None and path.suffix.lower() not in SUPPORTED:
        yield Skipped(name, f"unsupported file type {path.suffix or '(none)'!r}")
        return
    try:
        size = path.stat().st_size
        if kind is None:
            if size > budget.limits.member_bytes:
                yield Skipped(
                    name,
                    f"{size:,} bytes is over the {budget.limits.member_bytes:,}-byte limit for "
                    "one report",
                )
                return
            data = path.read_bytes()
    except OSError as exc:
        yield Skipped(name, f"cannot read: {unreadable(exc)}")
        return
    if kind is None:
        budget.read += len(data)
        yield Member(name, data)
        return
    try:
        with path.open("rb") as fh:  # walked from disk: a big archive is never loaded whole
            yield from _from_archive(name, fh, size, kind, budget, 1)
    except OSError as exc:
        yield Skipped(name, f"cannot read the archive: {unreadable(exc)}")


def _from_archive(
    name: str, fh: IO[bytes], size: int, kind: str, budget: _Budget, depth: int
) -> Iterator[Member | Skipped]:
    if depth > MAX_DEPTH:
        yield Skipped(name, f"archive nested deeper than {MAX_DEPTH} levels")
        return
    try:
        if kind == "zip":
            yield from _zip_members(name, fh, budget, depth)
        else:
            yield from _tar_members(name, fh, size, budget, depth)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, lzma.LZMAError) as exc:
        yield Skipped(name, f"corrupt or unreadable archive: {exc}")


def _member(
    parent: str, label: str, data: bytes, budget: _Budget, depth: int
) -> Iterator[Member | Skipped]:
    full = f"{parent}!{label}"
    kind = _archive_kind(label)
    if kind is not None:
        yield from _from_archive(full, io.BytesIO(data), len(data), kind, budget, depth + 1)
    else:
        yield Member(full, data)


class _Exceeded(Exception):
    """A decompressed stream passed a limit: the rest of the archive is not read."""


class _Bounded:
    """A decompressing stream that counts what it gives out and stops at the limits: the
    ratio to the compressed size, and the input's total."""

    def __init__(self, inner: IO[bytes], compressed: int, budget: _Budget) -> None:
        self.inner = inner
        self.compressed = max(compressed, 1)
        self.budget = budget
        self.out = 0

    def read(self, size: int = -1) -> bytes:
        limits = self.budget.limits
        data = self.inner.read(size if size >= 0 else limits.ratio_floor)
        self.out += len(data)
        if self.out > limits.ratio_floor and self.out > limits.ratio * self.compressed:
            raise _Exceeded(
                f"the compressed tar expands more than {limits.ratio}:1 ({self.compressed:,} "
                f"bytes to over {self.out:,}; a decompression bomb?): the rest is not read"
            )
        if self.out > limits.total_bytes:
            raise _Exceeded(
                f"the archive expands past the {limits.total_bytes:,}-byte limit for one input: "
                "the rest is not read"
            )
        return data


def _open_tar(fh: IO[bytes], size: int, budget: _Budget) -> tarfile.TarFile:
    """A tar read in one pass; a compressed one through a bounded decompressor."""
    head = fh.read(6)
    fh.seek(0)
    stream: Any = None  # gzip, bz2 and lzma file objects (typeshed: not IO[bytes])
    if head.startswith(b"\x1f\x8b"):
        stream = gzip.GzipFile(fileobj=fh, mode="rb")
    elif head.startswith(b"BZh"):
        stream = bz2.BZ2File(fh)
    elif head.startswith(b"\xfd7zXZ\x00"):
        stream = lzma.LZMAFile(fh)
    if stream is None:
        return tarfile.open(fileobj=fh, mode="r:")
    bounded: Any = _Bounded(stream, size, budget)
    return tarfile.open(fileobj=bounded, mode="r|")


def _check_budget(full: str, declared: int, budget: _Budget) -> str | None:
    budget.count += 1
    limits = budget.limits
    if budget.count > limits.members:
        return f"more than {limits.members:,} members in one input"
    if declared > limits.member_bytes:
        return f"declared size {declared:,} bytes is over the {limits.member_bytes:,}-byte limit"
    if budget.read + declared > limits.total_bytes:
        return f"reading it would pass the {limits.total_bytes:,}-byte limit for one input"
    return None


def _read_capped(fh: IO[bytes], cap: int) -> bytes | None:
    """The member's bytes, or None past ``cap``; read in blocks, since a buffered
    reader asked for ``cap`` bytes at once allocates all of them first."""
    blocks = []
    size = 0
    while block := fh.read(min(1 << 20, cap + 1 - size)):
        blocks.append(block)
        size += len(block)
        if size > cap:
            return None
    return b"".join(blocks)


def _unsupported(label: str) -> str | None:
    """Why a member is not read by type, or None for reports and archives."""
    suffix = PurePosixPath(label).suffix
    if _archive_kind(label) is None and suffix.lower() not in SUPPORTED:
        return f"unsupported file type {suffix or '(none)'!r}"
    return None


def _accept(
    name: str, label: str, content: bytes | None, budget: _Budget, depth: int
) -> Iterator[Member | Skipped]:
    """A member read with the per-member cap: counted against the input and opened."""
    if content is None:
        yield Skipped(
            f"{name}!{label}", f"more than {budget.limits.member_bytes:,} bytes when read"
        )
        return
    budget.read += len(content)
    yield from _member(name, label, content, budget, depth)


def _distinct(label: str, seen: dict[str, int]) -> str:
    """Archives may hold two members under one name (zip appends, tar updates): the
    second becomes ``name (2).ext`` so that each is read and stored on its own."""
    seen[label] = seen.get(label, 0) + 1
    if seen[label] == 1:
        return label
    path = PurePosixPath(label)
    return str(path.with_name(f"{path.stem} ({seen[label]}){path.suffix}"))


def _zip_members(
    name: str, fh: IO[bytes], budget: _Budget, depth: int
) -> Iterator[Member | Skipped]:
    seen: dict[str, int] = {}
    with zipfile.ZipFile(fh) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            label = _distinct(_safe_label(info.filename), seen)
            full = f"{name}!{label}"
            if _unsafe_name(info.filename):
                yield Skipped(
                    f"{name}!{info.filename}",
                    "unsafe member name (absolute path or '..'): not read",
                )
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                yield Skipped(full, "symbolic link, not followed")
                continue
            unsupported = _unsupported(label)
            if unsupported:
                yield Skipped(full, unsupported)
                continue
            problem = _check_budget(full, info.file_size, budget)
            if (
                problem is None
                and info.compress_size
                and info.file_size / info.compress_size > budget.limits.ratio
            ):
                problem = (
                    f"compression ratio {info.file_size / info.compress_size:,.0f}:1 is "
                    f"over {budget.limits.ratio}:1 (a zip bomb?)"
                )
            if problem:
                yield Skipped(full, problem)
                continue
            try:
                with zf.open(info) as fh:
                    content = _read_capped(fh, budget.limits.member_bytes)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
                yield Skipped(full, f"corrupt member: {exc}")
                continue
            yield from _accept(name, label, content, budget, depth)


def _tar_members(
    name: str, fh: IO[bytes], size: int, budget: _Budget, depth: int
) -> Iterator[Member | Skipped]:
    seen: dict[str, int] = {}
    tf = _open_tar(fh, size, budget)
    members = iter(tf)
    with tf:
        while True:
            try:
                info = next(members)
            except StopIteration:
                return
            except _Exceeded as exc:
                yield Skipped(name, str(exc))
                return
            label = _distinct(_safe_label(info.name), seen)
            full = f"{name}!{label}"
            if info.isdir():
                continue
            if _unsafe_name(info.name):
                yield Skipped(
                    f"{name}!{info.name}", "unsafe member name (absolute path or '..'): not read"
                )
                continue
            if info.issym() or info.islnk():
                yield Skipped(full, "link, not followed")
                continue
            if not info.isfile():
                yield Skipped(full, "not a regular file (device, fifo)")
                continue
            unsupported = _unsupported(label)
            if unsupported:
                yield Skipped(full, unsupported)
                continue
            problem = _check_budget(full, info.size, budget)
            if problem:
                yield Skipped(full, problem)
                continue
            member = tf.extractfile(info)
            if member is None:
                yield Skipped(full, "not a regular file")
                continue
            try:
                content = _read_capped(member, budget.limits.member_bytes)
            except _Exceeded as exc:
                yield Skipped(full, str(exc))
                return
            except (tarfile.TarError, OSError, EOFError, lzma.LZMAError) as exc:
                yield Skipped(full, f"corrupt member: {exc}")
                continue
            yield from _accept(name, label, content, budget, depth)
