"""Relations read from the structure of the text, whatever backend named the values.

Each finder looks for one way reports state arithmetic and builds relation records
from the numbers it finds in their places:

* :func:`find_changes`: "tăng X% so với cùng kỳ (cùng kỳ đạt Y)", "gấp N lần ... (Y)",
  "giảm 30 doanh nghiệp so với tháng trước (Y)", "cao hơn X điểm phần trăm ... (Y%)",
  "bằng X% so với năm trước (Y)": a change or ratio against a printed reference;
* :func:`find_plan_ratios`: "đạt X% kế hoạch (Y)", "bằng X% dự toán", "vượt X% KH",
  the plan printed in brackets, or anywhere in the paragraph and matched by its name;
* :func:`find_shares_of`: "chiếm X% GRDP", "chiếm X% tổng số trường (Y)", "tỷ lệ bao
  phủ đạt X% dân số (Y)", "x/y ... đạt z%", "z% (x/y)";
* :func:`find_breakdowns`: a total and its parts after "trong đó", "bao gồm", "gồm (có)",
  "cụ thể", "chia ra", in brackets right after the total, or in the footnote whose
  marker is glued to it; complete or partial from the cue words and the list's shape;
* :func:`find_periods`: this month, the year to date and the previous year to date of
  one measure;
* :func:`find_structures`: shares of one whole ("Cơ cấu kinh tế: A x%; B y%; ...").

What a finder sees but cannot form (a change whose reference is not printed, a plan
share whose plan is nowhere, a breakdown whose parts are in other units) becomes a
:class:`Gap`, reported as a skipped check, so coverage is visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from ..document import Document
from ..text import fold
from .reading import Num, Passage, operand, overlap, period_of, words
from .records import Cue, Gap, Operand, Relation

NEAR = 70  # characters between a comparison and the bracket with its reference
_PLAN_WORD = re.compile(r"kế hoạch|\bkh\b|dự toán|chỉ tiêu")
_REFERENCE_LABEL = re.compile(
    r"^\s*(?:cùng kỳ|ck\b|tháng|năm|quý|kỳ trước|kế hoạch|kh\b|dự toán|lũy kế|luỹ kế|"
    r"cùng thời điểm|tết|vụ|đầu năm|cuối năm|so với)"
)
_BREAKDOWN = re.compile(
    r"\b(trong đó(?: có)?|bao gồm|gồm có|gồm|cụ thể|chia ra|chia theo)\b\s*:?", re.IGNORECASE
)
_LEAD_WHOLE = re.compile(
    r"(?:^|(?<=[.;]\s))Trong ((?!tháng|năm|quý|đó|kỳ|dịp|số\b)[^,;.()]{3,60}),"
)
_MAIN_ONES = re.compile(r"chủ yếu|một số|chủ lực")  # "Mặt hàng xuất khẩu chủ yếu ... gồm"
_COMPLETE_CUES = {"bao gồm", "gồm có", "gồm", "cụ thể", "chia ra", "chia theo"}
_RESIDUAL = re.compile(r"\bkhác\b|còn lại|các loại|đối tượng khác|nguồn khác")
_COMPLEMENTARY = (
    ({"xuất", "khẩu"}, {"nội", "địa"}),
    ({"xuất", "khẩu"}, {"nhập", "khẩu"}),
    ({"trung", "ương"}, {"địa", "phương"}),
    ({"quốc", "tế"}, {"nội", "địa"}),
    ({"quốc", "tế"}, {"trong", "nước"}),
    ({"thành", "thị"}, {"nông", "thôn"}),
    ({"nam"}, {"nữ"}),
    ({"nuôi", "trồng"}, {"khai", "thác"}),
    ({"trồng", "trọt"}, {"chăn", "nuôi"}),
    ({"công", "lập"}, {"ngoài", "công", "lập"}),
)
_STRUCTURE = re.compile(r"\b(cơ cấu|tỷ trọng)\b", re.IGNORECASE)
_MONTH_LABEL = re.compile(r"tháng (\d{1,2})")
PLAN_SENTENCES = 2  # a plan printed this many sentences before its share still counts


class Found:
    """What the finders build for one document: relations (deduplicated) and gaps."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.relations: list[Relation] = []
        self.gaps: list[Gap] = []
        self._keys: set[tuple[object, ...]] = set()
        self.part_of: dict[str, Num] = {}  # a part's quantity id -> its total

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
        )
        self.relations.append(relation)
        return relation

    def gap(self, rule: str, cue: Cue, reason: str, nums: Iterable[Num] = ()) -> None:
        operands = tuple(operand(n, "value") for n in nums)
        self.gaps.append(Gap(self.doc.name, rule, cue, reason, operands))


# ----------------------------------------------------------------------------- helpers


def _closed_before(num: Num, offset: int) -> bool:
    """``num`` is inside a bracket that closes before ``offset``."""
    return num.bracket is not None and num.bracket[1] <= offset


def _kin(a: Num, b: Num) -> bool:
    """Same kind of thing counted: same unit family, or a bare count's noun that opens
    the other's unit ("9 khu" and "14 khu công nghiệp")."""
    if a.family == b.family:
        return True
    if (a.noun or b.noun) and a.unit and b.unit:
        return a.unit.split()[0] == b.unit.split()[0]
    return False


def _compatible(a: Num, b: Num) -> bool:
    if _kin(a, b) and a.family is not None:
        return True
    fa, fb = a.family, b.family
    if fa is None or fb is None:
        return (a.unit is None) == (b.unit is None) or (fa is None and b.q.kind == "amount")
    return fa == fb


def _values_back(p: Passage, before: Num, sentences: int = 0) -> list[Num]:
    """Values (levels) before ``before``, nearest first: in its sentence, then (up to
    ``sentences``) in the sentences before; none inside a bracket closed before it."""
    out = []
    for n in reversed(p.nums[: before.index]):
        if before.sentence - n.sentence > sentences:
            break
        if n.role != "value" or _closed_before(n, before.q.start):
            continue
        out.append(n)
    return out


def _bracket_after(p: Passage, num: Num, limit: int = NEAR) -> tuple[int, int] | None:
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


def _inside(p: Passage, span: tuple[int, int]) -> list[Num]:
    return [n for n in p.nums if span[0] < n.q.start and n.q.end <= span[1]]


