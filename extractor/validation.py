"""Recompute every relation a report states between its numbers.

Validators are pure functions from facts (the records of :mod:`extractor.facts`) to
findings. A finding names its rule, says pass, fail or skipped (with the reason), gives
the expected and actual values and the tolerance used, explains itself in Vietnamese
and English, and lists the facts involved with their spans.

Tolerance comes from printed precision (DESIGN.md 4): a printed "7,89%" stands for
[7,885; 7,895]; "200,2 tỷ" for ±0,05 tỷ; an integer count without scale word is exact.
Each check evaluates the relation over the intervals of its inputs (exact decimal
arithmetic, no floats) and passes when the stated value's interval overlaps the
computed one. No global epsilon.

Within one report:
  parts_sum            parts = total ("trong đó", "gồm", footnote "Trong đó:"); a partial
                       list ("... khác", "một số", a single component) checks parts <= total
  fraction_percent     "779/9.872 trẻ đạt 7,89%", "594/5.791 tỷ đồng, bằng 10%KH"
  plan_share           "đạt 14,59% KH (74.000 tấn)": value / plan
  change_vs_reference  "tăng 0,6% so với tháng trước (3.450 tỷ đồng)"
  direction_sign       "tăng" must go with an increase, "giảm" with a decrease
  ratio_previous_month "bằng 90,98% so với tháng trước", previous month = ytd - month
                       (a February report)
  ytd_sum              February year to date = January (printed as the previous month)
                       + February
  shares_sum_100       shares of a structure ("cơ cấu kinh tế: ...") add up to 100
Across reports (same province, flow indicators only; stocks and rates are never summed):
  ytd_chain            ytd(m) = ytd(m-1) + month(m)
  year_on_year         a stated change against the same period last year
  scale_jump           a value about 1000x another period's while its stated change is
                       small: a probable unit or scale error
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from .numbers import NUMBER_TOKEN, parse_number

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_NUM = re.compile(NUMBER_TOKEN)
_PEOPLE = {
    "người",
    "lao động",
    "học sinh",
    "học viên",
    "sinh viên",
    "trẻ",
    "trẻ em",
    "khẩu",
    "đối tượng",
    "bệnh nhân",
    "cán bộ",
    "công chức",
    "viên chức",
    "giáo viên",
}
_COUNTS_OF_FIRMS = {"doanh nghiệp", "DN"}
NEAR = 40  # characters between a comparison and the value in brackets after it


@dataclass
class Finding:
    rule: str
    status: str  # pass, fail, skipped
    expected: Decimal | None
    actual: Decimal | None
    tolerance: Decimal | None
    message_vi: str
    message_en: str
    facts: list[dict[str, Any]]
    doc: str | None
    reason: str | None = None  # why a check was skipped

    def record(self) -> dict[str, Any]:
        def num(x: Decimal | None) -> float | int | None:
            if x is None:
                return None
            x = x.normalize()
            return int(x) if x == x.to_integral_value() else float(x)

        return {
            "rule": self.rule,
            "status": self.status,
            "expected": num(self.expected),
            "actual": num(self.actual),
            "tolerance": num(self.tolerance),
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "facts": self.facts,
            "doc": self.doc,
            "reason": self.reason,
        }


# ----------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Printed:
    """A printed number as an interval in absolute units (scale applied)."""

    value: Decimal
    half: Decimal  # half a unit of the last printed digit (0 for exact counts)

    @property
    def lo(self) -> Decimal:
        return self.value - self.half

    @property
    def hi(self) -> Decimal:
        return self.value + self.half


def printed(item: dict[str, Any]) -> Printed | None:
    """The interval a fact or comparison stands for, from its printed text."""
    m = _NUM.search(item.get("text") or "")
    if m is None:
        return None
    parsed = parse_number(m.group())
    scale = Decimal(item.get("scale") or 1)
    value = parsed.value * scale
    if str(item.get("text", "")).lstrip().startswith("-"):
        value = -value
    unit = item.get("unit")
    exact = parsed.decimals == 0 and scale == 1 and unit not in ("%", "‰", "lần", "điểm %")
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -parsed.decimals * scale
    return Printed(value, half)


def denominator(item: dict[str, Any]) -> Printed | None:
    nums = _NUM.findall(item.get("text") or "")
    if item.get("denominator") is None or len(nums) < 2:
        return None
    parsed = parse_number(nums[1])
    scale = Decimal(item.get("scale") or 1)
    exact = parsed.decimals == 0 and scale == 1
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -parsed.decimals * scale
    return Printed(parsed.value * scale, half)


def span(f: Callable[..., Decimal], *inputs: Printed) -> tuple[Decimal, Decimal, Decimal] | None:
    """(low, centre, high) of f over the corners of its inputs' intervals."""
    values = []
    for corner in itertools.product(*[(p.lo, p.hi) for p in inputs]):
        try:
            values.append(f(*corner))
        except (ZeroDivisionError, InvalidOperation):
            return None
    try:
        centre = f(*[p.value for p in inputs])
    except (ZeroDivisionError, InvalidOperation):
        return None
    return min(values), centre, max(values)


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.0001")) if abs(x) < 10**12 else x


