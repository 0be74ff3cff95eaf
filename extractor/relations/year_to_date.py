"""Periods: this month, the year to date and the previous year to date of one measure."""

from __future__ import annotations

import re
from itertools import pairwise

from ..text import fold
from .collector import Collector
from .nearby import adjacent, can_relate, closing_sentence
from .reading import Num, Passage, operand, overlap, words_folded
from .wholes import side_of


def find_periods(p: Passage, found: Collector) -> None:
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
            and can_relate(n, y)
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
                if n.depth == 0
                and n.q.id not in found.part_of
                and can_relate(n, y)
                and (n.unit is None) == (y.unit is None)
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
        return opens and (not y.label or y.carried)
    if n.sentence != y.sentence:
        return False
    if any(m.period == "ytd" for m in p.nums[n.index + 1 : y.index] if m.role == "value"):
        return False
    return not y.label or overlap(y.label.split(), n.label.split()) >= SAME_MEASURE


SAME_MEASURE = 0.75  # share of a name's words the other name must have
SAME_NAME = 0.5  # ... to tell one month figure from another of the same unit
PARALLEL = 3  # figures two paragraphs state in the same order to be read as parallel


def _levels(p: Passage) -> list[Num]:
    return [
        n
        for n in p.nums
        if n.role == "value" and n.q.kind == "amount" and n.q.unit != "%" and not n.plan
    ]


def _paragraph_before(p: Passage, y: Num) -> list[Num]:
    """The levels of the paragraph just before, when ``y`` opens its paragraph without
    naming what it measures ("Lũy kế đạt: ..."): the measure is the one before."""
    if y.label or any(n.role == "value" for n in p.nums[: y.index]):
        return []
    return [n for n in closing_sentence(p) if n.q.kind == "amount" and n.q.unit != "%"]


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
        _SINGLED_OUT.search(p.fold(max(p.sentence_start(n.sentence), n.q.start - 60), n.q.start))
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
        if n is y or n is month or not can_relate(n, y) or abs(n.sentence - month.sentence) > 1:
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


_LEVEL_PERIODS = ("month", "ytd", "previous_ytd", "quarter")
_YEAR_IN = re.compile(r"(?:năm|/|-)\s?((?:19|20)\d\d)\b")
# the year of a comparison or a plan is not the figure's: "so với cùng kỳ năm 2023"
_COMPARED_YEAR = re.compile(
    r"(?:so\s+(?:với\s+)?|cùng kỳ\s+|kế hoạch\s+|dự toán\s+)(?:cùng kỳ\s+)?(?:năm\s+)?(?:19|20)\d\d"
)


def find_periods_apart(passages: list[Passage], found: Collector) -> None:
    """The month and the period to date of the same measures, stated one block after
    the other: "Trong tháng 5 năm 2013, ... 556.290 lượt khách (trong đó khách quốc tế
    đạt 7.540 lượt khách) ..." and then "Tính cả 5 tháng đầu năm 2013, ... 1.717.410
    lượt khách (trong đó khách quốc tế đạt 29.280 lượt khách)" (or the period to date
    first): the period to date is at least the month it ends with.

    A figure with no period of its own has the period of the figure before it in its
    paragraph, or of the paragraph just before when its own names none ("Phục vụ được
    khoảng 1.023.792 ngày khách" after "Trong tháng 5 ..."). Figures of one period in a
    row (in one paragraph or in paragraphs next to each other) make a block. In two
    blocks side by side, one of a month and one of the period to date ending with it,
    a figure pairs with the one that holds the same place (the same kind of unit, at the
    top or listed after one, named by the same side, "quốc tế", of the same year) and
    is named alike; or, when the blocks state the same figures in the same order, with
    the one in the same position."""
    blocks = _blocks(passages, found)
    paired = {o.quantity for r in found.relations if r.kind == "ytd" for o in r.operands}
    report_month = found.doc.meta.month
    for a, b in pairwise(blocks):
        (pa, ma), (pb, mb) = a[0][1], b[0][1]
        ma = next((m for _, (_, m) in a if m), ma)  # the months one figure of the block names
        mb = next((m for _, (_, m) in b if m), mb)
        ma, mb = ma or report_month, mb or report_month
        if {pa, pb} != {"month", "ytd"} or (ma and mb and ma != mb):
            continue  # "Lũy kế từ đầu năm tới nay" (months unknown) ends with the month
        months, ytds = (a, b) if pa == "month" else (b, a)
        month_levels = [n for n, _ in months]
        ytd_levels = [n for n, _ in ytds]
        keys = [_key(n, found) for n in month_levels]
        parallel = (
            len(keys) >= PARALLEL
            and len(set(keys)) >= 2
            and keys == [_key(n, found) for n in ytd_levels]
        )
        used: set[str] = set()
        for k, y in enumerate(ytd_levels):
            if y.q.id in paired:
                continue
            fits = [
                m
                for m in month_levels
                if m.q.id not in used
                and m.q.id not in paired
                and _same_place(m, y, found)
                and _same_year(found.doc.text, m, y)
            ]
            py = found.passage_of(y)
            scored = sorted(
                ((_alike(m, y, found.passage_of(m), py), -k, m) for k, m in enumerate(fits)),
                reverse=True,
            )
            month = None
            if (
                scored
                and scored[0][0] >= SAME_NAME
                and (len(scored) == 1 or scored[1][0] < scored[0][0])
            ):
                month = scored[0][2]  # the one named best
            if month is None and parallel and month_levels[k] in fits:
                month = month_levels[k]
            if month is None:
                continue
            used.add(month.q.id)
            found.add(
                "ytd",
                [operand(y, "total"), operand(month, "part")],
                found.cue(max(0, y.q.start - 40), y.q.start),
                complete=False,
                note=f"{y.q.text}, the period to date, read as the same measure as the "
                f"month's {month.q.text}: at least the month",
                tags=("month_and_ytd_apart",),
            )