def _words_after(p: Passage, num: Num, limit: int = 60) -> str:
    """The words that follow ``num`` up to the end of its phrase."""
    text = p.doc.text[num.q.end : min(p.end, num.q.end + limit)]
    return re.split(r"[,;.()]|\s-\s|\svà\s", text, maxsplit=1)[0]


def _same_clause(p: Passage, n: Num, c: Num) -> bool:
    """No clause end (";") and no other percentage between ``n`` and ``c``."""
    if ";" in p.doc.text[n.q.end : c.q.start]:
        return False
    return not any(m.q.unit == "%" for m in p.nums[n.index + 1 : c.index])


def _same_period(pool: Iterable[Num], phrase: str) -> list[Num]:
    """The candidates whose period fits what ``phrase`` says ("tổng số 8 tháng": the
    eight months to date); all of them when it says no period."""
    pool = list(pool)
    period, months = period_of(phrase)
    if period not in ("ytd", "month"):
        return pool
    fit = [n for n in pool if n.period == period and (months is None or n.months in (None, months))]
    return fit


def _by_name(candidates: Iterable[Num], target: list[str], minimum: float = 0.5) -> Num | None:
    best: tuple[float, int, Num] | None = None
    for n in candidates:  # the name before a figure, and its unit ("1.892 trường")
        score = overlap(target, n.label.split() + words(n.q.unit or n.noun or ""))
        if score >= minimum and (best is None or score > best[0]):
            best = (score, -abs(n.index), n)
    return best[2] if best else None


def _form(num: Num) -> str:
    if num.q.kind == "points":
        return "points"
    if num.q.kind == "multiple":
        return "multiple"
    if num.q.kind == "percent":
        return "percent"
    return "absolute"


def _direction(num: Num) -> str | None:
    c = num.q.comparison
    if c is None or c.direction == "times":
        return None
    return "-" if c.direction == "decrease" else "+"


# ----------------------------------------------------------------------------- changes


def _reference(p: Passage, c: Num) -> tuple[Num, Num | None, str] | None:
    """The printed reference of comparison ``c``, the value it follows when the
    comparison comes first ("tăng 2,4% ..., đạt V (R)"), and the cue's end."""
    span = _bracket_after(p, c)
    if span is not None:
        inside = [n for n in _inside(p, span) if n.role == "value"]
        if len(inside) == 1 and inside[0].q.kind != "fraction":
            return inside[0], None, "ref_in_parens"
    # the comparison first, then its figure, then the reference in brackets
    after = [n for n in p.nums[c.index + 1 :] if n.sentence == c.sentence]
    clause_start = max(p.sentence_start(c.sentence), p.doc.text.rfind(";", 0, c.q.start) + 1)
    led = any(
        n.role == "value" and n.depth == c.depth and n.q.start >= clause_start
        for n in p.nums[: c.index]
    )
    if after and not led and after[0].role == "value" and after[0].depth == c.depth:
        span = _bracket_after(p, after[0])
        if span is not None:
            inside = [n for n in _inside(p, span) if n.role == "value"]
            if len(inside) == 1:
                return inside[0], after[0], "ref_after_value"
    # "So với lũy kế đến hết tháng 8 (R), giá trị giải ngân tăng thêm X"
    s_start = p.sentence_start(c.sentence)
    lead = fold(p.doc.text[s_start : c.q.start])
    if lead.lstrip().startswith("so với"):
        before = [
            n
            for n in p.nums[: c.index]
            if n.sentence == c.sentence and n.role == "value" and n.depth > c.depth
        ]
        if len(before) == 1:
            return before[0], None, "ref_before"
    # "Tháng 7 năm 2022, kim ngạch ... đạt R. Tháng 7 năm nay ước đạt V, giảm X% so với
    # cùng kỳ.": the same period a year before, the one figure of the sentence before
    basis = c.q.comparison.basis if c.q.comparison else None
    if basis == "same_period" and c.sentence > 0:
        before = [
            n
            for n in p.nums
            if n.sentence == c.sentence - 1 and n.role == "value" and n.depth == 0 and not n.plan
        ]
        if len(before) == 1 and _a_year_before(p, before[0], c):
            return before[0], None, "ref_sentence_before"
    return None


_YEAR = re.compile(r"năm (\d{4})")


def _a_year_before(p: Passage, ref: Num, c: Num) -> bool:
    """ "Tháng 7 năm 2022, kim ngạch ... đạt R. Tháng 7 năm nay ước đạt V, giảm X% so
    với cùng kỳ": R is printed for an earlier year than the figure ``c`` compares."""
    lead = fold(p.doc.text[p.sentence_start(ref.sentence) : ref.q.start])
    now = fold(p.doc.text[p.sentence_start(c.sentence) : c.q.start])
    then = [int(y) for y in _YEAR.findall(lead)]
    if not then:
        return False
    later = [int(y) for y in _YEAR.findall(now)]
    year = min(later) if later else p.doc.meta.year
    return "năm nay" in now or (year is not None and max(then) < year)


def find_changes(p: Passage, found: Found) -> None:
    for c in p.nums:
        if c.role not in ("change", "ratio"):
            continue
        ref = _reference(p, c)
        form = _form(c)
        rule = "ratio" if c.role == "ratio" else f"change_{form}"
        if ref is None and _last_month_from_ytd(p, c, found):
            continue
        if ref is None:
            found.gap(rule, found.cue(c.q.start, c.q.end), "reference value not printed", [c])
            continue
        reference, value, how = ref
        if value is None:
            candidates = _values_back(p, c, sentences=1 if how != "ref_before" else 0)
            if form == "points":  # a rate: also one stated as a share or a plan's share
                candidates = _percents_back(p, c)
            candidates = [n for n in candidates if n is not reference]
            if how == "ref_before":
                lead = words(p.doc.text[reference.q.end : c.q.start])
                previous = [n for n in p.nums[: reference.index] if n.role == "value"]
                value = _by_name(reversed(previous), lead, 0.5) if lead else None
            else:
                value = _subject(c, reference, candidates, form)
        if value is None:
            found.gap(rule, found.cue(c.q.start, c.q.end), "the figure compared is not found", [c])
            continue
        cue = found.cue(c.q.start, max(c.q.end, min(reference.q.start, c.q.end + 60)))
        if c.role == "ratio":
            found.add(
                "ratio",
                [
                    operand(value, "numerator"),
                    operand(reference, "denominator"),
                    operand(c, "stated"),
                ],
                cue,
                form="percent",
                tags=("ratio_prev_period", how),
            )
            continue
        found.add(
            "change",
            [operand(value, "value"), operand(reference, "reference"), operand(c, "stated")],
            cue,
            form=form,
            direction=_direction(c),
            tags=(how,),
        )


def _last_month_from_ytd(p: Passage, c: Num, found: Found) -> bool:
    """In February: "tháng 02 ước đạt V, bằng X% so với tháng trước; lũy kế 02 tháng đạt
    Y": January is Y - V, so X% of it is checked. True when such a relation was made."""
    basis = c.q.comparison.basis if c.q.comparison else None
    if p.doc.meta.month != 2 or basis != "previous_period" or _form(c) != "percent":
        return False
    value = next((n for n in _values_back(p, c) if n.q.unit != "%" and n.depth == 0), None)
    ytd = next(
        (
            n
            for n in p.nums[c.index + 1 :]
            if n.sentence == c.sentence
            and n.role == "value"
            and n.period == "ytd"
            and n.months in (None, 2)
            and n.depth == 0
        ),
        None,
    )
    if value is None or ytd is None or not _compatible(value, ytd) or value.period == "ytd":
        return False
    kind = "ratio" if c.role == "ratio" else "change"
    found.add(
        kind,
        [
            operand(value, "numerator" if kind == "ratio" else "value"),
            operand(ytd, "total"),
            operand(c, "stated"),
        ],
        found.cue(c.q.start, ytd.q.end),
        form="percent",
        direction=None if kind == "ratio" else _direction(c),
        note="last month is the two months to date less this month",
        tags=("previous_month_from_ytd",),
    )
    return True


def _percents_back(p: Passage, c: Num) -> list[Num]:
    """Percentages before ``c`` in its sentence that state a rate (not a change)."""
    return [
        n
        for n in reversed(p.nums[: c.index])
        if n.sentence == c.sentence
        and n.q.unit == "%"
        and n.role in ("value", "plan", "share")
        and not _closed_before(n, c.q.start)
    ]


def _subject(c: Num, reference: Num, candidates: list[Num], form: str) -> Num | None:
    """The figure a comparison is about: the nearest value before it that can be
    compared with its reference."""
    for n in candidates:
        if n.q.kind == "fraction":
            continue
        if form == "points":
            if n.q.unit == "%" and reference.q.unit == "%":
                return _head_of_run(candidates, n)
            continue
        if form == "absolute" and c.family is not None and n.family not in (c.family, None):
            continue
        if _compatible(n, reference) and (n.q.unit == "%") == (reference.q.unit == "%"):
            return n
    return None


def _head_of_run(candidates: list[Num], n: Num) -> Num:
    """The first of the rates stated one after the other for the same figure ("bằng
    38,5% tổng kế hoạch vốn, bằng 43,7% kế hoạch giao chi tiết"): the headline rate,
    against the whole plan, is the one a later comparison speaks of."""
    head = n
    for m in candidates[candidates.index(n) + 1 :]:
        if m.q.unit != "%" or m.role != n.role or m.index != head.index - 1:
            break
        head = m
    return head


# ----------------------------------------------------------------------------- plans


def find_plan_ratios(p: Passage, found: Found) -> None:
    for c in p.nums:
        if c.role != "plan":
            continue
        cue = found.cue(c.q.start, c.q.end + len(_words_after(p, c)))
        candidates = [n for n in _values_back(p, c) if n.q.unit != "%"]
        numerator = candidates[0] if candidates else None
        exceed = c.q.comparison is not None and c.q.comparison.direction == "exceed"
        span = _bracket_after(p, c)
        inside = [n for n in _inside(p, span) if n.role == "value"] if span else []
        if len(inside) == 1 and inside[0].q.kind == "fraction":  # "vượt 100% KH (300/150 người)"
            numerator = inside[0]
        if numerator is not None and numerator.q.kind == "fraction":
            if any(n.q.unit == "%" for n in p.nums[numerator.index + 1 : c.index]):
                found.gap("ratio", cue, "plan value not printed", [c])
                continue  # "594/5.791 tỷ đồng, bằng 10%KH ... và bằng 11%KH thực tế giao"
            found.add(
                "ratio",
                [
                    operand(numerator, "numerator", "numerator"),
                    operand(numerator, "denominator", "denominator"),
                    operand(c, "stated"),
                ],
                cue,
                form="exceed" if exceed else "percent",
                tags=("fraction_xy", "plan"),
            )
            continue
        if numerator is None:
            found.gap("ratio", cue, "the figure measured against the plan is not found", [c])
            continue
        plan = None
        span = _bracket_after(p, c)
        if span is not None:
            inside = [n for n in _inside(p, span) if n.role == "value"]
            if len(inside) == 1:
                plan = inside[0]
        if plan is None:
            target = words(_words_after(p, c)) + numerator.label.split()
            pool = [
                n
                for n in p.nums
                if n.role == "value"
                and n is not numerator
                and n.q.kind != "fraction"
                and _compatible(n, numerator)
                and n.plan
            ]
            pool = [n for n in pool if _names_fit(_words_after(p, c), n)]
            here = [
                n
                for n in pool
                if n.sentence == c.sentence
                and n.q.end <= numerator.q.start
                and ";" not in p.doc.text[n.q.end : numerator.q.start]
            ]
            if len(here) == 1:  # "tổng kế hoạch ... là P, giải ngân ... là V, bằng X%"
                plan = here[0]
            elif len(pool) > 1:  # the plan of the same line first ("chi thường xuyên")
                plan = _by_name(pool, numerator.label.split(), 0.6) or _by_name(pool, target, 0.0)
            elif pool and (
                0 <= c.sentence - pool[0].sentence <= PLAN_SENTENCES
                or _by_name(pool, target, 0.5) is not None
            ):
                plan = pool[0]  # the one plan printed near it, or named by it
            elif not pool and c.sentence == 0:  # the paragraph before ends with the plan
                before = [
                    n
                    for n in _closing_sentence(p)
                    if n.plan and n.depth == 0 and _compatible(n, numerator)
                ]
                plan = before[0] if len(before) == 1 else None
        if plan is None:
            found.gap("ratio", cue, "plan value not printed", [c, numerator])
            continue
        ops = [operand(numerator, "value" if exceed else "numerator")]
        if exceed:  # "vượt 8,3% dự toán (3.600 tỷ đồng)": a change over the plan
            ops += [operand(plan, "reference"), operand(c, "stated")]
            found.add("change", ops, cue, form="percent", direction="+", tags=("plan",))
        else:
            ops += [operand(plan, "denominator"), operand(c, "stated")]
            found.add("ratio", ops, cue, form="percent", tags=("plan",))


