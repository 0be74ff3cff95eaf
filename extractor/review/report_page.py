"""The report page: the cleaned text with every value marked, and the checks beside it.

Everything that comes from a report (its text, indicator names, file names, metadata)
is untrusted. The text is cut into escaped pieces here (:func:`markupsafe.escape`), the
rest goes through Jinja2 with autoescape on, and the data the script reads is JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, which the
script only ever puts on the page as text (``textContent``).
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from ..records import Fact
from ..relations.relation_records import Relation
from ..validation.findings import STATUSES, Finding
from .labels import display_number, labels
from .view import ReportView, id_prefix

PERIODS = ("month", "ytd", "as_of", "year", "quarter", "plan", "other")


@dataclass
class _Mark:
    start: int
    end: int
    fact: int  # index into the page's facts, -1 for a number that is no fact


def _json_for_html(data: Any) -> Markup:
    """JSON that cannot end its <script> element or open a comment in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _base_value(fact: Fact, lang: str) -> str:
    if fact.value is None:
        return ""
    value = Decimal(str(fact.value)) * fact.scale
    return f"{display_number(value, lang)} {fact.unit or ''}".strip()


def _comparison(fact: Fact, t: dict[str, str]) -> list[str]:
    out = []
    for c in fact.comparisons:
        basis = f" {t.get(c.basis, c.basis)}" if c.basis else ""
        out.append(f"{t.get(c.kind, c.kind)} {c.text}{basis}")
    return out


