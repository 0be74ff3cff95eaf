"""Breakdowns: a total and its parts.

* :func:`find_breakdowns`: after "trong đó", "bao gồm", "gồm (có)", "cụ thể", "chia
  ra/theo", a colon list, in brackets right after the total, or named at the start of
  the sentence ("Trong sản lượng nuôi trồng, ...");
* :func:`find_footnote_breakdowns`: in the footnote whose marker is glued to the total.

Totals stated without a list word are :mod:`.sides`'.

Complete or partial is read from the cue words and the list's shape, never from
whether the numbers add up.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..document import Document
from ..lexicon import MEASURED
from ..text import fold
from .collector import Collector
from .nearby import (
    BREAKDOWN,
    MONTH_LABEL,
    RESIDUAL,
    by_name,
    can_relate,
    closed_before,
    levels_before,
    numbers_inside,
    same_kind,
    same_period,
)
from .reading import Num, Passage, operand, without_brackets, words
from .relation_records import Cue
from .wholes import every_member, members, one_more_member, other_members

_REFERENCE_LABEL = re.compile(
    r"^\s*(?:cùng kỳ|ck\b|tháng|năm|quý|kỳ trước|kế hoạch|kh\b|dự toán|lũy kế|luỹ kế|"
    r"cùng thời điểm|tết|vụ|đầu năm|cuối năm|so với)"
)
_LEAD_WHOLE = re.compile(
    r"(?:^|(?<=[.;]\s))Trong ((?!tháng|năm|quý|đó|kỳ|dịp|số\b)[^,;.()]{3,60}),"
)
# "Mặt hàng xuất khẩu chủ yếu ... gồm", "Nhiều mặt hàng ... tăng, gồm"
_MAIN_ONES = re.compile(r"chủ yếu|một số|chủ lực|\bnhiều\b|tiêu biểu|điển hình")
_TRAILS_OFF = re.compile(r"^[^.;]*?(?:…|\.\.\.|v\.v)")  # "... (tăng 31,8%)..."
_COMPLETE_CUES = {"bao gồm", "gồm có", "gồm", "cụ thể", "chia ra", "chia theo"}


def _complete(
    cue_word: str, parts: list[Num], p: Passage, total: Num | None = None
) -> tuple[bool, str | None, bool]:
    """Is a breakdown meant to be the whole, read from its words (never its sums), and
    is that reading certain.

    Certain: a list word that means the whole ("gồm", "bao gồm", "chia ra"), a list
    that ends with the rest ("khác", "còn lại") or names every member of a whole
    (quốc tế / trong nước, the GRDP sectors, ...), a total that names its two
    components, numbered items. Partial: one part, "một số", "chủ yếu", "như", a list
    that trails off ("…"). Between them, a footnote that lists several parts after
    "Trong đó:" with none of those signs: read as the whole list, but unsure; a
    shortfall against the total is then a warning, and only parts that exceed it an
    error."""
    if len(parts) < 2:
        return False, "one part named: parts <= total", True
    word = cue_word.lower().rstrip(" :")
    last = p.fold(parts[-2].q.end, parts[-1].q.end)
    lead = p.fold(p.sentence_start(parts[0].sentence), parts[0].q.start)
    if _MAIN_ONES.search(lead):
        return False, "the main items only ('chủ yếu', 'nhiều'): parts <= total", True
    if _TRAILS_OFF.match(p.fold(parts[-1].q.end, parts[-1].q.end + 40)):
        return False, "the list trails off ('...'): parts <= total", True
    if word in _COMPLETE_CUES:
        return True, None, True
    if RESIDUAL.search(parts[-1].clause or without_brackets(last)):
        return True, "the list ends with the rest ('khác', 'còn lại')", True
    labels = [set(n.label.split()) for n in parts]
    context = p.fold(p.start, p.end)
    if every_member([n.name for n in parts], context) or every_member(
        [p.words_after(n) for n in parts],
        context,  # "455 người đào tạo hệ cao đẳng; ..."
    ):
        return True, "every part of the whole is named", True
    if total is not None and _total_names(p, total, parts):
        return True, "the total names its components, these", True
    if all("đóng" in lab and "góp" in lab for lab in labels):
        # "khai khoáng ... đóng góp 1,53 điểm phần trăm; chế biến, chế tạo ... 0,57;
        # điện ... 7,37": every branch or sector, or some of them
        names = [_item_name(p, n) for n in parts]
        if every_member(names):
            return True, "the contributions of every part of the whole", True
        return False, "contributions of some of the parts: they do not exceed the total", True
    listed = p.fold(parts[0].q.start - 60, parts[-1].q.end + 16)
    if _NUMBERED.search(listed):
        return True, "numbered items: the whole list", True
    if p.footnote is not None and word.startswith("trong") and not _SOME.search(listed):
        # a footnote that details the figure its marker is glued to ("... 349.090 con⁶";
        # "⁶ Trong đó: đàn trâu 92.400 con, đàn bò 25.490 con, đàn lợn 231.200 con")
        return (
            True,
            f"a footnote listing {len(parts)} parts after '{word}', none marked as some of "
            "many: read as the whole list (a shortfall may be a part left out)",
            False,
        )
    return (
        False,
        f"'{word}' names some of the parts: parts <= total (equality not assumed)",
        True,
    )


# a list marked as some of many: "một số", "chủ yếu", "như", "…", "v.v."
_SOME = re.compile(r"một số|chủ yếu|chủ lực|tiêu biểu|nổi bật|điển hình|\bnhư\b|…|\.\.\.|v\.v")
_NUMBERED = re.compile(r"\(1\)[^()]*\(2\)")


_NAME_TOKEN = re.compile(r"[^\W\d_]+|,")


def _total_names(p: Passage, total: Num, parts: list[Num]) -> bool:
    """ "doanh thu dịch vụ lưu trú và ăn uống ... 12.986 tỷ đồng. Trong đó, doanh thu
    dịch vụ lưu trú ... 5.420 tỷ đồng; lĩnh vực ăn uống ... 7.566 tỷ đồng", "tổng đàn
    trâu, bò ... 56.700 con, trong đó: đàn trâu ... 6.400 con; đàn bò ... 49.800 con": the
    total's sentence names the parts one after the other, joined by "," or "và", each by
    a word only its part has."""
    before = p.fold(total.q.start - 300, total.q.start)  # the total may be a paragraph up
    tokens = _NAME_TOKEN.findall(re.split(r"[.;!?]\s|\n", before)[-1])
    names = [set(n.name.split()) for n in parts]
    own = [names[k] - set().union(*(names[:k] + names[k + 1 :])) for k in range(len(parts))]
    if any(not words for words in own):
        return False
    for start, token in enumerate(tokens):
        if token not in own[0]:
            continue
        at, k = start, 1
        while k < len(parts):
            gap = tokens[at + 1 : at + 4]
            nxt = next(
                (
                    j
                    for j, t in enumerate(gap)
                    if t in own[k] and ("," in gap[:j] or "và" in gap[:j])
                ),
                None,
            )
            if nxt is None:
                break
            at, k = at + 1 + nxt, k + 1
        if k == len(parts):
            return True
    return False


_LIST_END = re.compile(
    r"\b(?:đưa|nâng)\s+(?:tổng|lũy kế|luỹ kế)|"  # "... đã góp phần đưa tổng doanh thu ..."
    r"[;,][^;,]*?(?:lũy kế|luỹ kế|tính chung|từ đầu năm)|"
    r";[^;]*?(?:lũy kế|luỹ kế|tính chung|từ đầu năm|cả năm|riêng|tỷ lệ|"
    r"(?<!dưới )(?<!trên )(?<!từ )\d+ tháng|"
    r"tháng \d+|so với)|;\s*(?:[-+]\s*)?tổng\b",
    re.IGNORECASE,
)


_AND = re.compile(r"[^,;()]*\svà\s")
_CLAUSE_END = re.compile(r"[,;.]\s")


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
    last = False  # the item after "và": the list ends with its clause
    nested = False  # inside a list of the last item's own parts
    for n in p.nums:
        if n.q.start < start or n.q.start >= end:
            continue
        if _LIST_END.search(p.doc.text, pos, n.q.start):
            break
        if last and _CLAUSE_END.search(p.doc.text, pos, n.q.start):
            break  # "34 dự án FDI và 14 dự án trong nước, điều chỉnh tăng vốn cho 15 ..."
        if parts and BREAKDOWN.search(p.doc.text, pos, n.q.start):
            if not (members(parts[0].name) or members(_after_name(p, parts[0]))):
                break  # "trong đó có 500 người ..., cụ thể: ...": another list
            nested = True  # "... xây dựng 34.433,4 tỷ đồng, trong đó công nghiệp ...;"
        semicolon = semicolon or ";" in p.doc.text[pos : n.q.start]
        pos = n.q.end
        if n.depth == depth + 1 and _contributions([n]):
            pass  # "khu vực dịch vụ tăng 8.64% (đóng góp 4.49 điểm phần trăm ...)"
        elif n.depth != depth or n.role != "value":
            continue
        if nested:  # the list goes on with the next member of the whole ("dịch vụ ...")
            kin_parts = [m for m in parts if m.family == n.family]
            if not (
                semicolon
                and all(
                    other_members(m.name, n.name)
                    or other_members(_after_name(p, m), _after_name(p, n))
                    for m in kin_parts
                )
            ):
                continue
            nested = False
        if parts and n.family == parts[-1].family:
            # "34 dự án FDI và 14 dự án", not "28 DN; Thương mại và dịch vụ 59 DN"
            last = last or bool(_AND.match(p.doc.text, parts[-1].q.end, n.q.start))
        if (
            semicolon
            and one_clause
            and parts
            and not _contributions([*parts, n])
            and not any(
                _parallel(m, n) or other_members(_after_name(p, m), _after_name(p, n))
                for m in parts
            )
        ):
            break  # "trong đó có 15 dự án ...; điều chỉnh tăng vốn cho 11 lượt dự án"
        if semicolon or not item or n.family == item[0].family:
            item = [n]
            parts.append(n)
        elif all(m.family != n.family for m in item):
            item.append(n)
            parts.append(n)
        semicolon = False
    return parts


def _after_name(p: Passage, n: Num) -> str:
    """The name printed after a figure, as syllables ("18 trường mầm non")."""
    return " ".join(_SYLLABLES.findall(p.words_after(n)))


_SYLLABLES = re.compile(r"[^\W\d_]+")


def _item_name(p: Passage, n: Num) -> str:
    """The words of ``n``'s list item: from the previous ";" (or the list word) to it
    ("ngành chế biến, chế tạo tăng 3,59%, đóng góp 0,57 điểm phần trăm")."""
    before = p.fold(n.q.start - 160, n.q.start)
    item = re.split(r";|\btrong đó\b|:", before)[-1]
    return " ".join(re.findall(r"[^\W\d_]+", item))


def _before_siblings(total: Num, parts: list[Num]) -> list[Num]:
    """The parts up to the first that names another member of a whole the total is a
    member of: "công nghiệp - xây dựng 34.433,4 tỷ đồng, trong đó công nghiệp 28.947,4
    tỷ đồng; khu vực dịch vụ 26.098,1 tỷ đồng": services are beside the total, not in
    it."""
    mine = members(total.name)
    for k, n in enumerate(parts):
        theirs = members(n.name)
        beside = {kt for kt, jt in mine for kn, jn in theirs if kt == kn and jt != jn}
        if not beside or any(m in mine for m in theirs):
            continue
        # "thu nội địa ..., trong đó thu từ DNNN ...; ngoài quốc doanh ...; có vốn đầu tư
        # nước ngoài ...": "nước ngoài" is beside "nội địa" in another whole than the one
        # the items are members of together; still an item
        together = {
            kn for kn, jn in theirs for m in parts[:k] for km, jm in members(m.name) if km == kn
        }
        if together and not together & beside:
            continue
        return parts[:k]
    return parts


def _parallel(a: Num, b: Num) -> bool:
    """Two items of one list: named by the same head word ("khách quốc tế ...; khách
    trong nước ...", "thu nội địa ...; thu xuất nhập khẩu ..."), as two members of a
    whole ("nuôi trồng ...; khai thác ..."), or in the same few words and the same verb
    ("thóc là 888.132 tấn ...; ngô là 17.724 tấn ...; kê là 11 tấn")."""
    la, lb = a.label.split(), b.label.split()
    if not la or not lb or a.family != b.family or a.carried or b.carried:
        return False
    if la[0] == lb[0] or other_members(a.name, b.name):
        return True
    ca, cb = a.name.split(), b.name.split()
    return (
        len(ca) <= SHORT_ITEM
        and len(cb) <= SHORT_ITEM
        and ca[-1:] == cb[-1:]
        and ca[-1:] != []
        and ca[-1] in _ITEM_VERBS
    )


SHORT_ITEM = 4  # words naming an item of a list, its verb included
_ITEM_VERBS = {"là", "đạt", "có", "được"}


def _measured(n: Num) -> bool:
    """A number without a unit counts as a part only if it looks like a measure
    (grouped, with decimals or of four digits and more: "đàn lợn 556.520", "33902"),
    not "1" in "ít nhất 1 mũi"."""
    return n.unit is not None or "." in n.q.text or "," in n.q.text or n.q.value >= 1000


def _a_count(n: Num) -> bool:
    """A whole number of things, not a measure ("18 bệnh viện", "141 trạm")."""
    return n.q.decimals == 0 and n.q.scale == 1 and n.q.unit not in MEASURED | {"%"}


_ATTRIBUTE = re.compile(r"\bvới\s+(?:tổng\s+)?(?:số\s+)?(?:hơn|khoảng|gần|trên)?\s*$")


def _kinds_of(parts: list[Num], total: Num) -> bool:
    """A count of things of several kinds, each named after its figure: "Tổng số cơ sở
    y tế: 186, trong đó: - 18 bệnh viện - 06 phòng khám ..." (a bare total), "289 cơ sở y
    tế, gồm 1 bệnh viện Trung ương, 9 bệnh viện tỉnh, ..., 12 phòng khám khu vực, 244
    trạm y tế" (three kinds or more, none the total's)."""
    if not _a_count(total) or not parts or not all(_a_count(n) for n in parts):
        return False
    if any(_ATTRIBUTE.search(n.fcontext) for n in parts):
        return False  # "... 244 trạm y tế với hơn 5.600 cán bộ": staff, no facility
    if total.bare:
        return True
    families = {n.family for n in parts}
    return len(parts) >= 3 and len(families) >= 3 and total.family not in families


def _same_family(parts: list[Num], total: Num) -> list[Num]:
    """The parts that measure what ``total`` measures (a unit left out is the list's);
    never the total itself again ("... đóng góp 3,93 điểm phần trăm. Trong đó, ...;
    khu vực công nghiệp và xây dựng ... đóng góp 3,93 điểm phần trăm; ...")."""
    if any(n.q.text == total.q.text and n.name == total.name for n in parts):
        return []
    if _contributions(parts):
        # "tăng 7,15%; trong đó ... đóng góp 0,62 điểm phần trăm, ...": of a growth rate
        return parts if total.q.unit == "%" else []
    if total.intensive:
        return []  # "Số ngày lưu trú bình quân ... 1,38 ngày/lượt; trong đó ...": averages
    parts = [n for n in parts if not n.intensive]
    if total.unit is None:
        if not (_measured(total) or total.bare):
            return []
        families = {n.family for n in parts if n.unit is not None}
        if len(families) == 1 and None not in families:  # "đàn lợn 556.520⁴" / "Lợn nái 61.200 con"
            # "- Bệnh viện: 1.843 giường ... - Phòng khám đa khoa khu vực: 86": the list's
            return [n for n in parts if _measured(n) or n.bare]
        if _kinds_of(parts, total):
            return parts
        return [n for n in parts if n.unit is None and (_measured(n) or n.bare)]
    if _kinds_of(parts, total):
        return parts
    bare = len(parts) >= 2 and all(n.unit is None for n in parts)  # "... là 211; ... là 165"
    keep = [n for n in parts if same_kind(n, total) or (n.unit is None and (bare or _measured(n)))]
    # the rates of sub-groups ("công suất ... 86,57%, trong đó tuyến tỉnh 87,71%") and
    # growth rates do not add up; shares of one whole are find_structures'
    return [n for n in keep if n.q.unit != "%"]


def _add_breakdown(
    found: Collector,
    p: Passage,
    total: Num,
    parts: list[Num],
    cue: Cue,
    cue_word: str,
    tags: tuple[str, ...],
    doubt: str | None = None,
) -> None:
    complete, note, certain = _complete(cue_word, parts, p, total)
    if doubt is not None:  # the total is not certain: a failure is a warning
        note, certain = (
            f"{total.q.text} read as the total, {doubt}" + (f"; {note}" if note else ""),
            False,
        )
    months = [MONTH_LABEL.search(n.fcontext) for n in parts]
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
        certain=certain,
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
            certain=certain,
        )
    if relation is not None:
        for n in parts:
            found.part_of.setdefault(n.q.id, total)
        if complete:
            _companion_changes(found, p, total, parts, cue, certain)