_PLAN_WORDS = set(fold("kế hoạch kh dự toán chỉ tiêu năm giao tổng số vốn").split())


def _names_fit(phrase: str, n: Num) -> bool:
    """Whether the words that name a plan or a whole after a percentage ("kế hoạch giao
    chi tiết", "dư nợ cho vay của NHTM") fit figure ``n``: every word beyond the
    generic ones must be in its name."""
    specific = [w for w in words(phrase) if w not in _PLAN_WORDS]
    if not specific:
        return True
    name = set(n.label.split()) | set(words(n.q.unit or n.noun or ""))
    return all(w in name for w in specific)


# ----------------------------------------------------------------------------- shares


def find_shares_of(p: Passage, found: Found) -> None:
    """A percentage of a named or bracketed whole, and x/y printed with its z%."""
    for c in p.nums:
        if c.q.unit != "%" or c.role in ("change", "plan", "ratio"):
            continue
        span = _bracket_after(p, c, 50)
        inside = [n for n in _inside(p, span) if n.role == "value"] if span else []
        if len(inside) == 1 and inside[0].q.kind == "fraction":  # "99,6% (25.891/25.995 em)"
            _fraction_ratio(found, inside[0], c, "fraction_after")
            continue
        if c.role == "value":
            fraction = _fraction_before(p, c)
            if fraction is not None:
                _fraction_ratio(found, fraction, c, "fraction_xy")
                continue
        whole = inside[0] if len(inside) == 1 and inside[0].q.unit != "%" else None
        if whole is None and c.role == "value" and not _names_a_whole(p, c):
            continue  # a rate, stated on its own
        part = None
        if whole is not None:
            part = next((n for n in _values_back(p, c, 1) if _compatible(n, whole)), None)
        else:
            near = [n for n in _values_back(p, c) if _same_clause(p, n, c)]
            part = near[0] if near and near[0].q.unit != "%" else None
            if part is None and c.role == "share":  # "Riêng cà phê chiếm 31,3%": named before
                lead = c.label.split()
                earlier = [n for n in p.nums[: c.index] if n.role == "value" and n.q.unit != "%"]
                part = _by_name(reversed(earlier), lead, 0.5) if lead else None
            if part is None:
                continue  # a share in a structure (find_structures)
            named = words(_words_after(p, c, 50))
            pool = [
                n
                for n in p.nums
                if n.role == "value" and n is not part and _compatible(n, part) and n.q.unit != "%"
            ]
            if named:
                fitting = [n for n in pool if _names_fit(_words_after(p, c, 50), n)]
                whole = _by_name(fitting, named, 0.5)
            elif whole is None:  # no name: the plan of its clause, its total, the lead's
                whole = (
                    _plan_before(p, part, pool)
                    or found.part_of.get(part.q.id)
                    or _lead_whole(p, c, pool)
                )
        cue = found.cue(c.q.start, c.q.end + len(_words_after(p, c, 50)))
        if whole is None or part is None:
            found.gap("ratio", cue, "the whole this is a share of is not printed", [c])
            continue
        found.add(
            "ratio",
            [operand(part, "numerator"), operand(whole, "denominator"), operand(c, "stated")],
            cue,
            form="percent",
            tags=("share",),
        )


def _plan_before(p: Passage, part: Num, pool: list[Num]) -> Num | None:
    """ "Tổng kế hoạch vốn ... là 121,03 tỷ đồng, giải ngân ... là 96,57 tỷ đồng, bằng
    79,8%": the one plan figure earlier in the clause of the figure measured."""
    here = [
        n
        for n in pool
        if n.plan
        and n.sentence == part.sentence
        and n.q.end <= part.q.start
        and ";" not in p.doc.text[n.q.end : part.q.start]
    ]
    return here[0] if len(here) == 1 else None


def _names_a_whole(p: Passage, c: Num) -> bool:
    """ "đạt 74,1% tổng sản lượng": a percentage followed by the name of a figure."""
    named = words(_words_after(p, c, 50))
    pool = [n for n in p.nums[: c.index] if n.role == "value" and n.q.unit != "%"]
    return bool(named) and _by_name(pool, named, 0.6) is not None


def _lead_whole(p: Passage, c: Num, pool: list[Num]) -> Num | None:
    """ "Trong sản lượng nuôi trồng, tôm ... chiếm 30,5%", "Trong tổng số 8 tháng, ...":
    the whole named at the start of the sentence."""
    s = p.sentence_start(c.sentence)
    m = re.match(r"\s*Trong (?:tổng (?:số )?)?([^,]{3,60}),", p.doc.text[s : c.q.start])
    if not m:
        return None
    before = _same_period([n for n in pool if n.q.start < s], m.group(1))
    named = words(m.group(1))
    if not named:  # "Trong tổng số 8 tháng": only the period names it
        return before[-1] if len(before) >= 1 else None
    return _by_name(before, named, 0.5)


def _fraction_before(p: Passage, c: Num) -> Num | None:
    """ "612/671 trường đạt chuẩn quốc gia, đạt 91,2%": x/y, then its percentage (not
    "3.355/5.423 hồ sơ ..., trong đó trả đúng hạn ... đạt 100%": a share of a part)."""
    for n in reversed(p.nums[: c.index]):
        if n.sentence != c.sentence or n.q.kind != "fraction":
            return None  # another number stands between
        between = p.doc.text[n.q.end : c.q.start]
        if ";" in between or _BREAKDOWN.search(between):
            return None
        return n
    return None


def _fraction_ratio(found: Found, fraction: Num, c: Num, tag: str) -> None:
    cue = found.cue(min(fraction.q.start, c.q.start), max(fraction.q.end, c.q.end))
    found.add(
        "ratio",
        [
            operand(fraction, "numerator", "numerator"),
            operand(fraction, "denominator", "denominator"),
            operand(c, "stated"),
        ],
        cue,
        form="percent",
        tags=("fraction_xy", tag),
    )


# ----------------------------------------------------------------------------- breakdowns