def _marks(facts: list[Fact], spans: Iterable[tuple[int, int]], limit: int) -> list[_Mark]:
    """One mark per fact value, and one per other number a check is about; overlapping
    spans keep the first (a fact wins)."""
    wanted: dict[tuple[int, int], int] = {}
    for i, f in enumerate(facts):
        wanted.setdefault((f.start, f.end), i)
    for span in spans:
        wanted.setdefault(span, -1)
    marks: list[_Mark] = []
    last_end = -1
    for (s, e), i in sorted(wanted.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if s < last_end or e > limit or s >= e:
            continue
        marks.append(_Mark(s, e, i))
        last_end = e
    return marks


class _Writer:
    """The text of a range, escaped, with its marks as <mark> elements."""

    def __init__(self, view: ReportView, marks: list[_Mark], facts: list[Fact]) -> None:
        self.text = view.text
        self.marks = marks
        self.facts = facts
        self.k = 0  # the next mark

    def range(self, start: int, end: int) -> Markup:
        out: list[str] = []
        pos = start
        while self.k < len(self.marks) and self.marks[self.k].start < start:
            self.k += 1  # a mark crossing a paragraph break (never in practice): dropped
        while self.k < len(self.marks) and self.marks[self.k].end <= end:
            m = self.marks[self.k]
            out.append(str(escape(self.text[pos : m.start])))
            period = self.facts[m.fact].period if m.fact >= 0 else "number"
            out.append(
                f'<mark class="m p-{escape(period)}" id="m{self.k}" data-m="{self.k}" '
                f'tabindex="0">{escape(self.text[m.start : m.end])}</mark>'
            )
            pos = m.end
            self.k += 1
        out.append(str(escape(self.text[pos:end])))
        return Markup("".join(out))


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            out.append((pos, stop))
        pos = stop + 1
    return out


def report_context(
    view: ReportView,
    facts: Iterable[Fact],
    relations: Iterable[Relation],
    findings: Iterable[Finding],
    lang: str = "vi",
) -> dict[str, Any]:
    """Everything the report template draws, for one report."""
    facts = sorted((f for f in facts if f.doc_sha256 == view.sha256), key=lambda f: f.start)
    prefix = view.prefix
    relations = [r for r in relations if id_prefix(r.id) == prefix or r.doc == view.name]
    findings = [f for f in findings if f.doc in (view.name, None) or prefix in finding_reports(f)]
    spans = [(r.start, r.end) for f in findings for r in f.facts]
    spans += [(o.start, o.end) for r in relations for o in r.operands]
    marks = _marks(facts, spans, len(view.text))
    at = {(m.start, m.end): k for k, m in enumerate(marks)}

    relation_rows: list[dict[str, Any]] = []
    by_id: dict[str, int] = {}
    for r in relations:
        members = [at[(o.start, o.end)] for o in r.operands if (o.start, o.end) in at]
        by_id[r.id] = len(relation_rows)
        relation_rows.append({"id": r.id, "kind": r.kind, "origin": r.origin, "m": members})
    mark_relations: dict[int, list[int]] = defaultdict(list)
    for k, row in enumerate(relation_rows):
        for m in row["m"]:
            mark_relations[m].append(k)

    order = {s: i for i, s in enumerate(STATUSES)}
    severity = {"error": 0, "warning": 1, None: 2}
    findings.sort(key=lambda f: (order[f.status], severity.get(f.severity, 2)))
    finding_rows = []
    for f in findings:
        finding_rows.append(
            {
                "rule": f.rule,
                "status": f.status,
                "severity": f.severity,
                "message": f.message(lang),
                "m": [at[(r.start, r.end)] for r in f.facts if (r.start, r.end) in at],
                "relation": by_id.get(f.relation or ""),
            }
        )
    t = labels(lang)
    by_fact_id = {f.id: f for f in facts}
    fact_rows = [
        {
            "id": f.id,
            "indicator": f.indicator,
            "code": f.code,
            "period": f.period,
            "value": _base_value(f, lang),
            "text": f.text,
            "comparisons": _comparison(f, t),
            "parent": (
                f"{by_fact_id[f.parent].indicator} ({by_fact_id[f.parent].text})"
                if f.parent in by_fact_id
                else None
            ),
            "changed": list(f.changed_by_llm),
        }
        for f in facts
    ]
    writer = _Writer(view, marks, facts)
    blocks: list[dict[str, Any]] = []
    heading_rank = {h.start: h.rank for h in view.headings}
    notes_at: dict[int, list[int]] = defaultdict(list)  # line start -> footnote indexes
    lines = _lines(view.text, 0, view.body_end)
    starts = [s for s, _ in lines]
    unplaced = []
    for k, note in enumerate(view.notes):
        if note.anchor is None:
            unplaced.append(k)
            continue
        i = bisect.bisect_right(starts, note.anchor) - 1
        notes_at[lines[max(i, 0)][0] if lines else 0].append(k)
    # marks are written in text order: body lines first, footnotes (after body_end) last,
    # so each note's html is made in that order and placed after the line citing it
    body_html = [(s, e, writer.range(s, e)) for s, e in lines]
    note_html = {
        k: writer.range(n.start, n.end)
        for k, n in sorted(enumerate(view.notes), key=lambda kv: kv[1].start)
    }
    for s, _e, html in body_html:
        rank = heading_rank.get(s)
        blocks.append({"kind": "heading" if rank is not None else "p", "rank": rank, "html": html})
        for k in notes_at.get(s, []):
            blocks.append({"kind": "note", "number": view.notes[k].number, "html": note_html[k]})
    for k in unplaced:
        blocks.append({"kind": "note", "number": view.notes[k].number, "html": note_html[k]})

    counts: dict[str, int] = {s: sum(1 for f in findings if f.status == s) for s in STATUSES}
    counts["errors"] = sum(1 for f in findings if f.severity == "error")
    counts["warnings"] = sum(1 for f in findings if f.severity == "warning")
    data = {
        "facts": fact_rows,
        "marks": [[m.start, m.end, m.fact] for m in marks],
        "findings": finding_rows,
        "relations": relation_rows,
        "markRelations": {str(k): v for k, v in mark_relations.items()},
    }
    return {
        "lang": lang,
        "t": t,
        "view": view,
        "blocks": blocks,
        "findings": finding_rows,
        "rules": sorted({f["rule"] for f in finding_rows}),
        "counts": counts,
        "n_facts": len(facts),
        "periods": PERIODS,
        "data": _json_for_html(data),
    }


def finding_reports(finding: Finding) -> set[str]:
    """The id prefixes of the reports whose facts a finding is about."""
    return {id_prefix(ref.id) for ref in finding.facts if ref.id}
