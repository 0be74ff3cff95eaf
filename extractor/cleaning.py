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
mapped back to an offset of the text it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from .offsets import OffsetMap

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_INT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

_FOOTNOTE_START = re.compile(r"(\d{1,3})(?![\d.,/%])\s*")
_SUP_FOOTNOTE_START = re.compile(rf"([{SUPERSCRIPT_DIGITS}]{{1,3}})\s*")
_PAREN_MARKER_LINE = re.compile(r"\((\d{1,3})\)")
_PAGE_NUMBER_LINE = re.compile(r"(?:-\s*)?\d{1,3}(?:\s*-)?|(?:Trang|trang)\s+\d{1,3}")
# A marker glued to the end of a word, an abbreviation, a closing quote or bracket.
_GLUED_MARKER = re.compile(r"(?<=[^\W\d_]|[)”\"’])(\d{1,3})(?=[\s.,;:)!?”]|$)")
# ... or to a year: "năm 202417" is 2024 followed by footnote 17.
_YEAR_MARKER = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(\d{1,2})(?=[\s.,;:)!?”]|$)")
# ... or to a grouped number it makes malformed: "556.5204" is 556.520 and footnote 4.
_NUMBER_MARKER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+)(\d{1,2})(?=[\s.,;:)!?”]|$)")
_SUP_RUN = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")
_UNIT_BEFORE_SUP = re.compile(r"(?<![^\W\d_])(?:k?m|dm|cm)$")
_TERMINAL = re.compile(r"(?:[.;!?…]|\./\.)[\"”’)]*$")

# Heading labels, outermost first; used here only to decide paragraph breaks.
_STRONG_HEADING = re.compile(
    r"(?:Phần|PHẦN)\s+(?:thứ|THỨ|[IVX]+\b)|[IVX]{1,5}\.\s|[A-H]\.\s+[^\W\d_]"
)
_HEADING_LABEL = re.compile(
    r"(?:Phần|PHẦN)\s+\S+|[IVX]{1,5}\.\s|[A-H]\.\s|\d{1,2}\.\s|[a-gđ][).]\s"
)
_LIST_START = re.compile(r"[-+*•–]\s|\(\d{1,2}\)\s|\([ivx]{1,4}\)\s")


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


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    start: int  # source offsets of the stripped content
    end: int
    raw_start: int
    raw_len: int
    newlines_before: int  # 1 = directly after the previous line, 2+ = after a blank line

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def _split_lines(source: str) -> list[_Line]:
    lines: list[_Line] = []
    newlines = 1
    pos = 0
    n = len(source)
    while pos <= n:
        nl = source.find("\n", pos)
        if nl == -1:
            nl = n
        raw_end = nl
        if raw_end > pos and source[raw_end - 1] == "\r":
            raw_end -= 1
        seg = source[pos:raw_end]
        if seg.strip() == "" and seg == "":
            newlines += 1
        else:
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            lines.append(_Line(pos + lead, pos + trail, pos, raw_end - pos, newlines))
            newlines = 1
        pos = nl + 1
    return lines


# --------------------------------------------------------------------------- pass 1


@dataclass
class _Note:
    number: int
    pieces: list[tuple[int, int]] = field(default_factory=list)  # source spans

    def finished(self, source: str) -> bool:
        if not self.pieces:
            return False
        s, e = self.pieces[-1]
        return bool(_TERMINAL.search(source[s:e]))


def _footnote_start(text: str, expected: int, superscript: bool) -> re.Match[str] | None:
    pattern = _SUP_FOOTNOTE_START if superscript else _FOOTNOTE_START
    m = pattern.match(text)
    if not m:
        return None
    number = int(m.group(1).translate(_SUP_TO_INT))
    if number != expected:
        return None
    rest = text[m.end() :]
    if not superscript and rest[:1].isdigit():
        return None
    return m


_FIRST_NUMBER = re.compile(r"(\d{1,3})(?!\d)")


def _marker_before(source: str, number: str, end: int) -> bool:
    """Does footnote marker ``number`` stand glued in ``source[:end]`` (after a word, a
    closing bracket or quote, or a grouped number it makes malformed: "556.5204")?"""
    glued = rf"(?:(?<=[^\W\d_])|(?<=[)”\"’])|(?<=\d\.\d{{3}})){number}(?=[\s.,;:)!?”]|$)"
    return re.search(glued, source[:end]) is not None


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