def _complete(cue_word: str, parts: list[Num], p: Passage) -> tuple[bool, str | None]:
    """Is a breakdown meant to be the whole, read from its words (never its sums)."""
    if len(parts) < 2:
        return False, "one part named: parts <= total"
    word = cue_word.lower().rstrip(" :")
    last = fold(p.doc.text[parts[-2].q.end : parts[-1].q.end])
    lead = fold(p.doc.text[p.sentence_start(parts[0].sentence) : parts[0].q.start])
    if _MAIN_ONES.search(lead):
        return False, "the main items only ('chủ yếu'): parts <= total"
    if word in _COMPLETE_CUES:
        return True, None
    if _RESIDUAL.search(last):
        return True, "the list ends with the rest ('khác', 'còn lại')"
    labels = [set(n.label.split()) for n in parts]
    for a, b in _COMPLEMENTARY:
        if len(parts) == 2 and (
            (a <= labels[0] and b <= labels[1]) or (b <= labels[0] and a <= labels[1])
        ):
            return True, "two complementary parts"
    if all("đóng" in lab and "góp" in lab for lab in labels):
        return True, "contributions of every component"
    return False, f"'{word}' names some of the parts: parts <= total (equality not assumed)"


_LIST_END = re.compile(
    r";[^;]*?(?:lũy kế|luỹ kế|tính chung|từ đầu năm|cả năm|riêng|tỷ lệ|"
    r"(?<!dưới )(?<!trên )(?<!từ )\d+ tháng|"
    r"tháng \d+|so với)|;\s*(?:[-+]\s*)?tổng\b",
    re.IGNORECASE,
)


def _parts_after(
    p: Passage, start: int, end: int, depth: int, one_clause: bool = False
) -> list[Num]:
    """The values listed from ``start`` to the end of the list (the sentence, or a ";"
    that opens another period or topic; when ``one_clause``, any ";" but in a list of
    contributions) at bracket depth ``depth``: not a comparison, not a reference or a
    sub-breakdown in brackets after a part.

    An item of the list is what a ";" opens, or a figure of the kind the item opened
    with ("đàn trâu 148.200 con, đàn bò 321.760 con"; "Nông nghiệp 08 dự án với ... 737,9
    tỷ đồng; công nghiệp 10 dự án với ..."); in one item only the first figure of each
    kind is a part ("40 dự án ..., tổng vốn đăng ký 16.314 tỷ đồng, giá trị vốn đầu tư
    thực hiện ... khoảng 8.944 tỷ đồng": 16.314)."""
    parts: list[Num] = []
    item: list[Num] = []
    pos = start
    semicolon = False
    for n in p.nums:
        if n.q.start < start or n.q.start >= end:
            continue
        if _LIST_END.search(p.doc.text, pos, n.q.start):
            break
        semicolon = semicolon or ";" in p.doc.text[pos : n.q.start]
        pos = n.q.end
        if n.depth != depth or n.role != "value":
            continue
        if semicolon and one_clause and parts and not _contributions([*parts, n]):
            break  # "trong đó có 15 dự án ...; điều chỉnh tăng vốn cho 11 lượt dự án"
        if semicolon or not item or n.family == item[0].family:
            item = [n]
            parts.append(n)
        elif all(m.family != n.family for m in item):
            item.append(n)
            parts.append(n)
        semicolon = False
    return parts


def _measured(n: Num) -> bool:
    """A number without a unit counts as a part only if it looks like a measure
    (grouped or with decimals: "đàn lợn 556.520"), not "1" in "ít nhất 1 mũi"."""
    return n.unit is not None or "." in n.q.text or "," in n.q.text


def _same_family(parts: list[Num], total: Num) -> list[Num]:
    """The parts that measure what ``total`` measures (a unit left out is the list's)."""
    if _contributions(parts) and total.q.unit == "%":
        return parts  # "tăng 7,15%; trong đó ... đóng góp 0,62 điểm phần trăm, ..."
    if total.unit is None:
        if not _measured(total):
            return []
        families = {n.family for n in parts if n.unit is not None}
        if len(families) == 1 and None not in families:  # "đàn lợn 556.520⁴" / "Lợn nái 61.200 con"
            return [n for n in parts if _measured(n)]
        return [n for n in parts if n.unit is None and _measured(n)]
    bare = len(parts) >= 2 and all(n.unit is None for n in parts)  # "... là 211; ... là 165"
    keep = [n for n in parts if _kin(n, total) or (n.unit is None and (bare or _measured(n)))]
    # the rates of sub-groups ("công suất ... 86,57%, trong đó tuyến tỉnh 87,71%") and
    # growth rates do not add up; shares of one whole are find_structures'
    return [n for n in keep if n.q.unit != "%"]


def _add_breakdown(
    found: Found,
    p: Passage,
    total: Num,
    parts: list[Num],
    cue: Cue,
    cue_word: str,
    tags: tuple[str, ...],
) -> None:
    complete, note = _complete(cue_word, parts, p)
    months = [_MONTH_LABEL.search(fold(n.context)) for n in parts]
    if len(parts) == 1 and months[0] and total.period == "ytd":
        return  # "tính chung 2 tháng ..., trong đó tháng 1 đạt ...": find_periods reads it
    kind = "ytd" if len(parts) >= 2 and all(months) else "sum"
    relation = found.add(
        kind,
        [operand(total, "total"), *(operand(n, "part") for n in parts)],
        cue,
        complete=complete,
        note=note,
        tags=tags,
    )
    if total.q.kind == "fraction" and all(n.q.kind == "fraction" for n in parts):
        # "2.573/2.763 ha (Trong đó: KNTS mới: 0/190 ha; KNTS chuyển tiếp: 2.573/2.573ha)":
        # the plans add up as the results do
        found.add(
            kind,
            [
                operand(total, "total", "denominator"),
                *(operand(n, "part", "denominator") for n in parts),
            ],
            cue,
            complete=complete,
            note=note,
            tags=(*tags, "denominators"),
        )
    if relation is not None:
        for n in parts:
            found.part_of.setdefault(n.q.id, total)


