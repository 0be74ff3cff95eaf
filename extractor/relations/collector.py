"""What the finders collect for one document: the relations (deduplicated) and gaps
found so far, and the paragraphs around a passage."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from ..document import Document
from .nearby import adjacent
from .reading import Num, Passage, operand
from .relation_records import Cue, Gap, Kind, Operand, Relation


class Collector:
    """What the finders build for one document: relations (deduplicated) and gaps."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.relations: list[Relation] = []
        self.gaps: list[Gap] = []
        self._keys: set[tuple[object, ...]] = set()
        self.part_of: dict[str, Num] = {}  # a part's quantity id -> its total
        self.explained: set[str] = set()  # comparisons a relation already states
        self._passages: list[Passage] = []
        self._body: list[Passage] = []  # the body paragraphs (no footnote, no caption)
        self._body_index: dict[int, int] = {}  # id(paragraph): its place in the body
        self._starts: list[int] = []  # each paragraph's start, for passage_of
        self._in_sums: set[str] = set()  # quantities of the sums among the first ...
        self._summed = 0  # ... relations

    @property
    def passages(self) -> list[Passage]:
        """The document's paragraphs, in order (set by find_all)."""
        return self._passages

    @passages.setter
    def passages(self, passages: list[Passage]) -> None:
        self._passages = passages
        self._body = [q for q in passages if q.footnote is None and not q.caption]
        self._body_index = {id(q): k for k, q in enumerate(self._body)}
        self._starts = [q.start for q in passages]

    def in_sums(self) -> set[str]:
        """The quantities of every sum found so far (kept up to date as relations are
        added: asked once a paragraph, it must not read them all again)."""
        for r in self.relations[self._summed :]:
            if r.kind == "sum":
                self._in_sums.update(o.quantity for o in r.operands)
        self._summed = len(self.relations)
        return self._in_sums

    @property
    def body(self) -> list[Passage]:
        return self._body

    def body_index(self, p: Passage) -> int | None:
        return self._body_index.get(id(p))

    def neighbours(self, p: Passage, before: int = 2, after: int = 2) -> list[Passage]:
        """The body paragraphs around ``p`` in one run (only captions between): a plan
        printed a paragraph before or after its share, a statement's other half."""
        body = self._body
        k = self._body_index.get(id(p))
        if k is None:
            return []
        out: list[Passage] = []
        for j in range(k - 1, max(-1, k - before - 1), -1):
            if not adjacent(body[j + 1]) or body[j + 1].previous is not body[j]:
                break
            out.insert(0, body[j])
        for j in range(k + 1, min(len(body), k + after + 1)):
            if not adjacent(body[j]) or body[j].previous is not body[j - 1]:
                break
            out.append(body[j])
        return out

    def passage_of(self, n: Num, near: Passage | None = None) -> Passage:
        """The paragraph ``n`` is in (``near`` first: most figures are in the one being
        read; a total may be a paragraph up)."""
        if near is not None and near.start <= n.q.start < near.end:
            return near
        k = bisect_right(self._starts, n.q.start) - 1
        for p in self._passages[max(0, k - 1) : k + 2]:  # footnotes may interleave
            if p.start <= n.q.start < p.end:
                return p
        return next(p for p in self._passages if p.start <= n.q.start < p.end)

    def cue(self, start: int, end: int) -> Cue:
        return Cue(self.doc.text[start:end], start, end)

    def add(
        self,
        kind: Kind,
        operands: Iterable[Operand],
        cue: Cue,
        *,
        complete: bool | None = None,
        form: str | None = None,
        direction: str | None = None,
        note: str | None = None,
        tags: tuple[str, ...] = (),
        certain: bool = True,
    ) -> Relation | None:
        ops = tuple(operands)
        key = (kind, tuple(sorted((o.role, o.quantity, o.component or "") for o in ops)))
        if key in self._keys:
            return None
        self._keys.add(key)
        relation = Relation(
            id=f"{self.doc.sha256[:12]}:R{len(self.relations) + 1}",
            doc=self.doc.name,
            kind=kind,
            operands=ops,
            cue=cue,
            complete=complete,
            form=form,
            direction=direction,
            note=note,
            tags=tags,
            certain=certain,
        )
        self.relations.append(relation)
        return relation

    def gap(self, rule: str, cue: Cue, reason: str, nums: Iterable[Num] = ()) -> None:
        operands = tuple(operand(n, "value") for n in nums)
        self.gaps.append(Gap(self.doc.name, rule, cue, reason, operands))
