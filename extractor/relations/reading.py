"""A report's numbers read in their sentences: what each one is, and what is around it.

The finders (:mod:`.finders`) work on :class:`Passage` objects, one per body paragraph
and one per footnote: the passage's tagged quantities in order, each as a
:class:`Num` that knows its sentence, its bracket, whether it compares (a change, a
share of a plan...) or states a level, the words before it in its clause (its label),
and the period the words give it (this month, the year to date...: the period words are
:mod:`extractor.lexicon`'s).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from ..document import Document
from ..lexicon import PERIOD_WORDS, family, period_of_folded
from ..numbers import NUMBER_TOKEN, parse_number
from ..quantities import Quantity
from ..text import fold, sentence_ends
from .captions_and_lists import is_caption, with_lists
from .relation_records import HEDGES, Operand, Role

_NUMBER = re.compile(NUMBER_TOKEN)
_CLAUSE_BREAK = re.compile(
    r"[;:()]|,(?!\d)|\s-\s|\b(?:trong đó|trong (?:số|cơ cấu) (?:này|đó)|gồm|bao gồm|cụ thể|"
    r"chia ra)\b"
)
# words that carry no name: verbs and qualifiers around figures, periods, fillers
_STOP = set(
    fold(
        "ước đạt tính hiện là có được đón khoảng gần hơn trên dưới xấp xỉ bằng chiếm "
        "tăng giảm so với cùng kỳ năm trước tháng quý của các và toàn tỉnh thành phố trong "
        "đó tổng số riêng lũy kế luỹ chung từ đầu nay đến hết ngày mới cho ra về theo một "
        "đã này đạt mức giá trị ước tính the sau đưa nâng"
    ).split()
)
# an average per head or per item ("bình quân đầu người", "bình quân trên một doanh
# nghiệp", "bình quân mỗi lao động"); not an average over time ("trung bình hơn 30.000
# tỉ đồng/năm") nor "dân số trung bình", a population
_AVERAGE = re.compile(
    r"(?:bình quân|trung bình)\b(?:\s+\S+){0,4}?\s+(?:đầu người|(?:trên |cho )?(?:một|mỗi|1)\s)"
    r"|đầu người"
)


@dataclass(eq=False)  # one figure in one place: compared (and hashed) by identity
class Num:
    """One tagged quantity, read in its passage."""

    q: Quantity
    index: int  # position in the passage
    sentence: int  # sentence number in the passage
    depth: int  # brackets it is inside
    bracket: tuple[int, int] | None  # the innermost bracket around it (document offsets)
    role: str  # "value" (a level), "change", "plan", "share", "ratio" (bằng X% so với),
    # "label" (not a measure: "dưới 1 tuổi", "từ 18 tuổi trở lên"), "cell" (of a table),
    # "range" (an end of "1.100 - 1.350 xe")
    label: str  # the words before it in its clause, folded
    context: str  # the words before it back to the previous number or the sentence start
    fcontext: str  # the same, folded
    period: str | None = None  # "month", "ytd", "previous_ytd", "quarter" or None
    months: int | None = None  # the months a year to date covers, the month's number,
    # or a quarter's last month
    plan: bool = False  # a plan or budget figure ("kế hoạch ... là 5.238,7 tỷ đồng")

    noun: str | None = None  # a count's noun when the tagger knows no unit ("402 thẻ")
    carried: bool = False  # the label is the previous level's (:func:`_carry_names`)
    bare: bool = False  # no unit and nothing after it in its item ("Tổng số giường: 2.411,")
    clause: str = ""  # the words of its clause before it, folded, none left out

    @property
    def name(self) -> str:
        """The words that name it, folded, in order and none left out ("khách trong
        nước": the "trong" :attr:`label` leaves out too)."""
        own = " ".join(_SYLLABLE.findall(self.clause)) if self.clause else ""
        # "..., đưa lũy kế 7 tháng đầu năm đạt 136.915 tấn": the measure named before
        if self.carried or not own:
            return f"{self.label} {own}".strip()
        return own

    @property
    def unit(self) -> str | None:
        """The unit, or the noun a count is of ("thẻ" in "402 thẻ")."""
        return self.q.unit or self.noun

    @property
    def family(self) -> str | None:
        return family(self.q.unit) if self.q.unit else self.noun

    @property
    def comparing(self) -> bool:
        return self.role != "value"

    @property
    def intensive(self) -> bool:
        """A rate or an average, which never adds up: "1,38 ngày/lượt", "61,4 tạ/ha",
        "năng suất bình quân" (a per-year flow, "tỉ đồng/năm", still does)."""
        unit = self.q.unit or ""
        if "/" in unit and not unit.endswith(("/năm", "/tháng")):
            return True
        return bool(_AVERAGE.search(self.clause or self.label))


@dataclass(eq=False)  # one paragraph of one document: compared by identity
class Passage:
    """One paragraph of a document as the relation finders read it: its numbers, its
    sentence starts, the paragraph before it, and whether it is a footnote or a caption."""

    doc: Document
    start: int
    end: int
    nums: list[Num] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)  # document offsets
    footnote: int | None = None
    previous: Passage | None = None  # the body paragraph before (None for footnotes)
    caption: bool = False  # a photo caption or a repeated title (:func:`is_caption`)
    folded: str | None = None  # the document's text folded (None if folding changed its length)

    def fold(self, start: int, end: int) -> str:
        """The document's text from ``start`` to ``end``, folded (:func:`fold`): a slice of
        the text folded once when that kept its length."""
        start = max(0, start)
        if self.folded is not None:
            return self.folded[start:end]
        return fold(self.doc.text[start:end])

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]

    def words_after(self, n: Num) -> str:
        """The words after ``n`` to the end of its clause, folded: the name of a figure
        printed before it ("có 455 người đào tạo hệ cao đẳng", "1.369.139 lượt khách
        đến tham quan")."""
        m = _NAME_AFTER.match(self.doc.text, n.q.end, min(self.end, n.q.end + 60))
        return fold(m.group()) if m else ""

    def sentence_of(self, offset: int) -> int:
        return bisect_right(self.sentence_starts, offset) - 1

    def sentence_start(self, k: int) -> int:
        return self.sentence_starts[k]

    def sentence_end(self, k: int) -> int:
        return self.sentence_starts[k + 1] if k + 1 < len(self.sentence_starts) else self.end

    def in_sentence(self, k: int) -> list[Num]:
        return [n for n in self.nums if n.sentence == k]


