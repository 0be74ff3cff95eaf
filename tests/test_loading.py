import re
import unicodedata
from pathlib import Path

import pytest

from extractor import (
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    UnsupportedFormat,
    analyse,
    load,
)
from extractor.loading import nfc_with_map

from .conftest import FIXTURES, SAMPLES

TEXT = "Tổng đàn gia súc chính ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước.\n"


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after a precomposed base."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            out += (unicodedata.normalize("NFC", d[:-1]) + d[-1]).encode("cp1258")
    return out


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("cp1258", b"", "cp1258"),
    ],
)
def test_txt_encodings(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    path = tmp_path / "r.txt"
    data = _cp1258(TEXT) if encoding == "cp1258" else TEXT.encode(encoding)
    path.write_bytes(prefix + data)
    source = load(path)
    assert source.encoding == expected
    assert source.text == TEXT


def test_mixed_nfc_nfd_is_normalised_and_mapped_back() -> None:
    raw = "Tổng " + unicodedata.normalize("NFD", "đàn gia súc") + " 349.090 con"
    text, offsets = nfc_with_map(raw)
    assert text == "Tổng đàn gia súc 349.090 con"
    assert offsets is not None
    i = text.index("349")
    assert raw[offsets[i] : offsets[i] + 7] == "349.090"


def test_lao_cai_sample_mixes_nfd_and_comes_out_nfc(docs) -> None:
    raw = (SAMPLES / "lao-cai-2024-02.txt").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    doc = docs["lao-cai-2024-02"]
    assert unicodedata.is_normalized("NFC", doc.text)
    for q in doc.quantities:  # every quantity maps back onto its characters in the file
        start, end = doc.locate(q.start), doc.locate(q.end - 1) + 1
        assert (
            unicodedata.normalize("NFC", raw[start:end])
            .replace("\n", " ")
            .replace("  ", " ")
            .startswith(q.text.split(" ")[0])
        )


def test_docx_body_table_and_footnotes() -> None:
    doc = analyse(FIXTURES / "sample.docx")
    assert doc.source.format == "docx"
    assert [n.number for n in doc.clean.footnotes] == [1, 2]
    herd = next(q for q in doc.quantities if q.text == "349.090 con")
    assert doc.footnote_refs[herd.id] == 1
    note1 = doc.clean.footnote(1)
    assert note1 is not None
    assert "đàn trâu 92.400 con" in doc.text[note1.start : note1.end]
    assert "65,93" in doc.text  # table cells are text too
    assert "¹" not in doc.text and "²" not in doc.text


def test_pdf_text_layer_footnotes_and_markers() -> None:
    doc = analyse(FIXTURES / "sample.pdf")
    assert doc.source.format == "pdf"
    assert [n.number for n in doc.clean.footnotes] == [1, 2]
    assert all(n.anchor is not None for n in doc.clean.footnotes)
    texts = [q.text for q in doc.quantities]
    assert "349.090 con" in texts and "150 tấn" in texts
    assert "con1" not in doc.text
    assert [s.label for s in doc.sections()][:3] == ["II", "1", "a"]


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(EncryptedDocument, match="password"):
        load(FIXTURES / "encrypted.pdf")


def test_scanned_pdf_is_refused_with_ocr_hint() -> None:
    with pytest.raises(EmptyDocument, match="OCR"):
        load(FIXTURES / "scanned.pdf")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(EmptyDocument, match=re.escape("empty.txt")):
        load(path)


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnsupportedFormat, match="binary"):
        load(path)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFormat, match=r"\.xlsx"):
        load(path)


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(DocumentError, match="damaged"):
        load(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(DocumentError, match=re.escape("broken.pdf")):
        load(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not found"):
        load(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="folder"):
        load(tmp_path)


def test_legacy_tcvn3_text_is_refused(tmp_path: Path) -> None:
    # "Báo cáo tình hình kinh tế" typed with a TCVN3 (ABC) font, saved as cp1252 text
    path = tmp_path / "tcvn3.txt"
    path.write_bytes("B¸o c¸o t×nh h×nh kinh tÕ - x· héi th¸ng 02 n¨m 2024 ".encode("cp1252") * 20)
    with pytest.raises(UnsupportedFormat, match="TCVN3"):
        load(path)
