"""Where a report's text frames its figures: the period a sentence names before its first
figure and holds for the sentences after it ("Trong 10 tháng đầu năm 2012, khách ... .
Doanh thu du lịch ước đạt 56,8 tỷ đồng"), and the paragraphs and sentences it is read in.

The rules backend asks a :class:`Framing` for the period set before a sentence
(:meth:`Framing.period_before`); the words of the value's own sentence are weighed by
:func:`.periods.decide_period`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..document import Document
from ..quantities import Quantity
from ..text import SENTENCE_END, Breaks
from .periods import CONTEXT_CHARS, SINGLED_OUT, context_cues, month_and_another, month_clauses

# a paragraph or clause that goes on the one before: "Trong đó, thu nội địa 5.541 tỉ đồng"
OPENS_PARTS = re.compile(r"\s*(?:trong\s+đó|cụ\s+thể|bao\s+gồm|gồm)\b", re.IGNORECASE)
RANGE = re.compile(r"\s*(?:[-–]|đến|tới)\s*")  # between a range's bounds


class Framing:
    """The periods a document's sentences set for the ones after them; one per document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.sentences = Breaks(SENTENCE_END, doc.text)
        self.starts = starts = [q.start for q in doc.quantities]
        framing: dict[int, list[tuple[int, str, bool]]] = {}
        self.paragraph_only: set[int] = set()  # cues that hold for their paragraph alone
        for pos, period in context_cues(doc.text):
            # a period named before the first figure of its sentence frames what follows
            sentence = self.sentence_start(pos, self.paragraph_start(pos))
            first = bisect_left(starts, sentence)
            counted = doc.quantities[first] if first < len(starts) else None
            if (
                counted is not None
                and counted.end <= pos
                and not doc.text[counted.end : pos].strip()
            ):
                first += 1  # "đề ra 15 chỉ tiêu ... năm 2025. Trọng tâm là, GRDP tăng ..."
            if SINGLED_OUT.search(doc.text[max(0, pos - 10) : pos]):
                if sentence != self.paragraph_start(pos):
                    continue  # "riêng tháng 2, ...": that sentence's alone
                # "Riêng quý 3 năm 2024, tổng lượt khách ... 3,8 triệu lượt. Trong đó, khách
                # quốc tế ...": a paragraph opened by the part singled out is that part's
                self.paragraph_only.add(pos)
            if first == len(starts) or starts[first] > pos:
                # an introduction with no figure of its own ("tính đến cuối tháng 8/2023,
                # tiến độ giải ngân ... như sau:") frames the paragraphs after it too
                end = starts[first] if first < len(starts) else len(doc.text)
                framing.setdefault(sentence, []).append((pos, period, "\n" in doc.text[pos:end]))
        # a sentence naming a month and another period before its figures ("CPI tháng 9 và
        # 9 tháng các năm", a chart's caption) frames neither ("từ đầu năm đến nay", "tính
        # đến hết tháng 12" are one period, said twice; see month_and_another)
        clauses = month_clauses(doc.text)
        self.cues = sorted(
            cue
            for cues in framing.values()
            for clause in [any(pos in clauses for pos, _, _ in cues)]
            if not month_and_another({period for _, period, _ in cues}, clause)
            for cue in cues
            if cue[1] != "season" or not clause
        )
        self.cue_starts = [pos for pos, _, _ in self.cues]

    def period_before(self, sentence_start: int, floor: int) -> str | None:
        """The period the text set before this sentence, within its section (and after
        ``floor``): "Trong 10 tháng đầu năm 2012, khách ... . Doanh thu du lịch ước đạt
        56,8 tỷ đồng" (the revenue is of the same ten months)."""
        section = self.doc.section_of(sentence_start)
        limit = max(floor, section.heading_end, sentence_start - CONTEXT_CHARS)
        paragraph = self.paragraph_start(sentence_start)
        if paragraph > 0 and OPENS_PARTS.match(self.doc.text, paragraph):
            # "Trong đó, thu nội địa 5.541 tỉ đồng": the paragraph goes on the one before
            paragraph = self.paragraph_start(paragraph - 1)
        i = bisect_left(self.cue_starts, sentence_start) - 1
        while i >= 0 and self.cues[i][0] >= limit:
            pos, period, introduces = self.cues[i]
            if pos in self.paragraph_only:
                if pos >= paragraph:
                    return period
            elif period not in ("as_of", "season") or introduces or pos >= paragraph:
                return "ytd" if period == "season" else period
            i -= 1  # "Đến nay đã thu hoạch ...", "vụ hè thu ..." hold for their paragraph
        return None

    def range_unit(self, q: Quantity) -> str | None:
        """The unit of a range's second bound, for its first ("từ 4.300-4.400 đồng/kg")."""
        i = bisect_left(self.starts, q.end)
        after = self.doc.quantities[i] if i < len(self.starts) else None
        if after is None or not RANGE.fullmatch(self.doc.text[q.end : after.start]):
            return None
        return after.unit

    def paragraph_start(self, offset: int) -> int:
        paragraphs = self.doc.clean.paragraphs
        i = bisect_right(paragraphs, (offset, len(self.doc.text) + 1)) - 1
        if i >= 0 and paragraphs[i][0] <= offset < paragraphs[i][1]:
            return paragraphs[i][0]
        return 0

    def sentence_start(self, offset: int, floor: int) -> int:
        end = self.sentences.last_end(floor, offset)  # the next letter is before offset
        return end if end is not None else floor
