"""Totals stated without a list word: the two sides of a whole, exports and imports.

* :func:`find_implicit_sums`: "Tổng vốn FDI cấp mới và tăng thêm đạt ..." after the two
  figures it names; two complementary figures after their total;
* :func:`find_trade_balance`: exports = imports + the surplus ("xuất siêu");
* :func:`find_sides_apart`: the two sides of a whole stated apart after their total;
* :func:`find_side_after`: one side of a whole printed right after its total ("đón gần
  7,4 triệu lượt khách ..., khách quốc tế ước đạt 293 ngàn lượt");
* :func:`find_season_in_year`: a crop season's figure within the whole year's of the
  same crop ("vụ mùa ... 73.467 ha lúa" / "diện tích trồng lúa cả năm ... 146.919 ha").
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..text import fold
from .collector import Collector
from .nearby import by_name, can_relate, levels_before, words_after
from .reading import Num, Passage, operand, words
from .wholes import every_member, members, side_of
from .year_to_date import carried_periods

_NAMED_TOTAL = re.compile(
    r"\s*(?:(?:tính chung|cộng chung|như vậy|qua đó),?\s+)?(?:(?:nâng|đưa)\s+)?"
    r"(?:tổng|tổng cộng)(?:\s+số)?\s+(.+?)\s+và\s+(.+?)\s*(?:ước |đạt|là|có|lên|:|$)"
)


def find_implicit_sums(p: Passage, found: Collector) -> None:
    """Totals stated without a list word. "Tổng vốn FDI cấp mới và tăng thêm đạt
    245,0 triệu USD" after the two figures it names; and two complementary figures
    in one sentence ("Sản lượng nuôi trồng đạt ...; sản lượng khai thác đạt ...")
    after the total of the same measure in the sentence before."""
    levels = [n for n in p.nums if n.role == "value" and n.depth == 0 and n.q.unit != "%"]
    for total in levels:
        m = _NAMED_TOTAL.match(fold(_clause_before(p, total)))
        if not m:
            continue
        before = levels_before(p)  # "Tính chung tổng vốn ..." may open a paragraph
        earlier = [
            (q, n)
            for q, n in [*before, *((p, n) for n in levels)]
            if n.q.end <= total.q.start and can_relate(n, total) and n.q.id not in found.part_of
        ]
        parts: list[Num] = []
        names = [set(words(m.group(1))), set(words(m.group(2)))]
        for mine, other in (names, names[::-1]):
            part = _named_by(mine - other, earlier)
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
            if not can_relate(a, b) or not every_member([a.name, b.name], p.fold(p.start, p.end)):
                continue
            head = [w for w in a.label.split() if w in b.label.split()]
            previous = [n for n in levels if n.sentence == s - 1 and can_relate(n, a)]
            whole = by_name(previous, head, 1.0) if head else None
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


def _named_by(name: set[str], pool: list[tuple[Passage, Num]]) -> Num | None:
    """The figure of ``pool`` whose words (before it back to the figure before, and
    after it to the end of its phrase: "191 doanh nghiệp đăng ký thành lập mới") hold
    most of ``name``, at least half, and more than any other."""
    if not name:
        return None
    scored = []
    for q, n in pool:
        around = set(words(n.fcontext)) | set(words(_clause_before(q, n, ";")))
        around |= set(words(words_after(q, n)))
        scored.append((len(name & around) / len(name), n))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored or scored[0][0] < 0.5 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _clause_before(p: Passage, n: Num, breaks: str = ",;:") -> str:
    """The words before ``n`` back to the last clause break of its sentence."""
    start = p.sentence_start(n.sentence)
    chunk = p.doc.text[start : n.q.start]
    cut = max(chunk.rfind(ch) for ch in breaks)
    return chunk[cut + 1 :]


_BALANCE = re.compile(r"(xuất siêu|nhập siêu|thặng dư thương mại|thâm hụt thương mại)\s*$")
NEARBY = 5  # paragraphs before or after the balance where its exports and imports may be
_HEDGE_END = re.compile(r"(?:\s|:|đạt|là|khoảng|ước|gần|hơn|trên)*$")
_EXPORTS = re.compile(r"(?<!nhập )xuất khẩu")
_IMPORTS = re.compile(r"(?<!xuất )nhập khẩu")


def find_trade_balance(passages: list[Passage], found: Collector) -> None:
    """ "Tính chung 11 tháng, Long An xuất siêu 305 triệu USD" with the exports (1,737
    tỷ USD) and the imports (1,432 tỷ USD) of the same months printed nearby: exports =
    imports + the surplus ("nhập siêu": imports = exports + the deficit)."""
    body = [p for p in passages if p.footnote is None]
    period = {n.q.id: per for _, n, per in carried_periods(passages, found)}
    for k, p in enumerate(body):
        for b in p.nums:
            if b.role != "value" or b.depth or b.q.unit not in ("USD", "đồng"):
                continue
            m = _BALANCE.search(_HEDGE_END.sub("", p.fold(b.q.start - 40, b.q.start)))
            if m is None:
                continue
            near = body[max(0, k - NEARBY) : k + NEARBY + 1]
            pool = [
                n
                for q in near
                for n in q.nums
                if n.role == "value"
                and n.depth == 0
                and n.q.unit == b.q.unit
                and n is not b
                and period.get(n.q.id) == period.get(b.q.id)  # the same months, or none
            ]
            exports = [
                n for n in pool if _EXPORTS.search(n.clause) and not _IMPORTS.search(n.clause)
            ]
            imports = [
                n for n in pool if _IMPORTS.search(n.clause) and not _EXPORTS.search(n.clause)
            ]
            if not exports or not imports:
                continue
            surplus = m.group(1) in ("xuất siêu", "thặng dư thương mại")
            bigger, smaller = (exports[0], imports[0]) if surplus else (imports[0], exports[0])
            found.add(
                "sum",
                [operand(bigger, "total"), operand(smaller, "part"), operand(b, "part")],
                found.cue(b.q.start - len(m.group(1)) - 1, b.q.end),
                complete=True,
                note=f"the trade balance {b.q.text} is exports less imports "
                f"({bigger.q.text} = {smaller.q.text} + {b.q.text})",
                tags=("trade_balance",),
                certain=len(exports) == 1 and len(imports) == 1,
            )


def find_sides_apart(passages: list[Passage], found: Collector) -> None:
    """The two sides of a whole stated without a list word, in one sentence or in
    paragraphs next to each other, after their total: "Tổng sản lượng thủy sản tháng
    7/2023 ước đạt 53.750 tấn ... Sản lượng khai thác thủy sản tháng 7/2023 ... 19.750
    tấn ... Sản lượng nuôi trồng thủy sản tháng 7/2023 ước đạt 34.000 tấn"; "khách du
    lịch ... 510.000 lượt khách, khách quốc tế ... 13.000 lượt khách và khách nội địa
    ... 497.000 lượt khách". The two are of one period and one kind of unit; the total
    is the one figure before them of that period and unit named by the words the two
    share, and it names neither side."""
    levels = carried_periods(passages, found)
    listed = {  # parts already: a side of a whole is a part of nothing else
        o.quantity for r in found.relations if r.kind == "sum" for o in r.role("part")
    }
    for i, (pa, a, period) in enumerate(levels):
        if a.q.id in listed or a.depth or not members(a.name):
            continue
        for pb, b, other in levels[i + 1 : i + 1 + SIDES_APART]:
            if (
                other != period
                or b.q.id in listed
                or b.depth
                or b.family != a.family
                or not every_member([a.name, b.name], pa.fold(pa.start, pb.end))
            ):
                continue
            shared = set(words(a.clause)) & set(words(b.clause))
            wholes = [
                n
                for _, n, per in levels[max(0, i - SIDES_APART) : i]
                if per == period
                and n.family == a.family
                and not n.depth
                and n.q.id not in listed  # "trong đó, sản lượng tôm ...": a part, no whole
                and not members(n.name)
                and shared <= set(words(n.fcontext)) | set(n.label.split())
            ]
            if len(wholes) != 1:
                continue
            whole = wholes[0]
            # "Trong đó, khách quốc tế ... 472 nghìn" listed under the total already: that
            # is its side, not "khách quốc tế đến có lưu trú ... 340 nghìn" after it
            given = [
                n
                for _, n, _ in levels
                if found.part_of.get(n.q.id) is whole and side_of(n.name) == side_of(a.name)
            ]
            side = given[0] if given else a
            found.add(
                "sum",
                [operand(whole, "total"), operand(side, "part"), operand(b, "part")],
                found.cue(a.q.start, b.q.end) if pa is pb else found.cue(b.q.start, b.q.end),
                complete=True,
                note=f"{side.q.text} and {b.q.text} read as the two sides of {whole.q.text}, "
                "the total before them named by the words they share",
                tags=("sides_apart",),
            )
            listed.update((a.q.id, b.q.id))
            break


SIDES_APART = 6  # levels between the two sides of a whole, and before them to the total


def find_side_after(p: Passage, found: Collector) -> None:
    """ "du lịch Bình Thuận đã đón gần 7,4 triệu lượt khách (...), khách quốc tế ước đạt
    293 ngàn lượt (...)": the next level after a total, in its sentence, named by a side
    of a whole ("quốc tế") the total is not named by, of its unit and period, and a part
    of nothing yet: a part of the total (some of it)."""
    listed = found.in_sums()
    levels = [n for n in p.nums if n.role == "value" and n.depth == 0 and n.q.unit != "%"]
    for total, side in pairwise(levels):
        if (
            total.sentence != side.sentence
            or side.q.id in listed
            or total.q.id in found.part_of
            or side_of(total.name) is not None
            or side_of(side.name) is None
            or side.family != total.family
            or side.period != total.period
            or side.carried
            or total.intensive
            or side.intensive
            or not can_relate(side, total)
            or re.search(r"[;:]|\.\s", p.doc.text[total.q.end : side.q.start])
            or _TOTAL_AGAIN.search(side.clause)  # "..., nâng tổng số cơ sở lưu trú lên 88"
            or not _same_measure(total, side)
        ):
            continue
        found.add(
            "sum",
            [operand(total, "total"), operand(side, "part")],
            found.cue(side.q.start - len(side.fcontext), side.q.start),
            complete=False,
            note=f"{side.q.text}, named by one side of a whole, read as a part of "
            f"{total.q.text} printed just before it: parts <= total",
            tags=("side_after",),
        )
        listed.add(side.q.id)


_TOTAL_AGAIN = re.compile(r"\b(?:tổng|nâng|đưa|lũy kế|tính chung)\b")


def _same_measure(total: Num, side: Num) -> bool:
    """Whether the side's name goes on from the total's: a word of the total's name
    ("doanh thu du lịch" / "doanh thu từ khách quốc tế"), or the thing its unit counts
    ("lượt khách" / "khách quốc tế"); not "kim ngạch xuất khẩu" after FDI in USD."""
    mine = set(words(side.fcontext))  # back to the figure before it, no further
    theirs = set(total.label.split()) | set(words(total.q.unit or ""))
    return bool(mine & theirs - {w for w in words(side.q.unit or "")} - _UNIT_WORDS)


_UNIT_WORDS = {"usd", "đồng", "tỷ", "triệu", "nghìn", "ha", "tấn"}


_SEASON = re.compile(
    r"\bvụ (?:mùa|đông xuân|chiêm xuân|chiêm|hè thu|thu đông|xuân|đông|hè|lúa mùa)\b"
)
_WHOLE_YEAR = re.compile(r"\bcả năm\b")
# words that name how a crop is measured, not which crop
_GENERIC = set(
    fold(
        "diện tích sản lượng gieo trồng cấy thu hoạch tổng năng suất toàn tỉnh đạt ước là "
        "của được cả năm vụ mùa đông xuân chiêm hè thu xuân đông bình quân có"
    ).split()
)


def find_season_in_year(p: Passage, found: Collector) -> None:
    """ "Vụ mùa năm 2019, toàn tỉnh đã gieo trồng 73.467ha lúa ... Tổng diện tích trồng
    lúa cả năm của toàn tỉnh là 146.919ha": a crop season's figure and the whole year's,
    of the same unit and the same crop (the words left once how it is measured is set
    aside: "lúa", "thóc", "lương thực"), in one paragraph: the year holds the season."""
    levels = [
        n
        for n in p.nums
        if n.role == "value" and n.depth == 0 and n.q.unit != "%" and not n.intensive
    ]
    seasons, years = [], []
    for n in levels:
        lead = p.fold(p.sentence_start(n.sentence), n.q.start)
        if _WHOLE_YEAR.search(lead) and not _SEASON.search(n.name):
            years.append(n)
        elif _SEASON.search(lead) and not _WHOLE_YEAR.search(lead):
            seasons.append(n)
    for season in seasons:
        crop = _crop(p, season)
        fits = [
            y
            for y in years
            if y.family == season.family
            and can_relate(y, season)
            and crop
            and (crop <= _crop(p, y) or _crop(p, y) <= crop)
            and _crop(p, y)
        ]
        if len(fits) != 1:
            continue
        year = fits[0]
        found.add(
            "sum",
            [operand(year, "total"), operand(season, "part")],
            found.cue(season.q.start, season.q.end),
            complete=False,
            note=f"{season.q.text}, of a crop season, read as a part of the whole year's "
            f"{year.q.text} of the same crop: parts <= total",
            tags=("season_in_year",),
        )


def _crop(p: Passage, n: Num) -> set[str]:
    """Which crop a figure is of: the words of its name and of the words after it,
    how it is measured set aside."""
    named = set(n.name.split()) | set(words(p.words_after(n)))
    return {w for w in named if w not in _GENERIC}