_PAREN = re.compile(r"[()]")


def brackets(text: str, offset: int) -> list[tuple[int, int, int]]:
    """(open, close, depth) of every bracket pair in ``text``, in document offsets; an
    unclosed bracket runs to the end."""
    out = []
    stack: list[int] = []
    for m in _PAREN.finditer(text):
        i = m.start()
        if text[i] == "(":
            stack.append(i)
        elif stack:
            s = stack.pop()
            out.append((offset + s, offset + i + 1, len(stack) + 1))
    for s in stack:
        out.append((offset + s, offset + len(text), 1))
    return sorted(out)


def _enclosing(
    quantities: list[Quantity], pairs: list[tuple[int, int, int]]
) -> list[list[tuple[int, int, int]]]:
    """For each quantity (in order), the brackets around it: one sweep, the brackets
    that closed before a quantity never enclose a later one."""
    out = []
    active: list[tuple[int, int, int]] = []
    k = 0
    for q in quantities:
        while k < len(pairs) and pairs[k][0] < q.start:
            active.append(pairs[k])
            k += 1
        active = [b for b in active if b[1] >= q.end]
        out.append(list(active))
    return out


_SYLLABLE = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    """Content syllables of ``text`` (folded), for matching names."""
    return words_folded(fold(text))


def words_folded(text: str) -> list[str]:
    """:func:`words` of text already folded, one wording of a name standing for its
    synonyms ("vốn bổ sung" is "vốn tăng thêm"), and "địa bàn" left out."""
    for wording, same in _SYNONYMS:
        if wording in text:
            text = text.replace(wording, same)
    return [w for w in _SYLLABLE.findall(text) if w not in _STOP]


