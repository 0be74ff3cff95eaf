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

from .helpers import FIXTURES, SAMPLES

TEXT = "Tổng đàn gia súc chính ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước.\n"


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after a precomposed base."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tone = next(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", d.replace(tone, ""))
            out += (base + tone).encode("cp1258")
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


# -- what other tools do to a report's bytes ------------------------------------------

PASSAGE = (
    "Tổng đàn gia súc chính ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước. "
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ ước đạt 732,3 tỷ đồng, tăng 5,9%; "
    "khách du lịch đạt 538.099 lượt, trong đó khách quốc tế 57.191 lượt.\n"
)


def _spans_back(path: Path) -> list[tuple[str, str]]:
    """(quantity text, the file's decoded characters its source span covers, NFC)."""
    from extractor.records import quantity_record

    doc = analyse(path)
    raw = doc.source
    decoded = _decoded(path, raw.encoding or "utf-8")
    out = []
    for q in doc.quantities:
        rec = quantity_record(doc, q)
        piece = decoded[rec["source_start"] : rec["source_end"]]
        out.append((q.text, unicodedata.normalize("NFC", piece)))
    return out


def _decoded(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    if encoding.startswith("cp1258"):
        return data.decode("cp1258")
    return data.decode("utf-8")


@pytest.mark.parametrize("form", ["NFD", "cp1258"])
def test_source_spans_take_in_trailing_combining_marks(tmp_path: Path, form: str) -> None:
    """An NFD or Windows-1258 file stores "ạ" as "a" + U+0323: a span ending in that
    letter must end after the mark (it ended before it in 34 of 201 facts)."""
    text = PASSAGE.replace("đạt", "đạ") + "Diện tích gieo trồng 6.116 ha lúa, đạt 1.200 hộ.\n"
    path = tmp_path / "r.txt"
    if form == "NFD":
        path.write_text(unicodedata.normalize("NFD", text), "utf-8")
    else:
        path.write_bytes(_cp1258(text))
    spans = _spans_back(path)
    assert len(spans) >= 7
    assert [t for t, _ in spans] == [back for _, back in spans]


def _through_windows_1252(text: str) -> str:
    """What an editor that reads UTF-8 as Windows-1252 shows (and saves): each byte as
    its Windows-1252 character, the five bytes Windows-1252 leaves undefined as the C1
    control characters of the same number."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


def test_utf8_saved_through_windows_1252_is_repaired_with_a_warning(tmp_path: Path) -> None:
    original = (SAMPLES / "lai-chau-2024-02.txt").read_text("utf-8")
    mojibake = _through_windows_1252(original)
    assert "Ã¡" in mojibake and "á»" in mojibake
    path = tmp_path / "mojibake.txt"
    path.write_text(mojibake, "utf-8")
    doc = analyse(path)
    good = analyse(SAMPLES / "lai-chau-2024-02.txt")
    assert (doc.meta.province, doc.meta.period) == ("Lai Châu", "2024-02")
    assert [q.text for q in doc.quantities] == [q.text for q in good.quantities]
    assert doc.source.warnings and "read as Windows-1252 and saved again" in doc.source.warnings[0]
    # offsets point into the file as saved: the mojibake of the number's characters
    for q, g in zip(doc.quantities, good.quantities, strict=True):
        s, e = doc.locate(q.start), doc.locate_end(q.start, q.end)
        gs, ge = good.locate(g.start), good.locate_end(g.start, g.end)
        assert mojibake[s:e] == _through_windows_1252(original[gs:ge])
    town = doc.text.index("Lai Châu")
    s, e = doc.locate(town), doc.locate_end(town, town + 8)
    assert mojibake[s:e] == _through_windows_1252("Lai Châu")


def test_mojibake_that_lost_bytes_is_refused_with_a_message(tmp_path: Path) -> None:
    original = (SAMPLES / "lai-chau-2024-02.txt").read_text("utf-8")
    path = tmp_path / "lost.txt"
    path.write_text(original.encode("utf-8").decode("cp1252", errors="replace"), "utf-8")
    with pytest.raises(UnsupportedFormat, match="cannot be repaired exactly: export the report"):
        analyse(path)


def test_text_that_only_contains_a_few_accented_capitals_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Café Ãn, ÂU: " + TEXT, "utf-8")
    source = load(path)
    assert source.warnings == [] and source.text.startswith("Café Ãn")


def test_old_mac_line_ends_read_like_newlines(tmp_path: Path) -> None:
    original = (SAMPLES / "lai-chau-2024-02.txt").read_bytes()
    mac = tmp_path / "mac.txt"
    mac.write_bytes(original.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    unix = tmp_path / "unix.txt"
    unix.write_bytes(original.replace(b"\r\n", b"\n"))
    a, b = analyse(mac), analyse(unix)
    assert [q.text for q in a.quantities] == [q.text for q in b.quantities]
    assert len(a.clean.footnotes) == len(b.clean.footnotes) > 10
    assert (a.meta.province, a.meta.period) == ("Lai Châu", "2024-02")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(PASSAGE.encode(encoding))
    source = load(path)
    assert source.encoding == encoding and source.text == PASSAGE
