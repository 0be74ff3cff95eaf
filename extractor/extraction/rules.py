"""The rules backend: indicators from the words around each tagged quantity, no LLM.

For every chunk it produces the same :class:`ChunkExtraction` an LLM would, so the
outputs and validators are the same whichever backend ran:

* values: amounts, counts and fractions; a percentage only when it is a rate (no
  comparison words); comparisons ("tăng 5,9% so với cùng kỳ") attach to the value
  before them in the sentence;
* name: the noun phrase before the value ("Tổng mức bán lẻ ... trong tháng ước đạt"),
  trimmed of verbs, qualifiers and period words; a bare "lũy kế đạt" inherits the
  name of the value before it;
* period: the nearest cue before the value (lũy kế → ytd, trong tháng → month,
  đến ngày → as_of for stocks and ytd for flows, kế hoạch → plan), else the report's
  own period (monthly → month, annual → year); stocks default to as_of;
* parent: values after "trong đó"/"gồm" or in parentheses belong to the value before;
  a footnote starting "Trong đó:" belongs to the value its marker is glued to;
* code: the catalog entry matching the name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..catalog import Catalog
from ..chunking import Chunk
from ..document import Document
from ..quantities import Quantity
from ..schema import ChunkExtraction, Indicator
from ..text import SENTENCE_END

_TRAILING = re.compile(
    r"(?:\s+|^)(?:ước\s+(?:đạt|tính|thực\s+hiện|đón|là)|ước|đạt|là|được|có|với|cho|khoảng|"
    r"trên|hơn|gần|dưới|đến|tới|xấp\s+xỉ|dự\s+kiến|thực\s+hiện|bằng|gồm|trong\s+đó|"
    r"trong\s+tháng|từ\s+đầu\s+năm|tính\s+chung|lũy\s+kế|luỹ\s+kế|lũy\s+tích|ước\s+đến|"
    r"đến\s+ngày\s+[\d/]+|đến\s+[\d/]+|tháng\s+\d{1,2}(?:/\d{4})?|năm\s+\d{4}|hiện\s+có|"
    r"[-–:,]|và|nay|còn)\s*$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:[-+*•]\s*|trong\s+đó(?:\s+có)?\s*|gồm\s*|và\s+|\(|cụ\s+thể\s*)", re.IGNORECASE
)
_YTD = re.compile(
    r"lũy\s+kế|luỹ\s+kế|lũy\s+tích|tính\s+chung|từ\s+đầu\s+năm|cộng\s+dồn", re.IGNORECASE
)
_MONTH = re.compile(r"trong\s+tháng|tháng\s+\d{1,2}(?:/\d{4})?\s+(?:ước|đạt)", re.IGNORECASE)
_AS_OF = re.compile(
    r"đến\s+ngày|ước\s+đến|đến\s+\d{1,2}/\d{1,2}|tính\s+đến|đến\s+thời\s+điểm|"
    r"đến\s+nay|hiện\s+có|hiện\s+tại",
    re.IGNORECASE,
)
_PLAN = re.compile(r"kế\s+hoạch|chỉ\s+tiêu|dự\s+toán", re.IGNORECASE)
# "10 tháng đầu năm 2012", "tính chung 6 tháng", "trong 11 tháng", "10 tháng qua": the
# months of the year to date; not "6 tháng cuối năm", "3 tháng tới", "18 tháng tuổi",
# "dưới 3 tháng", "sau 6 tháng"
_MONTHS_TO_DATE = re.compile(
    r"(?<![\d/])\d{1,2}\s+tháng(?!\s+(?:cuối|tới|sau|trước|liên|tuổi|qua\s+các))",
    re.IGNORECASE,
)
_NOT_MONTHS_TO_DATE_BEFORE = re.compile(
    r"(?:so\s+với|cùng\s+kỳ|dưới|trên|từ|đủ|sau|được|vòng|hạn|thời\s+gian)\s*$", re.IGNORECASE
)
# a sentence that opens on its year: "Năm 2017, ...", "Trong năm 2023, ...", "Ước cả
# năm ..."; a year later in the sentence is more often that of a plan, a target or an
# event ("kế hoạch vốn năm 2023", "quy hoạch đến năm 2030", "Xuân ... năm 2024")
_YEAR_OPENING = re.compile(
    r"\s*(?:[-–•+]\s*)?(?:(?:trong|tính\s+chung|ước(?:\s+thực\s+hiện)?|ước\s+tính)\s+)?"
    r"(?:cả\s+)?năm(?:\s+(?:19|20)\d{2})?\s*[,:]",
    re.IGNORECASE,
)


def _span_cues(text: str) -> list[tuple[int, str]]:
    """The periods named by "N tháng (đầu năm)" (ytd) in ``text``, by position; one named
    as a comparison's basis, an age or a duration is left out."""
    return [
        (m.start(), "ytd")
        for m in _MONTHS_TO_DATE.finditer(text)
        if not _NOT_MONTHS_TO_DATE_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
    ]


