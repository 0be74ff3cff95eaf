"""One report, analysed: source -> clean text -> sections -> metadata -> quantities.

doc = analyse("samples/lai-chau-2024-02.txt")
doc.meta.period            # "2024-02"
doc.root.children          # the heading tree
doc.quantities[0]          # Quantity(id="q1", ...)
doc.locate(q.start)        # offset of that character in the file's decoded text
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .cleaning import CleanText, Footnote, clean
from .errors import DocumentError
from .loading import Source, load_bytes, read_file
from .metadata import ReportMeta, read_metadata
from .quantities import Quantity, tag_quantities
from .sections import Section, build_sections, section_at

_DATELINE = re.compile(r"ngày\s*\d{0,2}\s*tháng\s*\d{0,2}\s*năm\s*\d{4}", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;.:!?()]")


@dataclass
class Document:
    """One report, analysed: its source, clean text, heading tree, metadata and tagged
    quantities, with the maps from a character back to its section, footnote and place in
    the file."""

    source: Source
    clean: CleanText
    root: Section
    meta: ReportMeta
    quantities: list[Quantity]
    sha256: str
    footnote_refs: dict[str, int] = field(default_factory=dict)  # quantity id -> footnote

    @cached_property
    def quantity(self) -> dict[str, Quantity]:
        """Quantities by id."""
        return {q.id: q for q in self.quantities}

    @cached_property
    def _quantity_starts(self) -> list[int]:
        return [q.start for q in self.quantities]

    def quantities_within(self, start: int, end: int) -> list[Quantity]:
        """The quantities wholly inside [start, end), in order (a bisection, not a scan:
        a 50 MB report has a quarter of a million)."""
        quantities = self.quantities
        out = []
        for k in range(bisect_left(self._quantity_starts, start), len(quantities)):
            q = quantities[k]  # an index, not a slice: a slice copies the rest
            if q.start >= end:
                break
            if q.end <= end:
                out.append(q)
        return out

    def quantity_before(self, offset: int) -> Quantity | None:
        """The last quantity that ends at or before ``offset``."""
        i = bisect_right(self._quantity_starts, offset)
        for q in reversed(self.quantities[max(0, i - 4) : i]):
            if q.end <= offset:
                return q
        return None

    @cached_property
    def name(self) -> str:
        """The file name, for an archive member the member's ("reports.zip!a/b.pdf" -> b.pdf)."""
        return Path(self.source.path.split("!")[-1]).name

    @property
    def text(self) -> str:
        return self.clean.text

    def locate(self, offset: int) -> int:
        """Offset in the file's decoded text of the cleaned character at ``offset``."""
        return self.source.to_raw(self.clean.to_source(min(offset, len(self.clean.text))))

    def locate_end(self, start: int, end: int) -> int:
        """Offset in the file's decoded text just past the cleaned span [start, end): past
        the last character and any combining marks NFC folded into it (NFD, cp1258)."""
        if end <= start:
            return self.locate(start)
        after = self.clean.to_source(end - 1) + 1  # cleaned characters are copied one to one
        return max(self.source.to_raw_end(after), self.locate(end - 1) + 1)

    def section_of(self, offset: int) -> Section:
        """The section of a body offset; for footnote text, the section of its marker."""
        note = self.clean.footnote_at(offset)
        if note is not None:
            return section_at(self.root, note.anchor) if note.anchor is not None else self.root
        return section_at(self.root, offset)

    def footnote_of(self, offset: int) -> Footnote | None:
        return self.clean.footnote_at(offset)

    def sections(self) -> list[Section]:
        return self.root.walk()[1:]


def _title_zone(clean: CleanText, root: Section) -> str:
    first = root.children[0].start if root.children else min(len(clean.text), 1500)
    parts = [clean.text[:first]]
    for section in root.walk()[1:4]:
        parts.append(clean.text[section.start : section.heading_end])
    tail = clean.text[max(0, clean.body_end - 3000) : clean.body_end]
    m = re.search(r"Trên đây là [^\n]*", tail)
    if m:
        parts.append(m.group())
    return _DATELINE.sub(" ", "\n".join(parts))


def _footnote_refs(clean: CleanText, quantities: list[Quantity]) -> dict[str, int]:
    """Which quantity each footnote marker is glued to (same clause, nothing between)."""
    refs: dict[str, int] = {}
    body = [q for q in quantities if q.end <= clean.body_end]
    ends = [q.end for q in body]  # body quantities do not overlap: ends ascend
    for note in clean.footnotes:
        if note.anchor is None:
            continue
        i = bisect_right(ends, note.anchor)
        if i == 0:
            continue
        best = body[i - 1]
        between = clean.text[best.end : note.anchor]
        if not _CLAUSE_BREAK.search(between) and "\n" not in between:
            refs[best.id] = note.number
    return refs


Stage = Callable[[str], None]


def _quiet(stage: str) -> None:
    pass


def analyse_source(
    source: Source, fallback: ReportMeta | None = None, on_stage: Stage = _quiet
) -> Document:
    """Run the deterministic pipeline on a loaded source. ``fallback`` fills in what
    the report does not say about itself (province, period); ``on_stage`` hears the
    name of each stage as it starts."""
    on_stage("cleaning")
    cleaned = clean(source.text)
    on_stage("finding headings")
    root = build_sections(cleaned)
    meta = read_metadata(_title_zone(cleaned, root), cleaned.text[: cleaned.body_end])
    if fallback is not None:
        meta = meta.filled_from(fallback)
    root.title = meta.province or ""
    on_stage("tagging numbers")
    quantities = tag_quantities(cleaned.text, meta.year)
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    return Document(
        source, cleaned, root, meta, quantities, digest, _footnote_refs(cleaned, quantities)
    )


def require_figures(doc: Document) -> None:
    """:class:`DocumentError` when ``doc`` prints no figure at all (a text that is not a
    report): there is nothing to extract, and a run must not end "done" with 0 facts."""
    if not doc.quantities:
        raise DocumentError(
            doc.name,
            "no figures found (no number with a unit, no percentage, no count): is it a "
            "socio-economic report? nothing to extract",
        )


def analyse(
    path: str | Path, fallback: ReportMeta | None = None, on_stage: Stage = _quiet
) -> Document:
    """Load and analyse a report file; see :mod:`extractor.loading` for what it reads."""
    return analyse_bytes(read_file(path), str(path), fallback, on_stage)


def analyse_bytes(
    data: bytes, name: str, fallback: ReportMeta | None = None, on_stage: Stage = _quiet
) -> Document:
    on_stage("reading")
    doc = analyse_source(load_bytes(data, name), fallback, on_stage)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc
