"""Checks across reports of one province (flow indicators only: stocks and rates are
never summed):

  ytd_chain            ytd(m) = ytd(m-1) + month(m)
  year_on_year         a stated change against the same period last year
  scale_jump           a value about 1000x another period's while its stated change is
                       small: a probable unit or scale error
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..records import Fact
from .findings import Finding, ref
from .intervals import HUNDRED, Printed, against_printed, fmt, overlap, quantize, read_printed


@dataclass
class _Series:
    by_period: dict[tuple[int, int], dict[str, list[Fact]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )


def _period_key(f: Fact) -> tuple[int, int] | None:
    """(year, month) of a monthly report ("2024-02"); None for other periods."""
    year, _, month = str(f.report_period or "").partition("-")
    if len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit():
        return int(year), int(month)
    return None


def printed(item: Any) -> Printed | None:
    """The interval a fact or one of its comparisons stands for."""
    return read_printed(item.text or "", item.scale or 1, item.unit)


def _change(kind: str) -> Callable[[Decimal, Decimal], Decimal] | None:
    """The percentage a stated change of ``kind`` is, from a value and its reference."""
    if kind == "increase":
        return lambda a, b: (a / b - 1) * HUNDRED
    if kind == "decrease":
        return lambda a, b: (1 - a / b) * HUNDRED
    if kind == "ratio":
        return lambda a, b: a / b * HUNDRED
    return None


def validate_across(facts: list[Fact]) -> list[Finding]:
    """Checks between reports of the same province (flow indicators only)."""
    series: dict[tuple[str, str], _Series] = defaultdict(_Series)
    for f in facts:
        key = _period_key(f)
        if key is None or not f.code or not f.province or f.parent:
            continue
        series[(f.province, f.code)].by_period[key][f.period or ""].append(f)
    out: list[Finding] = []
    for (province, code), s in series.items():
        periods = s.by_period
        flows = [
            p for p in periods.values() for fs in p.values() for f in fs if f.aggregation == "flow"
        ]
        for (year, month), cur in sorted(periods.items()):
            prev = periods.get((year, month - 1))
            if flows and prev and cur.get("ytd") and cur.get("month") and prev.get("ytd"):
                out.append(
                    _ytd_chain(province, code, cur["ytd"][0], prev["ytd"][0], cur["month"][0])
                )
            last_year = periods.get((year - 1, month))
            if last_year:
                for period, fs in cur.items():
                    if fs and last_year.get(period):
                        out.extend(_year_on_year(fs[0], last_year[period][0]))
            for other_key, other in periods.items():
                if other_key >= (year, month):
                    continue
                for period, fs in cur.items():
                    if fs and other.get(period):
                        finding = _scale_jump(fs[0], other[period][0])
                        if finding:
                            out.append(finding)
    return out


def _ytd_chain(province: str, code: str, ytd: Fact, prev_ytd: Fact, month: Fact) -> Finding:
    y, p, m = printed(ytd), printed(prev_ytd), printed(month)
    items = [ytd, prev_ytd, month]
    if y is None or p is None or m is None:
        return Finding(
            "ytd_chain",
            "skipped",
            None,
            None,
            None,
            "Không đọc được số",
            "a number could not be read",
            tuple(ref(i) for i in items),
            ytd.doc,
            "unreadable number",
        )
    lo, hi, centre = p.lo + m.lo, p.hi + m.hi, p.value + m.value
    ok = overlap(lo, hi, y)
    return Finding(
        "ytd_chain",
        "pass" if ok else "fail",
        quantize(centre),
        quantize(y.value),
        quantize(y.half + (hi - lo) / 2),
        f"{code} ({province}): lũy kế {ytd.report_period} {ytd.text} "
        f"{'bằng' if ok else 'khác'} lũy kế kỳ trước {prev_ytd.text} + tháng "
        f"{month.text} = {fmt(centre)}",
        f"{code} ({province}): ytd {ytd.report_period} {ytd.text} vs previous "
        f"ytd {prev_ytd.text} + month {month.text} = {fmt(centre)}",
        tuple(ref(i) for i in items),
        ytd.doc,
        severity=None if ok else "error",
    )


def _year_on_year(cur: Fact, last: Fact) -> list[Finding]:
    out = []
    for comp in cur.comparisons or []:
        fn = _change(comp.kind or "")
        if comp.basis != "same_period" or comp.unit != "%" or fn is None:
            continue
        a, b, p = printed(cur), printed(last), printed(comp)
        if a is None or b is None or p is None:
            continue
        c = against_printed(fn, p, a, b)
        if c is None:
            continue
        pct = fmt(c.expected)
        out.append(
            Finding(
                "year_on_year",
                c.status,
                quantize(c.expected),
                quantize(c.actual),
                quantize(c.tolerance),
                f"{cur.text} ({cur.report_period}) so với cùng kỳ {last.text} "
                f"({last.report_period}): {pct}%, báo cáo ghi {comp.text}",
                f"{cur.text} ({cur.report_period}) against {last.text} "
                f"({last.report_period}) is {comp.kind} {pct}%, the report "
                f"says {comp.text}",
                (ref(cur), ref(comp), ref(last)),
                cur.doc,
                severity="error" if c.status == "fail" else None,
            )
        )
    return out


def _scale_jump(cur: Fact, other: Fact) -> Finding | None:
    a, b = printed(cur), printed(other)
    if a is None or b is None or a.value <= 0 or b.value <= 0:
        return None
    ratio = a.value / b.value
    if not (500 <= ratio <= 2000 or Decimal(1) / 2000 <= ratio <= Decimal(1) / 500):
        return None
    changes = [printed(c) for c in cur.comparisons or [] if c.unit == "%"]
    if any(c is not None and abs(c.value) >= 100 for c in changes):
        return None
    return Finding(
        "scale_jump",
        "fail",
        None,
        quantize(ratio),
        None,
        f"{cur.text} ({cur.report_period}) gấp khoảng {fmt(ratio)} lần "
        f"{other.text} ({other.report_period}): có thể sai đơn vị",
        f"{cur.text} ({cur.report_period}) is about {fmt(ratio)} times "
        f"{other.text} ({other.report_period}) while its stated change is "
        f"small: a probable unit or scale error",
        (ref(cur), ref(other)),
        cur.doc,
        severity="warning",  # a suspicion, not arithmetic that fails
    )
