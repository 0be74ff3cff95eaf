"""What the finders share: the relations and gaps found so far, and how they read
numbers against each other (same kind of unit, nearest before, named alike)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from ..document import Document
from ..text import fold
from .reading import Num, Passage, is_caption, operand, overlap, period_of, words
from .records import Cue, Gap, Operand, Relation

NEAR = 70  # characters between a comparison and the bracket with its reference
BREAKDOWN = re.compile(
    r"\b(trong đó(?: có)?|trong (?:số|cơ cấu) (?:này|đó)|bao gồm|gồm có|gồm|cụ thể|chia ra|"
    r"chia theo)\b"
    r"\s*:?",
    re.IGNORECASE,
)
RESIDUAL = re.compile(r"\bkhác\b|còn lại|các loại|đối tượng khác|nguồn khác")
MONTH_LABEL = re.compile(r"tháng (\d{1,2})")
PLAN_SENTENCES = 2  # a plan printed this many sentences before its share still counts
PLAN_WORDS = set(fold("kế hoạch kh dự toán chỉ tiêu năm giao tổng số vốn").split())


class Found:
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
        kind: str,
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


def closed_before(num: Num, offset: int) -> bool:
    """``num`` is inside a bracket that closes before ``offset``."""
    return num.bracket is not None and num.bracket[1] <= offset


def kin(a: Num, b: Num) -> bool:
    """Same kind of thing counted: same unit family, or a bare count's noun that opens
    the other's unit ("9 khu" and "14 khu công nghiệp")."""
    if a.family == b.family:
        return True
    if (a.noun or b.noun) and a.unit and b.unit:
        return a.unit.split()[0] == b.unit.split()[0]
    return False


def compatible(a: Num, b: Num) -> bool:
    if kin(a, b) and a.family is not None:
        return True
    fa, fb = a.family, b.family
    if fa is None or fb is None:
        return (a.unit is None) == (b.unit is None) or (fa is None and b.q.kind == "amount")
    return fa == fb


def values_back(p: Passage, before: Num, sentences: int = 0) -> list[Num]:
    """Values (levels) before ``before``, nearest first: in its sentence, then (up to
    ``sentences``) in the sentences before; none inside a bracket closed before it."""
    out = []
    for n in reversed(p.nums[: before.index]):
        if before.sentence - n.sentence > sentences:
            break
        if n.role != "value" or closed_before(n, before.q.start):
            continue
        out.append(n)
    return out


def bracket_after(p: Passage, num: Num, limit: int = NEAR) -> tuple[int, int] | None:
    """The bracket that opens after ``num`` within ``limit`` characters of its
    sentence, with no number and no clause end between."""
    text = p.doc.text
    end = min(p.sentence_end(num.sentence), num.q.end + limit)
    gap = text[num.q.end : end]
    k = gap.find("(")
    if k < 0 or ";" in gap[:k] or ". " in gap[:k]:
        return None
    for n in p.nums[num.index + 1 :]:
        if n.q.start >= num.q.end + k:
            break
        return None  # a number stands between
    open_at = num.q.end + k
    close = text.find(")", open_at)
    return (open_at, close + 1 if close > 0 else p.end)


# what the words that open a bracket make of its figure
_DELTA_LEAD = re.compile(r"(?:tương đương|tương ứng|tăng|giảm|cao hơn|thấp hơn|[+-])")
_REFERENCE_LEAD = re.compile(
    r"(?:cùng kỳ|ck\b|cùng thời điểm|năm (?:trước|\d{4})|tháng|quý|kỳ trước|vụ|kế hoạch|"
    r"kh\b|dự toán|chỉ tiêu|mục tiêu|so với|đầu năm|cuối năm|lũy kế|luỹ kế|thực hiện|là\b|"
    r"đạt\b|ước\b)"
)


def bracket_reads(p: Passage, span: tuple[int, int]) -> str:
    """What a bracket after a figure holds, from the words that open it: "bare" (a
    figure alone: "(1,02 triệu lượt)"), "reference" ("(cùng kỳ năm trước đạt ...)",
    "(năm 2022: ...)", "(kế hoạch ...)"), "delta" ("(tương đương 1.775 ha)", "(+1,4%)")
    or "other" ("(trong đó khách quốc tế ...)", "(khách nội địa ...)": a breakdown or
    a note, never the reference of what comes before)."""
    first = next((n for n in p.nums if span[0] < n.q.start < span[1]), None)
    if first is not None and (first.q.value < 0 or first.q.text.startswith("+")):
        return "delta"  # "(-600 ha)", "(+1,4%)": a signed figure is a change
    end = first.q.start if first is not None else span[1]
    lead = p.fold(span[0] + 1, end).strip(" \t\n:,")
    for hedge in ("khoảng", "xấp xỉ", "gần", "hơn", "trên", "dưới"):
        if lead == hedge or lead.endswith(" " + hedge):
            lead = lead[: -len(hedge)].strip()
    if not lead:
        return "bare"
    if _DELTA_LEAD.match(lead):
        return "delta"
    if _REFERENCE_LEAD.match(lead):
        return "reference"
    return "other"