def _companion_changes(
    found: Collector, p: Passage, total: Num, parts: list[Num], cue: Cue, certain: bool
) -> None:
    """ "thu ngân sách đạt trên 5.710 tỉ đồng, ..., vượt 876 tỉ đồng so với dự toán. Trong
    đó, thu nội địa 5.541 tỉ đồng, ..., vượt 820 tỉ đồng; thu ... xuất, nhập khẩu 169 tỉ
    đồng, ..., vượt 56 tỉ đồng": a whole list whose total and every part print their
    change over the same basis the same way; the changes add up as the levels do."""
    changes = [_own_change(found.passage_of(n, p), n) for n in (total, *parts)]
    if any(c is None for c in changes):
        return
    kept = [c for c in changes if c is not None]
    directions = {c.q.comparison.direction for c in kept if c.q.comparison}
    if len(directions) != 1 or not all(can_relate(c, kept[0]) for c in kept):
        return
    found.add(
        "sum",
        [operand(kept[0], "total"), *(operand(c, "part") for c in kept[1:])],
        cue,
        complete=True,
        note=f"the changes printed beside {total.q.text} and each of its parts add up as "
        "the levels do",
        tags=("companion_changes",),
        certain=certain,
    )


def _own_change(p: Passage, n: Num) -> Num | None:
    """The absolute change printed in ``n``'s clause after it ("..., vượt 820 tỉ đồng")."""
    for m in p.nums[n.index + 1 :]:
        if (m.role == "value" and m.q.unit != "%") or m.sentence != n.sentence:
            return None  # the next level: the clause is over
        if re.search(r";", p.doc.text[n.q.end : m.q.start]):
            return None
        if m.role == "change" and m.depth == n.depth and m.q.kind == "amount" and m.unit:
            return m if m.family == n.family else None
    return None


