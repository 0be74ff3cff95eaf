"""Findings: one check of a report's arithmetic, the validators' output contract.

JSON Lines (``extract --findings``, ``validate -o``, a batch's ``findings.jsonl``), one
check per line::

    rule, status (pass/fail/skipped), expected, actual, tolerance, message_vi,
    message_en, facts: [{id, text, start, end}], doc, reason, severity, relation, unsure

``severity`` of a failure: ``error`` (no reading of the printed precision and hedges
explains it, and the relation is certain) or ``warning`` (a hedged or round figure taken
as exact may, a misprinted separator or scale word would, or the relation is an unsure
reading); ``relation`` is the id of the relation checked (``relations.jsonl``);
``unsure`` says the relation is an unsure reading, whatever its status (the message
gives the reading in words).

CSV has the same columns with the facts flattened (``fact_ids``, ``fact_texts``,
``fact_spans``), and formula-like cells escaped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args

from ..numbers import json_number
from ..writers import atomic_write, output_format, safe_cell

FINDING_FIELDS = (
    "rule",
    "status",
    "expected",
    "actual",
    "tolerance",
    "message_vi",
    "message_en",
    "facts",
    "doc",
)
CSV_FIELDS = (
    *[k for k in FINDING_FIELDS if k != "facts"],
    "reason",
    "severity",
    "relation",
    "unsure",
    "fact_ids",
    "fact_texts",
    "fact_spans",
)
Status = Literal["fail", "skipped", "pass"]
"""What came of a check: it failed, it could not be made (``reason`` says why), it held."""
Severity = Literal["error", "warning"]
"""How much a failure weighs: an ``error`` is a printed reading that does not add up; a
``warning`` is a failure of an unsure reading, or one within a doubt the text leaves."""
STATUSES: tuple[Status, ...] = get_args(Status)  # in the order findings are listed


@dataclass(frozen=True)
class FactRef:
    """The characters a finding is about: a fact's value, or a comparison (no id)."""

    id: str | None
    text: str
    start: int
    end: int

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end}


def ref(item: Any) -> FactRef:
    """A fact or a comparison as a :class:`FactRef`."""
    return FactRef(getattr(item, "id", None), item.text, item.start, item.end)


@dataclass(frozen=True)
class Finding:
    """One check of a report's arithmetic: passed, failed (with its severity) or skipped
    (with the reason), with the expected and printed values, the tolerance, a message in
    Vietnamese and English and the characters it is about."""

    rule: str
    status: Status
    expected: Decimal | None
    actual: Decimal | None
    tolerance: Decimal | None
    message_vi: str
    message_en: str
    facts: tuple[FactRef, ...]
    doc: str | None
    reason: str | None = None  # why a check was skipped
    relation: str | None = None  # the id of the relation this checks
    severity: Severity | None = None  # a failure's
    unsure: bool = False  # the relation checked is an unsure reading (its note says why)

    def message(self, lang: str) -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def record(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "expected": json_number(self.expected),
            "actual": json_number(self.actual),
            "tolerance": json_number(self.tolerance),
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "facts": [f.record() for f in self.facts],
            "doc": self.doc,
            "reason": self.reason,
            "severity": self.severity,
            "relation": self.relation,
            "unsure": self.unsure,
        }

    def csv_row(self) -> dict[str, Any]:
        rec = self.record()
        row = {k: rec[k] for k in FINDING_FIELDS if k != "facts"}
        row["reason"] = self.reason
        row["severity"] = self.severity
        row["relation"] = self.relation
        row["unsure"] = self.unsure
        row["fact_ids"] = " | ".join(str(f.id) for f in self.facts)
        row["fact_texts"] = " | ".join(f.text for f in self.facts)
        row["fact_spans"] = " | ".join(f"{f.start}-{f.end}" for f in self.facts)
        return {k: safe_cell(v) for k, v in row.items()}


COUNTS = (
    *STATUSES,  # every finding, by status
    "error",  # failures by severity
    "warning",
    "unsure",  # checks of a relation read unsure (passed or failed)
    "relation_pass",  # the relations checked: passed, failed, or not computable
    "relation_fail",
    "relation_skipped",
    "relation_error",  # the relations failed, by severity
    "relation_warning",
    "gap",  # statements recognised but not formed into a relation
    "across_pass",  # checks between reports
    "across_fail",
)


def count(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each status and severity, and the same findings split into
    parts that add up: the checks of relations (by status), the statements not formed
    (gaps) and the checks between reports."""
    out = dict.fromkeys(COUNTS, 0)
    for f in findings:
        out[f.status] += 1
        if f.severity:
            out[f.severity] += 1
        if f.unsure and f.status != "skipped":
            out["unsure"] += 1
        if f.relation is not None:
            out[f"relation_{f.status}"] += 1
            if f.severity:
                out[f"relation_{f.severity}"] += 1
        elif f.status == "skipped":
            out["gap"] += 1
        else:
            out[f"across_{f.status}"] += 1
    return out


def write_findings(findings: Iterable[Finding], path: str | Path) -> int:
    """Findings as JSON Lines (.jsonl) or CSV (.csv), by extension."""
    target = Path(path)
    findings = list(findings)
    if output_format(target, "findings") == "csv":
        with atomic_write(target, encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for finding in findings:
                writer.writerow(finding.csv_row())
    else:
        with atomic_write(target) as fh:
            for finding in findings:
                fh.write(json.dumps(finding.record(), ensure_ascii=False) + "\n")
    return len(findings)
