"""Undo the artefacts of PDF and Word text conversion, keeping a map back to the source.

What the reports look like after conversion (all seen in the samples):

* one visual line per line, lines separated by a blank line; a page starts with a line
  that begins with a space and follows the previous line after a single newline;
* footnote blocks at the foot of a page, opened by a line of spaces (or a single space),
  each footnote starting with its number ("1Trong đó: ...", "10 Trong đó", or "3" alone
  on a line); a footnote cut by a page break continues in the next page's block;
* Word exports instead put each footnote in its own paragraph starting with superscript
  digits ("³⁴Trong dịp ..."), between two halves of the body paragraph it interrupts;
* footnote markers glued to the token before them ("349.090 con1", "tấn2", "11%KH2",
  "năm 202417" = 2024 + footnote 17, "556.5204" = 556.520 + footnote 4), as "(3)"
  alone on a line, or as superscripts;
* bare page numbers on their own line; superscript units split over lines ("m\\n3\\n").

A marker is only removed when its footnote exists and markers come in order, so
"Covid-19", "UV2(+)" and "năm 2024" stay as they are.

The result is a :class:`CleanText`: body paragraphs, then the footnotes, every character
mapped back to an offset of the text it came from. :func:`clean` runs three passes: the
lines sorted into body and footnotes (:mod:`.layout`), the footnote markers and page
numbers found in the body (:mod:`.markers`), the clean text and its paragraphs built
(:mod:`.paragraphs`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from ..offsets import OffsetMap
from .layout import Layout, split_lines
from .markers import find_markers, page_number_line, superscript_unit_line
from .paragraphs import Builder, ParagraphState, letter_spacing, segments, typical_line


@dataclass(frozen=True)
class Footnote:
    """One footnote: its text's span in the cleaned text and where its marker stood."""

    number: int
    start: int
    end: int
    anchor: int | None  # cleaned offset just after the token the marker was glued to


@dataclass(frozen=True)
class Removed:
    """An artefact dropped by cleaning, as a span of the source text."""

    kind: str  # "page-number", "marker", "footnote-number", "letter-spacing"
    start: int
    end: int


@dataclass
class CleanText:
    """A report's text after cleaning, with the way back to the source: every cleaned
    character's source offset, the body paragraphs, the footnotes found, and what was
    removed (page numbers, repeated headers) with its reason."""

    text: str
    source_offsets: OffsetMap  # source offset of every cleaned character, and one past the end
    paragraphs: list[tuple[int, int]]  # body paragraphs
    footnotes: list[Footnote]
    body_end: int  # cleaned offset where the footnote area starts
    removed: list[Removed] = field(default_factory=list)

    def to_source(self, offset: int) -> int:
        """Offset in the source text of the cleaned character at ``offset``."""
        return int(self.source_offsets[offset])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.to_source(start), self.to_source(start)
        return self.to_source(start), self.to_source(end - 1) + 1

    @cached_property
    def _by_number(self) -> dict[int, Footnote]:
        return {note.number: note for note in reversed(self.footnotes)}  # the first wins

    @cached_property
    def _starts(self) -> list[int]:
        return [n.start for n in self.footnotes]

    def footnote(self, number: int) -> Footnote | None:
        return self._by_number.get(number)

    def footnote_at(self, offset: int) -> Footnote | None:
        """The footnote whose text contains ``offset``, if any."""
        if offset < self.body_end:
            return None
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.footnotes[i].start <= offset < self.footnotes[i].end:
            return self.footnotes[i]
        return None


def clean(source: str) -> CleanText:
    """Clean the text of a converted report; see the module docstring."""
    lines = split_lines(source)
    layout = Layout(source, lines)
    layout.run()
    markers = find_markers(source, layout)
    removed = [Removed("footnote-number", s, e) for s, e in layout.numbers]
    removed.extend(Removed("marker", m.start, m.end) for m in markers)
    spacing = letter_spacing(source, [(m.start, m.end) for m in markers])
    removed.extend(Removed("letter-spacing", s, e) for s, e in spacing)
    marker_cuts = sorted([*((m.start, m.end) for m in markers), *spacing])

    b = Builder(source)
    paragraphs: list[tuple[int, int]] = []
    anchors: dict[int, int] = {}
    marker_by_start = {m.start: m for m in markers}
    full_line = typical_line(source, layout)
    state = ParagraphState(full_line, line_per_paragraph=full_line > 150)
    para_start = 0
    glue_next = False
    for pos, i in enumerate(layout.body):
        line = lines[i]
        if page_number_line(source, layout, pos):
            removed.append(Removed("page-number", line.start, line.end))
            continue
        segs = segments(line.start, line.end, marker_cuts)
        text = "".join(source[s:e] for s, e in segs).strip()
        if not text:
            # a line that was only a marker, like "(1)": anchor it to what came before
            for s, _e in marker_cuts:
                if line.start <= s < line.end:
                    anchors[marker_by_start[s].number] = b.length
            glue_next = True
            continue
        unit = superscript_unit_line(source, layout, pos)
        if state.text and (unit or glue_next or text[0] in ".,;:!?)%"):
            state.extend(text, glue=True)
        elif state.text and not state.breaks_before(text):
            b.add_synthetic(" ", line.raw_start - 1 if line.raw_start else 0)
            state.extend(text)
        else:
            if state.text:
                paragraphs.append((para_start, b.length))
                b.add_synthetic("\n\n", line.raw_start - 1 if line.raw_start else 0)
            para_start = b.length
            state.start(text)
        glue_next = False
        for s, e in segs:
            b.add_source(s, e)
            marker = marker_by_start.get(e)
            if marker is not None:
                anchors[marker.number] = b.length
    if state.text:
        paragraphs.append((para_start, b.length))
    body_end = b.length

    footnotes: list[Footnote] = []
    for note in layout.notes:
        if not note.pieces:
            continue
        b.add_synthetic("\n\n", note.pieces[0][0])
        start = b.length
        for k, (s, e) in enumerate(note.pieces):
            if k:
                first = source[s : s + 1]
                if not (first and first in ".,;:!?)"):
                    b.add_synthetic(" ", s - 1)
            b.add_source(s, e)
        footnotes.append(Footnote(note.number, start, b.length, anchors.get(note.number)))
    b.offsets.fixed(b.length, len(source), 1)  # one past the end
    text = "".join(b.parts)
    return CleanText(
        text, b.offsets, paragraphs, footnotes, body_end, sorted(removed, key=lambda r: r.start)
    )