def _total_before(
    p: Passage, at: int, sentence: int, parts: list[Num], listed: dict[str, Num]
) -> tuple[Num | None, str | None]:
    """The total a breakdown cue at ``at`` refers to: the nearest figure of its kind
    before the cue in the sentence (not one listed as a part there: "1.200 người ...,
    trong đó có 500 người ..., cụ thể: ..." details the 1.200); else, when words name
    it ("Thu nội địa bao gồm"), the figure so named; else (the cue opens the sentence)
    the last such figure of the sentence before. With it, why the reading is unsure
    (None when it is not)."""
    text = p.doc.text
    s_start = p.sentence_start(sentence)
    here = [
        n
        for n in p.nums
        if s_start <= n.q.start
        and n.q.end <= at
        and not closed_before(n, at)
        and (n.role == "value" or (_contributions(parts) and n.role == "change"))
        and not (n.q.id in listed and listed[n.q.id].q.start >= s_start)
    ]
    for n in reversed(here):
        if _same_family(parts, n):
            return n, None
    lead = text[s_start:at]
    named = words(lead)
    if named and not here:
        earlier = [n for n in p.nums if n.q.end <= s_start and n.role == "value"]
        total = by_name(reversed(same_period(earlier, lead)), named, 0.5)
        if total is not None:
            return total, None
    if named:
        return None, None
    previous = [
        n
        for n in p.nums
        if n.sentence == sentence - 1
        and (n.role == "value" or (_contributions(parts) and n.role == "change"))
        and not closed_before(n, s_start)
    ]
    if sentence == 0:  # "Trong đó, ..." opening a paragraph: the total is in the one before
        previous = [n for q, n in levels_before(p, 1) if n.depth == 0]
        periods = {n.period for n in parts}
        if len(periods) == 1 and periods <= {"month", "ytd"}:
            # "Trong đó, khách quốc tế tháng 7 ... 5,1 ngàn lượt": the month's total
            previous = [n for n in previous if n.period in periods]
    fitting = [n for n in previous if _same_family(parts, n) and n.q.id not in listed]
    if len(fitting) > 1:
        # "diện tích cà phê toàn tỉnh đạt 174.142,3 ha, diện tích kinh doanh 162.040,1 ha
        # ... Trong đó, cà phê vối 160.457,1 ha ...": the one named by the parts' words;
        # else the last, an unsure reading
        said = {w for n in parts for w in n.name.split()}
        scored = [(len(said & set(n.label.split())), k) for k, n in enumerate(fitting)]
        best = max(scored)
        if best[0] and [s for s, _ in scored].count(best[0]) == 1:
            return fitting[best[1]], None
        last = fitting[-1]
        alike = [n for n in fitting[:-1] if n.period == last.period]
        if alike:  # ("7 tháng ... 1.155,5 tỷ đồng" after "tháng 7 ... 194,4 tỷ đồng" is sure)
            others = ", ".join(n.q.text for n in alike)
            return last, f"the last of the figures of its unit before the list (not {others})"
        return last, None
    return (fitting[-1] if fitting else None), None


