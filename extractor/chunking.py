"""Token-budgeted chunks that follow the heading structure.

A chunk is the text of one section (or consecutive small sibling sections merged, or a
slice of a long one) plus its breadcrumb and the footnotes its text references. Chunk
boundaries fall between paragraphs, else between sentences, never inside a number or a
sentence: a chunker that cut "5.161 lượt người" into "5." and "161 lượt người" let a
model "ground" a wrong value.

Token counts use o200k_base (:mod:`extractor.tokens`) on the text the model would see.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from .cleaning import Footnote
from .document import Document
from .sections import Section
from .text import sentence_ends
from .tokens import count_tokens

DEFAULT_BUDGET = 1200
SEPARATOR = "\n\n"  # between a chunk's breadcrumb, spans and footnotes


@dataclass
class Chunk:
    """A token-budgeted piece of a report sent in one call: spans of one section, the
    footnotes they reference, and the ids of the quantities in them."""

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


@dataclass(frozen=True)
class ChunkPart:
    """One piece of a chunk: its breadcrumb, a span of body text, or a footnote."""

    kind: str  # "section", "span" or "note"
    start: int  # offsets of the text in the document's cleaned text (-1 for the section)
    end: int
    text: str  # the plain text (for a note, without its label)
    number: int | None = None  # the footnote's number
    section: str | None = None  # the section's id, for a breadcrumb

    @property
    def key(self) -> tuple[object, ...]:
        """The same part of the same document has the same key (token counts are cached)."""
        if self.kind == "section":
            return (self.kind, self.section)
        if self.kind == "note":
            return (self.kind, self.number)
        return (self.kind, self.start, self.end)

    def rendered(self) -> str:
        """The part as :func:`chunk_text` shows it (a footnote labelled "[n]")."""
        return f"[{self.number}] {self.text}" if self.kind == "note" else self.text


def _parts(
    doc: Document, section: Section, spans: list[tuple[int, int]], notes: list[int]
) -> Iterator[ChunkPart]:
    if section.rank >= 0:
        yield ChunkPart("section", -1, -1, section.breadcrumb(), section=section.id)
    for s, e in spans:
        yield ChunkPart("span", s, e, doc.text[s:e])
    for n in notes:
        note = doc.clean.footnote(n)
        if note is not None:
            yield ChunkPart("note", note.start, note.end, doc.text[note.start : note.end], n)


def chunk_parts(doc: Document, chunk: Chunk) -> list[ChunkPart]:
    """What ``chunk`` is made of, in order: its breadcrumb, its spans, its footnotes.
    :func:`chunk_text` and the message a model is sent
    (:func:`extractor.extraction.prompting.chunk_message`) are both built from these."""
    return list(_parts(doc, chunk.section, chunk.spans, chunk.footnotes))


def _render(doc: Document, section: Section, spans: list[tuple[int, int]], notes: list[int]) -> str:
    return SEPARATOR.join(p.rendered() for p in _parts(doc, section, spans, notes))


class _Counter:
    """Tokens of a rendered chunk without tokenizing it whole: the sum of its parts'.

    o200k_base's pre-tokenizer never joins characters across "\n\n" into the next part
    (a newline run ends a pre-token, and a part starts with no whitespace), so the
    tokens of ``a + "\n\n" + b`` are those of ``a + "\n\n"`` plus those of ``b``: the
    count is exact (a test compares it with counting the whole text), and each part is
    tokenized once or twice instead of once per merge attempt."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.cache: dict[tuple[object, bool], int] = {}
        self.sizes: dict[object, int] = {}

    def _part(self, key: object, text: str, last: bool) -> int:
        n = self.cache.get((key, last))
        if n is None:
            other = self.cache.get((key, not last))
            if other is not None and text[-1:].isalnum():
                # after a letter or digit "\n\n" is a pre-token, and one token, of its own
                n = other - 1 if last else other + 1
            else:
                n = count_tokens(text if last else text + SEPARATOR)
            self.cache[(key, last)] = n
        return n

    def __call__(self, section: Section, spans: list[tuple[int, int]], notes: list[int]) -> int:
        parts = list(_parts(self.doc, section, spans, notes))
        return sum(
            self._part(p.key, p.rendered(), k == len(parts) - 1) for k, p in enumerate(parts)
        )

    def fits(
        self, section: Section, spans: list[tuple[int, int]], notes: list[int], budget: int
    ) -> bool:
        """Whether the rendered chunk has at most ``budget`` tokens. A token is at least
        one byte, so a text of at most ``budget`` bytes fits without being tokenized."""
        parts = list(_parts(self.doc, section, spans, notes))
        size = sum(self._bytes(p.key, p.rendered()) for p in parts) + 2 * (len(parts) - 1)
        return size <= budget or self(section, spans, notes) <= budget

    def _bytes(self, key: object, text: str) -> int:
        n = self.sizes.get(key)
        if n is None:
            n = self.sizes[key] = len(text.encode("utf-8"))
        return n


