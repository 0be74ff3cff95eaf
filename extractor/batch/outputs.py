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

from ..extraction.facts import Fact, safe_cell, write_csv, write_jsonl
from ..outputs import atomic_path, atomic_write
from ..relations import Relation, write_relations
from ..text import slug
from ..validation import Finding, write_findings


def write_outputs(
    facts: Sequence[Fact],
    relations: Sequence[Relation],
    findings: Sequence[Finding],
    folder: Path,
) -> list[Path]:
    """Every output file of a run directory; returns their paths."""
    write_jsonl((f.record() for f in facts), folder / "facts.jsonl")
    write_csv(facts, folder / "facts.csv")
    write_relations(relations, folder / "relations.jsonl")
    write_findings(findings, folder / "findings.jsonl")
    write_findings(findings, folder / "findings.csv")
    names = ("facts.jsonl", "facts.csv", "relations.jsonl", "findings.jsonl", "findings.csv")
    out = [folder / n for n in names]
    out += write_wide_tables(facts, folder / "tables")
    parquet = write_parquet(facts, folder / "facts.parquet")
    if parquet:
        out.append(parquet)
    return out


def write_wide_tables(facts: Sequence[Fact], folder: Path) -> list[Path]:
    """One CSV per province: a row per indicator and period kind, a column per report
    period, the value with its scale applied."""
    folder.mkdir(parents=True, exist_ok=True)
    by_province: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.code and not f.parent:
            by_province[f.province or "unknown"].append(f)
    written = []
    for province, rows in sorted(by_province.items()):
        periods = sorted({str(f.report_period or "?") for f in rows})
        table: dict[tuple[str, str, str], dict[str, str]] = {}
        for f in rows:
            key = (f.code or "", f.period or "", f.unit or "")
            cell = table.setdefault(key, {})
            period = str(f.report_period or "?")
            if period not in cell:
                value = Decimal(str(f.value)) * Decimal(f.scale or 1)
                cell[period] = format(value.normalize(), "f")
        path = folder / f"{slug(province) or 'unknown'}.csv"
        with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["code", "period", "unit", *periods])
            for (code, period, unit), cells in sorted(table.items()):
                writer.writerow(
                    [safe_cell(code), period, safe_cell(unit), *[cells.get(p, "") for p in periods]]
                )
        written.append(path)
    return written


def write_parquet(facts: Sequence[Fact], path: Path) -> Path | None:
    """facts.parquet, or None when pyarrow (the ``parquet`` extra) is not installed."""
    try:
        import pyarrow as pa  # an optional extra
        import pyarrow.parquet as pq
    except ImportError:
        return None
    rows = [
        {
            k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
            for k, v in f.record().items()
        }
        for f in facts
    ]
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows), tmp)
    return path