Level = tuple[Num, tuple[str | None, int | None]]


Period = tuple[str | None, int | None]


def carried_periods(passages: list[Passage], found: Collector) -> list[tuple[Passage, Num, Period]]:
    """Every level of the body, in order, with the period it is of: its own, else the
    one of the figure before it in its paragraph, else of the paragraph before when its
    own names none yet ("Phục vụ được khoảng 1.023.792 ngày khách" after "Trong tháng 5
    ..."); "trong tháng" is the report's month. Plans, averages and references of
    changes are left out."""
    body = [p for p in passages if p.footnote is None and not p.caption]
    referenced = {
        o.quantity
        for r in found.relations
        for o in r.operands
        if o.role in ("reference", "delta")  # "(cùng kỳ năm trước đạt ...)"
    }
    out: list[tuple[Passage, Num, Period]] = []
    carried: Period = (None, None)
    for k, p in enumerate(body):
        if not _goes_on(body, k):
            carried = (None, None)  # a paragraph of its own: no period until it names one
        current = carried
        for n in p.nums:
            if n.role != "value" or n.q.kind != "amount" or n.q.unit == "%":
                continue
            if n.period in _LEVEL_PERIODS:
                current = (n.period, n.months or found.doc.meta.month)
            if not (n.plan or n.intensive or n.q.id in referenced):
                out.append((p, n, current))
        carried = current
    return out


def _goes_on(body: list[Passage], k: int) -> bool:
    """Whether body paragraph ``k`` goes on from the one before (only captions between)."""
    return k > 0 and adjacent(body[k]) and body[k].previous is body[k - 1]


def _blocks(passages: list[Passage], found: Collector) -> list[list[Level]]:
    """Runs of levels of one period (month or period to date, and its months), in
    document order, across paragraphs next to each other."""
    body = [p for p in passages if p.footnote is None and not p.caption]
    place = {id(p): k for k, p in enumerate(body)}
    blocks: list[list[Level]] = []
    previous: Passage | None = None
    for p, n, period in carried_periods(passages, found):
        if previous is not None and p is not previous:
            k, j = place[id(p)], place[id(previous)]
            if not all(_goes_on(body, i) for i in range(j + 1, k + 1)):
                blocks.append([])
        previous = p
        if period[0] not in ("month", "ytd"):
            blocks.append([])
            continue
        if not blocks or (blocks[-1] and not _same_period(blocks[-1][-1][1], period)):
            blocks.append([])
        blocks[-1].append((n, period))
    return [b for b in blocks if b]


def _same_period(a: tuple[str | None, int | None], b: tuple[str | None, int | None]) -> bool:
    """One period, its months unknown on one side ("trong tháng" beside "tháng 8-2024")."""
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def _key(n: Num, found: Collector) -> tuple[object, ...]:
    return (n.family, n.depth > 0 or n.q.id in found.part_of, side_of(n.name))


def _alike(a: Num, b: Num, pa: Passage, pb: Passage) -> float:
    """How alike two figures are named: the words before each back to the figure before
    it ("tổng lượt khách tham quan, lưu trú tại Quảng Nam ước đạt"), each name's share
    of words the other has, the smaller; or their labels, when what opens a sentence
    ("Theo báo cáo của Cục Thống kê, tháng 11/2022, tổng thu ...") is not the name;
    or with the words after each to its clause end, for a name printed after the
    figure ("Kiên Giang đón 1.369.139 lượt khách đến tham quan")."""
    after = [pa.words_after(a), pb.words_after(b)]
    return max(
        _alike_words(a.fcontext, b.fcontext),
        _alike_words(a.label, b.label),
        _alike_words(f"{a.fcontext} {after[0]}", f"{b.fcontext} {after[1]}"),
    )


def _alike_words(a: str, b: str) -> float:
    la, lb = words_folded(a), words_folded(b)
    return min(overlap(la, lb), overlap(lb, la)) if la and lb else 0.0


def _same_place(m: Num, y: Num, found: Collector) -> bool:
    """The same unit, both at the top or both listed after one, named by the same side
    (or neither)."""
    if m.family != y.family or not can_relate(m, y):
        return False
    if (m.depth > 0 or m.q.id in found.part_of) != (y.depth > 0 or y.q.id in found.part_of):
        return False
    return side_of(m.name) == side_of(y.name)


def _same_year(text: str, a: Num, b: Num) -> bool:
    """No year printed before either figure in its sentence, or the same one."""
    years = []
    for n in (a, b):
        window = _COMPARED_YEAR.sub(" ", fold(text[max(0, n.q.start - 200) : n.q.start]))
        found_years = _YEAR_IN.findall(window)
        years.append(found_years[-1] if found_years else None)
    return years[0] is None or years[1] is None or years[0] == years[1]