def chunk_text(doc: Document, chunk: Chunk) -> str:
    """The chunk as plain text: breadcrumb, body, then its footnotes as "[n] ...". Its
    tokens are the chunk's size against the budget (``chunk.tokens``)."""
    return _render(doc, chunk.section, chunk.spans, chunk.footnotes)


def _anchors(doc: Document) -> tuple[list[int], list[tuple[int, int]]]:
    """Footnote anchors in order, and (position in the footnote list, number) at each;
    cached on the document."""
    cached: tuple[list[int], list[tuple[int, int]]] | None = getattr(doc, "_anchors", None)
    if cached is None:
        notes = sorted(
            (n.anchor, k, n.number)
            for k, n in enumerate(doc.clean.footnotes)
            if n.anchor is not None
        )
        cached = ([a for a, _, _ in notes], [(k, n) for _, k, n in notes])
        doc._anchors = cached  # type: ignore[attr-defined]
    return cached


def _notes_in(doc: Document, spans: list[tuple[int, int]]) -> list[int]:
    """Numbers of the footnotes whose markers stand in the spans, in footnote order."""
    anchors, notes = _anchors(doc)
    found: set[tuple[int, int]] = set()
    for s, e in spans:
        i = bisect_left(anchors, s)
        while i < len(anchors) and anchors[i] <= e:
            found.add(notes[i])
            i += 1
    return [number for _, number in sorted(found)]


def _pieces(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph spans inside [start, end)."""
    paragraphs = doc.clean.paragraphs
    i = max(0, bisect_right(paragraphs, (start, start)) - 1)
    out = []
    for k in range(i, len(paragraphs)):  # an index, not a slice: a slice copies the rest
        p_start, p_end = paragraphs[k]
        if p_start >= end:
            break
        s, e = max(p_start, start), min(p_end, end)
        if s < e and doc.text[s:e].strip():
            out.append((s, e))
    return out


def _split_long(
    doc: Document, section: Section, span: tuple[int, int], budget: int, count: _Counter
) -> list[tuple[int, int]]:
    """Cut a paragraph that, with its breadcrumb and footnotes, exceeds the budget, at
    sentence ends."""

    def fits(a: int, b: int) -> bool:
        return count.fits(section, [(a, b)], _notes_in(doc, [(a, b)]), budget)

    s, e = span
    if fits(s, e):
        return [span]
    cuts = [s, *sentence_ends(doc.text, s, e), e]
    out: list[tuple[int, int]] = []
    cur = s
    last_ok = None
    for cut in cuts[1:]:
        if fits(cur, cut):
            last_ok = cut
            continue
        if last_ok is None or last_ok == cur:  # one sentence over budget: keep it whole
            out.append((cur, cut))
            cur, last_ok = cut, None
        else:
            out.append((cur, last_ok))
            cur = last_ok
            last_ok = cut if fits(cur, cut) else None
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
    count = _Counter(doc)
    units: list[tuple[Section, tuple[int, int]]] = []
    for section in doc.root.walk():
        start = section.start if section.rank >= 0 else 0
        for piece in _pieces(doc, start, section.own_end()):
            for span in _split_long(doc, section, piece, budget, count):
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
        return count.fits(section, spans, _notes_in(doc, spans), budget)

    def close() -> None:
        if cur_section is not None and cur_spans:
            chunks.append(_make(doc, len(chunks) + 1, cur_section, cur_spans, count))

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


def _make(
    doc: Document, n: int, section: Section, spans: list[tuple[int, int]], count: _Counter
) -> Chunk:
    spans = _coalesce(doc, spans)
    notes = _notes_in(doc, spans)
    tokens = count(section, spans, notes)
    ids = _quantity_ids(doc, spans, [doc.clean.footnote(k) for k in notes])
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
    doc: Document, spans: list[tuple[int, int]], notes: list[Footnote | None]
) -> list[str]:
    areas = sorted([*spans, *((n.start, n.end) for n in notes if n is not None)])
    ids: list[str] = []
    for s, e in areas:
        ids.extend(q.id for q in doc.quantities_within(s, e))
    return list(dict.fromkeys(ids))  # in document order; an area listed twice counts once