def find_breakdowns(p: Passage, found: Collector) -> None:
    text = p.doc.text
    for m in BREAKDOWN.finditer(text, p.start, p.end):
        at = m.start()
        if p.footnote is not None and not text[p.start : at].strip(" \t\n0123456789"):
            continue  # "Trong đó: ..." opening a footnote: find_footnote_breakdowns reads it
        sentence = p.sentence_of(at)
        # the list's depth: of its first figure not in a bracket opened after the cue
        # ("Trong đó, khu vực ... (chiếm 98% ...) đạt trên 10,56 tỷ USD")
        depth = next(
            (
                n.depth
                for n in p.nums
                if n.q.start > at and (n.bracket is None or n.bracket[0] < at)
            ),
            0,
        )
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
        opens = not p.fold(p.sentence_start(sentence), at).strip()
        if opens and not m.group(1).lower().startswith("trong") and not m.group().endswith(":"):
            continue  # "Cụ thể, kim ngạch xuất khẩu ...": "specifically", not a list
        listed = _parts_after(p, m.end(), end, depth, one_clause)
        if m.group().endswith(":") and not depth:
            bullets = _bullet_items(p, m.end(), found)
            if bullets:
                listed = [*listed, *(n for n in bullets if n not in listed)]
            elif listed:
                listed += _parallel_sentences(p, m.end(), listed, found)
        if len(listed) == 1 and not depth:
            listed += _other_side(p, listed[0])
        elif (
            len(listed) >= 2
            and not depth
            and every_member([n.name for n in listed], p.fold(p.start, p.end))
        ):
            listed += _third_side(p, listed)
        cue = found.cue(at, m.end())
        listed = _split_items(p, listed, found, cue)
        if not listed:
            continue
        # one relation per kind of figure listed ("15 dự án ... với 97,2 triệu USD")
        groups: dict[str | None, list[Num]] = {}
        for n in listed:
            groups.setdefault(n.family if n.unit else "?", []).append(n)
        if "?" in groups and len(groups) == 2:  # a unit left out: the list's unit
            groups = {"": list(listed)}
        kinds = [n for n in listed if not _ATTRIBUTE.search(n.fcontext)]
        if len(groups) > 1 and all(_a_count(n) for n in kinds):
            total, _ = _total_before(p, at, sentence, kinds, found.part_of)
            if total is not None and _kinds_of(kinds, total):  # "cơ sở y tế, gồm ..."
                groups = {"": kinds}
        formed = False
        for group in _by_period(groups) if opens and sentence == 0 else groups.values():
            if group[0].unit is None and len(groups) > 1:
                continue
            if _shares_of_a_count(p, group):
                found.add(
                    "shares",
                    [operand(n, "part") for n in group],
                    cue,
                    complete=False,
                    note="shares of one whole listed after 'trong đó': at most 100%",
                    tags=("shares_listed",),
                )
                formed = True
                continue
            total, doubt = _total_before(p, at, sentence, group, found.part_of)
            if total is None:
                continue
            parts = _before_siblings(
                total, [n for n in _same_family(group, total) if n is not total]
            )
            if parts:
                word = m.group(1)
                _add_breakdown(found, p, total, parts, cue, word, (fold(word),), doubt)
                formed = True
        if not formed:
            found.gap("parts_sum", cue, "no total of the same kind as the parts is printed", listed)
    _lead_breakdowns(p, found)
    _whole_in_lead(p, found)
    _colon_lists(p, found)
    _bracket_breakdowns(p, found)


