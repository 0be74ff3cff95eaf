"""Pass 1 of cleaning: the converted text's lines, sorted into body lines and footnotes.

A converted report is one visual line per line; a page's footnotes stand at its foot in
a block opened by a line of spaces, each starting with its number (or, in Word exports,
in a paragraph of their own opening with superscript digits). :class:`Layout` walks the
lines once and keeps the footnotes' texts (as source spans) and the indices of the body
lines; the numbers that opened footnotes are recorded as spans to drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_INT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

_FOOTNOTE_START = re.compile(r"(\d{1,3})(?![\d.,/%])\s*")
_SUP_FOOTNOTE_START = re.compile(rf"([{SUPERSCRIPT_DIGITS}]{{1,3}})\s*")
# a line that ends a sentence (a footnote that is finished, a paragraph that may end)
TERMINAL = re.compile(r"(?:[.;!?…]|\./\.)[\"”’)]*$")


@dataclass
class Line:
    """One line of the source, its content stripped of the spaces around it."""

    start: int  # source offsets of the stripped content
    end: int
    raw_start: int
    raw_len: int
    newlines_before: int  # 1 = directly after the previous line, 2+ = after a blank line

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def split_lines(source: str) -> list[Line]:
    """The lines of ``source`` but the empty ones, which count in the next line's
    ``newlines_before`` (a line of spaces is kept: it may open a block of footnotes)."""
    lines: list[Line] = []
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
            lines.append(Line(pos + lead, pos + trail, pos, raw_end - pos, newlines))
            newlines = 1
        pos = nl + 1
    return lines


@dataclass
class _Note:
    number: int
    pieces: list[tuple[int, int]] = field(default_factory=list)  # source spans

    def finished(self, source: str) -> bool:
        if not self.pieces:
            return False
        s, e = self.pieces[-1]
        return bool(TERMINAL.search(source[s:e]))


def _footnote_start(text: str, expected: int, superscript: bool) -> re.Match[str] | None:
    pattern = _SUP_FOOTNOTE_START if superscript else _FOOTNOTE_START
    m = pattern.match(text)
    if not m:
        return None
    number = int(m.group(1).translate(SUP_TO_INT))
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


class Layout:
    """Pass 1: sort lines into body lines and footnotes."""

    def __init__(self, source: str, lines: list[Line]) -> None:
        self.source = source
        self.lines = lines
        self.notes: list[_Note] = []
        self.body: list[int] = []  # indices of body lines
        self.numbers: list[tuple[int, int]] = []  # source spans of the footnotes' numbers
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

    def _start_note(self, line: Line, m: re.Match[str]) -> None:
        number = int(m.group(1).translate(SUP_TO_INT))
        self.numbers.append((line.start, line.start + m.end(1)))
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
