"""How the finders read numbers against each other: the same kind of unit, the nearest
before, in a bracket after, named alike; and the cue words they share."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..lexicon import period_of
from ..text import fold
from .captions_and_lists import is_caption
from .reading import Num, Passage, overlap, words

NEAR = 70  # characters between a comparison and the bracket with its reference
BREAKDOWN = re.compile(
    r"\b(trong đó(?: có)?|trong (?:số|cơ cấu) (?:này|đó)|bao gồm|gồm có|gồm|cụ thể|chia ra|"
    r"chia theo)\b"
    r"\s*:?",
    re.IGNORECASE,
)
RESIDUAL = re.compile(r"\bkhác\b|còn lại|các loại|đối tượng khác|nguồn khác")
MONTH_LABEL = re.compile(r"tháng (\d{1,2})")
PLAN_SENTENCES = 2  # a plan printed this many sentences before its share still counts
PLAN_WORDS = set(fold("kế hoạch kh dự toán chỉ tiêu năm giao tổng số vốn").split())


def closed_before(num: Num, offset: int) -> bool:
    """``num`` is inside a bracket that closes before ``offset``."""
    return num.bracket is not None and num.bracket[1] <= offset


def same_kind(a: Num, b: Num) -> bool:
    """Same kind of thing counted: same unit family, or a bare count's noun that opens
    the other's unit ("9 khu" and "14 khu công nghiệp")."""
    if a.family == b.family:
        return True
    if (a.noun or b.noun) and a.unit and b.unit:
        return a.unit.split()[0] == b.unit.split()[0]
    return False


def can_relate(a: Num, b: Num) -> bool:
    """``a`` and ``b`` may stand in one relation: the same kind with a known unit family;
    with a family unknown, both bare or both with a unit (or a bare figure against an
    amount)."""
    if same_kind(a, b) and a.family is not None:
        return True
    fa, fb = a.family, b.family
    if fa is None or fb is None:
        return (a.unit is None) == (b.unit is None) or (fa is None and b.q.kind == "amount")
    return fa == fb


def values_back(p: Passage, before: Num, sentences: int = 0) -> list[Num]:
    """Values (levels) before ``before``, nearest first: in its sentence, then (up to
    ``sentences``) in the sentences before; none inside a bracket closed before it."""
    out = []
    for n in reversed(p.nums[: before.index]):
        if before.sentence - n.sentence > sentences:
            break
        if n.role != "value" or closed_before(n, before.q.start):
            continue
        out.append(n)
    return out


def bracket_after(p: Passage, num: Num, limit: int = NEAR) -> tuple[int, int] | None:
    """The bracket that opens after ``num`` within ``limit`` characters of its
    sentence, with no number and no clause end between."""
    text = p.doc.text
    end = min(p.sentence_end(num.sentence), num.q.end + limit)
    gap = text[num.q.end : end]
    k = gap.find("(")
    if k < 0 or ";" in gap[:k] or ". " in gap[:k]:
        return None
    for n in p.nums[num.index + 1 :]:
        if n.q.start >= num.q.end + k:
            break
        return None  # a number stands between
    open_at = num.q.end + k
    close = text.find(")", open_at)
    return (open_at, close + 1 if close > 0 else p.end)


# what the words that open a bracket make of its figure
_DELTA_LEAD = re.compile(r"(?:tương đương|tương ứng|tăng|giảm|cao hơn|thấp hơn|[+-])")
_REFERENCE_LEAD = re.compile(
    r"(?:cùng kỳ|ck\b|cùng thời điểm|năm (?:trước|\d{4})|tháng|quý|kỳ trước|vụ|kế hoạch|"
    r"kh\b|dự toán|chỉ tiêu|mục tiêu|so với|đầu năm|cuối năm|lũy kế|luỹ kế|thực hiện|là\b|"
    r"đạt\b|ước\b)"
)


def bracket_reads(p: Passage, span: tuple[int, int]) -> str:
    """What a bracket after a figure holds, from the words that open it: "bare" (a
    figure alone: "(1,02 triệu lượt)"), "reference" ("(cùng kỳ năm trước đạt ...)",
    "(năm 2022: ...)", "(kế hoạch ...)"), "delta" ("(tương đương 1.775 ha)", "(+1,4%)")
    or "other" ("(trong đó khách quốc tế ...)", "(khách nội địa ...)": a breakdown or
    a note, never the reference of what comes before)."""
    first = next((n for n in p.nums if span[0] < n.q.start < span[1]), None)
    if first is not None and (first.q.value < 0 or first.q.text.startswith("+")):
        return "delta"  # "(-600 ha)", "(+1,4%)": a signed figure is a change
    end = first.q.start if first is not None else span[1]
    lead = p.fold(span[0] + 1, end).strip(" \t\n:,")
    for hedge in ("khoảng", "xấp xỉ", "gần", "hơn", "trên", "dưới"):
        if lead == hedge or lead.endswith(" " + hedge):
            lead = lead[: -len(hedge)].strip()
    if not lead:
        return "bare"
    if _DELTA_LEAD.match(lead):
        return "delta"
    if _REFERENCE_LEAD.match(lead):
        return "reference"
    return "other"