# and phrases that name no measure left out ("trên địa bàn tỉnh": where, not what;
# "thực hiện", a verb, while "lương thực" keeps its "thực")
_SYNONYMS = (("bổ sung", "tăng thêm"), ("địa bàn", " "), ("thực hiện", " "))


def overlap(a: list[str], b: list[str]) -> float:
    """How much of name ``a`` occurs in name ``b``."""
    if not a or not b:
        return 0.0
    bs = set(b)
    return sum(1 for w in a if w in bs) / len(a)


_RATE_OF = re.compile(r"(?:đạt|chiếm|bằng)\s+tỷ lệ\s*$|chiếm\s+tỷ trọng\s*$")
_AGE_BOUND = re.compile(r"(?:dưới|từ|trên|đủ)\s*$")


def _compared(p: Passage, q: Quantity) -> bool:
    """An amount that rose or fell against something: "so với" in its sentence, or
    its reference in brackets right after it."""
    before = p.fold(q.start - 300, q.start)
    cut = max(before.rfind(". "), before.rfind("\n"))
    after = p.fold(q.end, q.end + 60)
    return (
        "so với" in before[cut + 1 :]
        or "so với" in after
        or after.lstrip().startswith("(")
        or bool(_EQUIVALENT.match(after))  # "giảm 1.200 con, tương đương 2,2%"
    )


_EQUIVALENT = re.compile(r"\s*,?\s*(?:tương đương|tương ứng)\s*[+-]?\s*\d")


_ACRONYM = re.compile(r"\(([a-zđ]{2,6})\)")


def _acronyms_open(text: str) -> str:
    """ "tổng sản phẩm (grdp) ước đạt": an acronym in brackets is part of the name, not a
    clause of its own (the length is kept)."""
    return _ACRONYM.sub(lambda m: f" {m.group(1)} ", text) if "(" in text else text


_CLOSED_ASIDE = re.compile(r"\([^()]*\)")
# a comma inside a name, joining two first syllables: "xuất, nhập khẩu", "nông, lâm
# nghiệp", "trâu, bò", "chương trình, mục tiêu", "lưu trú, ăn uống"
_COMPOUND_COMMA = re.compile(  # the comma first: the scan skips to commas
    r",(?:(?<=\bxuất,)|(?<=\bnông,)|(?<=\blâm,)|(?<=\btrâu,)|(?<=\bdệt,)|(?<=\bđiện,)"
    r"|(?<=trình,)|(?<=lưu trú,))"
    r"(?= (?:nhập|lâm|thủy|ngư|bò|may|nước|mục tiêu|ăn uống)\b)"
)
LABEL_WINDOW = 240  # characters before a figure where the words that name it are looked for


def _asides_out(text: str) -> str:
    """The words that name a figure, with an acronym in brackets kept ("tổng sản phẩm
    (grdp)") and any other bracket closed before it blanked out ("khu vực có vốn đầu tư
    nước ngoài (chiếm 98% giá trị xuất khẩu) đạt"): an aside, not a clause of the
    name (the length is kept). A bracket after a figure closes that figure's clause
    and stays a break."""
    text = _acronyms_open(text)
    if "," in text:  # "thu thuế xuất, nhập khẩu": one name
        text = _COMPOUND_COMMA.sub(" ", text)
    if "(" not in text:
        return text

    def blank(m: re.Match[str]) -> str:
        before = re.split(r"[;:(),]", text[: m.start()])[-1]
        if any(c.isdigit() for c in before):
            return m.group()  # "quốc tế đạt 13.000 lượt (tăng 41,9%) và nội địa ..."
        return " " * len(m.group())

    return _CLOSED_ASIDE.sub(blank, text)


_NAME_AFTER = re.compile(r"[^,;.()\n]*")
_ITEM_END = re.compile(r"[ \t]*(?:[;,.)]|\n|$|[-+•–]\s)")
_RANGE_AFTER = re.compile(r"\s?[-–]\s?\d")
_RANGE_BEFORE = re.compile(r"\d\s?[-–]\s?$")


