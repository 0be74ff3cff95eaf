"""A deterministic tagger for the numbers in Vietnamese report prose.

Every number gets its unit, scale word, qualifier, kind and the comparison attached to
it, with exact character offsets into the cleaned text::

    "ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước"
        q1  349.090 con   amount   value 349090  unit "con"      qualifier "ước"
        q2  4,2%          percent  value 4.2     comparison {increase, same_period}

Not quantities: years ("năm 2024"), dates ("19/01/2024", "tháng 02/2024"), document
numbers ("Kế hoạch số 287", "01/NQ-CP", "12/2023/NĐ-CP"), names with digits
("Covid-19", "UV2"), list and heading labels ("(1)", "1."), ordinals ("lần thứ 2",
"đợt 1") and durations ("02 tháng đầu năm", "94 năm ngày thành lập").

A malformed number keeps its best reading and an ``ambiguous`` reason; nothing is
repaired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .comparison_words import (
    ADDED_NAMED,
    BASIS,
    DIRECTION,
    DIRECTION_BASIS_BEFORE,
    DIRECTION_WITH_BASIS,
    DIRECTIONS,
    YEAR_OF_FIGURE,
    basis_fronted,
    classify_basis,
)
from .lexicon import GLUED_UNITS, SCALES, UNITS
from .numbers import NUMBER_TOKEN, parse_number

# ----------------------------------------------------------------------------- lexicon

_UNIT_RE = re.compile(
    r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?![^\W\d_])"
)
# "triệu đồng/hộ/năm", "tiêu chí/xã", "bác sỹ/1 vạn dân"
_PER_UNIT = re.compile(
    r"(?:/(?:1\s+)?(?:vạn|nghìn|triệu)?\s?(?:[^\W\d_]+)(?:\s(?:dân|người))?){1,2}"
)

_PER_10K = re.compile(r"/\s?1\s+(?:vạn|nghìn|triệu)\s")
_SLASH_DIGIT = re.compile(r"/\s?\d")

# Words that make a number something other than a quantity when they come right before it.
_ORDINAL_BEFORE = re.compile(
    r"(?:\b(?:lần thứ|lần|đợt|khóa|khoá|Khóa|lớp|Lớp|mũi|mức độ|mức|kỳ|Kỳ|thứ|quý|Quý|tháng|Tháng|"
    r"ngày|Ngày|năm|Năm|tuần|giai đoạn|Điều|điều|khoản|Khoản|Chương|mục|Mục|tầng|Phiên|"
    r"khu vực|Khu|nhóm|Nhóm|tổ|Tổ|số hiệu|Hồ|Suối|cấp độ|độ|Dự án|dự án|Ban|Đội|Hội thi|"
    r"Sư đoàn|Trung đoàn|Quân khu|tiểu khu|Tiểu khu|lô|Lô|Bộ|Covid|COVID|Đề án|Đề án số|"
    r"Chương trình|quy trình|mẫu|Mẫu|phụ lục|Phụ lục|biểu|Biểu|lực lượng|văn bằng|"
    r"(?:nghiệp|ngành|trường|đường|tuyến)\s+cấp|mùng|mồng)\s*)$",
    re.IGNORECASE,
)
_DOC_TYPES = (
    r"Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Công văn|Thông tư|Đề án|"
    r"Công điện|Thông báo|Luật|Văn bản|Tờ trình|Báo cáo|Hướng dẫn|Chương trình|"
    r"Kết luận|Pháp lệnh|Quy định"
)
_DOC_BEFORE = re.compile(rf"(?:\b(?:{_DOC_TYPES})(?:\s+số)?|\bsố|Số)\s*$", re.IGNORECASE)
_DOC_TYPE_BEFORE = re.compile(rf"\b(?:{_DOC_TYPES})(?:\s+số)?\s*$")
_DOC_AFTER = re.compile(r"(?:/\d{2,4})?/[A-ZĐ]|-[A-ZĐ]{2,}|\s[A-ZĐ]{2,}/[A-ZĐ]")
_DURATION_AFTER = re.compile(r"\s?(?:tháng|năm|ngày|tuần|quý)(?![^\W\d_])")
_DAY_MONTH = re.compile(r"(?:[12]\d|3[01]|0?[1-9])/(?:1[0-2]|0?[1-9])(?![\d/]|[.,]\d)")
# words before a day/month that make it a date; a range's second day ("Từ ngày 1/1-31/3")
_DATE_WORD_BEFORE = re.compile(
    r"(?:ngày|đến|từ|hết|tại|trước|sau|đầu|cuối|\b\d{1,2}/\d{1,2}\s*[-–])\s*$", re.IGNORECASE
)
_PERIOD_LABEL_BEFORE = re.compile(r"\b(tháng|quý|ngày)\s+$", re.IGNORECASE)
# what marks a web address or an e-mail: the numbers of the run of characters around it
# (up to a space) are no figures ("...aspx?id=12345&cat=67", "www.gso.gov.vn/...=706")
_ADDRESS_MARK = re.compile(r"://|www\.|@|\.(?:vn|com|net|org)\b", re.I)  # scans fast


def address_spans(text: str) -> list[tuple[int, int]]:
    """The web addresses and e-mails of ``text``, in order (each a run without spaces)."""
    spans: list[tuple[int, int]] = []
    for m in _ADDRESS_MARK.finditer(text):
        if (spans and m.start() < spans[-1][1]) or not text[m.start() - 1 : m.start()].isalnum():
            continue  # a mark glued to a word: "gov.vn", "vp@", "https://", "//www."
        start = max(text.rfind(c, 0, m.start()) for c in " \n\t") + 1
        ends = [e for e in (text.find(c, m.end()) for c in " \n\t") if e >= 0]
        spans.append((start, min(ends, default=len(text))))
    return spans


# an age that names a group, not a figure: "trẻ em dưới 1 tuổi", "đối tượng từ 12 đến
# 17 tuổi", "phổ cập cho trẻ 5 tuổi", "trẻ 18 tháng tuổi" ("tuổi thọ ... 73,5 tuổi" stays)
_AGE_AFTER = re.compile(r"\s*(?:(?:-|–|đến)\s*\d{1,3}\s*)?(?:tháng\s+)?tuổi\b", re.IGNORECASE)
_GROUP_BEFORE = re.compile(
    r"(?:dưới|trên|từ|đủ|<|>|≥|≤|đến|trẻ(?:\s+em)?|người|đối\s+tượng|học\s+sinh|"
    r"thanh\s+niên|độ\s+tuổi|nhóm\s+tuổi)\s*$",
    re.IGNORECASE,
)
_AGE_IS_THE_FIGURE = re.compile(r"tuổi\s+thọ|bình\s+quân|trung\s+bình", re.IGNORECASE)
_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}/\d{4}(?!\d)")
_LIST_LABEL = re.compile(r"\((\d{1,2})\)(?=\s)")

_QUALIFIER = re.compile(
    r"(?:\b(ước tính|ước thực hiện|ước đạt|ước\s+[^\W\d_]+|ước|khoảng|xấp xỉ|trên|"
    r"(?<!cao )(?<!thấp )(?<!nhiều )(?<!ít )hơn|gần|dưới|tối thiểu|tối đa|ít nhất|dự kiến)\s+"
    r"(?:(?:đạt|là|được|thực hiện|có)\s+)?(?:khoảng\s+)?)$"
)


QuantityKind = Literal["amount", "percent", "fraction", "multiple", "points"]
"""What a printed number is: an amount (with or without a unit), a percentage, a fraction
x/y, a multiple ("gấp 2,5 lần") or percentage points."""


@dataclass(frozen=True)
class Comparison:
    """The comparison printed with a number: "tăng 5,9% so với cùng kỳ" is an increase on
    the same period."""

    direction: str  # increase, decrease, ratio, reach, exceed, times
    basis: str | None  # same_period, previous_period, plan, budget, other; None if unstated
    basis_text: str | None = None


@dataclass(frozen=True)
class Quantity:
    """One number of the report, tagged: where it stands, its value and printed precision,
    unit, scale word, kind, qualifier and the comparison printed with it."""

    id: str
    text: str
    start: int
    end: int
    value: Decimal
    decimals: int
    unit: str | None
    scale: int
    kind: QuantityKind
    qualifier: str | None
    comparison: Comparison | None
    ambiguous: str | None
    denominator: Decimal | None = None

    @property
    def absolute(self) -> Decimal:
        """The value with its scale word applied: "3.127,371 tỷ" -> 3127371000000."""
        return self.value * self.scale


# patterns of the exclusion and suffix rules, compiled once
_GLUED_WORD_AFTER = re.compile(
    "(?:%|‰|lần|nghìn|ngàn|triệu|tỷ|tỉ|"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if len(u) > 1)
    + ")(?![^\\W\\d_])"
)
_TOTAL_NUMBER_BEFORE = re.compile(r"(tổng|Tổng)\s+số\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_WORD_BEFORE = re.compile(r"(?:năm|Năm|NĂM)\s*$")
_ORDINAL_LIST_GAP = re.compile(r",\s?|\s?và\s")
_YEAR_RANGE_AFTER = re.compile(r"\s?(?:–|-)\s?(?:19|20)\d\d")
_LETTER = re.compile(r"[^\W\d_]")
_LABEL_DOT = re.compile(r"\.\s")
_DASH_END = re.compile(r"[-–]\s?$")
_YEAR_DASH_END = re.compile(r"(?:19|20)\d\d\s?[-–]\s?$")
_SCALE_WORD = re.compile(r"(?:nghìn|ngàn|triệu|tỷ|tỉ)\s")
_FRACTION_REST = re.compile(rf"\s?/\s?({NUMBER_TOKEN})")
_PLAN_REST = re.compile(rf"/\s?({NUMBER_TOKEN})")
_PERCENT_AFTER = re.compile(r"\s?(%|‰)")
_POINTS_AFTER = re.compile(r"\s(?:điểm\s?%|điểm phần trăm)")
_TIMES_AFTER = re.compile(r"\slần(?![^\W\d_])")
_SCALE_AFTER = re.compile(r"\s(nghìn|ngàn|triệu|tỷ|tỉ|vạn)(?![^\W\d_])")
_PER_PEOPLE = re.compile(r"\s?dân")
_SPACE = re.compile(r"\s?")
_SIGN_END = re.compile(r"[+-]$")

# ----------------------------------------------------------------------------- tagging

_NUMBER = re.compile(rf"(?<![\d_/.,])(?<![^\W\d_]-)({NUMBER_TOKEN})")
# A number glued to the word before it is a quantity only after these words: a PDF export
# ran a verb into its figure ("tăng9,6%", "đạt1.124", "có15 dự án"); any other letter
# before digits makes a code or a name ("H5N1", "Covid19", "UV2").
_GLUED_LEAD = re.compile(
    r"(?:tăng|giảm|đạt|có|là|được|khoảng|gần|hơn|trên|dưới|bằng|chiếm|gấp|vượt|với|còn|"
    r"thêm|mới|đón|ước|tới|đến|xuống|lên|tổng)$",
    re.IGNORECASE,
)


@dataclass
class _Raw:
    start: int
    end: int  # end of the number token
    token: str


class _Tagger:
    def __init__(self, text: str, report_year: int | None) -> None:
        self.text = text
        self.report_year = report_year
        self.out: list[Quantity] = []
        self.skip_until = 0
        self.last_ordinal_end = -1  # end of the last number excluded as an ordinal

    # -- exclusions ----------------------------------------------------------------

    def _excluded(self, raw: _Raw, after: str, before: str) -> bool:
        token = raw.token
        if _DATE.match(self.text, raw.start):
            m = _DATE.match(self.text, raw.start)
            assert m is not None
            self.skip_until = m.end()
            return True
        day_month = _DAY_MONTH.match(self.text, raw.start)
        if (
            day_month
            and _DATE_WORD_BEFORE.search(before, max(0, len(before) - 12))
            and not self._unit_follows(self.text[day_month.end() : day_month.end() + 40])
        ):
            self.skip_until = day_month.end()  # "lũy kế đến 31/10": a date, not 31 of 10
            return True
        label = _PERIOD_LABEL_BEFORE.search(before, max(0, len(before) - 12))
        if label and "," not in token and "." not in token:
            limit = {"tháng": 12, "quý": 4, "ngày": 31}[label.group(1).lower()]
            if 1 <= int(token) <= limit:
                return True  # "tháng 8 giải quyết việc làm": the month, not 8 prizes
        if _DOC_AFTER.match(after):
            return True
        if (
            _AGE_AFTER.match(after)
            and _GROUP_BEFORE.search(before, max(0, len(before) - 16))
            and not _AGE_IS_THE_FIGURE.search(before)
        ):
            return True  # an age naming a group
        if _DOC_TYPE_BEFORE.search(before) or (
            before.endswith("số ")
            and _DOC_BEFORE.search(before)
            and not _TOTAL_NUMBER_BEFORE.search(before)
        ):
            if not self._unit_follows(after):
                return True
        if _YEAR.fullmatch(token) and (
            not self._unit_follows(after)
            or _YEAR_WORD_BEFORE.search(before, max(0, len(before) - 12))
        ):
            return True  # a year
        # the longest ordinal word and its spaces fit in the last 24 characters
        if (
            _ORDINAL_BEFORE.search(before, max(0, len(before) - 24))
            and not self._unit_follows(after)
        ) or (
            self.last_ordinal_end >= 0
            and _ORDINAL_LIST_GAP.fullmatch(self.text, self.last_ordinal_end, raw.start)
            and not self._unit_follows(after)  # "mức 1, 3 trường ...": a count again
        ):
            self.last_ordinal_end = raw.end
            return True
        if _YEAR_RANGE_AFTER.match(after) and _YEAR.fullmatch(token):
            return True
        if _DURATION_AFTER.match(after) and "," not in token and len(token) <= 3:
            return True
        if _LETTER.match(after) and not _GLUED_WORD_AFTER.match(after):
            return True  # "5T", "24h": a code, not a quantity ("15dự án": a count)
        line_start = before.rfind("\n") + 1
        if before[line_start:].strip() == "" and _LABEL_DOT.match(after):
            return True  # a heading label "1. "
        if before.endswith("(") and after.startswith(")"):
            return True  # a list label "(1)"
        if _DASH_END.search(before, max(0, len(before) - 3)) and _YEAR_DASH_END.search(before):
            return True  # second year of "2021-2030"
        return False

    def _unit_follows(self, after: str) -> bool:
        a = after.lstrip()
        if a.startswith(("%", "‰")):
            return True
        if _SCALE_WORD.match(a):
            return True
        um = _UNIT_RE.match(a)
        return um is not None and um.group() not in {"m", "con"}

    # -- expression parsing ---------------------------------------------------------

    def run(self) -> list[Quantity]:
        addresses = address_spans(self.text)
        k = 0  # the next address that does not end before the number
        for m in _NUMBER.finditer(self.text):
            if m.start() < self.skip_until:
                continue
            while k < len(addresses) and addresses[k][1] <= m.start():
                k += 1
            if k < len(addresses) and addresses[k][0] <= m.start():
                continue  # in a web address or an e-mail
            raw = _Raw(m.start(1), m.end(1), m.group(1))
            before = self.text[max(0, raw.start - 40) : raw.start]
            if before[-1:].isalpha() and not _GLUED_LEAD.search(before, max(0, len(before) - 8)):
                continue  # "H5N1", "Covid19": letters run into digits
            after = self.text[raw.end : raw.end + 40]
            if self._excluded(raw, after, before):
                continue
            self._tag(raw)
        return self.out

    def _tag(self, raw: _Raw) -> None:
        text = self.text
        parsed = parse_number(raw.token)
        pos = raw.end
        kind: QuantityKind = "amount"
        unit: str | None = None
        scale = 1
        denominator: Decimal | None = None
        ambiguous = parsed.ambiguous

        # fraction written without unit in between: "779/9.872", "3.355/5.423 hồ sơ"
        fm = _FRACTION_REST.match(text, pos)
        if fm and not _DATE.match(text, raw.start):
            den = parse_number(fm.group(1))
            denominator = den.value
            ambiguous = ambiguous or (den.ambiguous and f"denominator: {den.ambiguous}")
            kind = "fraction"
            pos = fm.end()

        pos, kind, unit, scale = self._suffix(pos, kind)

        # "83,1 ha/1.700ha", "33.922 cây/2.000.000 cây": achieved/plan with units on both
        if kind == "amount" and unit is not None:
            fm = _PLAN_REST.match(text, pos)
            if fm:
                save = pos
                den = parse_number(fm.group(1))
                p2, k2, u2, s2 = self._suffix(fm.end(), "amount")
                if u2 in (None, unit) and s2 == scale and k2 == "amount":
                    kind, denominator, pos = "fraction", den.value, p2
                    self.skip_until = p2
                else:
                    pos = save
        if pos > raw.end and kind == "fraction":
            self.skip_until = max(self.skip_until, pos)

        qualifier = self._qualifier(raw.start)
        comparison = self._comparison(raw.start, pos, kind)
        if (
            comparison is not None
            and comparison.direction in {"increase", "decrease"}
            and kind == "amount"
            and unit is None
            and scale == 1
            and ambiguous is None
        ):
            ambiguous = "change without a unit"
        if (
            kind == "amount"
            and unit is None
            and comparison is not None
            and comparison.basis == "plan"
            and comparison.direction == "exceed"
        ):
            ambiguous = ambiguous or "change without a unit"
        value = parsed.value
        sign = self._sign(raw.start)
        if sign == "-":
            value = -value
        start = raw.start - (1 if sign else 0)
        q = Quantity(
            id=f"q{len(self.out) + 1}",
            text=text[start:pos],
            start=start,
            end=pos,
            value=value,
            decimals=parsed.decimals,
            unit=unit,
            scale=scale,
            kind=kind,
            qualifier=qualifier,
            comparison=comparison,
            ambiguous=ambiguous or None,
            denominator=denominator,
        )
        self.out.append(q)

    def _sign(self, start: int) -> str | None:
        if (
            start > 0
            and self.text[start - 1] in "+-"
            and (start == 1 or self.text[start - 2] in " (\n")
        ):
            return self.text[start - 1]
        return None

    def _suffix(self, pos: int, kind: QuantityKind) -> tuple[int, QuantityKind, str | None, int]:
        """Read what follows a number: %, lần, điểm %, scale word, unit."""
        text = self.text
        unit: str | None = None
        scale = 1
        m = _PERCENT_AFTER.match(text, pos)
        if m:
            if m.group(1) == "‰":
                return m.end(), "amount", "‰", 1
            return m.end(), "percent" if kind != "fraction" else kind, "%", 1
        m = _POINTS_AFTER.match(text, pos)
        if m:
            return m.end(), "points", "điểm %", 1
        m = _TIMES_AFTER.match(text, pos)
        if m:
            return m.end(), "multiple", "lần", 1
        m = _SCALE_AFTER.match(text, pos)
        if m and not _PER_PEOPLE.match(text, m.end()):
            scale = SCALES[m.group(1)]
            pos = m.end()
            m = _SCALE_AFTER.match(text, pos)  # "3,9 nghìn tỷ đồng": a thousand billion
            if m and SCALES[m.group(1)] > scale:
                scale *= SCALES[m.group(1)]
                pos = m.end()
        m = _SPACE.match(text, pos)
        gap = m.end() if m else pos
        um = _UNIT_RE.match(text, gap)
        glued = gap == pos
        if um and (not glued or um.group() in GLUED_UNITS or len(um.group()) > 2):
            unit = um.group()
            pos = um.end()
            pm = _PER_UNIT.match(text, pos)
            per_10k = _PER_10K.match(text, pos)
            if pm and (per_10k or not _SLASH_DIGIT.match(text, pos)):
                unit += text[pos : pm.end()]
                pos = pm.end()
        return pos, kind, unit, scale

    def _qualifier(self, start: int) -> str | None:
        before = self.text[max(0, start - 40) : start]
        before = _SIGN_END.sub("", before)
        m = _QUALIFIER.search(before)
        if not m:
            return None
        word = m.group(1)
        if "khoảng" in m.group(0) and word != "khoảng":
            return "khoảng"
        return "ước" if word.startswith("ước") else word

    def _comparison(self, start: int, end: int, kind: QuantityKind) -> Comparison | None:
        text = self.text
        before = text[max(0, start - 40) : start]
        wb = DIRECTION_WITH_BASIS.search(before) or DIRECTION_BASIS_BEFORE.search(before)
        if wb:  # "vượt kế hoạch 10,9%", "cao hơn cùng kỳ 63 tấn"
            basis = wb.group(2)
            return Comparison(
                DIRECTIONS[wb.group(1).lower()],
                classify_basis(basis, self.report_year)
                if not basis.lower().startswith(("vụ", "mùa"))
                else "same_period",
                basis,
            )
        m = DIRECTION.search(before)
        direction: str | None = None
        if m and not ADDED_NAMED.search(before):
            word = m.group(1) or m.group(3)
            direction = DIRECTIONS.get(word) if word else None
        # basis: right after the quantity, or after parallel comparisons in the sentence
        basis_m = self._basis_after(
            end, far=direction in {"increase", "decrease", "exceed", "times"}
        )
        if basis_m is None and direction is None:
            return None
        if kind == "amount" and basis_m is not None and basis_m.start() > end + 1:
            basis_m = None  # an amount only takes a basis printed right after it
            if direction is None:
                return None
        if direction is None:
            if kind not in {"percent", "multiple", "points"}:
                return None
            if basis_m is not None and YEAR_OF_FIGURE.fullmatch(basis_m.group()):
                return None  # "từ 47% năm 2020 xuống 34,63% năm 2024": the share that year
            direction = self._previous_direction() or "ratio"
        if basis_m is None and (
            direction == "reach" or (direction == "ratio" and kind == "amount")
        ):
            return None  # "đạt 7,89%": a rate; "bằng 65 công việc": "by means of"
        if basis_m is None:
            fronted = (
                basis_fronted(self.text, start) if direction in {"increase", "decrease"} else None
            )
            if fronted is None:
                return Comparison(direction, None, None)
            return Comparison(direction, classify_basis(fronted, self.report_year), fronted)
        basis_text = basis_m.group("basis")
        return Comparison(direction, classify_basis(basis_text, self.report_year), basis_text)

    def _previous_direction(self) -> str | None:
        if self.out and self.out[-1].comparison is not None:
            return self.out[-1].comparison.direction
        return None

    def _basis_after(self, end: int, far: bool) -> re.Match[str] | None:
        text = self.text
        m = BASIS.match(text, end + (1 if text[end : end + 1] == " " else 0))
        if m and m.group("basis"):
            return m
        if not far or not re.match(r"\s[^\W\d_]", text[end : end + 2]):
            return None
        # "tăng 27,2% tổng lượt khách, giảm 41,6% tổng doanh thu so với cùng kỳ": look
        # further in the clause, across other comparisons but not across a plain amount.
        stop = len(text)
        brk = re.search(r"[;.!?](?:\s|$)|\n|\(|\)", text[end : end + 160])
        if brk:
            stop = end + brk.start()
        window = text[end : min(stop, end + 160)]
        sm = re.search(r"\bso\s+(?:với\s+)?", window)
        if not sm:
            return None
        between = window[: sm.start()]
        for nm in _NUMBER.finditer(between):
            pre = between[max(0, nm.start() - 20) : nm.start()]
            if not DIRECTION.search(pre):
                return None
        bm = BASIS.match(text, end + sm.start())
        return bm if bm and bm.group("basis") else None


def tag_quantities(text: str, report_year: int | None = None) -> list[Quantity]:
    """Every quantity in ``text`` (cleaned report text), in document order, ids q1, q2…"""
    return _Tagger(text, report_year).run()
