"""Shares: a percentage of a whole, and the shares of one structure.

* :func:`find_shares_of`: "chiếm X% GRDP", "chiếm X% tổng số trường (Y)", "đạt tỷ lệ
  X%" after its count and the whole, "x/y ... đạt z%", "z% (x/y)";
* :func:`find_structures`: "Cơ cấu kinh tế: A x%; B y%; ..." adds up to 100.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from ..text import fold
from .collector import Collector
from .nearby import (
    BREAKDOWN,
    RESIDUAL,
    bracket_after,
    bracket_reads,
    by_name,
    can_relate,
    levels_before,
    names_fit,
    numbers_inside,
    same_clause,
    same_period,
    values_back,
    words_after,
)
from .reading import Num, Passage, operand, overlap, words
from .wholes import every_member

_STRUCTURE = re.compile(r"\b(cơ cấu|tỷ trọng)\b", re.IGNORECASE)


def find_shares_of(p: Passage, found: Collector) -> None:
    """A percentage of a named or bracketed whole, and x/y printed with its z%; shares
    whose whole is not named are read together (:func:`_unnamed_whole`)."""
    unnamed: list[tuple[Num, Num]] = []  # (share, part) with no whole named
    for c in p.nums:
        if c.q.unit != "%" or c.role not in ("value", "share") or c.q.id in found.explained:
            continue
        if c.bracket is not None and bracket_reads(p, c.bracket) == "reference":
            continue  # "(cùng kỳ 2018 đạt tỷ lệ 35,1%)": the rate a year before
        span = bracket_after(p, c, 50)
        reads = bracket_reads(p, span) if span is not None else None
        if reads == "delta" and span is not None and _ratio_with_change(p, c, span, found):
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
            part = next((n for n in values_back(p, c, 1) if can_relate(n, whole)), None)
        else:
            near = [n for n in values_back(p, c) if same_clause(p, n, c)]
            part = near[0] if near and near[0].q.unit != "%" else None
            if part is None:  # "vốn ... cấp tỉnh chiếm 54%, tương đương 2,6 nghìn tỷ đồng"
                part = _equivalent_after(p, c)
            if part is None and c.role == "share":  # "Riêng cà phê chiếm 31,3%": named before
                lead = c.label.split()
                earlier = [n for n in p.nums[: c.index] if n.role == "value" and n.q.unit != "%"]
                part = by_name(reversed(earlier), lead, 0.5) if lead else None
            if part is None:
                continue  # a share in a structure (find_structures)
            named = words(words_after(p, c, 50))
            pool = [  # a whole is printed before its share
                n
                for n in p.nums[: c.index]
                if n.role == "value" and n is not part and can_relate(n, part) and n.q.unit != "%"
            ]
            if named:
                # the whole named after the share; the total the part is listed in may be
                # a paragraph before ("Cộng dồn 4 tháng ..., tổng kim ngạch xuất khẩu ... là
                # hơn 7,6 tỷ USD" / "Trong đó, ... chiếm gần 79% trong kim ngạch xuất khẩu")
                listed_in = found.part_of.get(part.q.id)
                if listed_in is not None and listed_in not in pool and can_relate(listed_in, part):
                    pool = [*pool, listed_in]
                fitting = [n for n in pool if names_fit(words_after(p, c, 50), n)]
                whole = by_name(fitting, named, 0.5)
                if whole is None and not fitting:  # the whole named after its figure
                    after = [
                        n
                        for n in pool
                        if names_fit(words_after(p, c, 50), n, p.words_after(n))
                        and n.q.end <= part.q.start
                    ]
                    whole = after[0] if len(after) == 1 else None
                how = "the figure the words after it name"
                if whole is None and not fitting:
                    whole = _named_before(p, c, part)
                    how = "the one figure of the paragraph before named so"
            elif whole is None:  # no name: the plan of its clause, its total, the lead's
                whole, how = _plan_before(p, part, pool), "the plan of its clause"
                if whole is None and _BANG.search(p.fold(c.q.start - 16, c.q.start)):
                    # "Lúa Hè Thu tái sinh thực hiện 8.769 ha, bằng 94,3%": of the same
                    # period last year, most likely; no whole is named, none is guessed
                    cue = found.cue(c.q.start, c.q.end)
                    found.gap("ratio", cue, "reference value not printed", [c])
                    continue
                listed_in = found.part_of.get(part.q.id)
                while listed_in is not None and _has_share(
                    found.passage_of(listed_in, p), listed_in
                ):
                    # a total with a share of its own is a part of the same whole:
                    # "công nghiệp - xây dựng ... chiếm 40,09%, trong đó công nghiệp ...,
                    # chiếm 33,71%" (of GRDP, the total the 40,09% is of)
                    listed_in = found.part_of.get(listed_in.q.id)
                if whole is None and listed_in is not None:
                    whole, how = listed_in, "the total it is listed in"
                if whole is None:
                    whole, how = _lead_whole(p, c, pool), "the whole the sentence opens with"
                if whole is None:
                    whole = _one_of_a_kind_before(p, part, pool)
                    how, certain = "the one figure of its unit before it, not named", False
        if whole is None and part is not None and c.role == "share":
            unnamed.append((c, part))
            continue
        note = (
            f"read {part.q.text} as {c.q.text} of {whole.q.text}, {how}" if part and whole else ""
        )
        _add_share(p, found, c, part, whole, note, ("share",), certain)
    _unnamed_whole(p, unnamed, found)


_BANG = re.compile(r"bằng\s*(?:khoảng|gần|hơn|trên|xấp xỉ)?\s*$")


def _unnamed_whole(p: Passage, shares: list[tuple[Num, Num]], found: Collector) -> None:
    """ "Nhật Bản ... 175,1 triệu USD, chiếm 39,3%, tiếp đến là Trung Quốc 145,1 triệu
    USD, chiếm 32,6%; Hàn Quốc 104,7 triệu USD, chiếm 23,5%": shares of a whole the
    sentence does not name (read together by sentence, and the paragraph's shares that
    are alone in their sentences together). The whole is the one figure printed before them (in the
    paragraph or the few before it) that most of the shares fit, at least two; then every
    share is checked against it as an unsure reading (a failure is a warning). With no
    such figure, each is a skipped check."""
    by_sentence: dict[int, list[tuple[Num, Num]]] = {}
    for c, part in shares:
        by_sentence.setdefault(c.sentence, []).append((c, part))
    groups = [listed for listed in by_sentence.values() if len(listed) >= 2]
    # one share a sentence ("... là 2.671 người, chiếm 46,68% trong tổng số. ... là 1.217
    # người, chiếm 21,27%. ... là 1.834 người, chiếm 32,05%"): the paragraph's together
    groups.append([s for listed in by_sentence.values() if len(listed) == 1 for s in listed])
    for listed in groups:
        whole = None
        if len(listed) >= 2:
            first = min(part.q.start for _, part in listed)
            parts = {part.q.id for _, part in listed}
            pool = [
                n
                for n in [n for _, n in levels_before(p)] + p.nums
                if n.role == "value"
                and n.q.unit != "%"
                and n.q.end <= first
                and n.q.id not in parts
                and can_relate(n, listed[0][1])
                and not _has_share(found.passage_of(n, p), n)
            ]
            fits = [(sum(_fits(part, n, c) for c, part in listed), n) for n in pool]
            best = max((f for f, _ in fits), default=0)
            winners = [n for f, n in fits if f == best]
            if best >= 2 and 2 * best > len(listed) and len(winners) == 1:
                whole = winners[0]
        for c, part in listed:
            note = (
                f"read {part.q.text} as {c.q.text} of {whole.q.text}: the whole is not named; "
                "it is the one figure printed before that most shares of the list fit"
                if whole
                else ""
            )
            _add_share(p, found, c, part, whole, note, ("share", "unnamed_whole"), False)


def _add_share(
    p: Passage,
    found: Collector,
    c: Num,
    part: Num | None,
    whole: Num | None,
    note: str,
    tags: tuple[str, ...],
    certain: bool,
) -> None:
    """The relation "``part`` is ``c`` of ``whole``", or a skipped check when either
    is not printed."""
    cue = found.cue(c.q.start, c.q.end + len(words_after(p, c, 50)))
    if whole is None or part is None:
        found.gap("ratio", cue, "the whole this is a share of is not printed", [c])
        return
    found.add(
        "ratio",
        [operand(part, "numerator"), operand(whole, "denominator"), operand(c, "stated")],
        cue,
        form="percent",
        note=note,
        tags=tags,
        certain=certain,
    )


def _fits(part: Num, whole: Num, share: Num) -> bool:
    """Whether ``part`` is ``share`` of ``whole`` within the printed precision of the
    three (a coarse test to pick a whole; the checks do the exact one)."""
    if whole.q.absolute == 0:
        return False
    ratio = part.q.absolute / whole.q.absolute * 100
    slack = Decimal("0.5") * Decimal(10) ** -share.q.decimals
    for n in (part, whole):
        slack += ratio * Decimal("0.5") * Decimal(10) ** -n.q.decimals * n.q.scale / n.q.absolute
    return abs(ratio - share.q.value) <= slack


def _ratio_with_change(p: Passage, c: Num, span: tuple[int, int], found: Collector) -> bool:
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


def _named_before(p: Passage, c: Num, part: Num) -> Num | None:
    """ "Tổng dư nợ cho vay đạt 42.745 tỷ đồng ..." / (next paragraph) "... là 18.936 tỷ
    đồng, chiếm 44,3% tổng dư nợ cho vay": the whole named after the share, printed in
    the paragraph before; only the one figure there named by those words and no others
    ("dư nợ cho vay theo Nghị định 67" is not "tổng dư nợ"), of the same month."""
    named = words(words_after(p, c, 50))
    fitting = [
        n
        for _, n in levels_before(p, 1)
        if n is not part
        and can_relate(n, part)
        and names_fit(words_after(p, c, 50), n)
        and overlap(named, n.label.split()) == 1
        and overlap(n.label.split(), named) >= 0.75
        and (n.months is None or part.months is None or n.months == part.months)
    ]
    return fitting[0] if len(fitting) == 1 else None


_EQUIVALENT = re.compile(r"\s*,?\s*(?:tương đương|tương ứng|với)\s*(?:khoảng|gần|hơn|trên)?\s*$")


def _equivalent_after(p: Passage, c: Num) -> Num | None:
    """The figure a share is printed before: "chiếm 54%, tương đương 2,6 nghìn tỷ đồng"."""
    nxt = p.nums[c.index + 1] if c.index + 1 < len(p.nums) else None
    if nxt is None or nxt.role != "value" or nxt.q.unit == "%" or nxt.depth != c.depth:
        return None
    return nxt if _EQUIVALENT.fullmatch(p.doc.text[c.q.end : nxt.q.start]) else None


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


def _fraction_ratio(found: Collector, fraction: Num, c: Num, tag: str) -> None:
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


def find_structures(p: Passage, found: Collector) -> None:
    """Shares of one whole that add up to 100: a list after "cơ cấu" or "tỷ trọng" (not
    "chiếm tỷ trọng X%", one share), its companion "(cùng kỳ năm 2017 lần lượt là: a; b;
    c và d)", a list of "chiếm" shares that ends with the rest ("và dịch vụ khác 12,4%")
    or names every sector of GRDP. A share listed after "trong đó" inside the list
    ("công nghiệp - xây dựng chiếm 40,09%, trong đó công nghiệp ... chiếm 33,71%") is
    part of another share, not one more item."""
    for s in range(len(p.sentence_starts)):
        start, end = p.sentence_start(s), p.sentence_end(s)
        sentence = p.fold(start, end)
        shares = [
            n
            for n in p.in_sentence(s)
            if n.q.unit == "%" and n.role in ("value", "share") and n.depth == 0
        ]
        shares = [
            n
            for k, n in enumerate(shares)
            if not (k and BREAKDOWN.search(p.fold(shares[k - 1].q.end, n.q.start)))
        ]
        cue_m = next(
            (
                m
                for m in _STRUCTURE.finditer(sentence)
                if not _ONE_SHARE.search(sentence, 0, m.start())
            ),
            None,
        )
        if cue_m and len(shares) >= 2:
            after = [n for n in shares if n.q.start > start + cue_m.end()]
            if len(after) >= 2 and not _over_time(p, after):
                found.add(
                    "shares",
                    [operand(n, "part") for n in after],
                    found.cue(start + cue_m.start(), start + cue_m.end()),
                    complete=True,
                    tags=("structure",),
                )
                _respectively(p, s, after, found)
                _bracketed_companions(p, after, found)
                continue
        chiem = [n for n in shares if n.role == "share"]
        if (
            len(shares) >= 3
            and chiem
            and RESIDUAL.search(p.fold(shares[-2].q.end, shares[-1].q.end))
        ):
            why = "the list ends with the rest"
        elif len(shares) >= 2 and chiem and _every_sector(p, shares):
            why = "every part of the whole is named"
        else:
            continue
        found.add(
            "shares",
            [operand(n, "part") for n in shares],
            found.cue(shares[0].q.start, shares[-1].q.end),
            complete=True,
            note=why,
            tags=("structure", "chiem_list"),
        )


_ONE_SHARE = re.compile(r"chiếm\s*$")
_FROM_TO = re.compile(r"^\s*(?:năm\s+\d{4}\s*)?(?:xuống|lên|còn|đến|tới)\b")
_YEAR_AFTER = re.compile(r"\s*(?:năm\s+)?((?:19|20)\d\d)\b")


def _over_time(p: Passage, shares: list[Num]) -> bool:
    """ "tỷ trọng ... từ 47% năm 2020 xuống 34,63% năm 2024": one share in two years, no
    structure: a share followed by "xuống/lên" and the next, or each of another year."""
    text = p.doc.text
    for a, b in pairwise(shares):
        if _FROM_TO.match(fold(text[a.q.end : b.q.start])):
            return True
    years = [_YEAR_AFTER.match(text, n.q.end) for n in shares]
    return all(years) and len({m.group(1) for m in years if m}) == len(shares)


def find_structure_sentences(p: Passage, found: Collector) -> None:
    """ "Tỷ trọng lao động trong lĩnh vực nông-lâm-thuỷ sản từ 47% năm 2020 xuống 34,63% năm
    2024. Tỷ trọng lao động trong lĩnh vực công nghiệp, xây dựng từ 25,5% năm 2020 lên
    32,87% năm 2024. Tỷ trọng ... dịch vụ từ 27,5% năm 2020 lên 32,5% năm 2024.": a
    structure stated one sentence per member of a whole, every member named, each
    sentence with as many shares (one per year): the first shares add up to 100, and
    the second."""
    rows = []
    for s in range(len(p.sentence_starts)):
        start = p.sentence_start(s)
        shares = [
            n
            for n in p.in_sentence(s)
            if n.q.unit == "%"
            and n.depth == 0
            and (n.role in ("value", "share") or (n.role == "ratio" and not _based(n)))
        ]
        lead = p.fold(start, shares[0].q.start) if shares else ""
        cue = _STRUCTURE.search(lead) or "chiếm" in lead
        rows.append((shares, " ".join(re.findall(r"[^\W\d_]+", lead)) if cue else ""))
    used: set[int] = set()
    for i in range(len(rows)):
        for size in (4, 3, 2):
            run = rows[i : i + size]
            if (
                i in used
                or len(run) < size
                or not run[0][0]
                or any(not names or len(shares) != len(run[0][0]) for shares, names in run)
                or not every_member([names for _, names in run], p.fold(p.start, p.end))
            ):
                continue
            for j in range(len(run[0][0])):
                column = [shares[j] for shares, _ in run]
                found.add(
                    "shares",
                    [operand(n, "part") for n in column],
                    found.cue(column[0].q.start, column[-1].q.end),
                    complete=True,
                    note="one sentence per member of the whole, every member named",
                    tags=("structure", "structure_sentences"),
                )
            used.update(range(i, i + size))
            break


def _based(n: Num) -> bool:
    return n.q.comparison is not None and n.q.comparison.basis is not None


def _every_sector(p: Passage, shares: list[Num]) -> bool:
    """ "khu vực nông, lâm nghiệp và thuỷ sản ... chiếm tỷ trọng 16,18%; khu vực công
    nghiệp - xây dựng ... 40,09%; khu vực dịch vụ ... 30,39%; thuế sản phẩm ... 13,34%":
    each share named by one member of a whole (here GRDP), every member named."""
    names = []
    for n in shares:
        before = [m for m in p.nums[: n.index] if m.q.unit == "%" and m.sentence == n.sentence]
        previous = before[-1].q.end if before else p.sentence_start(n.sentence)
        names.append(" ".join(re.findall(r"[^\W\d_]+", p.fold(previous, n.q.start))))
    return every_member(names, p.fold(p.start, p.end))


def _bracketed_companions(p: Passage, listed: list[Num], found: Collector) -> None:
    """ "khu vực nông nghiệp - thủy sản chiếm 9,32% (kế hoạch chiếm 9,33%); ... 32,53%
    (kế hoạch 31,81%); ... 58,15% GRDP (kế hoạch 58,86%)": each share followed by its
    plan's (or last year's) in brackets, another structure item for item."""
    companions = []
    for n in listed:
        span = bracket_after(p, n, 20)
        if span is None or bracket_reads(p, span) != "reference":
            return
        inside = [m for m in numbers_inside(p, span) if m.q.unit == "%"]
        if len(inside) != 1 or inside[0].role == "change":
            return
        companions.append(inside[0])
    found.add(
        "shares",
        [operand(n, "part") for n in companions],
        found.cue(companions[0].q.start, companions[-1].q.end),
        complete=True,
        note="the same structure, of the plan or another year, one share beside each",
        tags=("structure", "bracketed"),
    )


_RESPECTIVELY = re.compile(r"lần lượt(?: là)?\s*:?")


def _respectively(p: Passage, s: int, listed: list[Num], found: Collector) -> None:
    """ "... thuế sản phẩm chiếm 1.58% (cùng kỳ năm 2017 lần lượt là: 30.22%; 14.38%;
    53.78% và 1.61%)": the structure of the year before, item for item."""
    for m in _RESPECTIVELY.finditer(p.doc.text, p.sentence_start(s), p.sentence_end(s)):
        later = [
            n for n in p.in_sentence(s) if n.q.start > m.end() and n.q.unit == "%" and n.depth > 0
        ]
        if len(later) == len(listed):
            found.add(
                "shares",
                [operand(n, "part") for n in later],
                found.cue(m.start(), m.end()),
                complete=True,
                note="the same structure at another time, item for item",
                tags=("structure", "respectively"),
            )
