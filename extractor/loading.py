"""Read a report file into text: .txt, .docx, .pdf.

Every format ends as one string in the conventions :mod:`extractor.cleaning` knows
(PDF-text layout for PDFs, one paragraph per line and superscript footnote markers for
Word files), normalised to NFC, with a map from each character back to the text that
was decoded from the file.

* .txt: UTF-8 (with or without BOM), UTF-16 (with BOM), else Windows-1258. Text in a
  legacy Vietnamese font encoding (TCVN3/ABC, VNI) decodes as Latin-1 mojibake
  ("B¸o c¸o"); it is refused with a message rather than read as garbage.
* .docx: body paragraphs and tables (docx2python), footnotes from the footnotes part,
  each reference rendered as superscript digits where it stood.
* .pdf: the text layer (pypdfium2). Lines in a smaller font at the foot of a page are
  the footnote area. A PDF with no text layer (a scan) is refused: OCR it first.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, EmptyDocument, EncryptedDocument, UnsupportedFormat

SUPPORTED = (".txt", ".docx", ".pdf")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# Characters that TCVN3 (ABC) and VNI text shows when decoded as Windows-1252/1258.
_LEGACY_MOJIBAKE = re.compile(r"[¸µ¶·¹¨©ª«¬®¯°±²³´½¾ÆÇÌÎÏÑÒÓÔÕ×ØÜÝÞßãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ]")


@dataclass
class Source:
    """A report's text as read from its file."""

    path: str
    format: str  # "txt", "docx", "pdf"
    text: str  # NFC
    raw_offsets: array | None  # for each NFC char, its offset in the decoded text; None = same
    encoding: str | None = None

    def to_raw(self, offset: int) -> int:
        if self.raw_offsets is None:
            return offset
        if offset >= len(self.raw_offsets):
            return int(self.raw_offsets[-1]) + 1 if len(self.raw_offsets) else 0
        return int(self.raw_offsets[offset])


def nfc_with_map(text: str) -> tuple[str, array | None]:
    """NFC-normalise ``text``; the map gives each output char's offset in ``text``."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    offsets = array("l")
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        offsets.extend([i] * len(cluster))
        i = j
    return "".join(out), offsets


def load(path: str | Path) -> Source:
    """Read ``path``; raises a :class:`DocumentError` saying why a file cannot be used."""
    return load_bytes(read_file(path), str(path))


def read_file(path: str | Path) -> bytes:
    """The bytes of a report file, after checking it is one extractor can read."""
    p = Path(path)
    if not p.exists():
        raise DocumentError(p, "file not found")
    if p.is_dir():
        raise DocumentError(p, "is a folder: give a report file (.txt, .docx, .pdf)")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFormat(
            p, f"unsupported file type {suffix or '(none)'!r}: extractor reads .txt, .docx, .pdf"
        )
    return p.read_bytes()


def load_bytes(data: bytes, name: str, suffix: str | None = None) -> Source:
    """Read a report from memory (archive members); ``name`` is used in messages."""
    suffix = (suffix or Path(name).suffix).lower()
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    if suffix == ".txt":
        text, encoding = _decode_text(data, name)
        fmt = "txt"
    elif suffix == ".docx":
        text, encoding, fmt = _docx_text(data, name), None, "docx"
    elif suffix == ".pdf":
        text, encoding, fmt = _pdf_text(data, name), None, "pdf"
    else:
        raise UnsupportedFormat(
            name, f"unsupported file type {suffix or '(none)'!r}: extractor reads .txt, .docx, .pdf"
        )
    if not text.strip():
        raise EmptyDocument(name, "no text found in the file")
    nfc, offsets = nfc_with_map(text)
    return Source(name, fmt, nfc, offsets, encoding)


# ----------------------------------------------------------------------------- .txt


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DocumentError(name, f"starts like UTF-16 but does not decode: {exc}") from exc
    if b"\x00" in data[:4096]:
        raise UnsupportedFormat(
            name, "binary data, not text: give the report as .txt (UTF-8), .docx or .pdf"
        )
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1258", errors="replace"), "cp1258"
    controls = sum(
        1 for c in text[:4096] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f"
    )
    if controls > 0.05 * min(len(text), 4096):
        raise UnsupportedFormat(
            name, "binary data, not text: give the report as .txt, .docx or .pdf"
        )
    sample = text[:20000]
    letters = sum(1 for c in sample if c.isalpha())
    mojibake = len(_LEGACY_MOJIBAKE.findall(sample))
    vietnamese = sum(
        1 for c in sample if c in "ăâđêôơưĂÂĐÊÔƠƯ" or unicodedata.combining(c) or ord(c) >= 0x1EA0
    )
    if letters and mojibake > 0.03 * letters and vietnamese < mojibake:
        raise UnsupportedFormat(
            name,
            "looks like a legacy Vietnamese font encoding (TCVN3/ABC or VNI), not Unicode: "
            "convert it to Unicode first (e.g. with UniKey's converter or the viparse package)",
        )
    return text, encoding


# ----------------------------------------------------------------------------- .docx


DOCX_XML_LIMIT = 100 * 1024 * 1024  # bytes of XML a .docx may expand to (text of ~50,000 pages)
DOCX_RATIO = 100  # uncompressed / compressed per XML part, checked above 10 MB
_DOCX_RATIO_FLOOR = 10 * 1024 * 1024


def _check_docx_parts(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a .docx whose XML would expand past what a report needs (a zip bomb),
    from the sizes its zip directory declares (zipfile never reads past them)."""
    xml = [i for i in zf.infolist() if i.filename.lower().endswith((".xml", ".rels"))]
    total = sum(i.file_size for i in xml)
    if total > DOCX_XML_LIMIT:
        raise DocumentError(
            name,
            f"its XML expands to {total:,} bytes, over the {DOCX_XML_LIMIT:,}-byte limit for "
            "a report (a zip bomb?): not read",
        )
    for info in xml:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _DOCX_RATIO_FLOOR and ratio > DOCX_RATIO:
            raise DocumentError(
                name,
                f"part {info.filename!r} expands {ratio:,.0f}:1 (over {DOCX_RATIO}:1; a zip "
                "bomb?): not read",
            )


