"""Pass 3 of cleaning: the clean text built from the body lines, and its paragraphs.

:class:`Builder` copies spans of the source (runs of whitespace collapsed to one space)
and synthetic text, keeping the source offset of every character; :func:`segments` cuts
the markers and letter spacing out of a line; :class:`ParagraphState` decides where a
line starts a new paragraph (headings, list items, short or finished lines).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..offsets import OffsetMap
from .layout import TERMINAL, Layout

# Heading labels, outermost first; used here only to decide paragraph breaks.
_STRONG_HEADING = re.compile(
    r"(?:Phần|PHẦN)\s+(?:thứ|THỨ|[IVX]+\b)|[IVX]{1,5}\.\s|[A-H]\.\s+[^\W\d_]"
)
_HEADING_LABEL = re.compile(
    r"(?:Phần|PHẦN)\s+\S+|[IVX]{1,5}\.\s|[A-H]\.\s|\d{1,2}\.\s|[a-gđ][).]\s"
)
_LIST_START = re.compile(r"[-+*•–]\s|\(\d{1,2}\)\s|\([ivx]{1,4}\)\s")


class Builder:
    """The clean text being built, with the source offset of each of its characters."""

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


def segments(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


class ParagraphState:
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
                nxt[:1].isdigit() and not TERMINAL.search(prev) and not _HEADING_LABEL.match(nxt)
            )
        if self.upper_heading and not _HEADING_LABEL.match(nxt) and _no_lower(nxt):
            return False
        ends = bool(TERMINAL.search(prev)) or prev.endswith(":")
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


def typical_line(source: str, layout: Layout) -> int:
    lengths = sorted(
        ln.end - ln.start for ln in (layout.lines[i] for i in layout.body) if ln.end - ln.start > 20
    )
    return lengths[len(lengths) // 2] if lengths else 80


# three or more single letters, one space apart: a word exported letter by letter
_SPACED_LETTERS = re.compile(r"(?<![^\W_])(?:[^\W\d_] ){2,}[^\W\d_](?![^\W_])")
_SPACED_HINT = re.compile(r"\s[^\W\d_] [^\W\d_] ")
_SPACED_GAP = re.compile(r"(?<=[^\W\d_])  +(?=[^\W\d_] [^\W\d_])")


def letter_spacing(source: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
