"""Checks within one report: the arithmetic a report states between its own numbers.

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
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ..extraction.facts import Fact, FactComparison
from ..lexicon import family
from .findings import Finding, ref
from .intervals import (
    HUNDRED,
    ZERO,
    Printed,
    against_printed,
    denominator,
    fmt,
    overlap,
    printed,
    quantize,
    share,
)

NEAR = 40  # characters between a comparison and the value in brackets after it


class _Report:
    """One report's facts, indexed for the checks."""

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = sorted(facts, key=lambda f: f.start or 0)
        self.by_id = {f.id: f for f in self.facts}
        self.starts = [f.start or 0 for f in self.facts]
        self.children: dict[str, list[Fact]] = defaultdict(list)
        for f in self.facts:
            if f.parent in self.by_id:
                self.children[f.parent].append(f)
        self.doc = self.facts[0].doc if self.facts else None
        period = str(self.facts[0].report_period or "") if self.facts else ""
        m = re.fullmatch(r"(\d{4})-(\d{2})", period)
        self.month = int(m.group(2)) if m else None

    def after(self, pos: int, within: int) -> list[Fact]:
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
        items: Iterable[Fact | FactComparison],
        reason: str | None = None,
    ) -> Finding:
        return Finding(
            rule,
            status,
            None if expected is None else quantize(expected),
            None if actual is None else quantize(actual),
            None if tolerance is None else quantize(tolerance),
            vi,
            en,
            tuple(ref(i) for i in items),
            self.doc,
            reason,
        )


def parts_sum(r: _Report) -> list[Finding]:
    out = []
    for pid, kids in r.children.items():
        parent = r.by_id[pid]
        total = printed(parent)
        fam = family(parent.unit)
        if fam in ("%", "‰") or parent.aggregation == "rate":
            continue  # rates of sub-groups do not add up to the group's rate
        parts = [k for k in kids if family(k.unit) == fam and fam is not None]
        if total is None or not parts:
            continue
        values = [printed(k) for k in parts]
        if any(v is None for v in values):
            continue
        lo = sum((v.lo for v in values if v), ZERO)
        hi = sum((v.hi for v in values if v), ZERO)
        centre = sum((v.value for v in values if v), ZERO)
        tol = total.half + (hi - lo) / 2
        partial = parent.breakdown == "partial" or len(parts) < 2
        items = [parent, *parts]
        listed = " + ".join(str(k.text) for k in parts)
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
                    f"{parent.text}",
                    f"parts ({listed}) {'do not exceed' if ok else 'exceed'} the total "
                    f"{parent.text} (partial breakdown: parts <= total)",
                    items,
                )
            )
        else:
            ok = overlap(lo, hi, total)
            out.append(
                r.finding(
                    "parts_sum",
                    "pass" if ok else "fail",
                    total.value,
                    centre,
                    tol,
                    f"Tổng các thành phần {listed} = {fmt(centre)}"
                    f"{', khớp' if ok else ', khác'} tổng số {parent.text}",
                    f"parts {listed} sum to {fmt(centre)}; the total says {parent.text}",
                    items,
                )
            )
    return out


def _percent_of(stated: Fact | FactComparison) -> Printed | None:
    if stated.unit != "%":
        return None
    return printed(stated)