def _total_before(p: Passage, at: int, sentence: int, parts: list[Num]) -> Num | None:
    """The total a breakdown cue at ``at`` refers to: the nearest figure of its kind
    before the cue in the sentence; else, when words name it ("Thu nội địa bao gồm"),
    the figure so named; else (the cue opens the sentence) the last such figure of the
    sentence before."""
    text = p.doc.text
    s_start = p.sentence_start(sentence)
    here = [
        n
        for n in p.nums
        if s_start <= n.q.start
        and n.q.end <= at
        and not _closed_before(n, at)
        and (n.role == "value" or (_contributions(parts) and n.role == "change"))
    ]
    for n in reversed(here):
        if _same_family(parts, n):
            return n
    lead = text[s_start:at]
    named = words(lead)
    if named and not here:
        earlier = [n for n in p.nums if n.q.end <= s_start and n.role == "value"]
        total = _by_name(reversed(_same_period(earlier, lead)), named, 0.5)
        if total is not None:
            return total
    if named:
        return None
    previous = [
        n
        for n in p.nums
        if n.sentence == sentence - 1 and n.role == "value" and not _closed_before(n, s_start)
    ]
    for n in reversed(previous):
        if _same_family(parts, n):
            return n
    return None


def find_breakdowns(p: Passage, found: Found) -> None:
    text = p.doc.text
    for m in _BREAKDOWN.finditer(text, p.start, p.end):
        at = m.start()
        if p.footnote is not None and not text[p.start : at].strip(" \t\n0123456789"):
            continue  # "Trong đó: ..." opening a footnote: find_footnote_breakdowns reads it
        sentence = p.sentence_of(at)
        depth = next((n.depth for n in p.nums if n.q.start > at), 0)
        # "trong đó có 15 dự án ... với 97,2 triệu USD; điều chỉnh ...": a "trong đó"
        # without a colon names parts of its own clause only
        one_clause = (
            m.group(1).lower().startswith("trong đó")
            and not m.group().rstrip().endswith(":")
            and not depth  # in brackets, the bracket bounds the list
        )
        end = p.sentence_end(sentence)
        if depth:  # "(trong đó: khách quốc tế 57.191 lượt, ...)": up to its bracket's end
            close = _closing(p.doc.text, at, end)
            end = close if close is not None else end
        listed = _parts_after(p, m.end(), end, depth, one_clause)
        cue = found.cue(at, m.end())
        if not listed:
            continue
        # one relation per kind of figure listed ("15 dự án ... với 97,2 triệu USD")
        groups: dict[str | None, list[Num]] = {}
        for n in listed:
            groups.setdefault(n.family if n.unit else "?", []).append(n)
        if "?" in groups and len(groups) == 2:  # a unit left out: the list's unit
            groups = {"": list(listed)}
        formed = False
        for group in groups.values():
            if group[0].unit is None and len(groups) > 1:
                continue
            total = _total_before(p, at, sentence, group)
            if total is None:
                continue
            parts = [n for n in _same_family(group, total) if n is not total]
            if parts:
                _add_breakdown(found, p, total, parts, cue, m.group(1), (fold(m.group(1)),))
                formed = True
        if not formed:
            found.gap("parts_sum", cue, "no total of the same kind as the parts is printed", listed)
    _lead_breakdowns(p, found)
    _bracket_breakdowns(p, found)


def _closing(text: str, at: int, end: int) -> int | None:
    """The offset of the ")" that closes the bracket ``at`` is inside."""
    depth = 0
    for k in range(at, end):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            if depth == 0:
                return k
            depth -= 1
    return None


def _contributions(parts: list[Num]) -> bool:
    """ "..., đóng góp 1,05 điểm phần trăm": what each part adds to a growth rate."""
    return bool(parts) and all(
        n.q.kind == "points" and "đóng góp" in fold(n.context) for n in parts
    )


def _lead_breakdowns(p: Passage, found: Found) -> None:
    """ "Trong sản lượng nuôi trồng, tôm đạt 121.480 tấn, ...; cua 17.620 tấn": parts
    of a whole named at the start of the sentence (some of them)."""
    text = p.doc.text
    for m in _LEAD_WHOLE.finditer(text, p.start, p.end):
        sentence = p.sentence_of(m.start())
        parts = _parts_after(p, m.end(), p.sentence_end(sentence), 0)
        earlier = [n for n in p.nums if n.q.end <= m.start() and n.role == "value"]
        whole = _by_name(reversed(_same_period(earlier, m.group(1))), words(m.group(1)), 0.5)
        if whole is None or not parts:
            continue
        parts = [n for n in _same_family(parts, whole) if n is not whole]
        if len(parts) >= 2:  # one part with its share is a ratio (find_shares_of)
            cue = found.cue(m.start(), m.end())
            found.add(
                "sum",
                [operand(whole, "total"), *(operand(n, "part") for n in parts)],
                cue,
                complete=False,
                note="the whole named, some of its parts listed: parts <= total",
                tags=("lead_whole",),
            )
            for n in parts:
                found.part_of.setdefault(n.q.id, whole)


def _bracket_breakdowns(p: Passage, found: Found) -> None:
    """ "1,37 triệu lượt (khách quốc tế 420 nghìn lượt, ...; khách nội địa 950 nghìn
    lượt, ...)": parts in brackets right after their total."""
    for total in p.nums:
        if total.role != "value" or total.q.unit == "%":
            continue
        text = p.doc.text
        after = text[total.q.end : total.q.end + 3]
        if not after.lstrip().startswith("("):
            continue
        open_at = total.q.end + after.index("(")
        close = text.find(")", open_at)
        span = (open_at, close + 1 if close > 0 else p.end)
        label = fold(text[open_at + 1 : open_at + 40])
        if _REFERENCE_LABEL.match(label):
            continue
        inside = [n for n in _inside(p, span) if n.role == "value" and n.depth == total.depth + 1]
        parts = [n for n in _same_family(inside, total) if n.q.kind != "fraction"]
        named = re.match(r"\s*[^\W\d_]", label)  # "(khách quốc tế 420 nghìn lượt, ...)"
        if not parts or not (named or len(parts) >= 2):  # "(01 đơn khiếu nại, 01 đơn ...)"
            continue
        cue = found.cue(open_at, min(span[1], open_at + 30))
        complete = len(parts) >= 2
        _add_breakdown(
            found, p, total, parts, cue, "gồm" if complete else "trong đó", ("paren_split",)
        )


