"""Shares: a percentage of a whole, and the shares of one structure.

* :func:`find_shares_of`: "chiếm X% GRDP", "chiếm X% tổng số trường (Y)", "đạt tỷ lệ
  X%" after its count and the whole, "x/y ... đạt z%", "z% (x/y)";
* :func:`find_structures`: "Cơ cấu kinh tế: A x%; B y%; ..." adds up to 100.
"""

from __future__ import annotations

import re

from .found import (
    BREAKDOWN,
    RESIDUAL,
    Found,
    bracket_after,
    bracket_reads,
    by_name,
    compatible,
    names_fit,
    numbers_inside,
    same_clause,
    same_period,
    values_back,
    words_after,
)
from .reading import Num, Passage, operand, words

_STRUCTURE = re.compile(r"\b(cơ cấu|tỷ trọng)\b", re.IGNORECASE)


def find_shares_of(p: Passage, found: Found) -> None:
    """A percentage of a named or bracketed whole, and x/y printed with its z%."""
    for c in p.nums:
        if c.q.unit != "%" or c.role in ("change", "plan", "ratio") or c.q.id in found.explained:
            continue
        span = bracket_after(p, c, 50)
        reads = bracket_reads(p, span) if span is not None else None
        if reads == "delta" and _ratio_with_change(p, c, span, found):
            continue
        if reads not in ("bare", "reference"):
            span = None  # "(trong đó ...)", "(khách quốc tế ...)": not the whole
        inside = [n for n in numbers_inside(p, span) if n.role == "value"] if span else []
        if len(inside) == 1 and inside[0].q.kind == "fraction":  # "99,6% (25.891/25.995 em)"
            _fraction_ratio(found, inside[0], c, "fraction_after")
            continue
        if c.role in ("value", "share"):
            fraction = _fraction_before(p, c)
            if fraction is not None:
                _fraction_ratio(found, fraction, c, "fraction_xy")
                continue
        whole = inside[0] if len(inside) == 1 and inside[0].q.unit != "%" else None
        how, certain = "the figure in brackets after it", True
        if whole is None and c.role == "value" and not _names_a_whole(p, c):
            continue  # a rate, stated on its own
        part = None
        if whole is not None:
            part = next((n for n in values_back(p, c, 1) if compatible(n, whole)), None)
        else:
            near = [n for n in values_back(p, c) if same_clause(p, n, c)]
            part = near[0] if near and near[0].q.unit != "%" else None
            if part is None and c.role == "share":  # "Riêng cà phê chiếm 31,3%": named before
                lead = c.label.split()
                earlier = [n for n in p.nums[: c.index] if n.role == "value" and n.q.unit != "%"]
                part = by_name(reversed(earlier), lead, 0.5) if lead else None
            if part is None:
                continue  # a share in a structure (find_structures)
            named = words(words_after(p, c, 50))
            pool = [
                n
                for n in p.nums
                if n.role == "value" and n is not part and compatible(n, part) and n.q.unit != "%"
            ]
            if named:
                fitting = [n for n in pool if names_fit(words_after(p, c, 50), n)]
                whole = by_name(fitting, named, 0.5)
                how = "the figure the words after it name"
            elif whole is None:  # no name: the plan of its clause, its total, the lead's
                whole, how = _plan_before(p, part, pool), "the plan of its clause"
                if whole is None and _BANG.search(p.fold(c.q.start - 16, c.q.start)):
                    # "Lúa Hè Thu tái sinh thực hiện 8.769 ha, bằng 94,3%": of the same
                    # period last year, most likely; no whole is named, none is guessed
                    cue = found.cue(c.q.start, c.q.end)
                    found.gap("ratio", cue, "reference value not printed", [c])
                    continue
                listed_in = found.part_of.get(part.q.id)
                if whole is None and listed_in is not None and not _has_share(p, listed_in):
                    # not when the total has a share of its own: "công nghiệp - xây dựng
                    # ... chiếm 40,09%, trong đó công nghiệp ..., chiếm 33,71%" (of GRDP)
                    whole, how = listed_in, "the total it is listed in"
                if whole is None:
                    whole, how = _lead_whole(p, c, pool), "the whole the sentence opens with"
                if whole is None:
                    whole = _one_of_a_kind_before(p, part, pool)
                    how, certain = "the one figure of its unit before it, not named", False
        cue = found.cue(c.q.start, c.q.end + len(words_after(p, c, 50)))
        if whole is None or part is None:
            found.gap("ratio", cue, "the whole this is a share of is not printed", [c])
            continue
        found.add(
            "ratio",
            [operand(part, "numerator"), operand(whole, "denominator"), operand(c, "stated")],
            cue,
            form="percent",
            note=f"read {part.q.text} as {c.q.text} of {whole.q.text}, {how}",
            tags=("share",),
            certain=certain,
        )