def _role(p: Passage, q: Quantity) -> str:
    """What a quantity does: states a level, or compares (and how)."""
    c = q.comparison
    before = p.fold(q.start - 12, q.start)
    after = p.fold(q.end, q.end + 50)
    if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
        return "range"  # "khoảng 1.100 - 1.350 xe/ngày", "400-450 xe": an end of a range
    if q.unit == "tuổi" and _AGE_BOUND.search(before):
        return "label"
    if c is None:
        if q.unit == "%" and _RATE_OF.search(p.fold(q.start - 20, q.start)):
            return "share"  # "đã hoàn thành 1.902 hộ, đạt tỷ lệ 95,1%", "chiếm tỷ trọng 16,18%"
        return "value"  # "đóng góp 0,62 điểm phần trăm" too: a contribution
    if q.kind == "multiple":
        return "change"  # "gấp 1,8 lần", "bằng 1,15 lần cùng kỳ"
    if q.kind == "points":
        return "change"  # "vượt 0,6 điểm% so với kế hoạch", "cao hơn 1,1 điểm%"
    if c.direction in ("increase", "decrease", "times"):
        if q.kind in ("percent", "points", "multiple"):
            return "change"
        if q.unit and c.basis is None and not _compared(p, q):
            return "value"  # "điều chỉnh tăng vốn ..., vốn tăng thêm 58,6 triệu USD"
        return "change"  # "tăng 30 doanh nghiệp", "tăng 10,88" (a percentage, its % lost)
    if q.kind not in ("percent",):
        # "vượt 876 tỉ đồng so với dự toán": by how much a plan is exceeded, no level
        return "change" if c.direction == "exceed" and q.unit else "value"
    if c.basis in ("plan", "budget") or re.match(
        r"\s*(?:tổng\s+)?(?:kế hoạch|kh\b|dự toán|chỉ tiêu)", after
    ):
        return "plan"
    if c.direction == "exceed":
        return "change"
    if "chiếm" in before:
        return "share"
    if c.basis is not None:
        return "ratio"  # "bằng 99,1% so với năm 2020"
    return "share"  # "bằng 11,2% lực lượng lao động": a share of a named whole


def read_passages(doc: Document) -> list[Passage]:
    """Every body paragraph and footnote of ``doc`` that holds a quantity, read."""
    whole = fold(doc.text)
    folded = whole if len(whole) == len(doc.text) else None
    spans: list[tuple[int, int, int | None]] = [
        (s, e, None) for s, e in with_lists(doc, doc.clean.paragraphs)
    ]
    spans += [(n.start, n.end, n.number) for n in doc.clean.footnotes]
    out: list[Passage] = []
    for start, end, note in spans:
        quantities = doc.quantities_within(start, end)
        if not quantities:
            continue
        text = doc.text[start:end]
        passage = Passage(doc, start, end, footnote=note, folded=folded)
        passage.sentence_starts = [
            start,
            *(
                start + e
                for e in sentence_ends(text, semicolon=False)
                if text[max(0, e - 20) : e].rstrip()[-1:] not in (":", ";", ",")  # lists go on
            ),
        ]
        enclosing = _enclosing(quantities, brackets(text, start))
        for k, q in enumerate(quantities):
            inside = enclosing[k]
            depth = max((d for _, _, d in inside), default=0)
            innermost = max(inside, key=lambda b: b[0]) if inside else None
            sentence = passage.sentence_of(q.start)
            s_start = passage.sentence_start(sentence)
            prev_end = quantities[k - 1].end if k and quantities[k - 1].end > s_start else s_start
            context = doc.text[prev_end : q.start]
            fcontext = passage.fold(prev_end, q.start)
            # the label: the words after the last clause break of the sentence, the colon
            # or a list's dash right before the number aside ("số vụ vi phạm: 855 vụ",
            # "- 141 trạm y tế") and a bracket closed
            # before it blanked out; looked for in a bounded window (linear time)
            named_end = q.start - (len(fcontext) - len(fcontext.rstrip(" \t\n:-+•")))
            from_ = max(s_start, named_end - LABEL_WINDOW)
            scanned = _asides_out(passage.fold(from_, named_end))
            cut = from_
            for m in _CLAUSE_BREAK.finditer(scanned):
                cut = from_ + m.end()
            label = scanned[cut - from_ :]
            num = Num(
                q=q,
                index=k,
                sentence=sentence,
                depth=depth,
                bracket=(innermost[0], innermost[1]) if innermost else None,
                role=_role(passage, q),
                label=" ".join(words_folded(label)),
                clause=label,
                context=context,
                fcontext=fcontext,
                noun=_noun_after(doc, q),
                bare=q.unit is None and bool(_ITEM_END.match(doc.text, q.end)),
            )
            if (num.role == "value" and q.unit != "%") or num.bracket:  # only levels have one
                span = (s_start, passage.sentence_end(sentence))
                num.period, num.months = _local_period(passage, span, q, num.bracket)
            if (
                num.period is None
                and num.bracket
                and _LAST_MONTH.search(
                    passage.fold(max(s_start, num.bracket[0] - 30), num.bracket[0])
                )
            ):  # "tăng 2,6% so với tháng trước (524.266 lượt khách)": last month's
                num.period = "month"
                num.months = doc.meta.month - 1 if doc.meta.month else None
            passage.nums.append(num)
        _mark_cells(passage)
        _mark_plans(passage)
        _carry_names(passage)
        if note is None:
            passage.caption = is_caption(text)
            passage.previous = next(
                (q for q in reversed(out) if q.footnote is None and not q.caption), None
            )
        out.append(passage)
    return out


