"""Read a report file into text: .txt, .docx, .pdf.

Every format ends as one string in the conventions :mod:`extractor.cleaning` knows
(PDF-text layout for PDFs, one paragraph per line and superscript footnote markers for
Word files), normalised to NFC, with a map from each character back to the text that
was decoded from the file.

* .txt: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when its NUL
  bytes show the byte order), else Windows-1258. Old Mac line ends (CR alone) are read
  as line ends. UTF-8 that was once decoded as Windows-1252 and saved again ("BÃ¡o
  cÃ¡o") is repaired, with a warning, when the whole text decodes back; offsets still
  point into the file as saved. Text in a legacy Vietnamese font encoding (TCVN3/ABC,
  VNI) decodes as Latin-1 mojibake ("B¸o c¸o"); it is refused with a message rather
  than read as garbage.
* .docx: body paragraphs and tables (docx2python), footnotes from the footnotes part,
  each reference rendered as superscript digits where it stood.
* .pdf: the text layer (pypdfium2). Lines in a smaller font at the foot of a page are
  the footnote area. A PDF with no text layer (a scan) is refused: OCR it first.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DocumentError, EmptyDocument, EncryptedDocument, UnsupportedFormat
from .offsets import OffsetMap

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
    raw_offsets: OffsetMap | None  # for each NFC char (and one past the end), its offset in
    # the decoded text; None when NFC changed nothing
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)  # what was done to read it
    # when the decoded text was repaired (mojibake): repaired offsets -> the file's text
    repair: OffsetMap | None = None

    def to_raw(self, offset: int) -> int:
        """Offset in the file's decoded text of the character at ``offset`` (or, at the
        end of the text, the end of the decoded text)."""
        for step in (self.raw_offsets, self.repair):
            if step is not None:
                offset = step[min(offset, len(step) - 1)]
        return offset

    def to_raw_end(self, end: int) -> int:
        """Offset in the decoded text just past the character before ``end``: a span's
        end, which takes in the combining marks NFC folded into its last letter."""
        return self.to_raw(end)


_MARKED = re.compile(r".[\u0300-\u036f]+", re.S)  # a character and its combining marks


def nfc_with_map(text: str) -> tuple[str, OffsetMap | None]:
    """NFC-normalise ``text``; the map gives each output char's offset in ``text``.

    Only the characters followed by combining marks (the Vietnamese tone marks of NFD
    or Windows-1258 text) are composed one by one; the stretches between them are
    copied, or, when something else in them is not NFC, normalised character by
    character."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    offsets = OffsetMap()
    pos = 0
    for m in _MARKED.finditer(text):
        _copy_nfc(text, pos, m.start(), out, offsets)
        cluster = unicodedata.normalize("NFC", m.group())
        offsets.fixed(len(offsets), m.start(), len(cluster))
        out.append(cluster)
        pos = m.end()
    _copy_nfc(text, pos, len(text), out, offsets)
    offsets.fixed(len(offsets), len(text), 1)  # one past the end
    return "".join(out), offsets


def _copy_nfc(text: str, start: int, end: int, out: list[str], offsets: OffsetMap) -> None:
    piece = text[start:end]
    if unicodedata.is_normalized("NFC", piece):
        out.append(piece)
        offsets.copy(len(offsets), start, end - start)
        return
    i = start
    while i < end:
        j = i + 1
        while j < end and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        offsets.fixed(len(offsets), i, len(cluster))
        out.append(cluster)
        i = j


def load(path: str | Path) -> Source:
    """Read ``path``; raises a :class:`DocumentError` saying why a file cannot be used."""
    return load_bytes(read_file(path), str(path))


