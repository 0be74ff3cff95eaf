"""Token-budgeted chunks that follow the heading structure.

A chunk is the text of one section (or consecutive small sibling sections merged, or a
slice of a long one) plus its breadcrumb and the footnotes its text references. Chunk
boundaries fall between paragraphs, else between sentences, never inside a number or a
sentence: a chunker that cut "5.161 lượt người" into "5." and "161 lượt người" let a
model "ground" a wrong value (DESIGN.md 5).

Token counts use o200k_base (:mod:`extractor.tokens`) on the text the model would see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document
from .quantities import Quantity
from .sections import Section
from .tokens import count_tokens

DEFAULT_BUDGET = 1200
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[^\W\d_]|[-+(“\"])")


@dataclass
class Chunk:
    id: str  # "c1", "c2", ... in document order
    section: Section  # the innermost section containing every span
    spans: list[tuple[int, int]]  # body spans in the cleaned text
    footnotes: list[int]  # numbers of footnotes referenced by markers in the spans
    tokens: int
    quantity_ids: list[str] = field(default_factory=list)

    @property
    def breadcrumb(self) -> str:
        return self.section.breadcrumb()

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def _render(doc: Document, section: Section, spans: list[tuple[int, int]], notes: list[int]) -> str:
    parts = [section.breadcrumb()] if section.rank >= 0 else []
    parts.extend(doc.text[s:e] for s, e in spans)
    for n in notes:
        note = doc.clean.footnote(n)
        if note is not None:
            parts.append(f"[{n}] {doc.text[note.start : note.end]}")
    return "\n\n".join(parts)


def chunk_text(doc: Document, chunk: Chunk) -> str:
    """The chunk as plain text: breadcrumb, body, then its footnotes as "[n] ..."."""
    return _render(doc, chunk.section, chunk.spans, chunk.footnotes)


def _notes_in(doc: Document, spans: list[tuple[int, int]]) -> list[int]:
    out = []
    for note in doc.clean.footnotes:
        if note.anchor is not None and any(s <= note.anchor <= e for s, e in spans):
            out.append(note.number)
    return out


def _pieces(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph spans inside [start, end)."""
    out = []
    for p_start, p_end in doc.clean.paragraphs:
        s, e = max(p_start, start), min(p_end, end)
        if s < e and doc.text[s:e].strip():
            out.append((s, e))
    return out


def _split_long(
    doc: Document, section: Section, span: tuple[int, int], budget: int
) -> list[tuple[int, int]]:
    """Cut a paragraph that, with its breadcrumb and footnotes, exceeds the budget, at
    sentence ends."""

    def size(a: int, b: int) -> int:
        return count_tokens(_render(doc, section, [(a, b)], _notes_in(doc, [(a, b)])))

    s, e = span
    if size(s, e) <= budget:
        return [span]
    cuts = [s] + [s + m.end() for m in _SENTENCE_END.finditer(doc.text[s:e])] + [e]
    out: list[tuple[int, int]] = []
    cur = s
    last_ok = None
    for cut in cuts[1:]:
        if size(cur, cut) <= budget:
            last_ok = cut
            continue
        if last_ok is None or last_ok == cur:  # one sentence over budget: keep it whole
            out.append((cur, cut))
            cur, last_ok = cut, None
        else:
            out.append((cur, last_ok))
            cur = last_ok
            last_ok = cut if size(cur, cut) <= budget else None
            if last_ok is None:
                out.append((cur, cut))
                cur = cut
    if cur < e:
        out.append((cur, e))
    return [(a, b) for a, b in (_strip(doc, x) for x in out) if a < b]


def _strip(doc: Document, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    while s < e and doc.text[s].isspace():
        s += 1
    while e > s and doc.text[e - 1].isspace():
        e -= 1
    return s, e


def _common(a: Section, b: Section) -> Section:
    chain = {id(x) for x in [a, *_parents(a)]}
    node: Section | None = b
    while node is not None:
        if id(node) in chain:
            return node
        node = node.parent
    raise AssertionError("sections of one document share the root")


def _parents(s: Section) -> list[Section]:
    out = []
    node = s.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def make_chunks(doc: Document, budget: int = DEFAULT_BUDGET) -> list[Chunk]:
    """Cut ``doc`` into chunks of at most ``budget`` tokens (a single over-long sentence
    is kept whole and may exceed it)."""
    # 1. units: the own text of every section, split to fit the budget
    units: list[tuple[Section, tuple[int, int]]] = []
    for section in doc.root.walk():
        start = section.start if section.rank >= 0 else 0
        for piece in _pieces(doc, start, section.own_end()):
            for span in _split_long(doc, section, piece, budget):
                units.append((section, span))
    units.sort(key=lambda u: u[1][0])

    # 2. merge neighbours while they fit and stay under one top-level section; a section
    #    that does not fit in the current chunk starts a new one rather than being cut
    groups: list[tuple[Section, list[tuple[int, int]]]] = []
    for section, span in units:
        if groups and groups[-1][0] is section:
            groups[-1][1].append(span)
        else:
            groups.append((section, [span]))
    chunks: list[Chunk] = []
    cur_section: Section | None = None
    cur_spans: list[tuple[int, int]] = []

    def fits(section: Section, spans: list[tuple[int, int]]) -> bool:
        return count_tokens(_render(doc, section, spans, _notes_in(doc, spans))) <= budget

    def close() -> None:
        if cur_section is not None and cur_spans:
            chunks.append(_make(doc, len(chunks) + 1, cur_section, cur_spans))

    for section, spans in groups:
        if cur_section is not None:
            common = _common(cur_section, section)
            same_part = common.rank >= 0 or (cur_section.rank < 0 and section.rank < 0)
            if same_part and fits(common, [*cur_spans, *spans]):
                cur_section, cur_spans = common, [*cur_spans, *spans]
                continue
            close()
        cur_section, cur_spans = section, []
        for span in spans:
            if cur_spans and not fits(section, [*cur_spans, span]):
                close()
                cur_spans = []
            cur_spans.append(span)
    close()
    return chunks


def _make(doc: Document, n: int, section: Section, spans: list[tuple[int, int]]) -> Chunk:
    spans = _coalesce(doc, spans)
    notes = _notes_in(doc, spans)
    tokens = count_tokens(_render(doc, section, spans, notes))
    ids = _quantity_ids(doc.quantities, spans, [doc.clean.footnote(k) for k in notes])
    return Chunk(f"c{n}", section, spans, notes, tokens, ids)


def _coalesce(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans separated only by whitespace."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not doc.text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _quantity_ids(
    quantities: list[Quantity], spans: list[tuple[int, int]], notes: list
) -> list[str]:
    areas = list(spans) + [(n.start, n.end) for n in notes if n is not None]
    return [q.id for q in quantities if any(s <= q.start and q.end <= e for s, e in areas)]