def _split_items(p: Passage, listed: list[Num], found: Collector, cue: Cue) -> list[Num]:
    """ "Trong đó, kim ngạch xuất nhập khẩu ... đạt 4.975 triệu USD, ..., xuất khẩu 2.750
    triệu USD, ..., nhập khẩu đạt 2.225 triệu USD": an item whose name holds the two
    members of a whole that the next two items are, split into them; those two are its
    parts, not more items of the list."""
    out: list[Num] = []
    k = 0
    while k < len(listed):
        item = listed[k]
        pair = listed[k + 1 : k + 3]
        if (
            len(pair) == 2
            and all(n.family == item.family and n.depth == item.depth for n in pair)
            and every_member([n.name for n in pair])
            and _names_both(item.name, pair)
        ):
            found.add(
                "sum",
                [operand(item, "total"), *(operand(n, "part") for n in pair)],
                cue,
                complete=True,
                note=f"{item.q.text} is named by both of the items after it, "
                f"{pair[0].q.text} and {pair[1].q.text}: its two parts",
                tags=("split_item",),
            )
            for n in pair:
                found.part_of.setdefault(n.q.id, item)
            out.append(item)
            k += 3
            continue
        out.append(item)
        k += 1
    return out


def _names_both(name: str, pair: list[Num]) -> bool:
    """Whether ``name`` has each word only one of ``pair`` is named by ("xuất", "nhập")."""
    a, b = set(pair[0].name.split()), set(pair[1].name.split())
    words = set(name.split())
    return bool(a - b) and bool(b - a) and bool((a - b) & words) and bool((b - a) & words)