def find_footnote_breakdowns(doc: Document, passages: list[Passage], found: Found) -> None:
    """The parts of a total in the footnote whose marker is glued to it."""
    by_quantity = {n.q.id: (p, n) for p in passages for n in p.nums}
    notes = {p.footnote: p for p in passages if p.footnote is not None}
    for qid, number in doc.footnote_refs.items():
        note = notes.get(number)
        if qid not in by_quantity or note is None:
            continue
        _, total = by_quantity[qid]
        parts = _parts_after(note, note.start, note.end, 0)
        lead = fold(doc.text[note.start : note.start + 20])
        cue = found.cue(note.start, min(note.end, note.start + 20))
        kept = _same_family(parts, total)
        if not kept:
            if parts:
                found.gap("parts_sum", cue, "parts in different units", parts)
            continue
        opened = _BREAKDOWN.match(lead.lstrip(" 0123456789"))
        if len(kept) < 2 and not opened:
            continue  # "Năm 2023 phê duyệt 05 nhiệm vụ ...": says more, lists nothing
        word = "trong đó" if lead.lstrip(" 0123456789").startswith("trong đó") else "gồm"
        _add_breakdown(found, note, total, kept, cue, word, ("footnote",))


# ----------------------------------------------------------------------------- periods


def find_periods(p: Passage, found: Found) -> None:
    """A figure for the period to date against the month's figure of the same measure:
    ytd = previous ytd + month when the previous period to date is printed ("(lũy kế
    đến 31/10 đạt 2.032,5 tỷ đồng)"), ytd = month 1 + month 2 in February, else the
    period to date is at least the month (or the quarter it ends with).

    The figures are levels outside brackets and outside a breakdown; a bracketed
    figure only ever serves as the earlier period. A month figure pairs with one
    period to date, the first of its measure after it (or before it, when the month
    is singled out: "...; riêng tháng 6 đón 612 nghìn lượt")."""
    report_month = p.doc.meta.month
    levels = _levels(p)
    free = [n for n in levels if n.depth == 0 and n.q.id not in found.part_of]
    used: set[str] = set()
    for y in (n for n in free if n.period == "ytd"):
        months = y.months or report_month
        candidates = [
            n
            for n in free
            if n.q.id not in used
            and n is not y
            and abs(n.sentence - y.sentence) <= 2
            and _compatible(n, y)
            and (n.unit is None) == (y.unit is None)
            and (_ends_with(n, months, y) or _this_month(p, n, y))
            and (n.q.start < y.q.start or _singled_out(p, n))
        ]
        partner = _best_measure(y, candidates)
        before = _paragraph_before(p, y)
        if partner is None and before:  # "Lũy kế đạt: 1.062.365 lượt khách" after the month's
            month = [
                n
                for n in before
                if n.depth == 0 and n.q.id not in found.part_of and _compatible(n, y)
            ]
            partner = month[0] if len(month) == 1 and month[0].period in (None, "month") else None
        if partner is None or partner.q.id in used:
            continue
        used.add(partner.q.id)
        cue = found.cue(*_cue_span(p, y))
        earlier = _earlier_period(p, y, partner, levels + before, months)
        if earlier is not None:
            prior, tag = earlier
            found.add(
                "ytd",
                [operand(y, "total"), operand(prior, "part"), operand(partner, "part")],
                cue,
                complete=True,
                tags=(tag,),
            )
            continue
        if partner.period == "quarter":
            note = "the period to date is at least the quarter it ends with"
        else:
            note = "only the month is printed: the period to date is at least the month"
        found.add(
            "ytd",
            [operand(y, "total"), operand(partner, "part")],
            cue,
            complete=False,
            note=note,
            tags=("quarter",) if partner.period == "quarter" else ("month_only",),
        )


def _this_month(p: Passage, n: Num, y: Num) -> bool:
    """In a monthly report, a figure with no period of its own just before the year to
    date of the same measure is the month's: "Tổng thu từ khách du lịch đạt khoảng 1.875
    tỷ đồng, ...; Lũy kế đạt khoảng 3.541 tỷ đồng", or in the sentence before when the
    year to date opens its sentence without a name ("Lũy kế 02 tháng đầu năm 2024 ước
    đạt 6.920 tỷ đồng")."""
    if p.doc.meta.month is None or n.period is not None or n.q.start > y.q.start:
        return False
    if n.sentence == y.sentence - 1:
        opens = not any(m.role == "value" and m.sentence == y.sentence for m in p.nums[: y.index])
        return opens and not y.label
    if n.sentence != y.sentence:
        return False
    if any(m.period == "ytd" for m in p.nums[n.index + 1 : y.index] if m.role == "value"):
        return False
    return not y.label or overlap(y.label.split(), n.label.split()) >= SAME_MEASURE


SAME_MEASURE = 0.75  # share of a name's words the other name must have


def _levels(p: Passage) -> list[Num]:
    return [
        n
        for n in p.nums
        if n.role == "value" and n.q.kind == "amount" and n.q.unit != "%" and not n.plan
    ]


def _closing_sentence(p: Passage) -> list[Num]:
    """The levels of the last sentence of the paragraph just before ``p`` (adjacent),
    bracketed ones too ("(524.266 lượt khách)": last month's)."""
    prev = p.previous
    if prev is None or p.doc.text[prev.end : p.start].strip():
        return []
    last = len(prev.sentence_starts) - 1
    return [n for n in prev.nums if n.sentence == last and n.role == "value"]


def _paragraph_before(p: Passage, y: Num) -> list[Num]:
    """The levels of the paragraph just before, when ``y`` opens its paragraph without
    naming what it measures ("Lũy kế đạt: ..."): the measure is the one before."""
    if y.label or any(n.role == "value" for n in p.nums[: y.index]):
        return []
    return [n for n in _closing_sentence(p) if n.q.kind == "amount" and n.q.unit != "%"]


def _ends_with(n: Num, months: int | None, y: Num) -> bool:
    """Whether ``n`` is the month (or a quarter) that a period of ``months`` ends with."""
    if n.period == "quarter":
        return months is not None and n.months == months and (y.months or 0) > 3
    if n.period != "month":
        return False
    return n.months is None or months is None or n.months == months


_SINGLED_OUT = re.compile(r"\briêng\b")


def _singled_out(p: Passage, n: Num) -> bool:
    return bool(
        _SINGLED_OUT.search(
            fold(p.doc.text[max(p.sentence_start(n.sentence), n.q.start - 60) : n.q.start])
        )
    )


