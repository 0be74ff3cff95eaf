"""Facts built from a chunk's indicators: each value with its comparisons, measure, scale
word, reference date and what a printed fraction's y is. The record itself
(:class:`~extractor.records.Fact`) is in :mod:`extractor.records`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..catalog import Catalog
from ..document import Document
from ..lexicon import SCALES
from ..numbers import json_number
from ..quantities import Quantity
from ..records import Fact, FactComparison, fact_id
from ..schema import Indicator


def build_facts(
    doc: Document,
    indicators: Iterable[tuple[str, Indicator]],
    catalog: Catalog,
    backend: str,
    model: str | None,
    provenance: dict[str, tuple[str | None, tuple[str, ...]]] | None = None,
) -> list[Fact]:
    """Facts for (chunk id, indicator) pairs, in document order of their values;
    ``provenance`` (hybrid backend) gives per value id the chunk's LLM status and the
    fields the model changed."""
    provenance = provenance or {}
    by_id = doc.quantity
    report_period = doc.meta.period
    pairs = sorted(indicators, key=lambda p: by_id[p[1].value_id].start)
    values = {ind.value_id for _, ind in pairs}
    facts = []
    for chunk_id, ind in pairs:
        q = by_id[ind.value_id]
        entry = catalog.get(ind.code)
        note = doc.footnote_of(q.start)
        compared = [by_id[cid] for cid in ind.comparison_ids]
        comparisons = [
            FactComparison(
                c.comparison.direction if c.comparison else c.kind,
                c.comparison.basis if c.comparison else None,
                json_number(c.value),
                c.unit,
                c.text,
                c.start,
                c.end,
                c.scale,
                c.id,
            )
            for c in compared
        ]
        parent = fact_id(doc, ind.parent_id) if ind.parent_id in values else None
        measure = measure_of(q)
        # a change's basis and direction; a rate's when it has a basis ("đạt 74,4% kế
        # hoạch", "đạt 12,78% so với cùng kỳ")
        changed = q.comparison is not None and (
            measure not in ("level", "rate")
            or (measure == "rate" and q.comparison.basis is not None)
        )
        facts.append(
            Fact(
                id=fact_id(doc, q.id),
                doc=doc.name,
                doc_sha256=doc.sha256,
                province=doc.meta.province,
                report_period=report_period,
                section=doc.section_of(q.start).breadcrumb(),
                chunk=chunk_id,
                indicator=ind.name,
                code=ind.code,
                period=ind.period,
                value=json_number(q.value),
                unit=q.unit,
                scale=q.scale,
                text=q.text,
                start=q.start,
                end=q.end,
                comparisons=tuple(comparisons),
                parent=parent,
                backend=backend,
                model=model,
                aggregation=entry.aggregation if entry else None,
                qualifier=q.qualifier,
                denominator=json_number(q.denominator),
                denominator_of=denominator_of(doc.text, q, compared),
                ambiguous=q.ambiguous,
                footnote=note.number if note else None,
                source_start=doc.locate(q.start),
                source_end=doc.locate_end(q.start, q.end),
                llm=provenance.get(q.id, (None, ()))[0],
                changed_by_llm=provenance.get(q.id, (None, ()))[1],
                measure=measure,
                basis=q.comparison.basis if changed and q.comparison else None,
                direction=q.comparison.direction if changed and q.comparison else None,
                period_date=reference_date(doc, q) if ind.period in ("as_of", "ytd") else None,
                scale_word=scale_word(q),
                base_value=json_number(q.absolute) if q.value is not None else None,
            )
        )
    return facts


_MEASURES = {
    "increase": "change",
    "decrease": "change",
    "exceed": "change",
    "ratio": "index",
    "times": "multiple",
}


def measure_of(q: Quantity) -> str:
    """What a fact's value is: a level ("6.116 ha"), a rate ("tỷ lệ ... 3,5%", "đạt
    6,5%"), a change ("tăng 2,35%": change_pct; "tăng 1.475 tỷ đồng": change_abs; "tăng
    0,5 điểm %": change_points), an index ("bằng 103,2% so với cùng kỳ") or a multiple
    ("gấp 2,1 lần")."""
    measure = _MEASURES.get(q.comparison.direction) if q.comparison else None
    if measure == "change":
        if q.kind == "points":
            return "change_points"
        return "change_pct" if q.kind == "percent" else "change_abs"
    if measure is not None:
        return measure
    return "rate" if q.kind in ("percent", "points") else "level"


# "79.000/171.000ha theo kế hoạch": the fraction's y is the plan
_PLAN_NEXT = re.compile(r"\s*(?:\(\s*)?(?:theo\s+|của\s+|so\s+với\s+)?kế\s+hoạch\b", re.I)
_PLAN_BASES = frozenset({"plan", "budget"})


def denominator_of(text: str, q: Quantity, compared: Iterable[Quantity]) -> str | None:
    """What a printed fraction's y is: ``plan`` when the text says so right after it
    ("79.000/171.000ha theo kế hoạch") or when the percentage of plan printed beside it
    (one of ``compared``) is x / y, within the rounding of its last printed digit ("đạt
    749.648/820.000 con, bằng 91,4% kế hoạch"), else ``total``: the size of the whole the
    count is taken from ("7/16 khoản thu", "75/80 xã đạt chuẩn")."""
    if q.denominator is None:
        return None
    if _PLAN_NEXT.match(text, q.end):
        return "plan"
    if q.value is not None and q.denominator:
        share = q.value / q.denominator * 100
        for c in compared:
            basis = c.comparison.basis if c.comparison else None
            if basis in _PLAN_BASES and c.unit == "%" and c.value is not None:
                if abs(share - c.value) <= Decimal("0.5") * Decimal(10) ** -c.decimals:
                    return "plan"
    return "total"


_SCALE_WORD = "(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + ")"
_SCALE_WORDS = re.compile(rf"{_SCALE_WORD}(?:\s+{_SCALE_WORD})*")


def scale_word(q: Quantity) -> str | None:
    """The scale word printed with a value ("tỷ" in "133,33 tỷ đồng"), or None."""
    if q.scale == 1:
        return None
    m = _SCALE_WORDS.search(q.text)
    return m.group(0) if m else None


_DATE_CUE = re.compile(
    r"(?:tính\s+đến|đến|tới|hết|tại\s+thời\s+điểm|thời\s+điểm)\s+(?:hết\s+)?(?:ngày\s+)?"
    r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*((?:19|20)\d{2}))?(?![\d/])",
    re.IGNORECASE,
)


def reference_date(doc: Document, q: Quantity) -> str | None:
    """The date a to-date figure or a stock is at, when its sentence gives it ("tính đến
    20/02/2024" -> "2024-02-20"; without a year, the report's year, or "--02-20")."""
    text = doc.text
    start = max(0, q.start - 160)
    for end in (". ", "\n"):  # its sentence ("21.500" has a dot too)
        cut = text.rfind(end, start, q.start)
        if cut >= 0:
            start = cut + 1
    found = list(_DATE_CUE.finditer(text, start, q.start))
    if not found:
        return None
    m = found[-1]
    day, month = int(m.group(1)), int(m.group(2))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = int(m.group(3)) if m.group(3) else doc.meta.year
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