def _by_period(groups: dict[str | None, list[Num]]) -> list[list[Num]]:
    """The groups of a list opening a paragraph, each split by period when it names a
    month and a period to date: "Trong đó, khách quốc tế tháng 7 ước đạt 5,1 ngàn lượt
    ..., 7 tháng ước đạt 34,5 ngàn lượt" lists a part of each total before."""
    out: list[list[Num]] = []
    for group in groups.values():
        if {n.period for n in group} == {"month", "ytd"}:
            out += [[n for n in group if n.period == period] for period in ("month", "ytd")]
        else:
            out.append(group)
    return out


_OF_THE_COUNT = re.compile(r"\s*(?:số|tổng số)\s+[^\W\d_]")


def _shares_of_a_count(p: Passage, group: list[Num]) -> bool:
    """ "8.350 doanh nghiệp ..., trong đó có 78% số doanh nghiệp đang hoạt động, 7,5% số
    doanh nghiệp đăng ký ngừng hoạt động ..., 14,5% số doanh nghiệp ...": percentages,
    each of "số ..." (the same count), that cannot make more than the whole."""
    if len(group) < 2 or any(n.q.unit != "%" for n in group):
        return False
    return all(_OF_THE_COUNT.match(p.fold(n.q.end, n.q.end + 30)) for n in group)


def _parallel_sentences(p: Passage, at: int, listed: list[Num], found: Collector) -> list[Num]:
    """ "..., cụ thể: Hỗ trợ người lao động ... dài hạn ... là 810 người. Hỗ trợ người lao
    động ... thời vụ ... 360 người. / Hỗ trợ học sinh, sinh viên ... là 30 người.": a
    list whose items are sentences, each opening with the words of the first item, in
    this paragraph and the next ones; it ends at a sentence that opens otherwise."""
    lead = _SYLLABLE_PAIR.match(p.fold(at, at + 40).lstrip(" :"))
    if lead is None:
        return []
    opening = lead.group()
    family = listed[0].family
    out: list[Num] = []
    last = listed[-1].sentence
    for q in [p, *found.neighbours(p, before=0, after=2)]:
        for k in range(len(q.sentence_starts)):
            if q is p and k <= last:
                continue
            sentence = q.fold(q.sentence_start(k), q.sentence_end(k)).lstrip()
            if not sentence.startswith(opening) or BREAKDOWN.search(sentence):
                return out  # "Thu nội địa bao gồm ...": a list of its own
            first = next((n for n in q.in_sentence(k) if n.role == "value" and n.depth == 0), None)
            if first is None or first.family != family:
                return out
            out.append(first)
    return out


_BULLET = re.compile(r"\s*([-+•–])\s")
BULLET_ITEMS = 30  # items of one list at most
_HEADING = re.compile(r"\s(\d{1,2}\.|[a-zđ]\)|[IVX]{1,4}\.)\s")


def _bullet_items(p: Passage, at: int, found: Collector) -> list[Num]:
    """ "Tổng số giường bệnh: 2.411, trong đó:" then "- Bệnh viện: 1.843 giường", "-
    Phòng khám đa khoa khu vực: 86", ...: a list whose items open with one bullet, on
    lines of their own or run together when the lines were joined; in the rest of this
    paragraph and the next ones that open with the bullet. The first figure of each
    item is its figure."""
    text = p.doc.text
    first = _BULLET.match(text, at)
    if first is None:
        return []
    mark = first.group(1)
    items = re.compile(rf"(?:^|(?<=\s)){re.escape(mark)}\s", re.MULTILINE)
    spans = [(at, p.end)]
    for q in found.neighbours(p, before=0, after=BULLET_ITEMS):
        line = _BULLET.match(text, q.start)
        if line is None or line.group(1) != mark:
            break
        spans.append((q.start, q.end))
    # "... - Kỹ thuật viên y: 234 người 4. Nhân lực ngành dược: 542 người, trong đó:":
    # the list ends where the next one starts
    nxt = BREAKDOWN.search(text, at, spans[-1][1])
    if nxt is not None:
        heading = [m.start(1) for m in _HEADING.finditer(text, at, nxt.start())]
        stop = heading[-1] if heading else nxt.start()
        spans = [(a, min(b, stop)) for a, b in spans if a < stop]
    nums = [n for q in (p, *found.neighbours(p, before=0, after=BULLET_ITEMS)) for n in q.nums]
    out: list[Num] = []
    for start, end in spans:
        marks = [m.start() for m in items.finditer(text, start, end)] + [end]
        for a, b in pairwise(marks):
            item = next(
                (n for n in nums if a <= n.q.start < b and n.role == "value" and n.depth == 0),
                None,
            )
            if item is not None:
                out.append(item)
    return out[:BULLET_ITEMS]