def _best_measure(y: Num, candidates: list[Num]) -> Num | None:
    """The figure among ``candidates`` that names the same measure as ``y``: the best
    name match, then the nearest; none when some other figure names it and this
    one does not."""
    if not candidates:
        return None
    scored = [
        (overlap(n.label.split(), y.label.split()) if n.label else 0.0, -abs(n.index - y.index), n)
        for n in candidates
    ]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return scored[0][2]


def _earlier_period(
    p: Passage, y: Num, month: Num, levels: list[Num], months: int | None
) -> tuple[Num, str] | None:
    """The figure for the rest of the period: the previous period to date (printed
    as such, or as "N-1 tháng"), or in a two-month period the first month ("(tháng 1
    đạt ...)")."""
    if month.period not in ("month", None):
        return None
    for n in levels:
        if n is y or n is month or not _compatible(n, y) or abs(n.sentence - month.sentence) > 1:
            continue
        if n.period == "previous_ytd":
            return n, "prev_ytd"
        if (
            n.period == "ytd"
            and n.months is not None
            and months is not None
            and n.months == months - 1
        ):
            if n.depth > 0 or n.q.start < y.q.start:
                return n, "prev_ytd"
        if months == 2 and n.period == "month" and n.months == 1:
            return n, "months_listed"  # "(tháng 1 đạt ...)", "trong đó tháng 1 đạt ..."
    return None


def _cue_span(p: Passage, y: Num) -> tuple[int, int]:
    start = max(p.sentence_start(y.sentence), y.q.start - 40)
    return start, y.q.start


# ----------------------------------------------------------------------------- structures


def find_structures(p: Passage, found: Found) -> None:
    """Shares of one whole that add up to 100: a list after "cơ cấu" or "tỷ trọng", or
    a list of "chiếm" shares that ends with the rest ("và dịch vụ khác 12,4%")."""
    text = p.doc.text
    for s in range(len(p.sentence_starts)):
        start, end = p.sentence_start(s), p.sentence_end(s)
        sentence = text[start:end]
        shares = [
            n
            for n in p.in_sentence(s)
            if n.q.unit == "%" and n.role in ("value", "share") and n.depth == 0
        ]
        cue_m = _STRUCTURE.search(sentence)
        if cue_m and len(shares) >= 2:
            after = [n for n in shares if n.q.start > start + cue_m.end()]
            if len(after) >= 2:
                found.add(
                    "shares",
                    [operand(n, "part") for n in after],
                    found.cue(start + cue_m.start(), start + cue_m.end()),
                    complete=True,
                    tags=("structure",),
                )
                continue
        chiem = [n for n in shares if n.role == "share"]
        if (
            len(shares) >= 3
            and chiem
            and _RESIDUAL.search(fold(text[shares[-2].q.end : shares[-1].q.end]))
        ):
            found.add(
                "shares",
                [operand(n, "part") for n in shares],
                found.cue(shares[0].q.start, shares[-1].q.end),
                complete=True,
                tags=("structure", "chiem_list"),
            )


# ----------------------------------------------------------------------------- implicit sums

_NAMED_TOTAL = re.compile(r"\s*(?:tổng|tổng cộng)\s+(.+?)\s+và\s+(.+?)\s*(?:ước |đạt|là|có|:|$)")


def find_implicit_sums(p: Passage, found: Found) -> None:
    """Totals stated without a list word. "Tổng vốn FDI cấp mới và tăng thêm đạt
    245,0 triệu USD" after the two figures it names; and two complementary figures
    in one sentence ("Sản lượng nuôi trồng đạt ...; sản lượng khai thác đạt ...")
    after the total of the same measure in the sentence before."""
    levels = [n for n in p.nums if n.role == "value" and n.depth == 0 and n.q.unit != "%"]
    for total in levels:
        m = _NAMED_TOTAL.match(fold(_clause_before(p, total)))
        if not m:
            continue
        earlier = [n for n in levels if n.q.end <= total.q.start and _compatible(n, total)]
        parts = []
        for name in (m.group(1), m.group(2)):
            tail = words(name)[-2:]
            part = next(
                (
                    n
                    for n in earlier
                    if tail and all(w in words(_clause_before(p, n, ";")) for w in tail)
                ),
                None,
            )
            if part is None or part in parts:
                break
            parts.append(part)
        else:
            found.add(
                "sum",
                [operand(total, "total"), *(operand(n, "part") for n in parts)],
                found.cue(total.q.start - len(_clause_before(p, total)), total.q.start),
                complete=True,
                note="a total named by its two components",
                tags=("total_after_parts",),
            )
    for s in range(len(p.sentence_starts)):
        pair = [n for n in levels if n.sentence == s]
        for a, b in pairwise(pair):
            if not _compatible(a, b) or not _complementary(a.label.split(), b.label.split()):
                continue
            head = [w for w in a.label.split() if w in b.label.split()]
            before = [n for n in levels if n.sentence == s - 1 and _compatible(n, a)]
            whole = _by_name(before, head, 1.0) if head else None
            if whole is None or whole.q.id in found.part_of:
                continue
            found.add(
                "sum",
                [operand(whole, "total"), operand(a, "part"), operand(b, "part")],
                found.cue(p.sentence_start(s), a.q.start),
                complete=True,
                note="two complementary parts of the total before them",
                tags=("complementary",),
            )


def _clause_before(p: Passage, n: Num, breaks: str = ",;:") -> str:
    """The words before ``n`` back to the last clause break of its sentence."""
    start = p.sentence_start(n.sentence)
    chunk = p.doc.text[start : n.q.start]
    cut = max(chunk.rfind(ch) for ch in breaks)
    return chunk[cut + 1 :]


def _complementary(a: list[str], b: list[str]) -> bool:
    sa, sb = set(a), set(b)
    return any((x <= sa and y <= sb) or (y <= sa and x <= sb) for x, y in _COMPLEMENTARY)


def find_all(passages: list[Passage], found: Found) -> None:
    """Every finder over every passage, in the order their results feed each other:
    breakdowns first (their parts are not months or shares of anything else), the
    footnote breakdowns before the shares (a footnote names a whole)."""
    for finder in (find_breakdowns, find_changes, find_plan_ratios):
        for p in passages:
            finder(p, found)
    find_footnote_breakdowns(found.doc, passages, found)
    for finder in (find_shares_of, find_periods, find_structures, find_implicit_sums):
        for p in passages:
            finder(p, found)
