"""Facts: indicator values tied to their characters — the extraction output contract.

JSON Lines, one indicator value per line::

    id, doc, doc_sha256, province, report_period, section, chunk, indicator, code,
    period, value, unit, scale, text, start, end,
    comparisons: [{kind, basis, value, text, start, end}], parent, backend, model

``value`` is the number as printed (with ``scale`` the multiplier of its scale word),
``start``/``end`` index the cleaned text, ``parent`` is the id of the fact this one is a
component of. Extra fields readers may ignore: ``aggregation`` (flow/stock/rate from the
catalog), ``qualifier``, ``denominator``, ``ambiguous``, ``footnote``,
``source_start``/``source_end`` (offsets in the file's decoded text).

CSV has the same columns; comparisons are flattened into ``comparison1_kind``,
``comparison1_basis``, ``comparison1_value``, ``comparison1_text`` … up to three, and
cells that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .document import Document
from .outputs import atomic_write, output_format
from .records import number
from .schema import Indicator

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
    "ambiguous",
    "footnote",
    "source_start",
    "source_end",
)
CSV_COMPARISONS = 3


_SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])\s+(?=\S)")
_PARTIAL = re.compile(r"\bkhác\b|một\s+số|\.\.\.|…|v\.v", re.IGNORECASE)


@lru_cache(maxsize=16)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Where each sentence of ``text`` starts (cached: every chunk of a document asks)."""
    return (0, *(m.end() for m in _SENTENCE_BREAK.finditer(text)))


def fact_id(doc: Document, quantity_id: str) -> str:
    return f"{doc.sha256[:12]}:{quantity_id}"


@dataclass
class Fact:
    record: dict[str, Any]
    quantity_id: str
    comparison_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.record["id"])


def build_facts(
    doc: Document,
    indicators: Iterable[tuple[str, Indicator]],
    catalog: Catalog,
    backend: str,
    model: str | None,
) -> list[Fact]:
    """Facts for (chunk id, indicator) pairs, in document order of their values."""
    by_id = {q.id: q for q in doc.quantities}
    pairs = sorted(indicators, key=lambda p: by_id[p[1].value_id].start)
    values = {ind.value_id for _, ind in pairs}
    starts = sentence_starts(doc.text)
    children: dict[str, list[int]] = {}
    for _, ind in pairs:
        if ind.parent_id in values:
            children.setdefault(ind.parent_id, []).append(by_id[ind.value_id].end)
    facts = []
    for chunk_id, ind in pairs:
        q = by_id[ind.value_id]
        entry = catalog.get(ind.code)
        note = doc.footnote_of(q.start)
        comparisons = []
        for cid in ind.comparison_ids:
            c = by_id[cid]
            comparisons.append(
                {
                    "kind": c.comparison.direction if c.comparison else c.kind,
                    "basis": c.comparison.basis if c.comparison else None,
                    "value": number(c.value),
                    "unit": c.unit,
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                }
            )
        parent = fact_id(doc, ind.parent_id) if ind.parent_id in values else None
        sentence = bisect_right(starts, q.start) - 1
        sentence_text = doc.text[
            starts[sentence] : starts[sentence + 1] if sentence + 1 < len(starts) else len(doc.text)
        ]
        breakdown = None
        if q.id in children:  # a total with components: do they list all of it?
            tail = doc.text[q.end : max(children[q.id]) + 80]
            if note is None and doc.footnote_refs.get(q.id):
                ref = doc.clean.footnote(doc.footnote_refs[q.id])
                tail = doc.text[ref.start : ref.end] if ref else tail
            breakdown = "partial" if _PARTIAL.search(tail) or len(children[q.id]) == 1 else "full"
        # "cơ cấu kinh tế: nông, lâm nghiệp 15,49%; công nghiệp 37,32%; ...": shares
        structure = sentence_text.lower().find("cơ cấu")
        in_structure = structure >= 0 and starts[sentence] + structure < q.start
        share_group = (
            sentence if (q.unit == "%" and not ind.comparison_ids and in_structure) else None
        )
        record = {
            "id": fact_id(doc, q.id),
            "doc": doc.name,
            "doc_sha256": doc.sha256,
            "province": doc.meta.province,
            "report_period": doc.meta.period,
            "section": doc.section_of(q.start).breadcrumb(),
            "chunk": chunk_id,
            "indicator": ind.name,
            "code": ind.code,
            "period": ind.period,
            "value": number(q.value),
            "unit": q.unit,
            "scale": q.scale,
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "comparisons": comparisons,
            "parent": parent,
            "backend": backend,
            "model": model,
            "aggregation": entry.aggregation if entry else None,
            "qualifier": q.qualifier,
            "denominator": number(q.denominator),
            "ambiguous": q.ambiguous,
            "footnote": note.number if note else None,
            "source_start": doc.locate(q.start),
            "source_end": doc.locate_end(q.start, q.end),
            "sentence": sentence,
            "breakdown": breakdown,
            "share_group": share_group,
        }
        facts.append(Fact(record, q.id, list(ind.comparison_ids)))
    return facts


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


def csv_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = {k: rec.get(k) for k in FACT_FIELDS if k != "comparisons"}
    for k in EXTRA_FIELDS:
        row[k] = rec.get(k)
    comps = rec.get("comparisons") or []
    for i in range(CSV_COMPARISONS):
        c = comps[i] if i < len(comps) else {}
        for part in ("kind", "basis", "value", "text"):
            row[f"comparison{i + 1}_{part}"] = c.get(part)
    return {k: safe_cell(v) for k, v in row.items()}


def csv_columns() -> list[str]:
    cols = [k for k in FACT_FIELDS if k != "comparisons"] + list(EXTRA_FIELDS)
    for i in range(CSV_COMPARISONS):
        cols += [f"comparison{i + 1}_{p}" for p in ("kind", "basis", "value", "text")]
    return cols


def write_csv(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    n = 0
    with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=csv_columns())
        writer.writeheader()
        for rec in records:
            writer.writerow(csv_row(rec))
            n += 1
    return n


def write_records(records: list[dict[str, Any]], path: str | Path) -> int:
    """By extension: .jsonl (JSON Lines) or .csv; any other extension is a ConfigError."""
    if output_format(Path(path), "facts") == "csv":
        return write_csv(records, path)
    return write_jsonl(records, path)