def fraction_percent(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        den = denominator(f)
        num = printed(f)
        if den is None or num is None:
            continue
        candidates: list[tuple[Fact | FactComparison, str | None]] = [
            (c, c.kind) for c in f.comparisons or [] if c.unit == "%"
        ]
        for nxt in r.after((f.end or 0), 25):
            if (
                nxt is not f
                and nxt.unit == "%"
                and not nxt.comparisons
                and nxt.sentence == f.sentence
            ):
                candidates.append((nxt, "reach"))
                break
        for stated, kind in candidates[:1]:
            p = _percent_of(stated)
            if p is None:
                continue
            c = against_printed(share(kind == "exceed"), p, num, den)
            if c is None:
                continue
            pct = fmt(c.expected)
            out.append(
                r.finding(
                    "fraction_percent",
                    *c,
                    f"{f.text} tương ứng {pct}%, báo cáo ghi {stated.text}",
                    f"{f.text} is {pct}%, the report says {stated.text}",
                    [f, stated],
                )
            )
    return out


def _bracketed_after(
    r: _Report,
    comp: FactComparison,
    period: str | None = None,
) -> Fact | None:
    for cand in r.after((comp.end or 0), NEAR):
        if period is None or cand.period == period:
            return cand
    return None


def plan_share(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        value = printed(f)
        for comp in f.comparisons or []:
            if (
                comp.unit != "%"
                or comp.basis not in ("plan", "budget")
                or comp.kind not in ("reach", "ratio", "exceed")
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
                or family(plan_fact.unit) != family(f.unit)
            ):
                continue
            c = against_printed(share(comp.kind == "exceed"), p, value, plan)
            if c is None:
                continue
            pct = fmt(c.expected)
            out.append(
                r.finding(
                    "plan_share",
                    *c,
                    f"{f.text} / kế hoạch {plan_fact.text} = {pct}%, báo cáo ghi {comp.text}",
                    f"{f.text} of plan {plan_fact.text} is {pct}%, the report says {comp.text}",
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
        for comp in f.comparisons or []:
            kind = comp.kind
            fn = _change(kind) if comp.unit == "%" else None
            if fn is None or comp.basis in ("plan", "budget") or value is None:
                continue
            base_fact = _bracketed_after(r, comp, "other")
            p = _percent_of(comp)
            base = printed(base_fact) if base_fact else None
            if (
                base_fact is None
                or base is None
                or p is None
                or family(base_fact.unit) != family(f.unit)
            ):
                continue
            c = against_printed(fn, p, value, base)
            if c is None:
                continue
            pct = fmt(c.expected)
            out.append(
                r.finding(
                    "change_vs_reference",
                    *c,
                    f"{f.text} so với {base_fact.text}: {pct}%, báo cáo ghi {comp.text}",
                    f"{f.text} against {base_fact.text} is {kind} {pct}%, "
                    f"the report says {comp.text}",
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
                        f"'{word}' {'khớp' if agrees else 'ngược'} với {f.text} so với "
                        f"{base_fact.text}",
                        f"'{word}' ({kind}) {'agrees' if agrees else 'disagrees'} with "
                        f"{f.text} against {base_fact.text}",
                        [f, comp, base_fact],
                    )
                )
    return out


def _ytd_after(r: _Report, f: Fact, sentences: int = 2) -> Fact | None:
    for cand in r.after((f.end or 0), 400):
        if (
            cand.period == "ytd"
            and family(cand.unit) == family(f.unit)
            and cand.scale is not None
            and (cand.sentence or 0) - (f.sentence or 0) <= sentences
        ):
            return cand
    return None


def ratio_previous_month(r: _Report) -> list[Finding]:
    out = []
    for f in r.facts:
        for comp in f.comparisons or []:
            if comp.basis != "previous_period" or comp.unit != "%" or f.period != "month":
                continue
            if _bracketed_after(r, comp, "other") is not None:
                continue  # checked against the printed reference instead
            fn = _change(comp.kind or "")
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
            c = against_printed(lambda m, y, g=fn: g(m, y - m), p, value, total)
            if c is None:
                continue
            pct = fmt(c.expected)
            out.append(
                r.finding(
                    "ratio_previous_month",
                    *c,
                    f"Tháng trước = {ytd.text} - {f.text}; {f.text} so "
                    f"với tháng trước: {pct}%, báo cáo ghi {comp.text}",
                    f"previous month = {ytd.text} - {f.text}; against it "
                    f"{f.text} is {pct}%, the report says {comp.text}",
                    [f, comp, ytd],
                )
            )
    return out


def ytd_sum(r: _Report) -> list[Finding]:
    if r.month != 2:
        return []
    out = []
    for f in r.facts:
        if f.period != "month":
            continue
        for comp in f.comparisons or []:
            if comp.basis != "previous_period":
                continue
            prev_fact = _bracketed_after(r, comp, "other")
            ytd = _ytd_after(r, f)
            if prev_fact is None or ytd is None or family(prev_fact.unit) != family(f.unit):
                continue
            month, prev, total = printed(f), printed(prev_fact), printed(ytd)
            if month is None or prev is None or total is None:
                continue
            lo, hi = month.lo + prev.lo, month.hi + prev.hi
            centre = month.value + prev.value
            ok = overlap(lo, hi, total)
            out.append(
                r.finding(
                    "ytd_sum",
                    "pass" if ok else "fail",
                    centre,
                    total.value,
                    total.half + (hi - lo) / 2,
                    f"Lũy kế {ytd.text} {'bằng' if ok else 'khác'} tháng trước "
                    f"{prev_fact.text} + tháng này {f.text} = {fmt(centre)}",
                    f"year to date {ytd.text} vs previous month {prev_fact.text} "
                    f"+ this month {f.text} = {fmt(centre)}",
                    [ytd, prev_fact, f],
                )
            )
    return out


def shares_sum_100(r: _Report) -> list[Finding]:
    groups: dict[Any, list[Fact]] = defaultdict(list)
    for f in r.facts:
        if f.share_group is not None:
            groups[f.share_group].append(f)
    out = []
    for members in groups.values():
        values = [printed(f) for f in members]
        if len(members) < 3 or any(v is None for v in values):
            continue
        total = sum((v.value for v in values if v), ZERO)
        tol = sum((v.half for v in values if v), ZERO)
        ok = abs(total - HUNDRED) <= tol
        listed = " + ".join(str(f.text) for f in members)
        out.append(
            r.finding(
                "shares_sum_100",
                "pass" if ok else "fail",
                HUNDRED,
                total,
                tol,
                f"Cơ cấu {listed} = {fmt(total)}%{'' if ok else ', khác 100%'}",
                f"shares {listed} add up to {fmt(total)}%",
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


def validate_report(facts: list[Fact]) -> list[Finding]:
    """Every within-report check over one report's facts."""
    r = _Report(facts)
    out: list[Finding] = []
    for rule in REPORT_RULES:
        out.extend(rule(r))
    return out