_BANG = re.compile(r"bằng\s*(?:khoảng|gần|hơn|trên|xấp xỉ)?\s*$")


def _ratio_with_change(p: Passage, c: Num, span: tuple[int, int], found: Found) -> bool:
    """ "cây khoai lang ... ước đạt 1250 ha, bằng 67,57% (-600 ha)": the percentage of the
    level a year before, whose change is in brackets: 1250 / (1250 + 600). True when
    such a relation was made."""
    inside = [n for n in numbers_inside(p, span) if n.q.unit != "%"]
    if len(inside) != 1:
        return False
    delta = inside[0]
    value = next(
        (n for n in values_back(p, c) if same_clause(p, n, c) and n.family == delta.family),
        None,
    )
    if value is None:
        return False
    found.explained.add(c.q.id)
    found.add(
        "ratio",
        [operand(value, "numerator"), operand(delta, "delta"), operand(c, "stated")],
        found.cue(c.q.start, span[1]),
        form="percent",
        note=f"{c.q.text} read as {value.q.text} against the level before it, "
        f"{value.q.text} less the change {delta.q.text}",
        tags=("delta_in_parens",),
    )
    return True


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


def _one_of_a_kind_before(p: Passage, part: Num, pool: list[Num]) -> Num | None:
    """ "Toàn tỉnh có 2.000 hộ được hỗ trợ nhà ở; đến nay đã hoàn thành 1.902 hộ, đạt tỷ
    lệ 95,1%": the one figure of the same unit earlier in the sentence."""
    before = [
        n
        for n in pool
        if n.sentence == part.sentence
        and n.q.end <= part.q.start
        and n.depth == 0
        and n.unit is not None
        and n.unit == part.unit
        and not _has_share(p, n)
    ]
    return before[0] if len(before) == 1 else None


def _has_share(p: Passage, n: Num) -> bool:
    """ "Nhật Bản ... 175,1 triệu USD, chiếm 39,3%, tiếp đến là Trung Quốc 145,1 triệu
    USD, chiếm 32,6%": a figure with a share of its own is a part beside the next one,
    never its whole."""
    nxt = p.nums[n.index + 1] if n.index + 1 < len(p.nums) else None
    return nxt is not None and nxt.role == "share" and nxt.sentence == n.sentence


def _names_a_whole(p: Passage, c: Num) -> bool:
    """ "đạt 74,1% tổng sản lượng": a percentage followed by the name of a figure."""
    named = words(words_after(p, c, 50))
    pool = [n for n in p.nums[: c.index] if n.role == "value" and n.q.unit != "%"]
    return bool(named) and by_name(pool, named, 0.6) is not None


def _lead_whole(p: Passage, c: Num, pool: list[Num]) -> Num | None:
    """ "Trong sản lượng nuôi trồng, tôm ... chiếm 30,5%", "Trong tổng số 8 tháng, ...":
    the whole named at the start of the sentence."""
    s = p.sentence_start(c.sentence)
    m = re.match(r"\s*Trong (?:tổng (?:số )?)?([^,]{3,60}),", p.doc.text[s : c.q.start])
    if not m:
        return None
    before = same_period([n for n in pool if n.q.start < s], m.group(1))
    named = words(m.group(1))
    if not named:  # "Trong tổng số 8 tháng": only the period names it
        return before[-1] if len(before) >= 1 else None
    return by_name(before, named, 0.5)


def _fraction_before(p: Passage, c: Num) -> Num | None:
    """ "612/671 trường đạt chuẩn quốc gia, đạt 91,2%": x/y, then its percentage (not
    "3.355/5.423 hồ sơ ..., trong đó trả đúng hạn ... đạt 100%": a share of a part)."""
    for n in reversed(p.nums[: c.index]):
        if n.sentence != c.sentence or n.q.kind != "fraction":
            return None  # another number stands between
        between = p.doc.text[n.q.end : c.q.start]
        if ";" in between or BREAKDOWN.search(between):
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
            and RESIDUAL.search(p.fold(shares[-2].q.end, shares[-1].q.end))
        ):
            found.add(
                "shares",
                [operand(n, "part") for n in shares],
                found.cue(shares[0].q.start, shares[-1].q.end),
                complete=True,
                tags=("structure", "chiem_list"),
            )