class _Layout:
    """Pass 1: sort lines into body lines and footnotes."""

    def __init__(self, source: str, lines: list[_Line]) -> None:
        self.source = source
        self.lines = lines
        self.notes: list[_Note] = []
        self.body: list[int] = []  # indices of body lines
        self.removed: list[Removed] = []
        self.superscript_style = False
        self.last_note_line = -1

    def _text(self, i: int) -> str:
        return self.lines[i].text(self.source)

    def _is_blank(self, i: int) -> bool:
        return self.lines[i].start == self.lines[i].end

    def _next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if not self._is_blank(j):
                return j
        return None

    def _expected(self, text: str | None = None, before: int = 0) -> int:
        """The number the next footnote must have: the last one's plus one; the first
        is 1, or the number its line starts with when that marker stands in the body
        before it (an excerpt of a report, numbered on from earlier pages)."""
        if self.notes:
            return self.notes[-1].number + 1
        m = _FIRST_NUMBER.match(text or "")
        if m and int(m.group(1)) > 1 and _marker_before(self.source, m.group(1), before):
            return int(m.group(1))
        return 1

    def _last_unfinished(self) -> bool:
        return bool(self.notes) and not self.notes[-1].finished(self.source)

    def _opens_block(self, i: int) -> bool:
        j = self._next_content(i)
        if j is None:
            return False
        text = self._text(j)
        if _footnote_start(text, self._expected(text, self.lines[j].start), superscript=False):
            return True
        return self._last_unfinished() and _starts_lower(text)

    def _page_start(self, i: int) -> bool:
        line = self.lines[i]
        if line.newlines_before != 1 or i == 0 or self._is_blank(i - 1):
            return False
        return line.start > line.raw_start or self.source[line.raw_start] == "\x0c"

    def run(self) -> None:
        in_block = False
        pending_number_only = False
        sup_starts = sum(1 for ln in self.lines if _SUP_FOOTNOTE_START.match(ln.text(self.source)))
        self.superscript_style = sup_starts >= 1
        for i, line in enumerate(self.lines):
            text = self._text(i)
            if not text:
                if line.raw_len and not in_block and self._opens_block(i):
                    in_block = True
                continue
            if in_block:
                if pending_number_only:
                    pending_number_only = False
                    self.notes[-1].pieces.append((line.start, line.end))
                    self.last_note_line = i
                    continue
                if self._page_start(i):
                    in_block = False
                else:
                    m = _footnote_start(text, self._expected(text, line.start), superscript=False)
                    if m:
                        self._start_note(line, m)
                        pending_number_only = line.start + m.end() >= line.end
                    elif self.notes:
                        self.notes[-1].pieces.append((line.start, line.end))
                    self.last_note_line = i
                    continue
            if self.superscript_style:
                m = _footnote_start(text, self._expected(), superscript=True)
                if m:
                    self._start_note(line, m)
                    self.last_note_line = i
                    continue
                if self._continues_note_before_next(i, text):
                    self.notes[-1].pieces.append((line.start, line.end))
                    self.last_note_line = i
                    continue
            self.body.append(i)

    def _start_note(self, line: _Line, m: re.Match[str]) -> None:
        number = int(m.group(1).translate(_SUP_TO_INT))
        self.removed.append(Removed("footnote-number", line.start, line.start + m.end(1)))
        note = _Note(number)
        if line.start + m.end() < line.end:
            note.pieces.append((line.start + m.end(), line.end))
        self.notes.append(note)

    def _continues_note_before_next(self, i: int, text: str) -> bool:
        """Word exports: a footnote cut by a page break goes on just before the next one."""
        if not (self.notes and _starts_lower(text) and self._last_unfinished()):
            return False
        if not self.body or self.body[-1] < self.last_note_line:
            return False
        j = self._next_content(i)
        return j is not None and bool(
            _footnote_start(self._text(j), self._expected(), superscript=True)
        )


# --------------------------------------------------------------------------- pass 2


@dataclass
class _Marker:
    number: int
    start: int  # source span of the marker itself
    end: int


