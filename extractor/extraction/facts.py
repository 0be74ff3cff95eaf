"""Facts: indicator values tied to their characters — the extraction output contract.

JSON Lines, one indicator value per line::

    id, doc, doc_sha256, province, report_period, section, chunk, indicator, code,
    period, value, unit, scale, text, start, end,
    comparisons: [{kind, basis, value, text, start, end}], parent, backend, model

``value`` is the number as printed (with ``scale`` the multiplier of its scale word),
``start``/``end`` index the cleaned text, ``parent`` is the id of the fact this one is a
component of. Extra fields readers may ignore: ``aggregation`` (flow/stock/rate from the
catalog), ``qualifier``, ``denominator`` and ``denominator_of`` (what a printed
fraction's y is: ``plan`` or ``total``), ``ambiguous``, ``footnote``,
``source_start``/``source_end`` (offsets in the file's decoded text).

CSV has the same columns; comparisons are flattened into ``comparison1_kind``,
``comparison1_basis``, ``comparison1_value``, ``comparison1_text`` … up to three, and
cells that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..document import Document
from ..errors import ConfigError
from ..lexicon import SCALES
from ..outputs import atomic_write, output_format
from ..quantities import Quantity
from ..records import number
from ..schema import Indicator

FACT_FIELDS = (
    "id",
    "doc",
    "doc_sha256",
    "province",
    "report_period",
    "section",
    "chunk",
    "indicator",
    "code",
    "period",
    "value",
    "unit",
    "scale",
    "text",
    "start",
    "end",
    "comparisons",
    "parent",
    "backend",
    "model",
)
EXTRA_FIELDS = (
    "aggregation",
    "qualifier",
    "denominator",
    "denominator_of",
    "ambiguous",
    "footnote",
    "source_start",
    "source_end",
    "llm",
    "changed_by_llm",
    "measure",
    "basis",
    "direction",
    "period_date",
    "scale_word",
    "base_value",
)
CSV_COMPARISONS = 3
RECORD_FIELDS = (*FACT_FIELDS, *EXTRA_FIELDS)  # a fact's record, in this order


@cache
def _known_fields() -> frozenset[str]:
    return frozenset(f.name for f in fields(Fact))


def fact_id(doc: Document, quantity_id: str) -> str:
    return f"{doc.sha256[:12]}:{quantity_id}"


@dataclass(frozen=True)
class FactComparison:
    """A comparison attached to a fact: "tăng 5,9% so với cùng kỳ"."""

    kind: str  # increase, decrease, ratio, reach, exceed, times (or the quantity's kind)
    basis: str | None  # same_period, previous_period, plan, budget, other
    value: int | float | None
    unit: str | None
    text: str
    start: int
    end: int
    scale: int = 1  # the comparison's scale word ("tăng 1,2 tỷ đồng"); not in the files
    quantity_id: str | None = None  # its tagged quantity, in this run; not in the files

    def record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "basis": self.basis,
            "value": self.value,
            "unit": self.unit,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> FactComparison:
        return cls(
            str(rec.get("kind")),
            rec.get("basis"),
            rec.get("value"),
            rec.get("unit"),
            str(rec.get("text") or ""),
            int(rec.get("start") or 0),
            int(rec.get("end") or 0),
            int(rec.get("scale") or 1),
        )


@dataclass(frozen=True)
class Fact:
    """One indicator value, tied to its characters: the extraction output contract.

    :meth:`record` is the JSON Lines / CSV row (the fields of the module docstring, in
    that order); :meth:`from_record` reads one back."""

    id: str
    doc: str
    doc_sha256: str
    province: str | None
    report_period: str | None
    section: str
    chunk: str
    indicator: str
    code: str | None
    period: str
    value: int | float | None
    unit: str | None
    scale: int
    text: str
    start: int
    end: int
    comparisons: tuple[FactComparison, ...] = ()
    parent: str | None = None
    backend: str = "rules"
    model: str | None = None
    aggregation: str | None = None
    qualifier: str | None = None
    denominator: int | float | None = None
    denominator_of: str | None = None  # a fraction's y: "plan" (its target) or "total"
    ambiguous: str | None = None
    footnote: int | None = None
    source_start: int | None = None
    source_end: int | None = None
    llm: str | None = None  # hybrid: "refined" by the model, or "failed" (the draft kept)
    changed_by_llm: tuple[str, ...] = ()  # hybrid: the fields the model changed
    measure: str = "level"  # level, rate, change_pct, change_abs, change_points, index, multiple
    basis: str | None = None  # a change's: same_period, previous_period, plan, budget, other
    direction: str | None = None  # a change's: increase, decrease, ratio, exceed, times
    period_date: str | None = None  # the date the text gives ("tính đến 20/02"), ISO 8601
    scale_word: str | None = None  # "tỷ" of "133,33 tỷ đồng" (unit "đồng", scale 10^9)
    base_value: int | float | None = None  # value × scale, in ``unit``

    @property
    def quantity_id(self) -> str:
        """The tagged quantity this fact's value is ("<doc>:q17" -> "q17")."""
        return self.id.rsplit(":", 1)[-1]

    def record(self) -> dict[str, Any]:
        rec = {name: getattr(self, name) for name in RECORD_FIELDS}
        rec["comparisons"] = [c.record() for c in self.comparisons]
        rec["changed_by_llm"] = list(self.changed_by_llm)
        return rec

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Fact:
        """A fact from a JSON Lines row (fields a reader does not know are ignored)."""
        known = _known_fields()
        values = {k: v for k, v in rec.items() if k in known}
        values["comparisons"] = tuple(
            FactComparison.from_record(c) for c in rec.get("comparisons") or ()
        )
        values["changed_by_llm"] = tuple(rec.get("changed_by_llm") or ())
        values.setdefault("section", "")
        values.setdefault("chunk", "")
        values.setdefault("indicator", "")
        values.setdefault("period", "other")
        values.setdefault("scale", 1)
        values.setdefault("start", 0)
        values.setdefault("end", 0)
        values.setdefault("doc", "")
        values.setdefault("doc_sha256", "")
        values.setdefault("province", None)
        values.setdefault("report_period", None)
        values.setdefault("code", None)
        values.setdefault("value", None)
        values.setdefault("unit", None)
        values.setdefault("text", "")
        return cls(**values)


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
                number(c.value),
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
                value=number(q.value),
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
                denominator=number(q.denominator),
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
                base_value=number(q.absolute) if q.value is not None else None,
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


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    n = 0
    with atomic_write(path) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def safe_cell(value: Any) -> Any:
    """Escape text a spreadsheet would run as a formula (= + - @, tab, CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_row(fact: Fact) -> dict[str, Any]:
    """A fact as a row of facts.csv, by column."""
    return dict(zip(csv_columns(), csv_cells(fact.record()), strict=True))


@cache
def csv_columns() -> tuple[str, ...]:
    cols = [k for k in FACT_FIELDS if k != "comparisons"] + list(EXTRA_FIELDS)
    for i in range(CSV_COMPARISONS):
        cols += [f"comparison{i + 1}_{p}" for p in ("kind", "basis", "value", "text")]
    return tuple(cols)


_CSV_PLAIN = tuple(k for k in RECORD_FIELDS if k != "comparisons")
_NO_COMPARISON = (None, None, None, None)


def csv_cells(rec: dict[str, Any]) -> list[Any]:
    """A fact's record as the cells of its facts.csv row, in csv_columns() order."""
    cells = [rec[k] if k != "changed_by_llm" else " ".join(rec[k]) for k in _CSV_PLAIN]
    comparisons = rec["comparisons"]
    for i in range(CSV_COMPARISONS):
        if i < len(comparisons):
            c = comparisons[i]
            cells += (c.get("kind"), c.get("basis"), c.get("value"), c.get("text"))
        else:
            cells += _NO_COMPARISON
    return [safe_cell(v) if isinstance(v, str) else v for v in cells]