_SYLLABLE_PAIR = re.compile(r"[^\W\d_]+ [^\W\d_]+")


def _other_side(p: Passage, part: Num) -> list[Num]:
    """ "Trong đó lượt khách quốc tế đạt khoảng 150 lượt (...). Khách nội địa đạt khoảng
    39.850 lượt (...)": the other side of a two-sided whole, opening the next sentence."""
    nxt = [n for n in p.nums if n.sentence == part.sentence + 1 and n.depth == 0]
    if not nxt or nxt[0].role != "value" or nxt[0].carried or nxt[0].family != part.family:
        return []
    lead = p.fold(p.sentence_start(nxt[0].sentence), nxt[0].q.start)
    if BREAKDOWN.search(lead) or not other_members(part.name, nxt[0].name):
        return []
    return [nxt[0]]


def _third_side(p: Passage, listed: list[Num]) -> list[Num]:
    """ "trong đó khách quốc tế đạt 222 nghìn lượt, ... và khách trong nước đạt 383 nghìn
    lượt, giảm 9,3%. Khách Việt Nam đi du lịch nước ngoài đạt 31 nghìn lượt": a figure
    opening the next sentence that is named by one side again (outbound travel) goes on
    with the list; "Khách lưu trú ..." (another cut of the same guests) does not."""
    last = listed[-1]
    nxt = [n for n in p.nums if n.sentence == last.sentence + 1 and n.depth == 0]
    if not nxt or nxt[0].role != "value" or nxt[0].carried or nxt[0].family != last.family:
        return []
    lead = p.fold(p.sentence_start(nxt[0].sentence), nxt[0].q.start)
    if BREAKDOWN.search(lead) or not one_more_member(nxt[0].name, [n.name for n in listed]):
        return []
    return [nxt[0]]


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
    return bool(parts) and all(n.q.kind == "points" and "đóng góp" in n.fcontext for n in parts)


def _lead_breakdowns(p: Passage, found: Collector) -> None:
    """ "Trong sản lượng nuôi trồng, tôm đạt 121.480 tấn, ...; cua 17.620 tấn": parts
    of a whole named at the start of the sentence (some of them)."""
    text = p.doc.text
    for m in _LEAD_WHOLE.finditer(text, p.start, p.end):
        sentence = p.sentence_of(m.start())
        parts = _parts_after(p, m.end(), p.sentence_end(sentence), 0)
        earlier = [n for _, n in levels_before(p)] + [
            n for n in p.nums if n.q.end <= m.start() and n.role == "value"
        ]
        whole = by_name(reversed(same_period(earlier, m.group(1))), words(m.group(1)), 0.5)
        if whole is None or not parts:
            continue
        parts = [n for n in _same_family(parts, whole) if n is not whole]
        shared = [n for n in parts if _with_share(p, n)]
        if len(parts) >= 2 or (parts and not shared):  # one with its share: find_shares_of
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


_WHOLE_IN_LEAD = re.compile(r"(?:^|(?<=[.;]\s))Trong (?:tổng )?số\s+(?=\d)", re.IGNORECASE)


def _whole_in_lead(p: Passage, found: Collector) -> None:
    """ "Trong tổng số 37.267 người đã được đào tạo nghề, có 455 người ... hệ cao đẳng;
    2.766 người ... hệ trung cấp; 34.046 người ... hệ sơ cấp": the whole is the figure
    the sentence opens with, its parts are listed after the comma."""
    for m in _WHOLE_IN_LEAD.finditer(p.doc.text, p.start, p.end):
        whole = next((n for n in p.nums if n.q.start == m.end()), None)
        if whole is None or whole.role != "value" or whole.depth:
            continue
        comma = p.doc.text.find(",", whole.q.end, p.sentence_end(whole.sentence))
        if comma < 0:
            continue
        listed = _parts_after(p, comma + 1, p.sentence_end(whole.sentence), 0)
        parts = [n for n in _same_family(listed, whole) if n is not whole]
        if not parts:
            continue
        cue = found.cue(m.start(), m.end())
        _add_breakdown(found, p, whole, parts, cue, "trong đó", ("lead_whole",))


_COLON_LEAD = re.compile(r"\s*([^\d:;()]{6,90}?)\s*:\s*(?=\S)")


