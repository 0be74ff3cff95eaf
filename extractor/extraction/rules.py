"""The rules backend: indicators from the words around each tagged quantity, no LLM.

For every chunk it produces the same :class:`ChunkExtraction` an LLM would, so the
outputs and validators are the same whichever backend ran:

* values: amounts, counts and fractions; a percentage only when it is a rate (no
  comparison words); comparisons ("tăng 5,9% so với cùng kỳ") attach to the value
  before them in the sentence;
* changes printed with no level ("Chỉ số sản xuất công nghiệp (IIP) tháng 9 tăng 2,35%
  so tháng trước. Trong đó: Khai khoáng tăng 1,20%; ...") are values of their own,
  named by their subject (a sector under its whole);
* name: the noun phrase before the value ("Tổng mức bán lẻ ... trong tháng ước đạt"),
  trimmed of verbs, qualifiers, period words, the place and the subject's verb ("Cao
  Bằng đã đón"); a count with no name is named by what it counts; a bare "lũy kế đạt"
  inherits the name of the value before it;
* period (README "The period model"): the nearest cue before the value (lũy kế → ytd,
  trong tháng, tháng 9 → month, quý II → quarter, đến ngày → as_of for stocks and ytd
  for flows, kế hoạch → plan), the periods its sentence names, a level held at a date,
  the catalog's stocks, its total's or its list's period, a period an earlier sentence
  named before its first figure, else the report's own (monthly → month, annual →
  year);
* parent: values after "trong đó"/"gồm" or in parentheses belong to the value before;
  a footnote starting "Trong đó:" belongs to the value its marker is glued to;
* code: the catalog entry matching the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog import Catalog
from ..chunking import Chunk
from ..cleaning import Footnote
from ..document import Document
from ..lexicon import UNITS
from ..quantities import Quantity
from ..schema import ChunkExtraction, Indicator
from ..text import Breaks, clause_before, fold
from .framing import OPENS_PARTS, RANGE, Framing
from .levels import both_held
from .names import (
    COUNTED,
    NOT_A_NAME,
    PERIOD_ONLY,
    PLACE,
    SUBJECT_BREAK,
    SUBJECT_LEAD,
    clean_name,
    counted_name,
    measure_name,
    spelled_out,
    subject_name,
)
from .periods import decide_period

_CHANGE_DIRECTIONS = frozenset({"increase", "decrease", "ratio", "times"})
# a rate printed with no level: a growth ("GRDP ... đạt 12,78% so với cùng kỳ") or a share
# of the plan ("kết quả giải ngân kế hoạch vốn đầu tư công của tỉnh đạt 74,4% kế hoạch")
_GROWTH_BASES = frozenset({"same_period", "previous_period", "plan", "budget"})


def _is_rate(q: Quantity) -> bool:
    """A percentage printed as a level ("GRDP ước đạt 6,5%"), not as a change of one."""
    return q.kind == "percent" and (q.comparison is None or q.comparison.direction == "reach")


# the average of the months to date against the same months a year before (CPI)
_AVERAGE_BASIS = re.compile(r"\s*so\s+(?:với\s+)?bình\s+quân\s+cùng\s+kỳ", re.IGNORECASE)
_EARLIER_RESPECTIVELY = re.compile(
    r"\([^()]{0,40}?\b(?:tương\s+ứng|lần\s+lượt)\b[^()]{0,40}?"
    r"(?:cùng\s+kỳ|năm\s+trước|năm\s+(?:19|20)\d{2})[^()]{0,20}?\blà\b",
    re.IGNORECASE,
)
_CONTRIBUTION = re.compile(r"đóng\s+góp\b", re.IGNORECASE)
_PART = re.compile(r"trong\s+đó|bao\s+gồm|\bgồm\b|cụ\s+thể", re.IGNORECASE)
_FOOTNOTE_BREAKDOWN = re.compile(r"\s*(?:trong\s+đó|bao\s+gồm|gồm|cụ\s+thể)\b", re.IGNORECASE)


def _is_comparison(q: Quantity) -> bool:
    if q.comparison is None:
        return False
    if q.kind == "amount" or q.kind == "fraction":
        return q.comparison.direction in {"increase", "decrease", "exceed", "times"}
    return True


# a level's change in the clause after it: "; so với 31/12/2021 tăng 1.475 tỷ đồng (+6,2%)"
_BASIS_AFTER_LEVEL = re.compile(
    r"[^.;\n]{0,30};\s*so\s+(?:với\s+)?[^;.\n]{0,40}?\b(?:tăng|giảm)\b(?:[^;.\n]|\.(?=\d))*$", re.I
)
# "tăng 58% về doanh nghiệp mới thành lập": the change names its own measure
_ABOUT = re.compile(r"\s*về\b", re.IGNORECASE)
_ABOUT_NAME = re.compile(r"\s*về\s+([^\W\d_][^\d,;.()]{2,60}?)\s*(?=\bvà\b|[,;.()]|$)", re.I)
# a clause ends at these, or at a ";" or ":" right before the number
# not the comma of "nông, lâm nghiệp và thủy sản", "chế biến, chế tạo"
_CLAUSE_BREAK = re.compile(r"[;.!?:]\s|\n|\(|\)|(?<!nông)(?<!nơng)(?<!biến),\s")


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
    standalone: bool = False  # a change or index printed with no level
    head: str | None = None  # a standalone change's whole ("IIP" of "IIP - khai khoáng")
    code_words: str | None = None  # the words its catalog code is read from, if not its name
    inherited: bool = False  # its period is its total's or its list's


# a bracket opened right after the basis it prints: "so với cùng kỳ năm trước (", "cao
# hơn cùng kỳ năm 2018 ("
_SAME_PERIOD_BEFORE_BRACKET = re.compile(
    r"(?:cùng\s+kỳ|\bCK)(?:\s+năm\s+(?:trước|ngoái|(?:19|20)\d{2}))?\s*\(\s*$", re.IGNORECASE
)
_EARLIER_YEAR = re.compile(r"\bnăm\s+(?:trước|ngoái|(?:19|20)\d{2})\b", re.IGNORECASE)
# what follows a count and gives an attribute of the same things: "85 doanh nghiệp thành
# lập mới với tổng số vốn đăng ký 937,3 tỷ đồng"
_ATTRIBUTE = re.compile(
    r"\s*(?:[^\W\d_]+\s+){0,4}với\s+(?:tổng\s+)?(?:số\s+)?(?:vốn|diện\s+tích|công\s+[sx]uất)"
    r"[^\W\d_\s]*(?:\s+[^\W\d_]+){0,5}\s*$",
    re.IGNORECASE,
)


def _inherited(
    q: Quantity, parent: str | None, values: list[_Value], sentence_start: int, between: str
) -> str | None:
    """The period a value with no words of its own takes: its total's ("Trong đó có trên
    100 cơ sở ...; 01 trang trại ..."), else that of the figure before it in its
    sentence's list, when words stated it (a level at a date only for the same unit)."""
    whole = next((v for v in values if v.q.id == parent), None) if parent else None
    peers = [
        v
        for v in reversed(values)
        if v.sentence == sentence_start
        and not v.reference
        and not v.standalone
        and (v.worded or v.inherited)
    ]
    # "200 dự án FDI với tổng vốn ... là 2.492,17 triệu USD và 138 dự án trong nước": the
    # list's member is the figure of the same unit
    peer = next((v for v in peers if v.q.unit == q.unit), peers[0] if peers else None)
    last = values[-1] if values else None
    if last is not None and not last.reference and not re.search(r"[.\n]", between):
        # the figure just before, with no "." or line break between
        if last.q.unit == q.unit and (
            last.period == "as_of" or (last.period == "ytd" and last.worded)
        ):
            # "đàn bò 85,7 nghìn con; lợn 458,8 nghìn con": a list of herds; "Diện tích cây
            # ngô thực hiện 486 ha, bằng 99,2%; khoai lang 577 ha": of crops sown so far
            return last.period
        if not peers and last.period in ("month", "quarter") and last.worded:
            # "Diện tích thu hoạch trong tháng ước 837,5 ha, tăng 0,58%; năng suất lúa đạt
            # 46,87 tạ/ha": they go on with the month their first one named
            return last.period
    if (
        last is not None
        and last.period not in ("plan", "other")
        and last in peers
        and _ATTRIBUTE.match(between)
    ):
        return last.period  # "5.553 doanh nghiệp với tổng vốn đăng ký 40.431 tỷ đồng"
    if whole is not None and whole.period == "plan" and (whole.worded or whole.inherited):
        return "plan"  # "là 267 tỷ đồng (bao gồm 117 tỷ đồng ...)": the parts of a plan
    for v in (whole, peer):
        if v is None or not (v.worded or v.inherited) or v.period in ("plan", "other"):
            continue
        if v.period == "as_of" and v.q.unit != q.unit and not both_held(v.q.unit, q.unit):
            continue
        return v.period
    return None


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
        self.clauses = Breaks(_CLAUSE_BREAK, doc.text)
        self.framing = Framing(doc)

    def _period(
        self,
        before: str,
        sentence_before: str,
        name: str,
        after_basis: str | None,
        context: str | None = None,
        unit: str | None = None,
        inherited: str | None = None,
        after: str = "",
    ) -> tuple[str, bool]:
        """The value's period (:func:`decide_period`), and whether words state it."""
        entry = self.catalog.get(self._code(name))
        return decide_period(
            before,
            sentence_before,
            stock=entry is not None and entry.aggregation == "stock",
            default=self.default_period,
            after_basis=after_basis,
            context=context,
            unit=unit,
            inherited=inherited,
            after=after,
            to_date=entry is not None and entry.to_date,
        )

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
            floor = note.start if note else self.framing.paragraph_start(q.start)
            sentence_start = self.framing.sentence_start(q.start, floor)
            if last_value is not None and last_value.sentence != sentence_start:
                last_value = None
            if _is_comparison(q):
                target = last_value
                inner = values[-1] if values else None
                if (
                    inner is not None
                    and inner is not last_value
                    and inner.sentence == sentence_start
                    and not inner.reference
                    and text.rfind("(", sentence_start, inner.q.start)
                    > text.rfind(")", sentence_start, inner.q.start)
                    and ")" not in text[inner.q.end : q.start]
                ):
                    target = inner  # "(412.354 tấn đạt 137,8% kế hoạch và tăng 23,6% ...)"
                if (
                    target is None
                    or target.standalone
                    or (_is_rate(target.q) and _PART.search(text[target.q.end : q.start]))
                    # "có 4 nhóm ... giảm so với tháng trước đó là: Giao thông giảm 4,7%"
                    or ":" in re.sub(r"\([^()]*\)", "", text[target.q.end : q.start])
                ):
                    # "Chỉ số sản xuất công nghiệp (IIP) tháng 9 tăng 2,35% so tháng
                    # trước": a change printed with no level is a figure of its own
                    value = self._standalone(q, values, sentence_start, floor, text)
                    if value is not None:
                        values.append(value)
                        last_value = value
                        last_end = q.end
                        continue
                if q.kind in {"amount", "fraction"} and q.unit:  # "tăng 01 doanh nghiệp"
                    target = next(
                        (
                            v
                            for v in reversed(values)
                            if v.q.unit == q.unit and v.sentence == sentence_start
                        ),
                        target,
                    )
                if target is None and values and not values[-1].standalone:
                    # "... là 25.390 tỷ đồng; so với 31/12/2021 tăng 1.475 tỷ đồng (+6,2%)"
                    between = text[values[-1].q.end : q.start]
                    about = _ABOUT.match(text, q.end)
                    target = values[-1] if _BASIS_AFTER_LEVEL.match(between) and not about else None
                if target is not None:
                    target.comparisons.append(q.id)
                last_end = q.end
                continue
            clause_floor = max(floor, last_end if last_value is not None else floor)
            words = clause_before(text, q.start, clause_floor, self.clauses)
            opened = text.rfind("(", clause_floor, q.start)
            if (
                not words.strip()
                and opened >= 0
                and not text[opened + 1 : q.start].strip()
                and not (values and not re.search(r"[;:.]", text[values[-1].q.end : opened]))
            ):
                # "gạo (412.354 tấn đạt 137,8% kế hoạch ...)": named before the bracket
                words = clause_before(text, opened, clause_floor, self.clauses)
            raw = clean_name(words)
            name = measure_name(clean_name(PLACE.sub("", words)))
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
                reference = _Value(
                    q, last_value.name, period, [], None, sentence_start, reference=True
                )
                reference.code_words = last_value.code_words
                values.append(reference)
                last_end = q.end
                continue
            if NOT_A_NAME.fullmatch(name) or PERIOD_ONLY.fullmatch(name):
                name = ""  # "riêng quý III năm 2020 đạt 15%": the name is the one before
            elif (
                _CONTRIBUTION.match(name)
                and last_value is not None
                and last_value.sentence == sentence_start
            ):
                # "khu vực dịch vụ tăng 6,81%, đóng góp 2,07 điểm phần trăm vào ..."
                name = f"{last_value.name} - đóng góp vào tăng trưởng"
            parent = self._parent(q, values, last_value, text, sentence_start, note)
            if (not name or len(name) < 3) and q.unit and fold(q.unit) in COUNTED:
                # "; 01 trang trại chăn nuôi dê quy mô lớn": what is counted names it
                counted = counted_name(q, text[q.end : q.end + 80])
                name = counted if counted != q.unit else name
            if not name or len(name) < 3:
                donor = next((v for v in reversed(values) if v.q.unit == q.unit), last_value)
                name = donor.name if donor is not None else ""
                raw = donor.code_words or name if donor is not None else raw
            if not name or len(name) < 3:
                raw = SUBJECT_LEAD.sub("", clean_name(text[sentence_start : q.start]))
                name = measure_name(raw.rsplit(", ", 1)[-1])
            if (not name or len(name) < 3) and q.unit and fold(q.unit) in COUNTED:
                # "toàn tỉnh có 8.350 doanh nghiệp đăng ký hoạt động", "Cao Bằng đã đón
                # gần 270.000 lượt khách du lịch": what is counted names the figure
                name = counted_name(q, text[q.end : q.end + 80])
            if (not name or len(name) < 3) and (q.unit or q.kind == "amount"):
                # "Có 31 cánh đồng lớn được sản xuất": what is counted, whatever it is
                name = counted_name(q, text[q.end : q.end + 80])
            if not name or len(name) < 3:
                name = "(không rõ tên)"
            before = text[sentence_start : q.start]
            since = values[-1].q.end if values else q.start
            inherited: str | None
            if values and RANGE.fullmatch(text[since : q.start]):
                # "tăng từ 11,5%-12%": a range's second bound is of its first's period
                inherited = values[-1].period
                period, worded = inherited, values[-1].worded
            else:
                inherited = _inherited(q, parent, values, sentence_start, text[since : q.start])
                period, worded = self._period(
                    before[-60:],
                    before,
                    name,
                    basis,
                    self.framing.period_before(sentence_start, note.start if note else 0),
                    q.unit or self.framing.range_unit(q),
                    inherited,
                    text[q.end : q.end + 60],
                )
            value = _Value(q, name, period, [], parent, sentence_start, worded=worded)
            value.inherited = inherited is not None and period == inherited
            if raw != name and self._code(name) is None:
                value.code_words = raw  # "khách đến Lào Cai": the place said what it is
            values.append(value)
            inside_brackets = before.rfind("(") > before.rfind(")")
            if not inside_brackets:  # "1.600 tấn (thịt lợn 1.100 tấn), tăng 33,3%"
                last_value = value
            last_end = q.end
        indicators = [
            Indicator(
                name=spelled_out(v.name, self.catalog),
                code=self._code(v.code_words or v.name),
                value_id=v.q.id,
                period=v.period,  # type: ignore[arg-type]
                comparison_ids=v.comparisons,
                parent_id=v.parent,
            )
            for v in values
        ]
        draft = ChunkExtraction(indicators=indicators)
        draft._worded_periods = frozenset(v.q.id for v in values if v.worded)
        draft._standalone = frozenset(v.q.id for v in values if v.standalone)
        return draft

    def _standalone(
        self, q: Quantity, values: list[_Value], sentence_start: int, floor: int, text: str
    ) -> _Value | None:
        """A change, growth rate or index printed with no level before it in its
        sentence, as a value of its own: named by its subject ("CPI", "khai khoáng" under
        "IIP ... Trong đó:"), or by the change before it in the sentence ("tăng 0,35% so
        với tháng trước, tăng 3,2% so với cùng kỳ"). None when it has no subject."""
        c = q.comparison
        growth = c is not None and c.direction == "reach" and c.basis in _GROWTH_BASES
        if c is None or (c.direction not in _CHANGE_DIRECTIONS and not growth):
            return None  # growth: "GRDP 6 tháng đầu năm đạt 12,78% so với cùng kỳ"
        before = text[sentence_start : q.start]
        opened = before.rfind("(")
        if opened > before.rfind(")"):
            inside = before[opened + 1 :].strip()
            if (
                inside not in {"", "+", "-"}
                or (inside + q.text)[:1] not in {"+", "-"}
                or not re.fullmatch(r"\s*\)?", text[q.end : q.end + 1])
            ):
                return None  # "tăng mạnh (trên 40%)": inside a bracket, a remark
            # "giảm nhẹ so tháng trước (-1,54%)", "công nghiệp khai khoáng (-6,51%)": the
            # signed change alone in its bracket is the figure
            before = before[:opened]
        window_start = sentence_start
        for m in SUBJECT_BREAK.finditer(before):
            window_start = sentence_start + m.end()
        prior = next(
            (v for v in reversed(values) if v.sentence == sentence_start and v.standalone),
            None,
        )
        if prior is None and values and OPENS_PARTS.match(before):
            # "... tăng 2,35% so tháng trước. Trong đó: Khai khoáng tăng 1,20%"
            last = values[-1]
            if last.q.start >= floor and (last.standalone or _is_rate(last.q)):
                prior = last
        if prior is None and values:
            # "Khai khoáng tăng 1,20%; chế biến, chế tạo tăng 2,5%": a list of the parts
            # of a change goes on after a ";"; so do the changes of one index ("CPI ...
            # giảm 0,11% so với tháng trước; tăng 3,23% so cùng kỳ năm trước")
            last = values[-1]
            # "..., đạt 34,7% kế hoạch Trung ương giao; đạt 30% kế hoạch tỉnh giao"
            share = growth and c.basis in ("plan", "budget") and not last.reference
            if (
                (last.standalone or share)
                and (last.head or not subject_name(text[sentence_start : q.start]))
                and last.q.start >= floor
                and ";" in text[last.q.end : sentence_start + 1]
            ):
                prior = last
        if prior is None:
            # "GRDP 6 tháng ước đạt 6,5%, trong đó khu vực nông nghiệp tăng 3,1%": the
            # parts of a growth rate printed as a rate
            rate = next((v for v in reversed(values) if v.sentence == sentence_start), None)
            if rate is not None and _is_rate(rate.q) and _PART.search(text[rate.q.end : q.start]):
                prior = rate
        if prior is not None:
            window_start = max(window_start, prior.q.end)
        own = subject_name(text[window_start : sentence_start + len(before)])
        about = _ABOUT_NAME.match(text, q.end)
        if about is not None and about.group(1) not in UNITS:
            # "so với cùng kỳ tăng 58% về doanh nghiệp mới thành lập và giảm 5% về vốn
            # đăng ký" (not "tăng 8,51% về tấn": in tonnes)
            own = about.group(1)
        head = None
        if prior is not None:
            head = prior.head or prior.name
            keyword = _PART.search(text[prior.q.end : q.start])
            if not own:
                name, head = prior.name, prior.head
            elif keyword or prior.head or not prior.standalone:
                name = f"{head} - {own}"
            else:
                name, head = own, None
        elif own:
            name = own
        else:
            return None
        period, worded = self._period(
            before[-60:],
            before,
            name,
            None,
            self.framing.period_before(sentence_start, 0),
            # a change to a date is cumulative ("Chỉ số cộng dồn từ đầu năm đến cuối tháng
            # báo cáo giảm 3,28%"); a share at a date is the share then ("chiếm 0,83%")
            unit=None if c.direction in ("increase", "decrease") else q.unit,
            # the list it is in; not a figure of an earlier period before it ("cao hơn mức
            # tăng 0.55% của năm 2017; khu vực công nghiệp - xây dựng tăng 8.88%")
            inherited=prior.period if prior is not None and prior.period != "other" else None,
            after=text[q.end : q.end + 60],
        )
        basis_text = fold(c.basis_text or "")
        if _AVERAGE_BASIS.match(text, q.end) or "bình quân" in basis_text:
            period, worded = "ytd", True  # "tăng 1,72% so với bình quân cùng kỳ năm 2020"
        elif "tháng trước" in basis_text and period not in ("month", "plan", "as_of"):
            # a change on the month before is a month's; a level's at a date stays the
            # level's ("Chỉ số tồn kho tại thời điểm 01/8/2013 ... tăng 6,96% so với tháng
            # trước")
            period, worded = "month", True
        elif "quý trước" in basis_text and period not in ("quarter", "plan", "as_of"):
            period, worded = "quarter", True
        value = _Value(
            q, name, period, [], None, sentence_start, worded=worded, standalone=True, head=head
        )
        if head is not None and own:
            value.code_words = own  # "IIP - khai khoáng" is no code of the whole's
        return value

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
        if (
            m is None
            and _SAME_PERIOD_BEFORE_BRACKET.search(before[: opened + 1])
            and _EARLIER_YEAR.search(before[opened:])
            and not OPENS_PARTS.match(before, opened + 1)
        ):
            # "tăng 7,9 % so với cùng kỳ năm trước (lũy kế 12 tháng năm 2019 đạt 16.500 tỷ
            # đồng)": the bracket prints the level compared against
            return "same_period"
        if m is None:
            # "(cơ cấu tương ứng của 6 tháng đầu năm 2023 là: 22,81%; 25,81%; ...)": the
            # figures of an earlier period, one for each figure before
            if _EARLIER_RESPECTIVELY.match(before[opened:]):
                return "same_period"
            return None
        return "same_period" if m.group(1) in {"CK"} or "kỳ" in m.group(1) else "plan"

    def _parent(
        self,
        q: Quantity,
        values: list[_Value],
        last: _Value | None,
        text: str,
        sentence_start: int,
        note: Footnote | None,
    ) -> str | None:
        if note is not None:
            owner = self.footnote_owner.get(note.number)
            if owner and _FOOTNOTE_BREAKDOWN.match(text[note.start : note.start + 15]):
                return owner
            return None
        opens_parts = OPENS_PARTS.match(text, sentence_start) is not None
        if last is None and not opens_parts:
            return None
        if (
            last is not None
            and text[last.q.end : q.start].lstrip().startswith("(")
            and ")" not in text[last.q.end : q.start]
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
            if head is None and opens_parts:
                # "... ước đạt 3,8 triệu lượt. Trong đó, khách quốc tế ước đạt 1,2 triệu
                # lượt": the total is the one level of the sentence before, in its unit
                # (not when it has two: "tháng 11 được 1.439.323 triệu đồng, luỹ kế được
                # 7.526.569 triệu đồng. Trong đó, chi xây dựng cơ bản được 856.561 ...")
                earlier = [v for v in values if v.q.end <= keyword]
                last_sentence = [v for v in earlier if v.sentence == earlier[-1].sentence]
                if (
                    len(last_sentence) != 1
                    or last_sentence[0].reference
                    or last_sentence[0].standalone
                    or last_sentence[0].q.unit != q.unit
                ):
                    return None
                head = last_sentence[0]
            if head is not None and head.q.id != q.id and head.q.unit != "%":
                return head.q.id
        return None
