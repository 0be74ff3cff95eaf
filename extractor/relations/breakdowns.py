"""Breakdowns: a total and its parts.

* :func:`find_breakdowns`: after "trong đó", "bao gồm", "gồm (có)", "cụ thể", "chia
  ra/theo", a colon list, in brackets right after the total, or named at the start of
  the sentence ("Trong sản lượng nuôi trồng, ...");
* :func:`find_footnote_breakdowns`: in the footnote whose marker is glued to the total.

Totals stated without a list word are :mod:`.sides`'.

Complete or partial is read from the cue words and the list's shape, never from
whether the numbers add up (:mod:`.breakdown_judgement`); the items of a list and the
total before it are read by :mod:`.breakdown_lists`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..document import Document
from ..text import fold
from .breakdown_judgement import ATTRIBUTE, a_count, add_breakdown, kinds_of, same_family
from .breakdown_lists import before_siblings, parts_after, total_before
from .collector import Collector
from .nearby import BREAKDOWN, MONTH_LABEL, by_name, levels_before, numbers_inside, same_period
from .reading import Num, Passage, operand, words
from .relation_records import Cue
from .wholes import every_member, one_more_member, other_members

_REFERENCE_LABEL = re.compile(
    r"^\s*(?:cùng kỳ|ck\b|tháng|năm|quý|kỳ trước|kế hoạch|kh\b|dự toán|lũy kế|luỹ kế|"
    r"cùng thời điểm|tết|vụ|đầu năm|cuối năm|so với)"
)
_LEAD_WHOLE = re.compile(
    r"(?:^|(?<=[.;]\s))Trong ((?!tháng|năm|quý|đó|kỳ|dịp|số\b)[^,;.()]{3,60}),"
)


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
        listed = parts_after(p, m.end(), end, depth, one_clause)
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
        kinds = [n for n in listed if not ATTRIBUTE.search(n.fcontext)]
        if len(groups) > 1 and all(a_count(n) for n in kinds):
            total, _ = total_before(p, at, sentence, kinds, found.part_of)
            if total is not None and kinds_of(kinds, total):  # "cơ sở y tế, gồm ..."
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
            total, doubt = total_before(p, at, sentence, group, found.part_of)
            if total is None:
                continue
            parts = before_siblings(total, [n for n in same_family(group, total) if n is not total])
            if parts:
                word = m.group(1)
                add_breakdown(found, p, total, parts, cue, word, (fold(word),), doubt)
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


def _lead_breakdowns(p: Passage, found: Collector) -> None:
    """ "Trong sản lượng nuôi trồng, tôm đạt 121.480 tấn, ...; cua 17.620 tấn": parts
    of a whole named at the start of the sentence (some of them)."""
    text = p.doc.text
    for m in _LEAD_WHOLE.finditer(text, p.start, p.end):
        sentence = p.sentence_of(m.start())
        parts = parts_after(p, m.end(), p.sentence_end(sentence), 0)
        earlier = [n for _, n in levels_before(p)] + [
            n for n in p.nums if n.q.end <= m.start() and n.role == "value"
        ]
        whole = by_name(reversed(same_period(earlier, m.group(1))), words(m.group(1)), 0.5)
        if whole is None or not parts:
            continue
        parts = [n for n in same_family(parts, whole) if n is not whole]
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
        listed = parts_after(p, comma + 1, p.sentence_end(whole.sentence), 0)
        parts = [n for n in same_family(listed, whole) if n is not whole]
        if not parts:
            continue
        cue = found.cue(m.start(), m.end())
        add_breakdown(found, p, whole, parts, cue, "trong đó", ("lead_whole",))


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
        listed = parts_after(p, m.end(), end, 0)
        if len(listed) < 2 or len({n.family for n in listed}) != 1:
            continue
        if not all(";" in p.doc.text[a.q.end : b.q.start] for a, b in pairwise(listed)):
            continue
        before = [n for n in p.in_sentence(k - 1) if n.role == "value" and n.depth == 0]
        fitting = [n for n in before if same_family(listed, n)]
        total = by_name(fitting, words(m.group(1)), 0.5)
        if total is None or total.q.id in found.part_of:
            continue
        parts = [n for n in same_family(listed, total) if n is not total]
        if len(parts) >= 2:
            cue = found.cue(m.start(1), m.end())
            add_breakdown(found, p, total, parts, cue, "trong đó", ("colon_list",))


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
        parts = [n for n in same_family(inside, total) if n.q.kind != "fraction"]
        named = re.match(r"\s*[^\W\d_]", label)  # "(khách quốc tế 420 nghìn lượt, ...)"
        if not parts or not (named or len(parts) >= 2):  # "(01 đơn khiếu nại, 01 đơn ...)"
            continue
        cue = found.cue(open_at, min(span[1], open_at + 30))
        complete = len(parts) >= 2
        add_breakdown(
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
        counts = [n for n in same_family(others, companion) if n.q.kind != "fraction"]
        if len(counts) == len(others):
            add_breakdown(found, p, companion, counts, cue, "gồm", ("paren_split",))


def find_footnote_breakdowns(doc: Document, passages: list[Passage], found: Collector) -> None:
    """The parts of a total in the footnote whose marker is glued to it."""
    by_quantity = {n.q.id: (p, n) for p in passages for n in p.nums}
    notes = {p.footnote: p for p in passages if p.footnote is not None}
    for qid, number in doc.footnote_refs.items():
        note = notes.get(number)
        if qid not in by_quantity or note is None:
            continue
        _, total = by_quantity[qid]
        parts = parts_after(note, note.start, note.end, 0)
        lead = note.fold(note.start, note.start + 20)
        cue = found.cue(note.start, min(note.end, note.start + 20))
        kept = same_family(parts, total)
        if not kept:
            if parts:
                found.gap("parts_sum", cue, "parts in different units", parts)
            continue
        opened = BREAKDOWN.match(lead.lstrip(" 0123456789"))
        if len(kept) < 2 and not opened:
            continue  # "Năm 2023 phê duyệt 05 nhiệm vụ ...": says more, lists nothing
        word = "trong đó" if lead.lstrip(" 0123456789").startswith("trong đó") else "gồm"
        add_breakdown(found, note, total, kept, cue, word, ("footnote",))
