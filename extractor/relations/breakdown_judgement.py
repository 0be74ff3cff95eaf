"""Judging one candidate breakdown: is the list meant to be the whole (read from its words,
never its sums), which of its figures measure what the total measures, and recording it
(with the changes printed beside a whole list and its total).
"""

from __future__ import annotations

import re

from ..lexicon import MEASURED
from .collector import Collector
from .nearby import MONTH_LABEL, RESIDUAL, can_relate, same_kind
from .reading import Num, Passage, operand, without_brackets
from .relation_records import Cue, Kind
from .wholes import every_member

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


def _item_name(p: Passage, n: Num) -> str:
    """The words of ``n``'s list item: from the previous ";" (or the list word) to it
    ("ngành chế biến, chế tạo tăng 3,59%, đóng góp 0,57 điểm phần trăm")."""
    before = p.fold(n.q.start - 160, n.q.start)
    item = re.split(r";|\btrong đó\b|:", before)[-1]
    return " ".join(re.findall(r"[^\W\d_]+", item))


def _measured(n: Num) -> bool:
    """A number without a unit counts as a part only if it looks like a measure
    (grouped, with decimals or of four digits and more: "đàn lợn 556.520", "33902"),
    not "1" in "ít nhất 1 mũi"."""
    return n.unit is not None or "." in n.q.text or "," in n.q.text or n.q.value >= 1000


def a_count(n: Num) -> bool:
    """A whole number of things, not a measure ("18 bệnh viện", "141 trạm")."""
    return n.q.decimals == 0 and n.q.scale == 1 and n.q.unit not in MEASURED | {"%"}


ATTRIBUTE = re.compile(r"\bvới\s+(?:tổng\s+)?(?:số\s+)?(?:hơn|khoảng|gần|trên)?\s*$")


def kinds_of(parts: list[Num], total: Num) -> bool:
    """A count of things of several kinds, each named after its figure: "Tổng số cơ sở
    y tế: 186, trong đó: - 18 bệnh viện - 06 phòng khám ..." (a bare total), "289 cơ sở y
    tế, gồm 1 bệnh viện Trung ương, 9 bệnh viện tỉnh, ..., 12 phòng khám khu vực, 244
    trạm y tế" (three kinds or more, none the total's)."""
    if not a_count(total) or not parts or not all(a_count(n) for n in parts):
        return False
    if any(ATTRIBUTE.search(n.fcontext) for n in parts):
        return False  # "... 244 trạm y tế với hơn 5.600 cán bộ": staff, no facility
    if total.bare:
        return True
    families = {n.family for n in parts}
    return len(parts) >= 3 and len(families) >= 3 and total.family not in families


def same_family(parts: list[Num], total: Num) -> list[Num]:
    """The parts that measure what ``total`` measures (a unit left out is the list's);
    never the total itself again ("... đóng góp 3,93 điểm phần trăm. Trong đó, ...;
    khu vực công nghiệp và xây dựng ... đóng góp 3,93 điểm phần trăm; ...")."""
    if any(n.q.text == total.q.text and n.name == total.name for n in parts):
        return []
    if contributions(parts):
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
        if kinds_of(parts, total):
            return parts
        return [n for n in parts if n.unit is None and (_measured(n) or n.bare)]
    if kinds_of(parts, total):
        return parts
    bare = len(parts) >= 2 and all(n.unit is None for n in parts)  # "... là 211; ... là 165"
    keep = [n for n in parts if same_kind(n, total) or (n.unit is None and (bare or _measured(n)))]
    # the rates of sub-groups ("công suất ... 86,57%, trong đó tuyến tỉnh 87,71%") and
    # growth rates do not add up; shares of one whole are find_structures'
    return [n for n in keep if n.q.unit != "%"]


def add_breakdown(
    found: Collector,
    p: Passage,
    total: Num,
    parts: list[Num],
    cue: Cue,
    cue_word: str,
    tags: tuple[str, ...],
    doubt: str | None = None,
) -> None:
    """Record ``parts`` as the breakdown of ``total``, whole or partial as the cue word
    ``cue_word`` and the list read (:func:`_complete`); ``doubt`` says why the total is
    unsure (a failure is then a warning)."""
    complete, note, certain = _complete(cue_word, parts, p, total)
    if doubt is not None:  # the total is not certain: a failure is a warning
        note, certain = (
            f"{total.q.text} read as the total, {doubt}" + (f"; {note}" if note else ""),
            False,
        )
    months = [MONTH_LABEL.search(n.fcontext) for n in parts]
    if len(parts) == 1 and months[0] and total.period == "ytd":
        return  # "tính chung 2 tháng ..., trong đó tháng 1 đạt ...": find_periods reads it
    kind: Kind = "ytd" if len(parts) >= 2 and all(months) else "sum"
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


def contributions(parts: list[Num]) -> bool:
    """ "..., đóng góp 1,05 điểm phần trăm": what each part adds to a growth rate."""
    return bool(parts) and all(n.q.kind == "points" and "đóng góp" in n.fcontext for n in parts)