def _find_markers(source: str, layout: _Layout) -> list[_Marker]:
    """Markers in body lines, in order; only for footnotes that exist."""
    existing = {n.number for n in layout.notes}
    candidates: list[_Marker] = []
    lines = layout.lines
    for i in layout.body:
        line = lines[i]
        text = line.text(source)
        found: list[tuple[int, int, int]] = []  # (number, start, end) within text
        if layout.superscript_style:
            for m in _SUP_RUN.finditer(text):
                if not _UNIT_BEFORE_SUP.search(text[: m.start()]):
                    found.append((int(m.group().translate(_SUP_TO_INT)), m.start(), m.end()))
        else:
            pm = _PAREN_MARKER_LINE.fullmatch(text)
            if pm and line.newlines_before == 1:
                found.append((int(pm.group(1)), 0, len(text)))
            else:
                for m in _GLUED_MARKER.finditer(text):
                    unit_power = m.group(1) in {"2", "3"} and _UNIT_BEFORE_SUP.search(
                        text[: m.start(1)]
                    )
                    if not unit_power:
                        found.append((int(m.group(1)), m.start(1), m.end(1)))
                for m in _YEAR_MARKER.finditer(text):
                    found.append((int(m.group(2)), m.start(2), m.end(2)))
                for m in _NUMBER_MARKER.finditer(text):
                    found.append((int(m.group(2)), m.start(2), m.end(2)))
                found.sort(key=lambda f: f[1])
        candidates.extend(
            _Marker(n, line.start + s, line.start + e) for n, s, e in found if n in existing
        )
    if layout.superscript_style:  # superscripts are unambiguous: every one is a marker
        return candidates
    # Glued digits are only markers in footnote order; a footnote whose marker is not
    # found stays unanchored and the search goes on with the next one.
    markers: list[_Marker] = []
    pos = 0
    for number in sorted(existing):
        for k in range(pos, len(candidates)):
            if candidates[k].number == number:
                markers.append(candidates[k])
                pos = k + 1
                break
    return markers


def _superscript_unit_line(source: str, layout: _Layout, pos: int) -> bool:
    """ "m" at the end of one line and "3" alone on the next: a split "m³"."""
    i = layout.body[pos]
    line = layout.lines[i]
    text = line.text(source)
    if text not in {"2", "3"} or line.newlines_before != 1 or pos == 0:
        return False
    prev = layout.lines[layout.body[pos - 1]].text(source)
    return bool(_UNIT_BEFORE_SUP.search(prev))


def _page_number_line(source: str, layout: _Layout, pos: int) -> bool:
    i = layout.body[pos]
    line = layout.lines[i]
    if not _PAGE_NUMBER_LINE.fullmatch(line.text(source)):
        return False
    after = layout.lines[i + 1].newlines_before if i + 1 < len(layout.lines) else 2
    return line.newlines_before >= 2 and after >= 2


# --------------------------------------------------------------------------- pass 3


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.offsets = OffsetMap()
        self.length = 0

    def add_source(self, start: int, end: int) -> None:
        """Copy source[start:end], collapsing runs of whitespace to one space."""
        chunk = self.source[start:end]
        pos = start
        for m in re.finditer(r"\s{2,}|[\t\u00a0]", chunk):
            self._copy(pos, start + m.start())
            self.add_synthetic(" ", start + m.start())
            pos = start + m.end()
        self._copy(pos, end)

    def _copy(self, start: int, end: int) -> None:
        if end > start:
            self.parts.append(self.source[start:end])
            self.offsets.copy(self.length, start, end - start)
            self.length += end - start

    def add_synthetic(self, text: str, at: int) -> None:
        self.parts.append(text)
        self.offsets.fixed(self.length, at, len(text))
        self.length += len(text)

    def last_char(self) -> str:
        for part in reversed(self.parts):
            if part:
                return part[-1]
        return ""