def write_csv(facts: Iterable[Fact], path: str | Path) -> int:
    return write_csv_records((f.record() for f in facts), path)


def write_csv_records(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """facts.csv from the facts' records (each built once by a writer of several files)."""
    n = 0
    with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_columns())
        for rec in records:
            writer.writerow(csv_cells(rec))
            n += 1
    return n


def write_facts(facts: Iterable[Fact], path: str | Path) -> int:
    """By extension: .jsonl (JSON Lines) or .csv; any other extension is a ConfigError."""
    if output_format(Path(path), "facts") == "csv":
        return write_csv(facts, path)
    return write_jsonl((f.record() for f in facts), path)


def read_facts(paths: Iterable[str | Path]) -> list[Fact]:
    """Facts from JSON Lines files written by ``extract`` (or a batch)."""
    out: list[Fact] = []
    for path in paths:
        p = Path(path)
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read facts file {str(p)!r}: {exc.strerror}") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise ConfigError(
                    f"{str(p)!r} line {n} is not JSON: give the facts .jsonl "
                    "written by extractor extract"
                ) from exc
            if not isinstance(rec, dict) or "id" not in rec or "text" not in rec:
                raise ConfigError(
                    f"{str(p)!r} line {n} is not a fact record (no id/text): "
                    "give the facts .jsonl written by extractor extract"
                )
            try:
                out.append(Fact.from_record(rec))
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"{str(p)!r} line {n} is not a fact record: {exc}") from exc
    return out