def numbers_inside(p: Passage, span: tuple[int, int]) -> list[Num]:
    return [n for n in p.nums if span[0] < n.q.start and n.q.end <= span[1]]


def words_after(p: Passage, num: Num, limit: int = 60) -> str:
    """The words that follow ``num`` up to the end of its phrase."""
    text = p.doc.text[num.q.end : min(p.end, num.q.end + limit)]
    return re.split(r"[,;.()]|\s-\s|\svà\s", text, maxsplit=1)[0]


def same_clause(p: Passage, n: Num, c: Num) -> bool:
    """No clause end (";") and no other percentage between ``n`` and ``c``."""
    if ";" in p.doc.text[n.q.end : c.q.start]:
        return False
    return not any(m.q.unit == "%" for m in p.nums[n.index + 1 : c.index])


def same_period(pool: Iterable[Num], phrase: str) -> list[Num]:
    """The candidates whose period fits what ``phrase`` says ("tổng số 8 tháng": the
    eight months to date); all of them when it says no period."""
    pool = list(pool)
    period, months = period_of(phrase)
    if period not in ("ytd", "month"):
        return pool
    fit = [n for n in pool if n.period == period and (months is None or n.months in (None, months))]
    return fit


def by_name(candidates: Iterable[Num], target: list[str], minimum: float = 0.5) -> Num | None:
    best: tuple[float, int, Num] | None = None
    for n in candidates:  # the name before a figure, and its unit ("1.892 trường")
        score = overlap(target, n.label.split() + words(n.q.unit or n.noun or ""))
        if score >= minimum and (best is None or score > best[0]):
            best = (score, -abs(n.index), n)
    return best[2] if best else None


def form_of(num: Num) -> str:
    if num.q.kind == "points":
        return "points"
    if num.q.kind == "multiple":
        return "multiple"
    if num.q.kind == "percent":
        return "percent"
    return "absolute"


def direction_of(num: Num) -> str | None:
    c = num.q.comparison
    if c is None or c.direction == "times":
        return None
    return "-" if c.direction == "decrease" else "+"


def names_fit(phrase: str, n: Num, after: str = "") -> bool:
    """Whether the words that name a plan or a whole after a percentage ("kế hoạch giao
    chi tiết", "dư nợ cho vay của NHTM") fit figure ``n``: every word beyond the
    generic ones must be in its name (or, given ``after``, in the words after it: "thu
    hút 2,7 tỷ USD vốn đầu tư trực tiếp nước ngoài")."""
    specific = [w for w in words(phrase) if w not in PLAN_WORDS]
    if not specific:
        return True
    name = set(n.label.split()) | set(words(n.q.unit or n.noun or ""))
    return all(w in name for w in specific) or (
        bool(after) and all(w in name | set(words(after)) for w in specific)
    )


def adjacent(p: Passage) -> bool:
    """Whether ``p`` follows the paragraph before it with at most a few captions between
    (:func:`~.captions_and_lists.is_caption`): one statement may go on across them."""
    prev = p.previous
    return prev is not None and _captions_only(p.doc.text[prev.end : p.start])


def closing_sentence(p: Passage) -> list[Num]:
    """The levels of the last sentence of the paragraph just before ``p`` (adjacent, or
    with only short lines without figures between: a photo caption, a repeated title),
    bracketed ones too ("(524.266 lượt khách)": last month's)."""
    prev = p.previous
    if prev is None or not adjacent(p):
        return []
    last = len(prev.sentence_starts) - 1
    return [n for n in prev.nums if n.sentence == last and n.role == "value"]


CAPTIONS = 3  # captions between two paragraphs of one statement


def _captions_only(between: str) -> bool:
    """Whether the text between two paragraphs is at most a few captions
    (:func:`~.captions_and_lists.is_caption`)."""
    lines = [line for line in between.split("\n") if line.strip()]
    return len(lines) <= CAPTIONS and all(is_caption(line) for line in lines)


def levels_before(p: Passage, paragraphs: int = 3) -> list[tuple[Passage, Num]]:
    """The levels of the few paragraphs just before ``p`` (only captions between), in
    order: a PDF export breaks a statement into paragraphs at its indented lines."""
    out: list[tuple[Passage, Num]] = []
    here = p
    for _ in range(paragraphs):
        prev = here.previous
        if prev is None or not adjacent(here):
            break
        levels = [n for n in prev.nums if n.role == "value" and n.depth == 0 and n.q.unit != "%"]
        out = [(prev, n) for n in levels] + out
        here = prev
    return out