def _segments(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) minus the cut spans (``cuts`` sorted by start, not overlapping)."""
    out = []
    pos = start
    first = max(0, bisect_left(cuts, (start, start)) - 1)
    for k in range(first, len(cuts)):  # an index, not a slice: a slice copies the rest
        s, e = cuts[k]
        if s >= end:
            break
        if e <= start:
            continue
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if end > pos:
        out.append((pos, end))
    return out


class _ParagraphState:
    """The paragraph being assembled, and what kind of line would end it."""

    def __init__(self, full_line: int, line_per_paragraph: bool) -> None:
        self.full_line = full_line  # length of a typical full-width line
        self.line_per_paragraph = line_per_paragraph  # Word exports: one line per paragraph
        self.text = ""
        self.last_line = ""
        self.upper_heading = False

    def start(self, text: str) -> None:
        self.text = self.last_line = text
        label = _HEADING_LABEL.match(text)
        self.upper_heading = bool(label) and _no_lower(text) and any(c.isalpha() for c in text)

    def extend(self, text: str, glue: bool = False) -> None:
        self.text += text if glue else " " + text
        self.last_line = text if not glue else self.last_line + text

    def breaks_before(self, nxt: str) -> bool:
        """Does the line ``nxt`` start a new paragraph?"""
        prev = self.last_line
        if not self.text:
            return False
        if _STRONG_HEADING.match(nxt):
            return True
        if _HEADING_LABEL.match(nxt) and _all_upper(prev):
            return True  # "... XÃ HỘI TRONG THÁNG" then "1. Sản xuất": an upper-case heading ends
        if self.line_per_paragraph:
            if _HEADING_LABEL.match(nxt) or _LIST_START.match(nxt):
                return True
            if nxt[:1].islower():
                return False
            return not (
                nxt[:1].isdigit() and not _TERMINAL.search(prev) and not _HEADING_LABEL.match(nxt)
            )
        if self.upper_heading and not _HEADING_LABEL.match(nxt) and _no_lower(nxt):
            return False
        ends = bool(_TERMINAL.search(prev)) or prev.endswith(":")
        short = len(prev) < 0.75 * self.full_line
        if _HEADING_LABEL.match(nxt) or _LIST_START.match(nxt):
            return ends or short
        if nxt[:1].islower():
            return False
        return short or (ends and not nxt[:1].isdigit())


def _no_lower(line: str) -> bool:
    """No lower-case letter (stops at the first one: most lines have one early)."""
    return not any(c.islower() for c in line)


def _all_upper(line: str) -> bool:
    """An upper-case line: at least three letters, none lower case."""
    return _no_lower(line) and sum(1 for c in line if c.isalpha()) >= 3


def _typical_line(source: str, layout: _Layout) -> int:
    lengths = sorted(
        ln.end - ln.start for ln in (layout.lines[i] for i in layout.body) if ln.end - ln.start > 20
    )
    return lengths[len(lengths) // 2] if lengths else 80


# three or more single letters, one space apart: a word exported letter by letter
_SPACED_LETTERS = re.compile(r"(?<![^\W_])(?:[^\W\d_] ){2,}[^\W\d_](?![^\W_])")
_SPACED_HINT = re.compile(r"\s[^\W\d_] [^\W\d_] ")
_SPACED_GAP = re.compile(r"(?<=[^\W\d_])  +(?=[^\W\d_] [^\W\d_])")


def _letter_spacing(source: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spaces to drop in words exported letter by letter ("T h ự c  h i ệ n" reads
    "Thực hiện"): the single spaces inside a run, and all but one of the spaces that
    part two such runs."""
    cuts: list[tuple[int, int]] = []
    if not _SPACED_HINT.search(" " + source[:8]) and not _SPACED_HINT.search(source):
        return cuts  # most reports: no word is spaced out (a quick look first)
    runs = [m.span() for m in _SPACED_LETTERS.finditer(source)]
    for s, e in runs:
        cuts.extend((k, k + 1) for k in range(s + 1, e, 2))
    ends = {e for _, e in runs}
    starts = {s for s, _ in runs}
    for m in _SPACED_GAP.finditer(source):
        if m.start() in ends and m.end() in starts:
            cuts.append((m.start() + 1, m.end()))
    busy = sorted(taken)
    return [c for c in cuts if not _overlaps(busy, c)]


def _overlaps(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    k = bisect_left(spans, span)
    return any(s < span[1] and span[0] < e for s, e in spans[max(0, k - 1) : k + 1])


def clean(source: str) -> CleanText:
    """Clean the text of a converted report; see the module docstring."""
    lines = _split_lines(source)
    layout = _Layout(source, lines)
    layout.run()
    markers = _find_markers(source, layout)
    removed = list(layout.removed)
    removed.extend(Removed("marker", m.start, m.end) for m in markers)
    spacing = _letter_spacing(source, [(m.start, m.end) for m in markers])
    removed.extend(Removed("letter-spacing", s, e) for s, e in spacing)
    marker_cuts = sorted([*((m.start, m.end) for m in markers), *spacing])

    b = _Builder(source)
    paragraphs: list[tuple[int, int]] = []
    anchors: dict[int, int] = {}
    marker_by_start = {m.start: m for m in markers}
    full_line = _typical_line(source, layout)
    state = _ParagraphState(full_line, line_per_paragraph=full_line > 150)
    para_start = 0
    glue_next = False
    for pos, i in enumerate(layout.body):
        line = lines[i]
        if _page_number_line(source, layout, pos):
            removed.append(Removed("page-number", line.start, line.end))
            continue
        segs = _segments(line.start, line.end, marker_cuts)
        text = "".join(source[s:e] for s, e in segs).strip()
        if not text:
            # a line that was only a marker, like "(1)": anchor it to what came before
            for s, _e in marker_cuts:
                if line.start <= s < line.end:
                    anchors[marker_by_start[s].number] = b.length
            glue_next = True
            continue
        unit = _superscript_unit_line(source, layout, pos)
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
