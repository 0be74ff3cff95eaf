"""The run page: a batch's reports at a glance, each province's indicators over time
(with a small chart per row, drawn here as inline SVG), and the checks across reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..records import Fact
from ..text import slug
from ..validation.findings import Finding
from .labels import display_number, labels
from .report_page import finding_reports
from .view import id_prefix


@dataclass(frozen=True)
class DocumentRow:
    """One report of a run, as the run store knows it."""

    name: str
    sha256: str
    province: str | None
    period: str | None
    status: str
    chunks: int
    error: str | None = None
    cost: float | None = None


def page_name(name: str, sha256: str) -> str:
    """The file name of a report's page in a run folder (names may repeat across
    folders of an archive; the hash prefix keeps them apart)."""
    return f"{slug(_file_name(name))[:60] or 'report'}-{sha256[:8]}.html"


def _file_name(name: str) -> str:
    """The file name of an input path or archive member name."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def sparkline(values: list[float | None], width: int = 120, height: int = 24) -> Markup:
    """A line over the values (gaps where a period has none), as an SVG element."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return Markup("")
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    parts: list[str] = []
    pen = "M"
    for i, v in enumerate(values):
        if v is None:
            pen = "M"
            continue
        x = 2 + i * step
        y = height - 2 - (v - lo) / span * (height - 4)
        parts.append(f"{pen}{x:.1f},{y:.1f}")
        pen = "L"
    dots = "".join(
        f'<circle cx="{2 + i * step:.1f}" '
        f'cy="{height - 2 - (v - lo) / span * (height - 4):.1f}" r="1.6"/>'
        for i, v in enumerate(values)
        if v is not None
    )
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true"><path d="{" ".join(parts)}" fill="none" '
        f'stroke="#0b57d0" stroke-width="1.5"/><g fill="#0b57d0">{dots}</g></svg>'
    )


def _base(f: Fact) -> float | None:
    if f.value is None:
        return None
    return float(Decimal(str(f.value)) * f.scale)


def _fmt(v: float | None, lang: str) -> str:
    return "" if v is None else display_number(Decimal(repr(v)), lang)


def run_context(
    documents: list[DocumentRow],
    facts: Iterable[Fact],
    findings: Iterable[Finding],
    skipped: list[tuple[str, str]],
    run_name: str,
    lang: str = "vi",
    pages: set[str] | None = None,
) -> dict[str, Any]:
    """Everything the run template draws; ``pages``: the sha256 of the reports that have
    a page (all when None)."""
    facts = list(facts)
    findings = list(findings)
    sha_of = {id_prefix(f.id): f.doc_sha256 for f in facts}
    sha_by_name: dict[str, str] = {}
    for d in documents:
        sha_by_name.setdefault(d.name, d.sha256)
        sha_by_name.setdefault(_file_name(d.name), d.sha256)
    failures: dict[str, int] = defaultdict(int)  # by sha256
    for f in findings:
        if f.status != "fail":
            continue
        shas = {sha_of.get(p) for p in finding_reports(f)} - {None}
        if not shas and f.doc:
            shas = {sha_by_name.get(f.doc) or sha_by_name.get(_file_name(f.doc))} - {None}
        for sha in shas:
            failures[str(sha)] += 1
    fact_counts: dict[str, int] = defaultdict(int)
    for fact in facts:
        fact_counts[fact.doc_sha256] += 1
    docs = [
        {
            "row": d,
            "page": page_name(d.name, d.sha256) if pages is None or d.sha256 in pages else None,
            "facts": fact_counts.get(d.sha256, 0),
            "failures": failures.get(d.sha256, 0),
        }
        for d in documents
    ]
    # province -> (code, period kind, measure, base unit) -> report period -> fact
    table: dict[str, dict[tuple[str, str, str, str], dict[str, Fact]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for fact in facts:
        if fact.code and fact.province and fact.report_period:
            key = (fact.code, fact.period, fact.measure, fact.unit or "")
            table[fact.province][key].setdefault(fact.report_period, fact)
    provinces = []
    for province in sorted(table):
        rows = table[province]
        periods = sorted({p for cells in rows.values() for p in cells})
        body = []
        for (code, kind, measure, unit), cells in sorted(rows.items()):
            values = [_base(cells[p]) if p in cells else None for p in periods]
            name = next(iter(cells.values())).indicator
            body.append(
                {
                    "code": code,
                    "kind": kind,
                    "measure": measure,
                    "unit": unit,
                    "name": name,
                    "cells": [_fmt(v, lang) for v in values],
                    "chart": sparkline(values),
                }
            )
        provinces.append({"name": province, "periods": periods, "rows": body})
    name_of = {d.sha256: d.name for d in documents}
    across: list[dict[str, Any]] = []
    for f in findings:
        docs_involved = {sha_of.get(p) for p in finding_reports(f)} - {None}
        if len(docs_involved) < 2:
            continue
        links = []
        for sha in sorted(s for s in docs_involved if s):
            page = None
            if pages is None or sha in pages:
                # the report page outlines the finding's values of that report on arrival
                ids = [r.id for r in f.facts if r.id and sha_of.get(id_prefix(r.id)) == sha]
                page = page_name(name_of.get(sha, sha), sha) + "#facts=" + ",".join(ids)
            links.append({"name": name_of.get(sha, sha), "page": page})
        across.append({"finding": f, "message": f.message(lang), "links": links})
    across.sort(key=lambda a: (a["finding"].status != "fail", str(a["finding"].rule)))
    return {
        "lang": lang,
        "t": labels(lang),
        "run_name": run_name,
        "documents": docs,
        "provinces": provinces,
        "across": across,
        "skipped": skipped,
        "n_facts": len(facts),
    }
