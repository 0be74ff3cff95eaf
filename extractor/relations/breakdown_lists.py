"""Reading a breakdown's list: which figures after a cue word are its items, where the
list ends, and which figure before the cue is their total.
"""

from __future__ import annotations

import re

from .breakdown_judgement import contributions, same_family
from .nearby import BREAKDOWN, by_name, closed_before, levels_before, same_period
from .reading import Num, Passage, words
from .wholes import members, other_members

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


def parts_after(
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
        if n.depth == depth + 1 and contributions([n]):
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
            and not contributions([*parts, n])
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


def before_siblings(total: Num, parts: list[Num]) -> list[Num]:
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


def total_before(
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
        and (n.role == "value" or (contributions(parts) and n.role == "change"))
        and not (n.q.id in listed and listed[n.q.id].q.start >= s_start)
    ]
    for n in reversed(here):
        if same_family(parts, n):
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
        and (n.role == "value" or (contributions(parts) and n.role == "change"))
        and not closed_before(n, s_start)
    ]
    if sentence == 0:  # "Trong đó, ..." opening a paragraph: the total is in the one before
        previous = [n for q, n in levels_before(p, 1) if n.depth == 0]
        periods = {n.period for n in parts}
        if len(periods) == 1 and periods <= {"month", "ytd"}:
            # "Trong đó, khách quốc tế tháng 7 ... 5,1 ngàn lượt": the month's total
            previous = [n for n in previous if n.period in periods]
    fitting = [n for n in previous if same_family(parts, n) and n.q.id not in listed]
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