def _opening_year(sentence: str) -> bool:
    """Whether the sentence opens on the year it is about ("Năm 2017, tổng thu ...")."""
    return _YEAR_OPENING.match(sentence) is not None


_PART = re.compile(r"trong\s+đó|bao\s+gồm|\bgồm\b|cụ\s+thể", re.IGNORECASE)
_FOOTNOTE_BREAKDOWN = re.compile(r"\s*(?:trong\s+đó|bao\s+gồm|gồm|cụ\s+thể)\b", re.IGNORECASE)


def _is_comparison(q: Quantity) -> bool:
    if q.comparison is None:
        return False
    if q.kind == "amount" or q.kind == "fraction":
        return q.comparison.direction in {"increase", "decrease", "exceed", "times"}
    return True


# a clause ends at these, or at a ";" or ":" right before the number
_CLAUSE_BREAK = re.compile(r"[;.!?:]\s|\n|\(|\)|,\s")


class _Breaks:
    """Every match of a break pattern in a document, found once: the last break before
    an offset is a bisection, not a scan of the paragraph for every number in it."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def last_end(self, floor: int, before: int) -> int | None:
        """End of the last match that starts at or after ``floor`` and ends before
        ``before``."""
        i = bisect_left(self.ends, before) - 1
        if i >= 0 and self.starts[i] >= floor:
            return self.ends[i]
        return None

    def last_end_upto(self, floor: int, upto: int) -> int | None:
        """The same, for a match that may end at ``upto``."""
        i = bisect_right(self.ends, upto) - 1
        if i >= 0 and self.starts[i] >= floor:
            return self.ends[i]
        return None


def _clause_before(text: str, start: int, floor: int, breaks: _Breaks) -> str:
    """The words between the last clause break (or ``floor``) and ``start``."""
    if start - 1 >= floor and text[start - 1] in ";:":
        return ""  # the window ends with the break
    end = breaks.last_end_upto(floor, start)
    return text[end if end is not None else floor : start]


def _clean_name(words: str) -> str:
    name = " ".join(words.split())
    for _ in range(6):
        new = _TRAILING.sub("", name).strip()
        new = _LEADING.sub("", new).strip()
        if new == name:
            break
        name = new
    return name.strip(" ,;:-–")


@dataclass
class _Value:
    q: Quantity
    name: str
    period: str
    comparisons: list[str]
    parent: str | None
    sentence: int
    reference: bool = False  # a value compared against, printed in brackets
    worded: bool = True  # the period is stated by the text's words, not a default


class RulesExtractor:
    """Deterministic extraction; one instance per document."""

    def __init__(self, doc: Document, catalog: Catalog) -> None:
        self.doc = doc
        self.catalog = catalog
        self.default_period = {
            "monthly": "month",
            "annual": "year",
            "quarterly": "ytd",
            "half_year": "ytd",
            "plan": "plan",
        }.get(doc.meta.kind or "", "other")
        # footnote number -> id of the quantity its marker is glued to
        self.footnote_owner = {n: qid for qid, n in doc.footnote_refs.items()}
        self.clauses = _Breaks(_CLAUSE_BREAK, doc.text)
        self.sentences = _Breaks(SENTENCE_END, doc.text)

    def _period(
        self,
        before: str,
        sentence_before: str,
        name: str,
        after_basis: str | None,
    ) -> tuple[str, bool]:
        """The value's period, and whether words of the text state it (not a default)."""
        entry = self.catalog.get(self._code(name))
        stock = entry is not None and entry.aggregation == "stock"
        if after_basis in {"plan", "budget"}:
            return "plan", True
        cues: list[tuple[int, str]] = []
        for pattern, period in ((_YTD, "ytd"), (_MONTH, "month"), (_AS_OF, "as_of")):
            for m in pattern.finditer(before):
                cues.append((m.start(), period))
        cues += _span_cues(before)
        if cues:
            period = max(cues)[1]
            if period == "as_of" and not stock:
                return "ytd", True
            if period == "month" and stock:
                return "as_of", True
            return period, True
        plan = _PLAN.search(before[-25:])
        after_plan = before[-25:][plan.end() :] if plan else ""
        if plan and not re.search(r"giải\s+ngân|đạt|[,;]", after_plan, re.IGNORECASE):
            return "plan", True
        if _YTD.search(sentence_before):
            return "ytd", True
        opening = _span_cues(sentence_before)  # "Trong 10 tháng đầu năm 2012, khách ..."
        if opening:
            return max(opening)[1], True
        if _opening_year(sentence_before):
            return "year", True
        if stock:
            return "as_of", False
        return self.default_period, False

    def _code(self, name: str) -> str | None:
        entry = self.catalog.match(name)
        return entry.code if entry else None

    def extract(self, chunk: Chunk) -> ChunkExtraction:
        doc = self.doc
        text = doc.text
        qs = [doc.quantity[i] for i in chunk.quantity_ids]
        values: list[_Value] = []
        last_value: _Value | None = None  # the value comparisons attach to
        last_end = 0
        for q in qs:
            note = doc.footnote_of(q.start)
            floor = note.start if note else self._paragraph_start(q.start)
            sentence_start = self._sentence_start(q.start, floor)
            if last_value is not None and last_value.sentence != sentence_start:
                last_value = None
            if _is_comparison(q):
                target = last_value
                if q.kind in {"amount", "fraction"} and q.unit:  # "tăng 01 doanh nghiệp"
                    target = next(
                        (
                            v
                            for v in reversed(values)
                            if v.q.unit == q.unit and v.sentence == sentence_start
                        ),
                        target,
                    )
                if target is not None:
                    target.comparisons.append(q.id)
                last_end = q.end
                continue
            clause_floor = max(floor, last_end if last_value is not None else floor)
            words = _clause_before(text, q.start, clause_floor, self.clauses)
            name = _clean_name(words)
            if name and len(name.split()) <= 3 and q.unit:
                # "Đã gieo cấy 6.116 ha lúa đông xuân": the noun comes after the number
                tail = re.match(
                    r"\s+([^\W\d_][^,;.()\n]{2,40}?)(?=[,;.()]|\s+(?:tăng|giảm|"
                    r"bằng|đạt|với)\b|$)",
                    text[q.end : q.end + 60],
                )
                if tail:
                    name = f"{name} {tail.group(1).strip()}"
            basis = self._basis_before(q) or self._bracket_basis(q, sentence_start)
            if basis is not None and last_value is not None:
                # "tăng 0,6% so với tháng trước (3.450 tỷ đồng)", "(CK thực hiện 9.922ha)":
                # the value compared against, not a part of anything
                period = "plan" if basis in {"plan", "budget"} else "other"
                values.append(
                    _Value(q, last_value.name, period, [], None, sentence_start, reference=True)
                )
                last_end = q.end
                continue
            parent = self._parent(q, values, last_value, text, sentence_start, note)
            if not name or len(name) < 3:
                donor = next((v for v in reversed(values) if v.q.unit == q.unit), last_value)
                name = donor.name if donor is not None else ""
            if not name or len(name) < 3:
                name = _clean_name(text[sentence_start : q.start]) or "(không rõ tên)"
            before = text[sentence_start : q.start]
            period, worded = self._period(before[-60:], before, name, basis)
            value = _Value(q, name, period, [], parent, sentence_start, worded=worded)
            values.append(value)
            inside_brackets = before.rfind("(") > before.rfind(")")
            if not inside_brackets:  # "1.600 tấn (thịt lợn 1.100 tấn), tăng 33,3%"
                last_value = value
            last_end = q.end
        indicators = [
            Indicator(
                name=v.name,
                code=self._code(v.name),
                value_id=v.q.id,
                period=v.period,  # type: ignore[arg-type]
                comparison_ids=v.comparisons,
                parent_id=v.parent,
            )
            for v in values
        ]
        draft = ChunkExtraction(indicators=indicators)
        draft._worded_periods = frozenset(v.q.id for v in values if v.worded)
        return draft

    def _paragraph_start(self, offset: int) -> int:
        paragraphs = self.doc.clean.paragraphs
        i = bisect_right(paragraphs, (offset, len(self.doc.text) + 1)) - 1
        if i >= 0 and paragraphs[i][0] <= offset < paragraphs[i][1]:
            return paragraphs[i][0]
        return 0

    def _sentence_start(self, offset: int, floor: int) -> int:
        end = self.sentences.last_end(floor, offset)  # the next letter is before offset
        return end if end is not None else floor

    def _basis_before(self, q: Quantity) -> str | None:
        """ "đạt 14,59% KH (74.000 tấn)": the amount in brackets after a comparison."""
        text = self.doc.text
        if text[q.start - 1 : q.start] != "(":
            return None
        p = self.doc.quantity_before(q.start - 1)
        if p is None:
            return None
        if p.comparison is not None and p.comparison.basis is not None and q.start - p.end < 40:
            return p.comparison.basis
        return None

    def _bracket_basis(self, q: Quantity, sentence_start: int) -> str | None:
        """ "(CK thực hiện 9.922ha)", "(kế hoạch 9,0%)": a bracket naming its basis."""
        before = self.doc.text[sentence_start : q.start]
        opened = before.rfind("(")
        if opened < 0 or before.rfind(")") > opened:
            return None
        m = re.match(r"\(\s*(CK|cùng\s+kỳ|KH|kế\s+hoạch|Kế\s+hoạch)\b", before[opened:])
        if m is None:
            return None
        return "same_period" if m.group(1) in {"CK"} or "kỳ" in m.group(1) else "plan"

    def _parent(
        self,
        q: Quantity,
        values: list[_Value],
        last: _Value | None,
        text: str,
        sentence_start: int,
        note,
    ) -> str | None:
        if note is not None:
            owner = self.footnote_owner.get(note.number)
            if owner and _FOOTNOTE_BREAKDOWN.match(text[note.start : note.start + 15]):
                return owner
            return None
        if last is None:
            return None
        between = text[last.q.end : q.start]
        if (
            between.lstrip().startswith("(")
            and ")" not in between
            and self._basis_before(q) is None
        ):
            return last.q.id
        parts = list(_PART.finditer(text[sentence_start : q.start]))
        if parts:
            keyword = sentence_start + parts[-1].start()
            # the total is the closest value before "trong đó" (not a bracketed reference)
            head = next(
                (
                    v
                    for v in reversed(values)
                    if v.sentence == sentence_start and v.q.end <= keyword and not v.reference
                ),
                None,
            )
            if head is not None and head.q.id != q.id and head.q.unit != "%":
                return head.q.id
        return None