_LAST_MONTH = re.compile(r"so với tháng trước\s*$")

_CELL_GAP = re.compile(r"[ \t]*")


def _mark_cells(passage: Passage) -> None:
    """Figures of a table row copied as text ("Trong đó: Phú Quốc (lượt) 418.700 417.643
    1.977.681 148,9"): three or more figures on one line with nothing but spaces between
    them are cells, not statements."""
    text = passage.doc.text
    run: list[Num] = []
    for n in [*passage.nums, None]:
        if n is not None and run and _CELL_GAP.fullmatch(text, run[-1].q.end, n.q.start):
            run.append(n)
            continue
        if len(run) >= 3:
            for m in run:
                m.role = "cell"
        run = [n] if n is not None else []


_PLAN = re.compile(r"kế hoạch|\bkh\b|dự toán|chỉ tiêu")


def _mark_plans(passage: Passage) -> None:
    """Plan figures: a plan word just before the number, or a sentence that opens with
    a plan and compares nothing: "Dự toán năm giao cho chi đầu tư phát triển là 6.089
    tỷ đồng, chi thường xuyên 8.122 tỷ đồng."
    """
    for k in range(len(passage.sentence_starts)):
        nums = passage.in_sentence(k)
        if not nums:
            continue
        lead = passage.fold(passage.sentence_start(k), nums[0].q.start)
        whole = bool(_PLAN.search(lead)) and not any(n.comparing for n in nums)
        for k, n in enumerate(nums):
            context = n.fcontext
            if k and nums[k - 1].q.unit == "%":
                # "đạt 97.3% kế hoạch năm và gia cầm là trên 3.8 triệu con": the plan the
                # percentage before is of, not a plan this figure is
                context = _BASIS_OF_BEFORE.sub("", context, count=1)
            clause = re.split(r"[,;:()]", _acronyms_open(context))[-1]
            n.plan = whole or bool(_PLAN.search(clause))


_BASIS_OF_BEFORE = re.compile(
    r"^\s*(?:so\s+(?:với\s+)?)?(?:kế hoạch|kh|dự toán|chỉ tiêu)"
    r"(?:\s+(?:năm|giao|được giao|tỉnh giao|đề ra))*(?:\s+\d{4})?"
)
_NOUN = re.compile(r"[ \t]?([^\W\d_A-ZĐ][^\W\d_]*)")
# words that follow a bare number without being what it counts
_NOT_NOUNS = set(
    "và với so của là có được đạt tăng giảm bằng chiếm trong trên dưới hơn từ đến cho "
    "theo tại nên thì mà ước khoảng gần".split()
)


def _noun_after(doc: Document, q: Quantity) -> str | None:
    """The first word after a count the tagger gave no unit: "402 thẻ", "9 khu"."""
    if q.unit is not None or q.kind != "amount":
        return None
    m = _NOUN.match(doc.text, q.end)
    if m is None or m.group(1) in _NOT_NOUNS:
        return None
    return m.group(1)