def read_file(path: str | Path) -> bytes:
    """The bytes of a report file, after checking it is one extractor can read."""
    p = Path(path)
    try:
        if not p.exists():
            raise DocumentError(p, "file not found")
        if p.is_dir():
            raise DocumentError(p, "is a folder: give a report file (.txt, .docx, .pdf)")
        suffix = p.suffix.lower()
        if suffix not in SUPPORTED:
            raise UnsupportedFormat(
                p,
                f"unsupported file type {suffix or '(none)'!r}: extractor reads .txt, .docx, .pdf",
            )
        return p.read_bytes()
    except PermissionError as exc:
        raise DocumentError(p, f"cannot read it: {unreadable(exc)}") from exc
    except OSError as exc:
        raise DocumentError(p, f"cannot read it: {exc.strerror or exc}") from exc


def unreadable(exc: OSError) -> str:
    """Why a file or folder cannot be read, and what to do, in words."""
    if isinstance(exc, PermissionError):
        return "permission denied (check that your user may read it, e.g. ls -l)"
    return exc.strerror or str(exc)


def load_bytes(data: bytes, name: str, suffix: str | None = None) -> Source:
    """Read a report from memory (archive members); ``name`` is used in messages."""
    suffix = (suffix or Path(name).suffix).lower()
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    warnings: list[str] = []
    repair: OffsetMap | None = None
    if suffix == ".txt":
        text, encoding = _decode_text(data, name)
        fmt = "txt"
        fixed = repair_mojibake(text)
        if fixed is not None:
            warnings.append(
                "the text is UTF-8 that was read as Windows-1252 and saved again "
                f"({_MOJIBAKE_SAMPLE.search(text).group()!r} for one letter): it was "  # type: ignore[union-attr]
                "repaired; offsets point into the file as saved"
            )
            text, repair = fixed
            encoding = f"{encoding}, repaired from Windows-1252 mojibake"
        elif looks_like_mojibake(text):
            raise UnsupportedFormat(
                name,
                "the text is UTF-8 that was read as Windows-1252 and saved again (e.g. "
                f"{_MOJIBAKE_SAMPLE.search(text).group()!r} for one letter), and some bytes "  # type: ignore[union-attr]
                "were lost on the way, so it cannot be repaired exactly: export the report "
                "again from the original file as UTF-8",
            )
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
    if "\r" in text:  # old Mac line ends; "\r\n" stays for the cleaner, same length
        text = _LONE_CR.sub("\n", text)
    nfc, offsets = nfc_with_map(text)
    return Source(name, fmt, nfc, offsets, encoding, warnings, repair)


# ----------------------------------------------------------------------------- .txt


_LONE_CR = re.compile(r"\r(?!\n)")