def _docx_text(data: bytes, name: str) -> str:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_docx_parts(zf, name)
    except zipfile.BadZipFile as exc:
        raise DocumentError(
            name, "not a valid .docx (not a zip archive): is the file damaged?"
        ) from exc
    from docx2python import docx2python

    try:
        with docx2python(io.BytesIO(data)) as doc:
            body = doc.body
            footnotes = doc.footnotes
    except Exception as exc:  # docx2python raises many kinds on damaged parts
        raise DocumentError(name, f"cannot read the .docx: {exc}") from exc
    lines: list[str] = []
    for table in body:
        for row in table:
            cells = [" ".join(p.strip() for p in cell if p.strip()) for cell in row]
            cells = [c for c in cells if c]
            if len(row) > 1:
                if cells:
                    lines.append(" | ".join(cells))
            else:
                for cell in row:
                    lines.extend(p.strip() for p in cell if p.strip())
    body_text = "\n\n".join(lines)
    body_text = re.sub(
        r"----footnote(\d+)----", lambda m: m.group(1).translate(_SUPERSCRIPT), body_text
    )
    notes: list[str] = []
    for table in footnotes:
        for row in table:
            for cell in row:
                text = " ".join(p.strip() for p in cell if p.strip())
                m = re.match(r"footnote(\d+)\)\s*(.*)", text, re.S)
                if m and m.group(2).strip():
                    notes.append(m.group(1).translate(_SUPERSCRIPT) + " " + m.group(2).strip())
    return body_text + ("\n\n" + "\n\n".join(notes) if notes else "") + "\n"


# ----------------------------------------------------------------------------- .pdf


def _pdf_text(data: bytes, name: str) -> str:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocument(
                name, "the PDF is password-protected: remove the password and retry"
            ) from exc
        raise DocumentError(name, f"not a readable PDF: {exc}") from exc
    pages: list[list[tuple[str, float]]] = []
    try:
        for page in pdf:
            tp = page.get_textpage()
            n = tp.count_chars()
            text = tp.get_text_range(0, n) if n else ""
            sizes = [pdfium_c.FPDFText_GetFontSize(tp.raw, i) for i in range(n)]
            lines: list[tuple[str, float]] = []
            buf: list[str] = []
            buf_sizes: list[float] = []
            for i, ch in enumerate(text):
                if ch in "\r\n":
                    if buf:
                        lines.append(("".join(buf), _median(buf_sizes)))
                    buf, buf_sizes = [], []
                    continue
                buf.append(ch)
                if ch.isalpha() and i < len(sizes):
                    buf_sizes.append(sizes[i])
            if buf:
                lines.append(("".join(buf), _median(buf_sizes)))
            pages.append(lines)
            tp.close()
            page.close()
    finally:
        pdf.close()
    if not any(line.strip() for lines in pages for line, _ in lines):
        raise EmptyDocument(
            name, "the PDF has no text layer (a scan?): run OCR on it first (e.g. ocrmypdf)"
        )
    all_sizes = [size for lines in pages for line, size in lines if size > 0]
    body_size = _mode(all_sizes)
    out: list[str] = []
    for k, lines in enumerate(pages):
        # the footnote area: the trailing run of small-font lines (page number excepted)
        cut = len(lines)
        j = len(lines) - 1
        while j >= 0 and re.fullmatch(r"\s*\d{1,3}\s*", lines[j][0]):
            j -= 1
        foot_start = j + 1
        while j >= 0 and 0 < lines[j][1] < 0.85 * body_size:
            foot_start = j
            j -= 1
        while cut > 0 and re.fullmatch(r"\s*\d{1,3}\s*", lines[cut - 1][0]):
            cut -= 1  # a page number at the foot of the page
        start = 1 if lines and re.fullmatch(r"\s*\d{1,3}\s*", lines[0][0]) else 0
        rendered: list[str] = []
        for idx, (line, _size) in enumerate(lines[:cut]):
            if idx < start:
                continue
            if idx == foot_start and foot_start < cut and not re.fullmatch(r"\s*\d{1,3}\s*", line):
                rendered.append(" " * 40)
            rendered.append(line.rstrip())
        page_text = "\n\n".join(rendered)
        if k > 0:
            page_text = " " + page_text
        out.append(page_text)
    # A page break is a single newline before a line that starts with a space.
    return "\n".join(out) + "\n"


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[len(s) // 2]


def _mode(values: list[float]) -> float:
    if not values:
        return 0.0
    counts: dict[float, int] = {}
    for v in values:
        key = round(v, 1)
        counts[key] = counts.get(key, 0) + 1
    return max(counts.items(), key=lambda kv: kv[1])[0]
