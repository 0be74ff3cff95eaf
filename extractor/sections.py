"""The heading tree of a report.

Headings, outermost first:

    rank 0  "Phần thứ nhất", "PHẦN II"
    rank 1  "A.", "B."                       (upper-case letter, upper-case title)
    rank 2  "I.", "II.", "III."              (Roman)
    rank 3  "1.", "2."                       (Arabic)
    rank 4  "a)", "b)", … "đ)", "e)"; also "a.", "b."

Bullets ("-", "+", "*") and numbered items ("(1)") are not headings. A report may skip
ranks; a heading closes every open section of the same or a deeper rank. Arabic and
letter headings must follow their previous sibling (or start a new list) to count.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .cleaning import CleanText

# Vietnamese alphabetical order of heading letters (no f, j, w, z; đ after d).
LETTERS = "abcdđeghiklmnopqrstuvxy"

_PHAN = re.compile(r"(?:Phần|PHẦN)\s+(?:thứ\s+\w+|THỨ\s+\w+|[IVX]+)\b\.?\s*")
_UPPER_LETTER = re.compile(r"([A-H])\.\s+(?=[^\W\d_])")
_ROMAN = re.compile(r"([IVX]{1,5})\.\s+")
_ARABIC = re.compile(r"(\d{1,2})\.\s+(?=\S)")
_ALPHA = re.compile(rf"([{LETTERS}])[).]\s+(?=\S)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
MAX_HEADING_TITLE = 120


def roman_to_int(numeral: str) -> int | None:
    """1..39 for a well-formed Roman numeral, else None."""
    total = 0
    prev = 0
    for ch in reversed(numeral):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    canonical = ""
    n = total
    for value, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            canonical += sym
            n -= value
    return total if canonical == numeral and total > 0 else None


@dataclass
class Section:
    """A node of the heading tree; spans are offsets into the cleaned text."""

    id: str
    rank: int  # 0..4 as in the module docstring; -1 for the document root
    label: str  # "II", "1", "a", "Phần thứ nhất"; "" for the root
    title: str
    start: int  # start of the heading paragraph
    end: int  # end of the section, children included
    heading_end: int  # end of the heading text (label + title)
    parent: Section | None = field(default=None, repr=False)
    children: list[Section] = field(default_factory=list, repr=False)
    footnotes: list[int] = field(default_factory=list)  # numbers anchored in this section
    _crumbs: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    _child_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def heading(self) -> str:
        if self.rank < 0:
            return self.title
        sep = "" if self.rank == 0 else ("." if self.rank <= 3 else ")")
        return f"{self.label}{sep} {self.title}".strip()

    def ancestors(self) -> list[Section]:
        """From the outermost heading down to this one (the root excluded)."""
        chain: list[Section] = []
        node: Section | None = self
        while node is not None and node.rank >= 0:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def breadcrumb(self, width: int = 60) -> str:
        """ "I. KINH TẾ > 1. Nông nghiệp": the headings down to this one, each cut to
        ``width`` characters (remembered: every fact of a section asks)."""
        crumb = self._crumbs.get(width)
        if crumb is None:
            parts = []
            for s in self.ancestors():
                h = s.heading
                parts.append(h if len(h) <= width else h[: width - 1].rstrip() + "…")
            crumb = self._crumbs[width] = " > ".join(parts)
        return crumb

    def walk(self) -> list[Section]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def own_end(self) -> int:
        """End of the text that belongs to this section and not to a subsection."""
        return self.children[0].start if self.children else self.end


@dataclass(frozen=True)
class _Heading:
    rank: int
    label: str
    number: int | None  # position in its list (1 for "1.", "a)", "I.")
    label_end: int  # offset within the paragraph where the title starts


def _match_heading(text: str) -> _Heading | None:
    m = _PHAN.match(text)
    if m:
        return _Heading(0, text[: m.end()].strip().rstrip("."), None, m.end())
    m = _UPPER_LETTER.match(text)
    if m and len(text) < 300:
        letters = [c for c in text[m.end() : m.end() + 60] if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
            return _Heading(1, m.group(1), ord(m.group(1)) - ord("A") + 1, m.end())
    m = _ROMAN.match(text)
    if m:
        value = roman_to_int(m.group(1))
        if value is not None:
            return _Heading(2, m.group(1), value, m.end())
    m = _ARABIC.match(text)
    if m and not re.match(r"\d{1,2}\.\d", text):
        return _Heading(3, m.group(1), int(m.group(1)), m.end())
    m = _ALPHA.match(text)
    if m:
        return _Heading(4, m.group(1), LETTERS.index(m.group(1)) + 1, m.end())
    return None


def _title_end(text: str, start: int) -> int:
    """Where a heading's title ends inside its paragraph."""
    rest = text[start:]
    m = re.search(r":(\s|$)|[.!?](\s|$)", rest)
    end = m.start() if m else len(rest)
    if end > MAX_HEADING_TITLE:
        cut = rest.rfind(" ", 0, MAX_HEADING_TITLE)
        end = cut if cut > 0 else MAX_HEADING_TITLE
    return start + end