def _colon_lists(p: Passage, found: Collector) -> None:
    """ "Đến ngày 4/8/2016, diện tích lúa Hè Thu bị sâu bệnh và chuột gây hại 1.137 ha
    ... Một số loại sâu bệnh và chuột phá hoại: Diện tích lúa bị chuột phá 310,5 ha; rầy
    lưng trắng gây hại 215,5 ha; ...": a sentence that opens with words and a colon, then
    items after ";", each with a figure of one kind: parts of the figure the sentence
    before names with those words."""
    for k in range(1, len(p.sentence_starts)):
        start, end = p.sentence_start(k), p.sentence_end(k)
        m = _COLON_LEAD.match(p.doc.text, start, end)
        if m is None or BREAKDOWN.search(m.group(1)):
            continue  # a list word: find_breakdowns reads it
        listed = _parts_after(p, m.end(), end, 0)
        if len(listed) < 2 or len({n.family for n in listed}) != 1:
            continue
        if not all(";" in p.doc.text[a.q.end : b.q.start] for a, b in pairwise(listed)):
            continue
        before = [n for n in p.in_sentence(k - 1) if n.role == "value" and n.depth == 0]
        fitting = [n for n in before if _same_family(listed, n)]
        total = by_name(fitting, words(m.group(1)), 0.5)
        if total is None or total.q.id in found.part_of:
            continue
        parts = [n for n in _same_family(listed, total) if n is not total]
        if len(parts) >= 2:
            cue = found.cue(m.start(1), m.end())
            _add_breakdown(found, p, total, parts, cue, "trong đó", ("colon_list",))


def _with_share(p: Passage, n: Num) -> bool:
    """ "... tôm đạt 121.480 tấn, chiếm 30,5%": a figure with its share after it."""
    nxt = p.nums[n.index + 1] if n.index + 1 < len(p.nums) else None
    return nxt is not None and nxt.role == "share" and nxt.sentence == n.sentence


_ATTRIBUTE_JOIN = re.compile(r"\bvới\b")


def _bracket_breakdowns(p: Passage, found: Collector) -> None:
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
        label = p.fold(open_at + 1, open_at + 40)
        inside = [
            n for n in numbers_inside(p, span) if n.role == "value" and n.depth == total.depth + 1
        ]
        months = [MONTH_LABEL.search(n.fcontext) for n in inside]
        if _REFERENCE_LABEL.match(label) and not (len(inside) >= 2 and all(months)):
            continue  # "(tháng 4 đạt 1.250 triệu kWh)", not "(tháng 1: ...; tháng 2: ...)"
        parts = [n for n in _same_family(inside, total) if n.q.kind != "fraction"]
        named = re.match(r"\s*[^\W\d_]", label)  # "(khách quốc tế 420 nghìn lượt, ...)"
        if not parts or not (named or len(parts) >= 2):  # "(01 đơn khiếu nại, 01 đơn ...)"
            continue
        cue = found.cue(open_at, min(span[1], open_at + 30))
        complete = len(parts) >= 2
        _add_breakdown(
            found, p, total, parts, cue, "gồm" if complete else "trong đó", ("paren_split",)
        )
        # "465 dự án ... với tổng vốn ... 33,103 tỷ USD (trong KCN 292 dự án với ... 15,408
        # tỷ USD; ngoài KCN 173 dự án với ... 17,695 tỷ USD)": the counts too, of the count
        # the total goes with
        others = [n for n in inside if n not in parts and n.unit is not None]
        if len(others) < 2 or len(others) != len(parts):
            continue
        companion = next(
            (
                n
                for n in reversed(p.nums[: total.index])
                if n.role == "value"
                and n.depth == total.depth
                and n.sentence == total.sentence
                and not re.search(r"[;:]", text[n.q.end : total.q.start])
            ),
            None,
        )
        if companion is None or not _ATTRIBUTE_JOIN.search(p.fold(companion.q.end, total.q.start)):
            continue
        counts = [n for n in _same_family(others, companion) if n.q.kind != "fraction"]
        if len(counts) == len(others):
            _add_breakdown(found, p, companion, counts, cue, "gồm", ("paren_split",))


def find_footnote_breakdowns(doc: Document, passages: list[Passage], found: Collector) -> None:
    """The parts of a total in the footnote whose marker is glued to it."""
    by_quantity = {n.q.id: (p, n) for p in passages for n in p.nums}
    notes = {p.footnote: p for p in passages if p.footnote is not None}
    for qid, number in doc.footnote_refs.items():
        note = notes.get(number)
        if qid not in by_quantity or note is None:
            continue
        _, total = by_quantity[qid]
        parts = _parts_after(note, note.start, note.end, 0)
        lead = note.fold(note.start, note.start + 20)
        cue = found.cue(note.start, min(note.end, note.start + 20))
        kept = _same_family(parts, total)
        if not kept:
            if parts:
                found.gap("parts_sum", cue, "parts in different units", parts)
            continue
        opened = BREAKDOWN.match(lead.lstrip(" 0123456789"))
        if len(kept) < 2 and not opened:
            continue  # "Năm 2023 phê duyệt 05 nhiệm vụ ...": says more, lists nothing
        word = "trong đó" if lead.lstrip(" 0123456789").startswith("trong đó") else "gồm"
        _add_breakdown(found, note, total, kept, cue, word, ("footnote",))