def _carry_names(passage: Passage) -> None:
    """A level with no name of its own keeps the name of the level before it in its
    sentence: "Kim ngạch xuất khẩu tháng 7 ước đạt 785,4 triệu USD ...; lũy kế 7
    tháng đạt 5.412,8 triệu USD" (both are the export turnover). A part listed after
    "trong đó" names nothing after it ("Sản lượng nuôi trồng ... 34.000 tấn ...; trong
    đó, tôm 20.000 tấn ..., lũy kế 7 tháng ... 236.624 tấn": the farmed output); and a
    period to date opening its sentence with no name ("Lũy kế 7 tháng năm 2023 ước đạt
    373.539 tấn") is of the measure the paragraph last named."""
    named: dict[int, tuple[str, bool]] = {}  # sentence: (the last name, of a listed part)
    last = ""  # the last name of a level that is no listed part, in the paragraph
    before: Num | None = None
    for n in passage.nums:
        previous, before = before, n
        if n.label in _EQUIVALENT_NAMES and previous is not None and previous.label:
            # "vốn ngân sách cấp tỉnh chiếm 54%, tương đương 2,6 nghìn tỷ đồng": the name of
            # its item, printed before its share
            n.label = previous.label
        if n.role != "value" or n.depth:
            continue
        if n.label:
            listed = bool(_LISTED.search(n.fcontext))
            named[n.sentence] = (n.label, listed)
            last = last if listed else n.label
        elif n.sentence in named:
            label, listed = named[n.sentence]
            n.label = last if listed and n.period == "ytd" and last else label
            n.carried = True
        elif n.period == "ytd" and last:
            n.label = last
            n.carried = True


_EQUIVALENT_NAMES = ("tương đương", "tương ứng")
_LISTED = re.compile(r"\b(?:trong đó|trong số đó|bao gồm|gồm)\b")


def _local_period(
    p: Passage, sentence: tuple[int, int], q: Quantity, bracket: tuple[int, int] | None
) -> tuple[str | None, int | None]:
    """The period of ``q``: the last cue before it in its sentence (a cue leads the
    clauses that follow it: "Lũy kế 8 tháng, tổng lượt khách đạt ...; doanh thu du
    lịch đạt ..."), not counting the words in brackets it is not inside; a number in
    brackets reads only its bracket ("(tháng 1 đạt 7.731 tỷ đồng)")."""
    if bracket is not None:
        return period_of_folded(p.fold(bracket[0], q.start))
    text = p.fold(sentence[0], q.start)
    if not any(w in text for w in PERIOD_WORDS):
        return None, None  # no cue at all: most levels
    return period_of_folded(without_brackets(text) if "(" in text else text)


def without_brackets(text: str) -> str:
    """``text`` with every bracketed part (and an unclosed one at the end) blanked out,
    the length kept."""
    while True:
        stripped = _BRACKETED.sub(lambda m: " " * len(m.group()), text)
        if stripped == text:
            return text
        text = stripped


_BRACKETED = re.compile(r"\([^()]*\)|\([^()]*$")


def operand(num: Num, role: Role, component: str | None = None) -> Operand:
    """``num`` as an operand with ``role``; ``component`` picks a fraction's part."""
    q = num.q
    hedge = q.qualifier if q.qualifier in HEDGES else None
    if component is None and q.kind == "fraction":
        component = "numerator"  # "gieo cấy 2.573/2.763 ha": the part done
    if component == "denominator":
        tokens = _NUMBER.findall(q.text)
        parsed = parse_number(tokens[1]) if len(tokens) > 1 else None
        value = parsed.value if parsed else Decimal(q.denominator or 0)
        decimals = parsed.decimals if parsed else 0
    else:
        value, decimals = abs(q.value), q.decimals
        if q.value < 0:
            value = q.value
    return Operand(
        role=role,
        quantity=q.id,
        text=q.text,
        start=q.start,
        end=q.end,
        value=value,
        decimals=decimals,
        scale=q.scale,
        unit=q.unit,
        hedge=hedge,
        component=component,
    )
