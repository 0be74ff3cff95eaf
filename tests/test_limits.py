"""Every decompression is streamed and bounded: compressed tars, .docx parts, and
top-level archives bigger than the per-input limit."""

from __future__ import annotations

import io
import tarfile
import tracemalloc
import zipfile
from pathlib import Path
from typing import Literal

import pytest

from extractor.batch.archive import Limits, Member, Skipped, iter_inputs
from extractor.errors import DocumentError
from extractor.loading import load_bytes

from .helpers import FIXTURES, SAMPLES

TarMode = Literal["w", "w:gz", "w:xz", "w:bz2"]


def _tar(path: Path, mode: TarMode, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("suffix", "mode"), [(".tar.xz", "w:xz"), (".tar.gz", "w:gz"), (".tar.bz2", "w:bz2")]
)
def test_a_compressed_tar_bomb_is_stopped_while_it_streams(
    tmp_path: Path, suffix: str, mode: TarMode
) -> None:
    bomb = _tar(tmp_path / f"bomb{suffix}", mode, {"zeros.txt": b"0" * 50_000_000})
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    items = list(iter_inputs([bomb]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [type(i) for i in items] == [Skipped]
    assert isinstance(items[0], Skipped) and "expands more than 100:1" in items[0].reason
    assert peak < 16_000_000, peak  # streamed (xz needs its 8 MiB dictionary), not 50 MB


def test_a_normal_compressed_tar_is_read_whole(tmp_path: Path) -> None:
    reports = {p.name: p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))}
    archive = _tar(tmp_path / "reports.tar.xz", "w:xz", reports)
    members = [i for i in iter_inputs([archive]) if isinstance(i, Member)]
    assert {m.name.split("!")[-1]: m.data for m in members} == reports


def test_an_archive_over_the_input_limit_is_walked_from_disk_and_the_rest_skipped(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "big.zip"
    blob = bytes(range(256)) * 40_000  # 10 MB that does not compress
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for n in range(6):
            zf.writestr(f"r{n}.txt", blob)
    limits = Limits(total_bytes=25_000_000)
    tracemalloc.start()
    names = []
    reasons = []
    for item in iter_inputs([archive], limits):
        if isinstance(item, Member):
            names.append(item.name)
        else:
            reasons.append(item.reason)
        del item  # what a batch does: one member at a time
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(names) == 2 and len(reasons) == 4
    assert all("would pass the 25,000,000-byte limit for one input" in r for r in reasons)
    assert peak < 45_000_000, peak  # a member or two at a time, never the 60 MB archive


def test_a_docx_that_expands_to_a_bomb_is_refused_before_parsing() -> None:
    source = (FIXTURES / "sample.docx").read_bytes()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<!--" + b" " * 30_000_000 + b"--></w:body>")
            zout.writestr(info.filename, data)
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    with pytest.raises(DocumentError, match=r"expands [\d,]+:1 .*a zip bomb"):
        load_bytes(bomb, "bomb.docx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10_000_000, peak
    assert "Sản xuất" in load_bytes(source, "sample.docx").text  # a real one still reads