def numbers_inside(p: Passage, span: tuple[int, int]) -> list[Num]:
    return [n for n in p.nums if span[0] < n.q.start and n.q.end <= span[1]]


def words_after(p: Passage, num: Num, limit: int = 60) -> str:
    """The words that follow ``num`` up to the end of its phrase."""
    text = p.doc.text[num.q.end : min(p.end, num.q.end + limit)]
    return re.split(r"[,;.()]|\s-\s|\svà\s", text, maxsplit=1)[0]


def same_clause(p: Passage, n: Num, c: Num) -> bool:
    """No clause end (";") and no other percentage between ``n`` and ``c``."""
    if ";" in p.doc.text[n.q.end : c.q.start]:
        return False
    return not any(m.q.unit == "%" for m in p.nums[n.index + 1 : c.index])


def same_period(pool: Iterable[Num], phrase: str) -> list[Num]:
    """The candidates whose period fits what ``phrase`` says ("tổng số 8 tháng": the
    eight months to date); all of them when it says no period."""
    pool = list(pool)
    period, months = period_of(phrase)
    if period not in ("ytd", "month"):
        return pool
    fit = [n for n in pool if n.period == period and (months is None or n.months in (None, months))]
    return fit


def by_name(candidates: Iterable[Num], target: list[str], minimum: float = 0.5) -> Num | None:
    best: tuple[float, int, Num] | None = None
    for n in candidates:  # the name before a figure, and its unit ("1.892 trường")
        score = overlap(target, n.label.split() + words(n.q.unit or n.noun or ""))
        if score >= minimum and (best is None or score > best[0]):
            best = (score, -abs(n.index), n)
    return best[2] if best else None


def form_of(num: Num) -> str:
    if num.q.kind == "points":
        return "points"
    if num.q.kind == "multiple":
        return "multiple"
    if num.q.kind == "percent":
        return "percent"
    return "absolute"


def direction_of(num: Num) -> str | None:
    c = num.q.comparison
    if c is None or c.direction == "times":
        return None
    return "-" if c.direction == "decrease" else "+"


def names_fit(phrase: str, n: Num, after: str = "") -> bool:
    """Whether the words that name a plan or a whole after a percentage ("kế hoạch giao
    chi tiết", "dư nợ cho vay của NHTM") fit figure ``n``: every word beyond the
    generic ones must be in its name (or, given ``after``, in the words after it: "thu
    hút 2,7 tỷ USD vốn đầu tư trực tiếp nước ngoài")."""
    specific = [w for w in words(phrase) if w not in PLAN_WORDS]
    if not specific:
        return True
    name = set(n.label.split()) | set(words(n.q.unit or n.noun or ""))
    return all(w in name for w in specific) or (
        bool(after) and all(w in name | set(words(after)) for w in specific)
    )


def adjacent(p: Passage) -> bool:
    """Whether ``p`` follows the paragraph before it with at most a few captions between
    (:func:`~.reading.is_caption`): one statement may go on across them."""
    prev = p.previous
    return prev is not None and _captions_only(p.doc.text[prev.end : p.start])


def closing_sentence(p: Passage) -> list[Num]:
    """The levels of the last sentence of the paragraph just before ``p`` (adjacent, or
    with only short lines without figures between: a photo caption, a repeated title),
    bracketed ones too ("(524.266 lượt khách)": last month's)."""
    prev = p.previous
    if prev is None or not adjacent(p):
        return []
    last = len(prev.sentence_starts) - 1
    return [n for n in prev.nums if n.sentence == last and n.role == "value"]


CAPTIONS = 3  # captions between two paragraphs of one statement


def _captions_only(between: str) -> bool:
    """Whether the text between two paragraphs is at most a few captions
    (:func:`~.reading.is_caption`)."""
    lines = [line for line in between.split("\n") if line.strip()]
    return len(lines) <= CAPTIONS and all(is_caption(line) for line in lines)


def levels_before(p: Passage, paragraphs: int = 3) -> list[tuple[Passage, Num]]:
    """The levels of the few paragraphs just before ``p`` (only captions between), in
    order: a PDF export breaks a statement into paragraphs at its indented lines."""
    out: list[tuple[Passage, Num]] = []
    here = p
    for _ in range(paragraphs):
        prev = here.previous
        if prev is None or not adjacent(here):
            break
        levels = [n for n in prev.nums if n.role == "value" and n.depth == 0 and n.q.unit != "%"]
        out = [(prev, n) for n in levels] + out
        here = prev
    return out
