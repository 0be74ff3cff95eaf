"""The arithmetic of a relation, checked: pure computation over its record.

Every operand stands for the interval its printing allows (a printed "7,89%" is
[7,885; 7,895]; an integer count without a scale word is exact); a check passes when
the relation holds for some reading inside those intervals. A check that fails is then
tried once more with the looser readings a report also allows: a hedged figure
("khoảng", "gần", "hơn", "trên", "xấp xỉ", "dưới") read as within 5% on its side, and
when round ("gần 16.800") as rounded to its last non-zero digit; a figure with
decimals or a scale word read as cut rather than rounded. If that explains it, the
finding is a ``warning`` (the numbers may be right). An unhedged "14.800" stands for
14.800: a total printed that way against parts that make 14.850 is an error.

A failure is an ``error`` only when nothing explains it and the relation is certain
(:class:`~extractor.relations.Relation`): its finder had one reading of the words. A
relation read from proximity fails as a ``warning`` that gives its reading ("unsure
reading"); so does one that holds on the printed digits once the scale words are set
aside ("3.785 lượt" beside "2.281 nghìn lượt": a scale word left out), and a model's
link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from ..relations.relation_records import Gap, Operand, Relation
from .findings import FactRef, Finding, Severity
from .intervals import HUNDRED, ZERO, Printed, counted, fmt, overlap, quantize, span

HEDGE_SHARE = Decimal("0.05")  # how far a hedged figure may be from the truth
_JUST_UNDER = Decimal("1e-9")  # a rounded figure's interval is open at its upper end


def printed(op: Operand) -> Printed:
    """The interval ``op`` stands for as printed."""
    value = op.absolute
    exact = op.decimals == 0 and op.scale == 1 and counted(op.unit)
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -op.decimals * op.scale
    return Printed(value, half)


def loose(op: Operand) -> Printed:
    """The widest reading of ``op`` a report allows: hedges and round figures."""
    p = printed(op)
    lo, hi = p.lo, p.hi
    if op.decimals or op.scale > 1:  # cut rather than rounded: "3.379,9" printed "3.379"
        hi = max(hi, p.value + 2 * (p.hi - p.value))
    if op.hedge and op.decimals == 0 and op.value == op.value.to_integral_value() and op.value:
        digits = str(int(abs(op.value)))
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros >= 2:  # "16.800": from 16.750 up to, not including, 16.850 (rounded half up)
            half = (Decimal(5) * Decimal(10) ** (zeros - 1) - _JUST_UNDER) * op.scale
            lo, hi = min(lo, p.value - half), max(hi, p.value + half)
    margin = abs(p.value) * HEDGE_SHARE
    if op.hedge in ("khoảng", "xấp xỉ"):
        lo, hi = lo - margin, hi + margin
    elif op.hedge in ("gần", "dưới"):
        lo = lo - margin
    elif op.hedge in ("hơn", "trên"):
        hi = hi + margin
    centre = p.value
    return Printed(centre, max(centre - lo, hi - centre))


def _refs(relation: Relation) -> tuple[FactRef, ...]:
    seen = set()
    out = []
    for op in relation.operands:
        key = (op.start, op.end)
        if key not in seen:
            seen.add(key)
            out.append(FactRef(op.fact, op.text, op.start, op.end))
    return tuple(out)


def _texts(ops: Sequence[Operand]) -> str:
    return " + ".join(o.text for o in ops)


def _in_units(value: Decimal, op: Operand | None) -> str:
    """``value`` (absolute) written in the scale of ``op``: 23.234 tỷ, not 23.234.000.000.000."""
    if op is None or op.scale == 1:
        return fmt(value) + (f" {op.unit}" if op is not None and op.unit else "")
    words = op.text.split()
    scale_words = " ".join(words[1:]) if len(words) > 1 else ""
    return f"{fmt(value / op.scale)} {scale_words}".rstrip()


class _Outcome:
    """What one reading of the operands gives: does it hold, what was expected."""

    def __init__(self, ok: bool, expected: Decimal, actual: Decimal, tolerance: Decimal):
        self.ok, self.expected, self.actual, self.tolerance = ok, expected, actual, tolerance


def _sum(total: Printed, parts: list[Printed], complete: bool) -> _Outcome:
    lo = sum((p.lo for p in parts), ZERO)
    hi = sum((p.hi for p in parts), ZERO)
    centre = sum((p.value for p in parts), ZERO)
    ok = overlap(lo, hi, total) if complete else lo <= total.hi
    return _Outcome(ok, centre, total.value, total.half + (hi - lo) / 2)


def _computed(f: Callable[..., Decimal], stated: Printed, *inputs: Printed) -> _Outcome | None:
    s = span(f, *inputs)
    if s is None:
        return None
    return _Outcome(
        overlap(s[0], s[2], stated), s[1], stated.value, stated.half + (s[2] - s[0]) / 2
    )


def _signed(stated: Printed, direction: str | None) -> Printed:
    """The stated change with the sign its words give ("giảm 0,36%" and "giảm ...
    (-0,36%)" are both -0,36)."""
    return Printed(-abs(stated.value), stated.half) if direction == "-" else stated


def _delta(delta: Operand, direction: str | None) -> int:
    """The sign of an absolute change: printed ("-600 ha"), or from its words."""
    if delta.value < 0 or direction == "-":
        return -1
    return 1


_MASS = {"kg": Decimal(1), "tạ": Decimal(100), "tấn": Decimal(1000)}


def mass_factor(rate_unit: str | None, total_unit: str | None) -> Decimal | None:
    """What a yield in ``rate_unit`` times an area gives in ``total_unit``: "tạ/ha"
    into "tấn" is 0,1; None when the units do not make a product ("tấn/ha" x "con")."""
    if not rate_unit or not total_unit or "/" not in rate_unit:
        return None
    mass, _, per = rate_unit.partition("/")
    mass, total = mass.strip(), total_unit.strip()
    if mass not in _MASS or total not in _MASS or per.strip() != "ha":
        return None
    return _MASS[mass] / _MASS[total]


def _evaluate(relation: Relation, read: Callable[[Operand], Printed]) -> _Outcome | None:
    """The relation under one way of reading its operands; None if it cannot be
    computed (a zero denominator, a missing operand)."""
    kind = relation.kind
    if kind == "product":
        factors, total = relation.role("factor"), relation.one("total")
        if total is None or len(factors) != 2:
            return None
        rate = next((f for f in factors if f.unit and "/" in f.unit), factors[0])
        k = mass_factor(rate.unit, total.unit) or Decimal(1)
        return _computed(lambda a, b: a * b * k, read(total), read(factors[0]), read(factors[1]))
    if kind in ("sum", "ytd"):
        total = relation.one("total")
        parts = relation.role("part")
        if total is None or not parts:
            return None
        if kind == "ytd" and not relation.complete:  # the period to date >= the month
            t, m = read(total), read(parts[0])
            return _Outcome(t.hi >= m.lo, m.value, t.value, t.half + m.half)
        return _sum(read(total), [read(p) for p in parts], bool(relation.complete))
    if kind == "shares":  # complete: they make 100; partial: at most 100
        shares = [read(p) for p in relation.role("part")]
        if len(shares) < 2:
            return None
        return _sum(Printed(HUNDRED, ZERO), shares, relation.complete is not False)
    stated_op = relation.one("stated")
    if stated_op is None:
        return None
    stated = read(stated_op)
    total = relation.one("total")  # a reference printed as part of a total: total - value
    if kind == "ratio":
        num, den = relation.one("numerator"), relation.one("denominator")
        delta = relation.one("delta")
        if num is not None and delta is not None:  # "1250 ha, bằng 67,57% (-600 ha)"
            sign = _delta(delta, relation.direction)
            return _computed(
                lambda a, d: a / (a - sign * abs(d)) * HUNDRED, stated, read(num), read(delta)
            )
        if num is not None and total is not None:
            return _computed(lambda a, t: a / (t - a) * HUNDRED, stated, read(num), read(total))
        if num is None or den is None:
            return None
        over = HUNDRED if relation.form == "exceed" else ZERO
        return _computed(lambda a, b: a / b * HUNDRED - over, stated, read(num), read(den))
    if kind == "quotient":
        num, den = relation.one("numerator"), relation.one("denominator")
        if num is None or den is None:
            return None
        return _computed(lambda a, b: a / b, stated, read(num), read(den))
    if kind == "change":
        value, ref = relation.one("value"), relation.one("reference")
        delta = relation.one("delta")
        if value is not None and delta is not None:  # "tăng 0,85 tạ/ha (+1,4%)"
            sign = _delta(delta, relation.direction)
            signed = _signed(stated, relation.direction)
            if relation.form == "percent":
                return _computed(
                    lambda a, d: (a / (a - sign * abs(d)) - 1) * HUNDRED,
                    signed,
                    read(value),
                    read(delta),
                )
            return None
        if value is not None and total is not None and relation.form == "percent":
            signed = _signed(stated, relation.direction)
            return _computed(
                lambda a, t: (a / (t - a) - 1) * HUNDRED, signed, read(value), read(total)
            )
        if value is None or ref is None:
            return None
        signed = _signed(stated, relation.direction)
        if relation.form == "percent":
            return _computed(lambda a, b: (a / b - 1) * HUNDRED, signed, read(value), read(ref))
        if relation.form in ("absolute", "points"):
            return _computed(lambda a, b: a - b, signed, read(value), read(ref))
        if relation.form == "multiple":
            return _computed(lambda a, b: a / b, stated, read(value), read(ref))
    return None


RULES = {
    "sum": "parts_sum",
    "ytd": "ytd_sum",
    "shares": "shares_sum_100",
    "ratio": "ratio",
    "product": "product",
    "quotient": "quotient",
}


def rule_of(relation: Relation) -> str:
    if relation.kind == "change":
        return f"change_{relation.form or 'percent'}"
    return RULES[relation.kind]


def check_relation(relation: Relation) -> Finding:
    """The finding of one relation: pass, or fail as a warning or an error."""
    rule = rule_of(relation)
    outcome = _evaluate(relation, printed)
    refs = _refs(relation)
    if outcome is None:
        return Finding(
            rule,
            "skipped",
            None,
            None,
            None,
            "Không tính được (mẫu số bằng 0 hoặc thiếu số liệu)",
            "cannot be computed (a zero denominator or a missing number)",
            refs,
            relation.doc,
            "cannot be computed",
            relation=relation.id,
        )
    severity: Severity | None = None
    points = _in_points(relation) if not outcome.ok else None
    if points is not None:  # "đạt 137,13%, giảm 53,37% so với cùng kỳ (năm 2017 đạt 190,5%)"
        outcome = points
    vi, en = _messages(relation, outcome)
    if points is not None:
        vi += " (đọc theo điểm phần trăm: cả hai số đều là tỷ lệ)"
        en += " (read in percentage points: both figures are rates)"
    if not outcome.ok:
        severity, why_vi, why_en = _severity(relation)
        vi, en = vi + why_vi, en + why_en
    return Finding(
        rule,
        "pass" if outcome.ok else "fail",
        quantize(outcome.expected),
        quantize(outcome.actual),
        quantize(outcome.tolerance),
        vi,
        en,
        refs,
        relation.doc,
        relation=relation.id,
        severity=severity,
        unsure=not relation.certain,
    )


def _in_points(relation: Relation) -> _Outcome | None:
    """A change in per cent between two rates read in percentage points, when that
    reading holds: "công suất sử dụng giường bệnh đạt 137,13%, giảm 53,37% so với cùng
    kỳ (năm 2017 đạt 190,5%)" is 190,5 - 137,13."""
    if relation.kind != "change" or relation.form != "percent":
        return None
    value, ref = relation.one("value"), relation.one("reference")
    if value is None or ref is None or value.unit != "%" or ref.unit != "%":
        return None
    outcome = _evaluate(replace(relation, form="points"), printed)
    return outcome if outcome is not None and outcome.ok else None


def _digits(op: Operand) -> Printed:
    """``op`` as printed, its scale word set aside ("2.281 nghìn" as 2.281)."""
    p = printed(op)
    return Printed(p.value / op.scale, p.half / op.scale)


def _alike_digits(operands: Iterable[Operand]) -> bool:
    """Printed digits of one size ("3.785 lượt" beside "1.504 nghìn lượt"): a scale word
    left out of one of them is a reading worth giving; not for "1.206.581.000 đồng"
    beside "1.354 triệu đồng", written out in full."""
    values = [abs(o.value) for o in operands if o.value]
    return bool(values) and max(values) <= 10 * min(values)


_SCALE_WORDS = {1: "đơn vị", 10**3: "nghìn", 10**6: "triệu", 10**9: "tỷ", 10**12: "nghìn tỷ"}
_DOT_GROUP = re.compile(r"\d{1,3}\.\d{3}")  # "120.984": 120984, or 120,984 misprinted


_COMMA_GROUP = re.compile(r"\d{1,3},\d{3}")  # "2,938 triệu USD": 2,938 or 2.938 misprinted


def _comma_group(op: Operand) -> Printed:
    """ "2,938 triệu USD" read as 2.938 triệu: a comma used as the thousands mark."""
    return Printed(op.value * 1000 * op.scale, Decimal("0.5") * op.scale)


def _dot_decimal(op: Operand) -> Printed:
    """ "120.984 tỷ đồng" read as 120,984: a dot used as the decimal mark."""
    value = op.value / 1000 * op.scale
    return Printed(value, Decimal("0.0005") * op.scale)


def _in_scale(scale: int) -> Callable[[Operand], Printed]:
    """A reading of an operand with another scale word ("2,938 triệu" as "2,938 tỷ")."""

    def read(op: Operand) -> Printed:
        return printed(replace(op, scale=scale))

    return read


def _separator_readings(relation: Relation) -> list[tuple[str, str]]:
    """The readings of a misprinted separator under which ``relation`` holds, in words
    (Vietnamese, English): commas used as the thousands mark ("2,938 triệu USD" for
    2.938), or a dot used as the decimal mark ("120.984 tỷ đồng" for 120,984)."""
    out = []
    grouped = [o for o in relation.operands if _COMMA_GROUP.fullmatch(o.text.split()[0])]
    if grouped:
        outcome = _evaluate(relation, lambda o: _comma_group(o) if o in grouped else printed(o))
        if outcome is not None and outcome.ok:
            texts = ", ".join(o.text for o in grouped)
            out.append(
                (
                    f"dấu phẩy trong {texts} là dấu phân cách hàng nghìn",
                    f"the comma in {texts} separates thousands",
                )
            )
    for op in relation.operands:
        if _DOT_GROUP.fullmatch(op.text.split()[0]) and _holds_with(relation, op, _dot_decimal):
            out.append(
                (
                    f"đọc {op.text} với dấu chấm là dấu thập phân",
                    f"{op.text} is read with the dot as the decimal mark",
                )
            )
    return out


def _mixed_separators(relation: Relation) -> bool:
    """ "195,136 tỷ đồng" beside "120.984 tỷ đồng": three digits after a comma in one figure
    and after a dot in another, so one of the two marks is misprinted (then a reading
    is worth giving even where parts only have to stay under their total)."""
    texts = [o.text.split()[0] for o in relation.operands]
    return any(_COMMA_GROUP.fullmatch(t) for t in texts) and any(
        _DOT_GROUP.fullmatch(t) for t in texts
    )


def _holds_with(relation: Relation, changed: Operand, read: Callable[[Operand], Printed]) -> bool:
    """Whether ``relation`` holds with ``changed`` read by ``read`` and the rest as printed."""
    outcome = _evaluate(relation, lambda o: read(o) if o is changed else printed(o))
    return outcome is not None and outcome.ok


def _severity(relation: Relation) -> tuple[Severity, str, str]:
    """How serious a failure is, and why, in words (Vietnamese, English)."""
    widened = _evaluate(relation, loose)
    if widened is not None and widened.ok:
        return (
            "warning",
            " (có thể do số làm tròn hoặc ước tính)",
            " (a hedged or rounded figure read exactly may explain it)",
        )
    exact = relation.kind not in ("sum", "ytd") or relation.complete  # not an inequality
    scales = {o.scale for o in relation.operands}
    if len(scales) > 1 and (exact or _alike_digits(relation.operands)):
        digits = _evaluate(relation, _digits)
        if digits is not None and digits.ok:
            return (
                "warning",
                " (khớp nếu bỏ qua đơn vị nghìn/triệu/tỷ: có thể thiếu một từ chỉ đơn vị)",
                " (it holds on the printed digits: a scale word (nghìn, triệu, tỷ) may be "
                "missing from one figure)",
            )
    for op in relation.operands if exact and len(scales) > 1 else ():
        for scale in sorted(scales - {op.scale}):
            if _holds_with(relation, op, _in_scale(scale)):
                word = _SCALE_WORDS.get(scale, str(scale))
                return (
                    "warning",
                    f" (khớp nếu đọc {op.text} theo đơn vị {word}: có thể in nhầm từ chỉ đơn vị)",
                    f" (it holds if {op.text} is read in {word}: a scale word may be misprinted)",
                )
    readings = _separator_readings(relation) if exact or _mixed_separators(relation) else []
    if readings:  # "120.984 tỷ đồng" beside "195,136 tỷ đồng": one separator misprinted
        return (
            "warning",
            " (khớp nếu " + " hoặc nếu ".join(vi for vi, _ in readings) + ")",
            " (it holds if " + " or if ".join(en for _, en in readings) + ")",
        )
    if relation.origin == "llm":  # the model's reading, not the text's words
        return (
            "warning",
            " (liên kết do mô hình đề xuất, văn bản không nêu)",
            " (a link the model proposed; the text does not state it)",
        )
    if not relation.certain and relation.kind in ("sum", "ytd") and relation.complete:
        # read as the whole list, perhaps not: parts that exceed their total are wrong
        # under either reading
        partial = _evaluate(replace(relation, complete=False), loose)
        if partial is not None and not partial.ok:
            return (
                "error",
                " (các thành phần vượt tổng số dù danh sách có đủ hay không)",
                " (the parts exceed the total whether or not the list is whole)",
            )
    if not relation.certain:
        reading = f": {relation.note}" if relation.note else ""
        return (
            "warning",
            f" (cách đọc chưa chắc chắn{reading})",
            f" (unsure reading{reading})",
        )
    return "error", "", ""


def _messages(relation: Relation, o: _Outcome) -> tuple[str, str]:
    verdict_vi = "khớp" if o.ok else "không khớp"
    verdict_en = "holds" if o.ok else "does not hold"
    kind = relation.kind
    if kind in ("sum", "ytd"):
        total = relation.one("total")
        parts = relation.role("part")
        t = total.text if total else "?"
        if kind == "ytd" and not relation.complete:
            return (
                f"Lũy kế {t} phải không nhỏ hơn số của tháng {parts[0].text}: {verdict_vi}",
                f"the period to date {t} is at least the month's {parts[0].text}: {verdict_en}",
            )
        got = _in_units(o.expected, total)
        if relation.complete:
            return (
                f"{_texts(parts)} = {got}, tổng số ghi {t}: {verdict_vi}",
                f"{_texts(parts)} = {got}; the total says {t}: {verdict_en}",
            )
        return (
            f"Các thành phần {_texts(parts)} = {got} không vượt tổng {t} (danh sách "
            f"chưa đủ, không giả định bằng nhau): {verdict_vi}",
            f"the parts {_texts(parts)} = {got} do not exceed the total {t} "
            f"(a partial list: equality not assumed): {verdict_en}",
        )
    if kind == "shares":
        parts = relation.role("part")
        if relation.complete is False:
            return (
                f"Các tỷ lệ {_texts(parts)} = {fmt(o.expected)}% không vượt 100% (danh sách "
                f"chưa đủ): {verdict_vi}",
                f"the shares {_texts(parts)} add up to {fmt(o.expected)}%, at most 100% (a "
                f"partial list): {verdict_en}",
            )
        return (
            f"Cơ cấu {_texts(parts)} = {fmt(o.expected)}%: {verdict_vi} với 100%",
            f"the shares {_texts(parts)} add up to {fmt(o.expected)}%: {verdict_en} (100%)",
        )
    if kind == "product":
        factors, total = relation.role("factor"), relation.one("total")
        t = total.text if total else "?"
        f = " x ".join(o.text for o in factors)
        return (
            f"{f} = {_in_units(o.expected, total)}, báo cáo ghi {t}: {verdict_vi}",
            f"{f} = {_in_units(o.expected, total)}; the report says {t}: {verdict_en}",
        )
    stated = relation.one("stated")
    s = stated.text if stated else "?"
    if kind == "quotient":
        num, den = relation.one("numerator"), relation.one("denominator")
        n, d = (num.text if num else "?"), (den.text if den else "?")
        return (
            f"{n} / {d} = {_in_units(o.expected, stated)}, báo cáo ghi {s}: {verdict_vi}",
            f"{n} / {d} = {_in_units(o.expected, stated)}; the report says {s}: {verdict_en}",
        )
    if kind == "ratio":
        num, den = relation.one("numerator"), relation.one("denominator")
        n, d = (num.text if num else "?"), (den.text if den else "?")
        return (
            f"{n} / {d} = {fmt(o.expected)}%, báo cáo ghi {s}: {verdict_vi}",
            f"{n} of {d} is {fmt(o.expected)}%, the report says {s}: {verdict_en}",
        )
    value, ref = relation.one("value"), relation.one("reference")
    v, r = (value.text if value else "?"), (ref.text if ref else "?")
    sign = "giảm" if relation.direction == "-" else "tăng"
    delta = relation.one("delta")
    if delta is not None:
        return (
            f"{v}, {sign} {delta.text} so với kỳ trước: {sign} {fmt(abs(o.expected))}%, "
            f"báo cáo ghi {s}: {verdict_vi}",
            f"{v} after a change of {'-' if relation.direction == '-' else '+'}"
            f"{delta.text.lstrip('+-')} is {fmt(o.expected)}% on the level before; the "
            f"report says {'-' if relation.direction == '-' else '+'}{s.lstrip('+-')}: "
            f"{verdict_en}",
        )
    return (
        f"{v} so với {r}: {fmt(o.expected)}, báo cáo ghi {sign} {s}: {verdict_vi}",
        f"{v} against {r} gives {fmt(o.expected)}; the report says "
        f"{'-' if relation.direction == '-' else '+'}{s} ({relation.form}): {verdict_en}",
    )


def check_relations(relations: Iterable[Relation]) -> list[Finding]:
    return [check_relation(r) for r in relations]


def skipped_check(gap: Gap) -> Finding:
    """A statement no relation could be formed of, as a skipped check with the reason."""
    return Finding(
        gap.rule,
        "skipped",
        None,
        None,
        None,
        f"Không kiểm tra được «{gap.cue.text}»: {_REASONS_VI.get(gap.reason, gap.reason)}",
        f"not checked «{gap.cue.text}»: {gap.reason}",
        tuple(FactRef(o.fact, o.text, o.start, o.end) for o in gap.operands),
        gap.doc,
        gap.reason,
    )


_REASONS_VI = {
    "reference value not printed": "không in số của kỳ so sánh",
    "the figure compared is not found": "không tìm thấy số được so sánh",
    "the figure measured against the plan is not found": "không tìm thấy số so với kế hoạch",
    "plan value not printed": "không in số kế hoạch",
    "the whole this is a share of is not printed": "không in tổng số mà tỷ lệ này chiếm",
    "no total of the same kind as the parts is printed": "không có tổng cùng loại với các phần",
    "parts in different units": "các phần khác đơn vị với tổng",
}
