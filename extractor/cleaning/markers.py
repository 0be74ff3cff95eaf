"""Pass 2 of cleaning: footnote markers, page numbers and split superscript units in the
body lines.

A marker is glued to the token before it ("349.090 con1", "tấn2", "năm 202417" = 2024 +
footnote 17, "556.5204" = 556.520 + footnote 4), stands as "(3)" alone on a line, or is a
run of superscript digits. It is only taken for a marker when its footnote exists, and
glued digits only in footnote order, so "Covid-19", "UV2(+)" and "năm 2024" stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import SUP_TO_INT, SUPERSCRIPT_DIGITS, Layout

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


@dataclass
class Marker:
    """A footnote marker found in a body line."""

    number: int
    start: int  # source span of the marker itself
    end: int


def find_markers(source: str, layout: Layout) -> list[Marker]:
    """Markers in body lines, in order; only for footnotes that exist."""
    existing = {n.number for n in layout.notes}
    candidates: list[Marker] = []
    lines = layout.lines
    for i in layout.body:
        line = lines[i]
        text = line.text(source)
        found: list[tuple[int, int, int]] = []  # (number, start, end) within text
        if layout.superscript_style:
            for m in _SUP_RUN.finditer(text):
                if not _UNIT_BEFORE_SUP.search(text[: m.start()]):
                    found.append((int(m.group().translate(SUP_TO_INT)), m.start(), m.end()))
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
            Marker(n, line.start + s, line.start + e) for n, s, e in found if n in existing
        )
    if layout.superscript_style:  # superscripts are unambiguous: every one is a marker
        return candidates
    # Glued digits are only markers in footnote order; a footnote whose marker is not
    # found stays unanchored and the search goes on with the next one.
    markers: list[Marker] = []
    pos = 0
    for number in sorted(existing):
        for k in range(pos, len(candidates)):
            if candidates[k].number == number:
                markers.append(candidates[k])
                pos = k + 1
                break
    return markers


def superscript_unit_line(source: str, layout: Layout, pos: int) -> bool:
    """ "m" at the end of one line and "3" alone on the next: a split "m³"."""
    i = layout.body[pos]
    line = layout.lines[i]
    text = line.text(source)
    if text not in {"2", "3"} or line.newlines_before != 1 or pos == 0:
        return False
    prev = layout.lines[layout.body[pos - 1]].text(source)
    return bool(_UNIT_BEFORE_SUP.search(prev))


def page_number_line(source: str, layout: Layout, pos: int) -> bool:
    i = layout.body[pos]
    line = layout.lines[i]
    if not _PAGE_NUMBER_LINE.fullmatch(line.text(source)):
        return False
    after = layout.lines[i + 1].newlines_before if i + 1 < len(layout.lines) else 2
    return line.newlines_before >= 2 and after >= 2
