"""A batch's output files, written at the end of every run from the run store.

facts.jsonl, facts.csv        every fact of every report
relations.jsonl               every relation the reports state (what was checked)
findings.jsonl, findings.csv  every check, within and across reports
tables/<province>.csv         a row per indicator and period kind, a column per
                              report period, the value with its scale applied
facts.parquet                 the facts, when pyarrow is installed
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..records import RECORD_FIELDS, Fact
from ..relations import Relation, write_relations
from ..text import slug
from ..validation import Finding, write_findings
from ..writers import atomic_path, atomic_write, safe_cell, write_csv_records, write_jsonl


def write_fact_files(facts: Sequence[Fact], folder: Path) -> list[Path]:
    """The files of facts (facts.jsonl, facts.csv, tables/, facts.parquet): they do not
    wait for the checks."""
    records = [f.record() for f in facts]  # once, for the three files of facts
    write_jsonl(records, folder / "facts.jsonl")
    write_csv_records(records, folder / "facts.csv")
    out = [folder / "facts.jsonl", folder / "facts.csv"]
    out += write_wide_tables(facts, folder / "tables")
    parquet = write_parquet(records, folder / "facts.parquet")
    if parquet:
        out.append(parquet)
    return out


def write_check_files(
    relations: Sequence[Relation], findings: Sequence[Finding], folder: Path
) -> list[Path]:
    """relations.jsonl, findings.jsonl and findings.csv."""
    write_relations(relations, folder / "relations.jsonl")
    write_findings(findings, folder / "findings.jsonl")
    write_findings(findings, folder / "findings.csv")
    return [folder / n for n in ("relations.jsonl", "findings.jsonl", "findings.csv")]


def write_wide_tables(facts: Sequence[Fact], folder: Path) -> list[Path]:
    """One CSV per province: a row per indicator, period kind and measure (a level, a
    rate, a change...), a column per report period, the value in base units (its scale
    applied, in the unit of the row)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_province: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.code and not f.parent:
            by_province[f.province or "unknown"].append(f)
    written = []
    for province, rows in sorted(by_province.items()):
        periods = sorted({str(f.report_period or "?") for f in rows})
        table: dict[tuple[str, str, str, str], dict[str, str]] = {}
        for f in rows:
            key = (f.code or "", f.period or "", f.measure, f.unit or "")
            cell = table.setdefault(key, {})
            period = str(f.report_period or "?")
            if period not in cell:
                value = Decimal(str(f.value)) * Decimal(f.scale or 1)
                cell[period] = format(value.normalize(), "f")
        path = folder / f"{slug(province) or 'unknown'}.csv"
        with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["code", "period", "measure", "unit", *periods])
            for (code, period, measure, unit), cells in sorted(table.items()):
                writer.writerow(
                    [
                        safe_cell(code),
                        period,
                        measure,
                        safe_cell(unit),
                        *[cells.get(p, "") for p in periods],
                    ]
                )
        written.append(path)
    return written


def write_parquet(records: Sequence[dict[str, Any]], path: Path) -> Path | None:
    """facts.parquet from the facts' records, or None when pyarrow (the ``parquet``
    extra) is not installed; lists (comparisons, fields changed) are JSON text."""
    try:
        import pyarrow as pa  # an optional extra
        import pyarrow.parquet as pq
    except ImportError:
        return None
    columns: dict[str, list[Any]] = {name: [] for name in RECORD_FIELDS}
    for rec in records:
        for name, column in columns.items():
            column.append(rec[name])
    for name in ("comparisons", "changed_by_llm"):
        columns[name] = [json.dumps(v, ensure_ascii=False) for v in columns[name]]
    with atomic_path(path) as tmp:
        pq.write_table(pa.table(columns), tmp)
    return path