def _utf16_order(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" for UTF-16 text without a BOM: Vietnamese prose is
    mostly ASCII, whose high byte is NUL, so NULs gather on one side of each pair."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    if odd > 0.3 * pairs and even < 0.02 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.02 * pairs:
        return "utf-16-be"
    return None


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DocumentError(name, f"starts like UTF-16 but does not decode: {exc}") from exc
    order = _utf16_order(data) if b"\x00" in data[:4096] else None
    if order is not None:
        try:
            return data.decode(order), order
        except UnicodeDecodeError as exc:
            raise DocumentError(
                name, f"looks like {order.upper()} without a BOM but does not decode: {exc}"
            ) from exc
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


# Two or three UTF-8 bytes of a Vietnamese letter, each shown as its Windows-1252 char:
# "Ã¡" (á), "Ä‘" (đ), "Æ°" (ư), "á»‡" (ệ), "áº£" (ả).
_MOJIBAKE_SAMPLE = re.compile(
    r"[ÂÃÄÅÆ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013-\u203a\u20ac\u2122]|á[º»][\u0080-\u00bf\u0152-\u2122]"
)
_CP1252_BYTE = {
    bytes([b]).decode("cp1252", errors="ignore") or chr(b): b for b in range(256)
}  # char -> byte; the five bytes cp1252 leaves undefined stand for themselves


def looks_like_mojibake(text: str) -> bool:
    """Many Vietnamese letters shown as Windows-1252 pairs and triples ("Ã¡", "á»‡")."""
    sample = text[:200_000]
    found = len(_MOJIBAKE_SAMPLE.findall(sample))
    letters = sum(1 for c in sample if c.isalpha())
    return found >= 3 and found > 0.01 * letters


def repair_mojibake(text: str) -> tuple[str, OffsetMap] | None:
    """UTF-8 read as Windows-1252 and saved again, decoded back: the repaired text and,
    for each of its characters, the offset of the first mojibake character it came from.
    None when the text is not such mojibake, or not wholly (nothing is half-repaired)."""
    if not looks_like_mojibake(text):
        return None
    try:
        raw = bytes(_CP1252_BYTE[c] for c in text)
        fixed = raw.decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None  # a character no Windows-1252 byte gives, or not UTF-8 underneath
    offsets = OffsetMap()
    pos = 0
    for k, ch in enumerate(fixed):
        width = len(ch.encode("utf-8"))  # one mojibake character per byte
        if width == 1:
            offsets.copy(k, pos, 1)
        else:
            offsets.fixed(k, pos, 1)
        pos += width
    offsets.fixed(len(fixed), pos, 1)  # one past the end
    return fixed, offsets


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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_docx_parts(zf, name)
    except zipfile.BadZipFile as exc:
        raise DocumentError(
            name, "not a valid .docx (not a zip archive): is the file damaged?"
        ) from exc
    from docx2python import docx2python  # loaded for .docx files only (lxml: slow to import)

    try:
        with docx2python(io.BytesIO(data)) as doc:
            body = doc.body
            footnotes = doc.footnotes
    except Exception as exc:  # docx2python raises many kinds on damaged parts
        # it also refuses valid files it does not expect (a document.xml that declares
        # no relationships namespace): read their paragraphs, tables and footnotes plainly
        plain = _docx_plain_text(data)
        if plain is None:
            raise DocumentError(
                name, f"cannot read the .docx ({type(exc).__name__}: {exc}): is it damaged?"
            ) from exc
        return plain
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_plain_text(data: bytes) -> str | None:
    """The text of a .docx read straight from its XML: paragraphs, table rows as cells
    joined by " | ", footnote marks as superscript numbers and the footnotes after the
    body. None when the package has no readable ``word/document.xml``."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            body = etree.fromstring(zf.read("word/document.xml"), parser)
            notes = (
                etree.fromstring(zf.read("word/footnotes.xml"), parser)
                if "word/footnotes.xml" in names
                else None
            )
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    lines: list[str] = []
    for block in body.iter(f"{_W}p", f"{_W}tr"):
        if block.tag == f"{_W}tr":
            cells = [_docx_runs(tc) for tc in block.iter(f"{_W}tc")]
            if any(cells):
                lines.append(" | ".join(c for c in cells if c))
        elif not any(a.tag == f"{_W}tc" for a in block.iterancestors()):
            text = _docx_runs(block)
            if text:
                lines.append(text)
    out = "\n\n".join(lines)
    if notes is not None:
        for note in notes.iter(f"{_W}footnote"):
            number = note.get(f"{_W}id", "")
            text = " ".join(_docx_runs(p) for p in note.iter(f"{_W}p")).strip()
            if number.isdigit() and int(number) > 0 and text:
                out += "\n\n" + number.translate(_SUPERSCRIPT) + " " + text
    return out + "\n"


def _docx_runs(element: Any) -> str:
    """The text of a paragraph or cell: its runs, tabs and breaks, footnote marks."""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}footnoteReference"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag == f"{_W}br":
            parts.append("\n")
        else:
            parts.append(node.get(f"{_W}id", "").translate(_SUPERSCRIPT))
    return "".join(parts).strip()


# ----------------------------------------------------------------------------- .pdf


def _pdf_text(data: bytes, name: str) -> str:
    import pypdfium2 as pdfium  # loaded for .pdf files only
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