def build_sections(clean: CleanText, title: str = "") -> Section:
    """The heading tree of ``clean``'s body; footnotes attached by their markers."""
    root = Section("s0", -1, "", title, 0, clean.body_end, 0)
    stack: list[Section] = [root]
    last_number: dict[tuple[str, int], int] = {}  # (parent id, rank) -> last number
    count = 0
    paragraphs = clean.paragraphs
    for k, (p_start, p_end) in enumerate(paragraphs):
        text = clean.text[p_start:p_end]
        h = _match_heading(text)
        if h is None:
            continue
        while len(stack) > 1 and stack[-1].rank >= h.rank:
            stack.pop()
        parent = stack[-1]
        key = (parent.id, h.rank)
        if h.number is not None and h.rank >= 3:
            prev = last_number.get(key)
            ok = h.number == 1 if prev is None else h.number in (prev, prev + 1)
            if h.rank == 4 and prev == LETTERS.index("d") + 1 and h.label == "e":
                ok = True  # lists often go d) e), skipping đ)
            if not ok:
                continue
        if h.number is not None:
            last_number[key] = h.number
        t_end = _title_end(text, h.label_end)
        heading_title = text[h.label_end : t_end].strip()
        heading_end = p_start + t_end
        if h.rank == 0 and not heading_title and k + 1 < len(paragraphs):
            # "Phần thứ hai" alone, its title in the next (upper-case) paragraph
            n_start, n_end = paragraphs[k + 1]
            nxt = clean.text[n_start:n_end]
            if nxt.isupper() and _match_heading(nxt) is None:
                heading_title, heading_end = nxt.strip(), n_end
        count += 1
        section = Section(
            f"s{count}",
            h.rank,
            h.label,
            heading_title,
            p_start,
            clean.body_end,
            heading_end,
            parent=parent,
        )
        parent.children.append(section)
        stack.append(section)
    _close(root)
    for note in clean.footnotes:
        if note.anchor is not None:
            section_at(root, note.anchor).footnotes.append(note.number)
    return root


def _close(section: Section) -> None:
    for i, child in enumerate(section.children):
        child.end = section.children[i + 1].start if i + 1 < len(section.children) else section.end
        _close(child)


def section_at(root: Section, offset: int) -> Section:
    """The deepest section whose span contains ``offset`` (the root when none does)."""
    node = root
    while True:
        if node._child_starts is None or len(node._child_starts) != len(node.children):
            node._child_starts = [c.start for c in node.children]
        i = bisect_right(node._child_starts, offset) - 1
        if i < 0 or not node.children[i].start <= offset < node.children[i].end:
            return node
        node = node.children[i]
