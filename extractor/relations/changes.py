"""Changes and plan shares: a figure against a printed reference or plan.

* :func:`find_changes`: "tăng X% so với cùng kỳ (cùng kỳ đạt Y)", "gấp N lần ... (Y)",
  "giảm 30 doanh nghiệp so với tháng trước (Y)", "cao hơn X điểm phần trăm ... (Y%)",
  "bằng X% so với năm trước (Y)", the reference in the sentence before for the same
  period a year earlier, January as the two months to date less February;
* :func:`find_plan_ratios`: "đạt X% kế hoạch (Y)", "bằng X% dự toán", "vượt X% KH",
  the plan in brackets, in the same clause, or earlier and matched by its name.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from .collector import Collector
from .nearby import (
    PLAN_SENTENCES,
    bracket_after,
    bracket_reads,
    by_name,
    can_relate,
    closed_before,
    closing_sentence,
    direction_of,
    form_of,
    names_fit,
    numbers_inside,
    values_back,
    words_after,
)
from .reading import Num, Passage, operand, overlap, words
from .relation_records import Kind


def _reference(p: Passage, c: Num) -> tuple[Num, Num | None, str] | None:
    """The printed reference of comparison ``c``, the value it follows when the
    comparison comes first ("tăng 2,4% ..., đạt V (R)"), and how it was found:
    "ref_in_parens" (a figure, or a reference named as such, in the bracket right after
    the comparison and its basis), "delta_in_parens" ("(tương đương 1.775 ha)": the
    absolute change, not the reference), "bare_in_parens" (a figure alone, which may be
    either), "ref_named" ("so với con số R"), "ref_after_value", "ref_before",
    "ref_sentence_before", "ref_last_month" (last month's figure printed before).

    A bracket that opens with other words ("(trong đó khách quốc tế ...)") is not a
    reference, nor one that follows another clause ("tăng 32% so với cùng kỳ, vượt mục
    tiêu năm (8,4 triệu lượt)": the target's)."""
    span = bracket_after(p, c)
    if span is not None and "," not in p.doc.text[c.q.end : span[0]]:
        reads = bracket_reads(p, span)
        inside = [n for n in numbers_inside(p, span) if n.role == "value"]
        if reads == "delta" and not inside:  # "(tăng 1.775 ha)": tagged as a change
            inside = [n for n in numbers_inside(p, span) if n.q.unit != "%"]
        if reads != "other" and len(inside) == 1 and inside[0].q.kind != "fraction":
            how = {"delta": "delta_in_parens", "bare": "bare_in_parens"}.get(reads)
            return inside[0], None, how or "ref_in_parens"
    # "tăng 55,4% so với con số 16.405 tỷ đồng của năm 2023": the reference in words
    nxt = p.nums[c.index + 1] if c.index + 1 < len(p.nums) else None
    if (
        nxt is not None
        and nxt.role == "value"
        and nxt.depth == c.depth
        and nxt.q.unit != "%"
        and _REFERENCE_NAMED.fullmatch(p.fold(c.q.end, nxt.q.start))
    ):
        return nxt, None, "ref_named"
    # the figure, its reference in brackets, then the comparison: "ước đạt 25.500 tỉ
    # đồng (năm 2023 là 16.405 tỉ đồng), tăng 55,4%"
    prev = p.nums[c.index - 1] if c.index else None
    if prev is not None and prev.bracket is not None and prev.depth == c.depth + 1:
        value = next(
            (
                n
                for n in reversed(p.nums[: prev.index])
                if n.depth == c.depth and n.role == "value" and n.sentence == c.sentence
            ),
            None,
        )
        between = p.doc.text[prev.bracket[1] : c.q.start]
        if (
            value is not None
            and bracket_after(p, value) == prev.bracket
            and bracket_reads(p, prev.bracket) == "reference"
            and len(numbers_inside(p, prev.bracket)) == 1
            and not re.search(r"[;.]", between)
        ):
            return prev, value, "ref_before_change"
    # the comparison first, then its figure, then the reference in brackets
    after = [n for n in p.nums[c.index + 1 :] if n.sentence == c.sentence]
    clause_start = max(p.sentence_start(c.sentence), p.doc.text.rfind(";", 0, c.q.start) + 1)
    led = any(
        n.role == "value" and n.depth == c.depth and n.q.start >= clause_start
        for n in p.nums[: c.index]
    )
    if after and not led and after[0].role == "value" and after[0].depth == c.depth:
        span = bracket_after(p, after[0])
        if span is not None and bracket_reads(p, span) in ("bare", "reference"):
            inside = [n for n in numbers_inside(p, span) if n.role == "value"]
            if len(inside) == 1:
                return inside[0], after[0], "ref_after_value"
    # "So với lũy kế đến hết tháng 8 (R), giá trị giải ngân tăng thêm X"
    s_start = p.sentence_start(c.sentence)
    lead = p.fold(s_start, c.q.start)
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
    # "Đến ngày 30 tháng 6, huy động vốn ... được 13.503 tỷ đồng ... Ước đến ngày 31
    # tháng 7, huy động vốn ... được 13.664 tỷ đồng, tăng trưởng 1,19% so với cuối tháng
    # trước": last month's figure of the same measure, printed before
    if _LAST_MONTH_BASIS.match(p.fold(c.q.end, c.q.end + 40)):
        value = next((n for n in values_back(p, c) if n.q.unit != "%"), None)
        if value is not None and value.period == "month" and value.months:
            earlier = [
                n
                for n in p.nums[: value.index]
                if n.role == "value"
                and n.depth == 0
                and not n.plan
                and n.period == "month"
                and n.months == value.months - 1
                and n.family == value.family
                and can_relate(n, value)
                and overlap(n.label.split(), value.label.split()) >= 0.5
                and overlap(value.label.split(), n.label.split()) >= 0.5
            ]
            if len(earlier) == 1:
                return earlier[0], value, "ref_last_month"
    return None


_LAST_MONTH_BASIS = re.compile(r"\s*so (?:với )?(?:cuối |đầu )?tháng trước")
_REFERENCE_NAMED = re.compile(
    r"\s*so (?:với )?(?:con số|mức|số liệu|tổng số)\s*(?:khoảng|gần|hơn|trên|xấp xỉ)?\s*"
)


def _delta_or_reference(value: Num, figure: Num, c: Num) -> tuple[str, bool]:
    """A figure alone in brackets after "tăng X%" is the level a year before or the
    absolute change: "đạt 148.292 tấn, tăng 5,7% so với cùng kỳ (trên 8.000 tấn)". The
    magnitudes tell them apart (a one-digit slip cannot turn one into the other): the
    reading whose expected size is nearer, and whether the other is far enough to be
    sure."""
    v, b = value.q.absolute, figure.q.absolute
    x = c.q.value if direction_of(c) != "-" else -c.q.value
    if v <= 0 or b <= 0 or x <= -100:
        return "reference", False
    reference = v / (1 + x / 100)
    delta = abs(v - reference)
    if delta == 0:
        return "reference", True
    far_ref, far_delta = _log_distance(b, reference), _log_distance(b, delta)
    reading = "delta" if far_delta < far_ref else "reference"
    sure = min(far_ref, far_delta) < _TWICE and max(far_ref, far_delta) >= _TWICE
    return reading, sure


_TWICE = math.log(2)
_YEAR_BEFORE_BRACKET = re.compile(r"(?:năm|/|-)\s?(?:19|20)\d\d\s*\(\s*$")


def _near_reference(value: Num, figure: Num, c: Num) -> bool:
    """Whether ``figure`` is within a factor of two of the level before that ``value``
    and its change ``c`` give."""
    v, b = value.q.absolute, figure.q.absolute
    x = c.q.value if direction_of(c) != "-" else -c.q.value
    if v <= 0 or b <= 0 or x <= -100:
        return False
    return _log_distance(b, v / (1 + x / 100)) < _TWICE


def _log_distance(a: Decimal, b: Decimal) -> float:
    return abs(math.log(float(a) / float(b)))


_YEAR = re.compile(r"năm (\d{4})")


def _a_year_before(p: Passage, ref: Num, c: Num) -> bool:
    """ "Tháng 7 năm 2022, kim ngạch ... đạt R. Tháng 7 năm nay ước đạt V, giảm X% so
    với cùng kỳ": R is printed for an earlier year than the figure ``c`` compares."""
    if any(n.comparing for n in p.in_sentence(ref.sentence)):
        return False  # "đạt 51.990,563 triệu USD, tăng 81,84% so với năm 2022": this year's
    lead = p.fold(p.sentence_start(ref.sentence), ref.q.start)
    now = p.fold(p.sentence_start(c.sentence), c.q.start)
    then = [int(y) for y in _YEAR.findall(lead)]
    if not then:
        return False
    later = [int(y) for y in _YEAR.findall(now)]
    year = min(later) if later else p.doc.meta.year
    return "năm nay" in now or (year is not None and max(then) < year)


def find_changes(p: Passage, found: Collector) -> None:
    for c in p.nums:
        if c.role not in ("change", "ratio") or c.q.id in found.explained:
            continue
        if _absolute_with_percent(p, c, found):
            continue
        ref = _reference(p, c)
        form = form_of(c)
        rule = "ratio" if c.role == "ratio" else f"change_{form}"
        if ref is None and _last_month_from_ytd(p, c, found):
            continue
        if ref is None:
            found.gap(rule, found.cue(c.q.start, c.q.end), "reference value not printed", [c])
            continue
        reference, value, how = ref
        if value is None:
            candidates = values_back(p, c, sentences=1 if how != "ref_before" else 0)
            if form == "points":  # a rate: also one stated as a share or a plan's share
                candidates = _percents_back(p, c)
            candidates = [n for n in candidates if n is not reference]
            if how == "ref_before":
                lead = words(p.doc.text[reference.q.end : c.q.start])
                previous = [n for n in p.nums[: reference.index] if n.role == "value"]
                value = by_name(reversed(previous), lead, 0.5) if lead else None
            else:
                value = _subject(c, reference, candidates, form)
        if value is None:
            found.gap(rule, found.cue(c.q.start, c.q.end), "the figure compared is not found", [c])
            continue
        cue = found.cue(c.q.start, max(c.q.end, min(reference.q.start, c.q.end + 60)))
        # "tăng 205,08(207.723 tấn)": a change with no unit beside figures with one may
        # have lost its "%": an unsure reading
        certain = not (form == "absolute" and c.unit is None and value.unit is not None)
        if how == "bare_in_parens" and form == "percent" and c.role == "change":
            if _YEAR_BEFORE_BRACKET.search(p.fold(c.q.end, reference.q.start)):
                # "tăng 60,7% so với cùng kỳ năm 2023 (37,37 triệu USD)": that year's level
                # (unsure only when its size is far from what the change gives)
                reading, certain = "reference", _near_reference(value, reference, c)
            else:
                reading, certain = _delta_or_reference(value, reference, c)
            how = "delta_in_parens" if reading == "delta" else "ref_in_parens"
        if how == "delta_in_parens":
            if form != "percent" or not can_relate(value, reference):
                found.gap(rule, cue, "reference value not printed", [c])
                continue
            found.add(
                "ratio" if c.role == "ratio" else "change",  # "bằng 67,57% (-600 ha)"
                [
                    operand(value, "numerator" if c.role == "ratio" else "value"),
                    operand(reference, "delta"),
                    operand(c, "stated"),
                ],
                cue,
                form="percent",
                direction=direction_of(c),
                note=f"{reference.q.text} read as the absolute change of {value.q.text}, "
                f"printed beside its percentage {c.q.text}",
                tags=(how,),
                certain=certain,
            )
            continue
        note = f"{reference.q.text} read as the figure {value.q.text} is compared with"
        if form == "absolute" and c.unit is None and value.unit is not None:
            note += f"; {c.q.text} prints no unit: a '%' may be missing"
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
                note=note,
                tags=("ratio_prev_period", how),
                certain=certain,
            )
            continue
        found.add(
            "change",
            [operand(value, "value"), operand(reference, "reference"), operand(c, "stated")],
            cue,
            form=form,
            direction=direction_of(c),
            note=note,
            tags=(how,),
            certain=certain,
        )


_WITH_PERCENT = re.compile(r"\s*(?:\(\s*|,\s*)?(?:(?:tương đương|tương ứng|hay|bằng)\s*)?[+-]?\s*$")


_COMPARED_FIRST = re.compile(r"\s*so (?:với )?[^,;]{0,30}(?:tăng|giảm)\s*(?:thêm\s*)?$")


def _absolute_with_percent(p: Passage, c: Num, found: Collector) -> bool:
    """An absolute change printed with its percentage: "đạt 61,4 tạ/ha, tăng 0,85 tạ/ha
    (+1,4%)", "giảm 1.200 con, tương đương 2,3%". One statement: the percentage is the
    change over the level before, value - delta (value + delta for a fall). True when
    such a relation was made."""
    if form_of(c) != "absolute" or c.role != "change" or c.unit is None:
        return False
    nxt = p.nums[c.index + 1] if c.index + 1 < len(p.nums) else None
    if nxt is None or nxt.q.unit != "%" or nxt.sentence != c.sentence:
        return False
    if not _WITH_PERCENT.fullmatch(p.doc.text[c.q.end : nxt.q.start]):
        return False
    clause = max(p.sentence_start(c.sentence), p.doc.text.rfind(";", 0, c.q.start) + 1)
    sentences = 0
    semicolon = p.doc.text.rfind(";", p.start, clause)
    if _COMPARED_FIRST.match(p.fold(clause, c.q.start)) and semicolon >= 0:
        # "... đến 30/9/2022 là 25.390 tỷ đồng; so với 31/12/2021 tăng 1.475 tỷ đồng
        # (+6,2%)": a clause opening with its basis goes on with the figure before it
        before = p.sentence_of(semicolon)
        clause = max(p.sentence_start(before), p.doc.text.rfind(";", 0, semicolon) + 1)
        sentences = c.sentence - before
    value = next(
        (
            n
            for n in values_back(p, c, sentences=sentences)
            if n.q.start >= clause and n.q.unit != "%" and n.family == c.family
        ),
        None,
    )
    if value is None:
        return False
    found.explained.update((c.q.id, nxt.q.id))
    found.add(
        "change",
        [operand(value, "value"), operand(c, "delta"), operand(nxt, "stated")],
        found.cue(c.q.start, nxt.q.end),
        form="percent",
        direction=direction_of(c),
        note=f"{nxt.q.text} read as the change {c.q.text} over the level before {value.q.text}",
        tags=("delta_with_percent",),
    )
    return True


def _last_month_from_ytd(p: Passage, c: Num, found: Collector) -> bool:
    """In February: "tháng 02 ước đạt V, bằng X% so với tháng trước; lũy kế 02 tháng đạt
    Y": January is Y - V, so X% of it is checked. True when such a relation was made."""
    basis = c.q.comparison.basis if c.q.comparison else None
    if p.doc.meta.month != 2 or basis != "previous_period" or form_of(c) != "percent":
        return False
    value = next((n for n in values_back(p, c) if n.q.unit != "%" and n.depth == 0), None)
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
    if value is None or ytd is None or not can_relate(value, ytd) or value.period == "ytd":
        return False
    kind: Kind = "ratio" if c.role == "ratio" else "change"
    found.add(
        kind,
        [
            operand(value, "numerator" if kind == "ratio" else "value"),
            operand(ytd, "total"),
            operand(c, "stated"),
        ],
        found.cue(c.q.start, ytd.q.end),
        form="percent",
        direction=None if kind == "ratio" else direction_of(c),
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
        and not closed_before(n, c.q.start)
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
        if can_relate(n, reference) and (n.q.unit == "%") == (reference.q.unit == "%"):
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


def find_plan_ratios(p: Passage, found: Collector) -> None:
    for c in p.nums:
        if c.role != "plan" or c.q.id in found.explained:
            continue
        cue = found.cue(c.q.start, c.q.end + len(words_after(p, c)))
        candidates = [n for n in values_back(p, c) if n.q.unit != "%"]
        numerator = candidates[0] if candidates else None
        exceed = c.q.comparison is not None and c.q.comparison.direction == "exceed"
        span = bracket_after(p, c)
        if span is not None and bracket_reads(p, span) not in ("bare", "reference"):
            span = None  # "đạt 99,2% kế hoạch (trong đó khách quốc tế ...)"
        inside = [n for n in numbers_inside(p, span) if n.role == "value"] if span else []
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
        if span is not None:
            inside = [n for n in numbers_inside(p, span) if n.role == "value"]
            if len(inside) == 1:
                plan = inside[0]
        if plan is None:
            target = words(words_after(p, c)) + numerator.label.split()
            pool = [
                n
                for n in p.nums
                if n.role == "value"
                and n is not numerator
                and n.q.kind != "fraction"
                and can_relate(n, numerator)
                and n.plan
            ]
            pool = [n for n in pool if names_fit(words_after(p, c), n)]
            here = [
                n
                for n in pool
                if n.sentence == c.sentence
                and n.q.end <= numerator.q.start
                and ";" not in p.doc.text[n.q.end : numerator.q.start]
            ]
            # a listed part ("trong đó nguồn ngân sách Trung ương giải ngân được 2.942 tỷ
            # đồng, đạt 35,8% kế hoạch") has a plan of its own: one named like it, never
            # the plan of the whole on nearness alone
            part = numerator.q.id in found.part_of
            if len(here) == 1 and not part:  # "tổng kế hoạch ... là P, giải ngân ... là V, bằng X%"
                plan = here[0]
            elif len(pool) > 1 or (pool and part):  # the plan of the same line first
                plan = by_name(pool, numerator.label.split(), 0.6) or (
                    None if part else by_name(pool, target, 0.0)
                )
            elif pool and (
                0 <= c.sentence - pool[0].sentence <= PLAN_SENTENCES
                or by_name(pool, target, 0.5) is not None
            ):
                plan = pool[0]  # the one plan printed near it, or named by it
            elif not pool and c.sentence == 0:  # the paragraph before ends with the plan
                before = [
                    n
                    for n in closing_sentence(p)
                    if n.plan and n.depth == 0 and can_relate(n, numerator)
                ]
                plan = before[0] if len(before) == 1 else None
        if plan is None:
            plan = _allocated_before(p, numerator)
        certain = True
        if plan is None:
            plan, certain = _plan_nearby(p, c, numerator, found)
        if plan is None:
            found.gap("ratio", cue, "plan value not printed", [c, numerator])
            continue
        ops = [operand(numerator, "value" if exceed else "numerator")]
        note = f"{plan.q.text} read as the plan {numerator.q.text} is {c.q.text} of"
        if exceed:  # "vượt 8,3% dự toán (3.600 tỷ đồng)": a change over the plan
            ops += [operand(plan, "reference"), operand(c, "stated")]
            found.add(
                "change",
                ops,
                cue,
                form="percent",
                direction="+",
                note=note,
                tags=("plan",),
                certain=certain,
            )
        else:
            ops += [operand(plan, "denominator"), operand(c, "stated")]
            found.add("ratio", ops, cue, form="percent", note=note, tags=("plan",), certain=certain)


_DISBURSED = re.compile(r"\bgiải ngân\b")


def _allocated_before(p: Passage, numerator: Num) -> Num | None:
    """ "Vốn đầu tư ... là 386,1 tỷ đồng, hiện giải ngân được 188,713 tỷ đồng, đạt 48,8%
    kế hoạch": the capital allocated, the figure just before the disbursement in its
    sentence, is the plan it is measured against."""
    if not _DISBURSED.search(numerator.clause):
        return None
    before = next(
        (
            n
            for n in values_back(p, numerator)
            if n.depth == numerator.depth and can_relate(n, numerator)
        ),
        None,
    )
    if before is None or _DISBURSED.search(before.clause) or "vốn" not in before.name.split():
        return None
    if re.search(r"[;.](?:\s|$)", p.doc.text[before.q.end : numerator.q.start]):
        return None
    return before


PLAN_PARAGRAPHS = 4  # paragraphs around a share of plan where its plan may be printed


def _plan_nearby(p: Passage, c: Num, numerator: Num, found: Collector) -> tuple[Num | None, bool]:
    """The plan of ``numerator`` printed in a paragraph around: "được HĐND tỉnh giao dự
    toán tổng thu ngân sách ... 16.300 tỷ đồng. Trong đó, thu nội địa 7.800 tỷ đồng, ..."
    and later "thu nội địa đạt gần 6.230 tỷ đồng, đạt 79,9% dự toán". A plan, or a part
    listed under one, named like the figure measured (another paragraph's plan is never
    taken on nearness alone, and a failure against it is only a warning)."""
    pool = [
        n
        for q in found.neighbours(p, before=PLAN_PARAGRAPHS, after=PLAN_PARAGRAPHS)
        for n in q.nums
        if n.role == "value"
        and n.q.kind != "fraction"
        and can_relate(n, numerator)
        and (n.plan or (n.q.id in found.part_of and found.part_of[n.q.id].plan))
        and names_fit(words_after(p, c), n)
    ]
    named = by_name(pool, numerator.label.split(), 0.6) if pool else None
    return named, False  # named alike, a paragraph away: unsure