def family(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit in _PEOPLE:
        return "people"
    if unit.startswith("lượt"):  # "lượt khách" broken down as "... 57.191 lượt"
        return "lượt"
    if unit in _COUNTS_OF_FIRMS:
        return "firms"
    return unit


def ref(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item.get("id"),
        "text": item.get("text"),
        "start": item.get("start"),
        "end": item.get("end"),
    }


def _fmt(x: Decimal | None) -> str:
    if x is None:
        return "?"
    x = _q(x).normalize()
    text = f"{x:,f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


# ----------------------------------------------------------------------------- report


class _Report:
    """One report's facts, indexed for the checks."""

    def __init__(self, facts: list[dict[str, Any]]) -> None:
        self.facts = sorted(facts, key=lambda f: f.get("start") or 0)
        self.by_id = {f["id"]: f for f in self.facts}
        self.starts = [f.get("start") or 0 for f in self.facts]
        self.children: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in self.facts:
            if f.get("parent") in self.by_id:
                self.children[f["parent"]].append(f)
        self.doc = self.facts[0].get("doc") if self.facts else None
        period = str(self.facts[0].get("report_period") or "") if self.facts else ""
        m = re.fullmatch(r"(\d{4})-(\d{2})", period)
        self.month = int(m.group(2)) if m else None

    def after(self, pos: int, within: int) -> list[dict[str, Any]]:
        i = bisect_left(self.starts, pos)
        out = []
        while i < len(self.facts) and self.starts[i] <= pos + within:
            out.append(self.facts[i])
            i += 1
        return out

    def finding(
        self,
        rule: str,
        status: str,
        expected: Decimal | None,
        actual: Decimal | None,
        tolerance: Decimal | None,
        vi: str,
        en: str,
        items: Iterable[dict[str, Any]],
        reason: str | None = None,
    ) -> Finding:
        return Finding(
            rule,
            status,
            None if expected is None else _q(expected),
            None if actual is None else _q(actual),
            None if tolerance is None else _q(tolerance),
            vi,
            en,
            [ref(i) for i in items],
            self.doc,
            reason,
        )


def _overlap(lo: Decimal, hi: Decimal, stated: Printed) -> bool:
    return lo <= stated.hi and stated.lo <= hi


def _share(exceed: bool) -> Callable[[Decimal, Decimal], Decimal]:
    """a as a percentage of b; for "vượt" (exceed) the part over 100%."""
    return lambda a, b: a / b * HUNDRED - (HUNDRED if exceed else ZERO)


class _Check(NamedTuple):
    status: str
    expected: Decimal
    actual: Decimal
    tolerance: Decimal


def _against_printed(f: Callable[..., Decimal], stated: Printed, *inputs: Printed) -> _Check | None:
    """f over the printed inputs against a printed result: passes when f's interval over
    the inputs' printed precision meets the stated value's; None when f is undefined."""
    s = span(f, *inputs)
    if s is None:
        return None
    ok = _overlap(s[0], s[2], stated)
    return _Check("pass" if ok else "fail", s[1], stated.value, stated.half + (s[2] - s[0]) / 2)


def parts_sum(r: _Report) -> list[Finding]:
    out = []
    for pid, kids in r.children.items():
        parent = r.by_id[pid]
        total = printed(parent)
        fam = family(parent.get("unit"))
        if fam in ("%", "‰") or parent.get("aggregation") == "rate":
            continue  # rates of sub-groups do not add up to the group's rate
        parts = [k for k in kids if family(k.get("unit")) == fam and fam is not None]
        if total is None or not parts:
            continue
        values = [printed(k) for k in parts]
        if any(v is None for v in values):
            continue
        lo = sum((v.lo for v in values if v), ZERO)
        hi = sum((v.hi for v in values if v), ZERO)
        centre = sum((v.value for v in values if v), ZERO)
        tol = total.half + (hi - lo) / 2
        partial = parent.get("breakdown") == "partial" or len(parts) < 2
        items = [parent, *parts]
        listed = " + ".join(str(k.get("text")) for k in parts)
        if partial:
            ok = lo <= total.hi
            out.append(
                r.finding(
                    "parts_sum",
                    "pass" if ok else "fail",
                    total.value,
                    centre,
                    tol,
                    f"Thành phần ({listed}) {'không vượt' if ok else 'lớn hơn'} tổng số "
                    f"{parent.get('text')}",
                    f"parts ({listed}) {'do not exceed' if ok else 'exceed'} the total "
                    f"{parent.get('text')} (partial breakdown: parts <= total)",
                    items,
                )
            )
        else:
            ok = _overlap(lo, hi, total)
            out.append(
                r.finding(
                    "parts_sum",
                    "pass" if ok else "fail",
                    total.value,
                    centre,
                    tol,
                    f"Tổng các thành phần {listed} = {_fmt(centre)}"
                    f"{', khớp' if ok else ', khác'} tổng số {parent.get('text')}",
                    f"parts {listed} sum to {_fmt(centre)}; the total says {parent.get('text')}",
                    items,
                )
            )
    return out


def _percent_of(stated: dict[str, Any]) -> Printed | None:
    if stated.get("unit") != "%":
        return None
    return printed(stated)


def fraction_percent(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        den = denominator(f)
        num = printed(f)
        if den is None or num is None:
            continue
        candidates = [
            (c, c.get("kind")) for c in f.get("comparisons") or [] if c.get("unit") == "%"
        ]
        for nxt in r.after((f.get("end") or 0), 25):
            if (
                nxt is not f
                and nxt.get("unit") == "%"
                and not nxt.get("comparisons")
                and nxt.get("sentence") == f.get("sentence")
            ):
                candidates.append((nxt, "reach"))
                break
        for stated, kind in candidates[:1]:
            p = _percent_of(stated)
            if p is None:
                continue
            c = _against_printed(_share(kind == "exceed"), p, num, den)
            if c is None:
                continue
            pct = _fmt(c.expected)
            out.append(
                r.finding(
                    "fraction_percent",
                    *c,
                    f"{f.get('text')} tương ứng {pct}%, báo cáo ghi {stated.get('text')}",
                    f"{f.get('text')} is {pct}%, the report says {stated.get('text')}",
                    [f, stated],
                )
            )
    return out


def _bracketed_after(
    r: _Report,
    comp: dict[str, Any],
    period: str | None = None,
) -> dict[str, Any] | None:
    for cand in r.after((comp.get("end") or 0), NEAR):
        if period is None or cand.get("period") == period:
            return cand
    return None


def plan_share(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        value = printed(f)
        for comp in f.get("comparisons") or []:
            if (
                comp.get("unit") != "%"
                or comp.get("basis") not in ("plan", "budget")
                or comp.get("kind") not in ("reach", "ratio", "exceed")
            ):
                continue
            plan_fact = _bracketed_after(r, comp, "plan")
            p = _percent_of(comp)
            plan = printed(plan_fact) if plan_fact else None
            if (
                plan_fact is None
                or value is None
                or plan is None
                or p is None
                or family(plan_fact.get("unit")) != family(f.get("unit"))
            ):
                continue
            c = _against_printed(_share(comp.get("kind") == "exceed"), p, value, plan)
            if c is None:
                continue
            pct = _fmt(c.expected)
            out.append(
                r.finding(
                    "plan_share",
                    *c,
                    f"{f.get('text')} / kế hoạch {plan_fact.get('text')} = {pct}%, "
                    f"báo cáo ghi {comp.get('text')}",
                    f"{f.get('text')} of plan {plan_fact.get('text')} is {pct}%, the "
                    f"report says {comp.get('text')}",
                    [f, comp, plan_fact],
                )
            )
    return out


def _change(kind: str) -> Callable[[Decimal, Decimal], Decimal] | None:
    if kind == "increase":
        return lambda a, b: (a / b - 1) * HUNDRED
    if kind == "decrease":
        return lambda a, b: (1 - a / b) * HUNDRED
    if kind == "ratio":
        return lambda a, b: a / b * HUNDRED
    return None


def change_vs_reference(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        value = printed(f)
        for comp in f.get("comparisons") or []:
            kind = comp.get("kind")
            fn = _change(kind) if comp.get("unit") == "%" else None
            if fn is None or comp.get("basis") in ("plan", "budget") or value is None:
                continue
            base_fact = _bracketed_after(r, comp, "other")
            p = _percent_of(comp)
            base = printed(base_fact) if base_fact else None
            if (
                base_fact is None
                or base is None
                or p is None
                or family(base_fact.get("unit")) != family(f.get("unit"))
            ):
                continue
            c = _against_printed(fn, p, value, base)
            if c is None:
                continue
            pct = _fmt(c.expected)
            out.append(
                r.finding(
                    "change_vs_reference",
                    *c,
                    f"{f.get('text')} so với {base_fact.get('text')}: {pct}%, báo cáo ghi "
                    f"{comp.get('text')}",
                    f"{f.get('text')} against {base_fact.get('text')} is {kind} {pct}%, "
                    f"the report says {comp.get('text')}",
                    [f, comp, base_fact],
                )
            )
            if kind in ("increase", "decrease"):
                rising = value.value > base.value
                agrees = rising == (kind == "increase") or value.value == base.value
                word = "tăng" if kind == "increase" else "giảm"
                out.append(
                    r.finding(
                        "direction_sign",
                        "pass" if agrees else "fail",
                        None,
                        None,
                        None,
                        f"'{word}' {'khớp' if agrees else 'ngược'} với {f.get('text')} so với "
                        f"{base_fact.get('text')}",
                        f"'{word}' ({kind}) {'agrees' if agrees else 'disagrees'} with "
                        f"{f.get('text')} against {base_fact.get('text')}",
                        [f, comp, base_fact],
                    )
                )
    return out


def _ytd_after(r: _Report, f: dict[str, Any], sentences: int = 2) -> dict[str, Any] | None:
    for cand in r.after((f.get("end") or 0), 400):
        if (
            cand.get("period") == "ytd"
            and family(cand.get("unit")) == family(f.get("unit"))
            and cand.get("scale") is not None
            and (cand.get("sentence") or 0) - (f.get("sentence") or 0) <= sentences
        ):
            return cand
    return None


def ratio_previous_month(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        for comp in f.get("comparisons") or []:
            if (
                comp.get("basis") != "previous_period"
                or comp.get("unit") != "%"
                or f.get("period") != "month"
            ):
                continue
            if _bracketed_after(r, comp, "other") is not None:
                continue  # checked against the printed reference instead
            fn = _change(comp.get("kind") or "")
            ytd = _ytd_after(r, f, sentences=0)
            if r.month != 2 or fn is None or ytd is None:
                reason = (
                    "the previous month's value is not printed and cannot be derived "
                    "(only a February report's ytd - month is January)"
                )
                out.append(
                    r.finding(
                        "ratio_previous_month",
                        "skipped",
                        None,
                        None,
                        None,
                        "Không kiểm tra được: thiếu số liệu tháng trước",
                        "not checkable: previous month not printed",
                        [f, comp],
                        reason,
                    )
                )
                continue
            value, total, p = printed(f), printed(ytd), _percent_of(comp)
            if value is None or total is None or p is None:
                continue
            c = _against_printed(lambda m, y, g=fn: g(m, y - m), p, value, total)
            if c is None:
                continue
            pct = _fmt(c.expected)
            out.append(
                r.finding(
                    "ratio_previous_month",
                    *c,
                    f"Tháng trước = {ytd.get('text')} - {f.get('text')}; {f.get('text')} so "
                    f"với tháng trước: {pct}%, báo cáo ghi {comp.get('text')}",
                    f"previous month = {ytd.get('text')} - {f.get('text')}; against it "
                    f"{f.get('text')} is {pct}%, the report says {comp.get('text')}",
                    [f, comp, ytd],
                )
            )
    return out


def ytd_sum(r: _Report) -> list[Finding]:
    if r.month != 2:
        return []
    out = []
    for f in r.facts:
        if f.get("period") != "month":
            continue
        for comp in f.get("comparisons") or []:
            if comp.get("basis") != "previous_period":
                continue
            prev_fact = _bracketed_after(r, comp, "other")
            ytd = _ytd_after(r, f)
            if (
                prev_fact is None
                or ytd is None
                or family(prev_fact.get("unit")) != family(f.get("unit"))
            ):
                continue
            month, prev, total = printed(f), printed(prev_fact), printed(ytd)
            if month is None or prev is None or total is None:
                continue
            lo, hi = month.lo + prev.lo, month.hi + prev.hi
            centre = month.value + prev.value
            ok = _overlap(lo, hi, total)
            out.append(
                r.finding(
                    "ytd_sum",
                    "pass" if ok else "fail",
                    centre,
                    total.value,
                    total.half + (hi - lo) / 2,
                    f"Lũy kế {ytd.get('text')} {'bằng' if ok else 'khác'} tháng trước "
                    f"{prev_fact.get('text')} + tháng này {f.get('text')} = {_fmt(centre)}",
                    f"year to date {ytd.get('text')} vs previous month {prev_fact.get('text')} "
                    f"+ this month {f.get('text')} = {_fmt(centre)}",
                    [ytd, prev_fact, f],
                )
            )
    return out


def shares_sum_100(r: _Report) -> list[Finding]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for f in r.facts:
        if f.get("share_group") is not None:
            groups[f["share_group"]].append(f)
    out = []
    for members in groups.values():
        values = [printed(f) for f in members]
        if len(members) < 3 or any(v is None for v in values):
            continue
        total = sum((v.value for v in values if v), ZERO)
        tol = sum((v.half for v in values if v), ZERO)
        ok = abs(total - HUNDRED) <= tol
        listed = " + ".join(str(f.get("text")) for f in members)
        out.append(
            r.finding(
                "shares_sum_100",
                "pass" if ok else "fail",
                HUNDRED,
                total,
                tol,
                f"Cơ cấu {listed} = {_fmt(total)}%{'' if ok else ', khác 100%'}",
                f"shares {listed} add up to {_fmt(total)}%",
                members,
            )
        )
    return out


REPORT_RULES = (
    parts_sum,
    fraction_percent,
    plan_share,
    change_vs_reference,
    ratio_previous_month,
    ytd_sum,
    shares_sum_100,
)


def validate_report(facts: list[dict[str, Any]]) -> list[Finding]:
    """Every within-report check over one report's facts."""
    r = _Report(facts)
    out: list[Finding] = []
    for rule in REPORT_RULES:
        out.extend(rule(r))
    return out


# ----------------------------------------------------------------------------- across


@dataclass
class _Series:
    by_period: dict[tuple[int, int], dict[str, list[dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )


def _period_key(f: dict[str, Any]) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(f.get("report_period") or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


def validate_across(facts: list[dict[str, Any]]) -> list[Finding]:
    """Checks between reports of the same province (flow indicators only)."""
    series: dict[tuple[str, str], _Series] = defaultdict(_Series)
    for f in facts:
        key = _period_key(f)
        if key is None or not f.get("code") or not f.get("province") or f.get("parent"):
            continue
        series[(f["province"], f["code"])].by_period[key][f.get("period") or ""].append(f)
    out: list[Finding] = []
    for (province, code), s in series.items():
        periods = s.by_period
        flows = [
            p
            for p in periods.values()
            for fs in p.values()
            for f in fs
            if f.get("aggregation") == "flow"
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


def _ytd_chain(
    province: str, code: str, ytd: dict[str, Any], prev_ytd: dict[str, Any], month: dict[str, Any]
) -> Finding:
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
            [ref(i) for i in items],
            ytd.get("doc"),
            "unreadable number",
        )
    lo, hi, centre = p.lo + m.lo, p.hi + m.hi, p.value + m.value
    ok = _overlap(lo, hi, y)
    return Finding(
        "ytd_chain",
        "pass" if ok else "fail",
        _q(centre),
        _q(y.value),
        _q(y.half + (hi - lo) / 2),
        f"{code} ({province}): lũy kế {ytd.get('report_period')} {ytd.get('text')} "
        f"{'bằng' if ok else 'khác'} lũy kế kỳ trước {prev_ytd.get('text')} + tháng "
        f"{month.get('text')} = {_fmt(centre)}",
        f"{code} ({province}): ytd {ytd.get('report_period')} {ytd.get('text')} vs previous "
        f"ytd {prev_ytd.get('text')} + month {month.get('text')} = {_fmt(centre)}",
        [ref(i) for i in items],
        ytd.get("doc"),
    )


def _year_on_year(cur: dict[str, Any], last: dict[str, Any]) -> list[Finding]:
    out = []
    for comp in cur.get("comparisons") or []:
        fn = _change(comp.get("kind") or "")
        if comp.get("basis") != "same_period" or comp.get("unit") != "%" or fn is None:
            continue
        a, b, p = printed(cur), printed(last), printed(comp)
        if a is None or b is None or p is None:
            continue
        c = _against_printed(fn, p, a, b)
        if c is None:
            continue
        pct = _fmt(c.expected)
        out.append(
            Finding(
                "year_on_year",
                c.status,
                _q(c.expected),
                _q(c.actual),
                _q(c.tolerance),
                f"{cur.get('text')} ({cur.get('report_period')}) so với cùng kỳ {last.get('text')} "
                f"({last.get('report_period')}): {pct}%, báo cáo ghi {comp.get('text')}",
                f"{cur.get('text')} ({cur.get('report_period')}) against {last.get('text')} "
                f"({last.get('report_period')}) is {comp.get('kind')} {pct}%, the report "
                f"says {comp.get('text')}",
                [ref(cur), ref(comp), ref(last)],
                cur.get("doc"),
            )
        )
    return out


def _scale_jump(cur: dict[str, Any], other: dict[str, Any]) -> Finding | None:
    a, b = printed(cur), printed(other)
    if a is None or b is None or a.value <= 0 or b.value <= 0:
        return None
    ratio = a.value / b.value
    if not (500 <= ratio <= 2000 or Decimal(1) / 2000 <= ratio <= Decimal(1) / 500):
        return None
    changes = [printed(c) for c in cur.get("comparisons") or [] if c.get("unit") == "%"]
    if any(c is not None and abs(c.value) >= 100 for c in changes):
        return None
    return Finding(
        "scale_jump",
        "fail",
        None,
        _q(ratio),
        None,
        f"{cur.get('text')} ({cur.get('report_period')}) gấp khoảng {_fmt(ratio)} lần "
        f"{other.get('text')} ({other.get('report_period')}): có thể sai đơn vị",
        f"{cur.get('text')} ({cur.get('report_period')}) is about {_fmt(ratio)} times "
        f"{other.get('text')} ({other.get('report_period')}) while its stated change is "
        f"small: a probable unit or scale error",
        [ref(cur), ref(other)],
        cur.get("doc"),
    )


def validate(facts: list[dict[str, Any]], across: bool = True) -> list[Finding]:
    """Within-report checks for each report, then the checks across reports."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        by_doc[str(f.get("doc_sha256") or f.get("doc"))].append(f)
    out: list[Finding] = []
    for doc_facts in by_doc.values():
        out.extend(validate_report(doc_facts))
    if across and len(by_doc) > 1:
        out.extend(validate_across(facts))
    order = {"fail": 0, "skipped": 1, "pass": 2}
    return sorted(
        out,
        key=lambda f: (
            order[f.status],
            str(f.doc),
            f.facts[0]["start"] if f.facts and f.facts[0].get("start") is not None else 0,
        ),
    )


# ----------------------------------------------------------------------------- outputs

FINDING_FIELDS = (
    "rule",
    "status",
    "expected",
    "actual",
    "tolerance",
    "message_vi",
    "message_en",
    "facts",
    "doc",
)


def finding_csv_row(rec: dict[str, Any]) -> dict[str, Any]:
    from .facts import safe_cell

    row = {k: rec.get(k) for k in FINDING_FIELDS if k != "facts"}
    row["reason"] = rec.get("reason")
    facts = rec.get("facts") or []
    row["fact_ids"] = " | ".join(str(f.get("id")) for f in facts)
    row["fact_texts"] = " | ".join(str(f.get("text")) for f in facts)
    row["fact_spans"] = " | ".join(f"{f.get('start')}-{f.get('end')}" for f in facts)
    return {k: safe_cell(v) for k, v in row.items()}


def write_findings(findings: Iterable[Finding], path: str | Any) -> int:
    """Findings as JSON Lines (.jsonl) or CSV (.csv), by extension."""
    import csv
    import json
    from pathlib import Path

    from .outputs import atomic_write, output_format

    target = Path(path)
    records = [f.record() for f in findings]
    if output_format(target, "findings") == "csv":
        cols = [k for k in FINDING_FIELDS if k != "facts"] + [
            "reason",
            "fact_ids",
            "fact_texts",
            "fact_spans",
        ]
        with atomic_write(target, encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=cols)
            writer.writeheader()
            for rec in records:
                writer.writerow(finding_csv_row(rec))
    else:
        with atomic_write(target) as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(records)


def read_facts(paths: Iterable[str | Any]) -> list[dict[str, Any]]:
    """Fact records from JSON Lines files written by ``extract`` (or batch)."""
    import json
    from pathlib import Path

    from .errors import ConfigError

    out: list[dict[str, Any]] = []
    for path in paths:
        p = Path(path)
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read facts file {str(p)!r}: {exc.strerror}") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise ConfigError(
                    f"{str(p)!r} line {n} is not JSON: give the facts .jsonl "
                    "written by extractor extract"
                ) from exc
            if not isinstance(rec, dict) or "id" not in rec or "text" not in rec:
                raise ConfigError(
                    f"{str(p)!r} line {n} is not a fact record (no id/text): "
                    "give the facts .jsonl written by extractor extract"
                )
            out.append(rec)
    return out
