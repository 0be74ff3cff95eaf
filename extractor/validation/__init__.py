"""Recompute the arithmetic a report states between its numbers, and across reports.

    findings = validate(facts)   # every check, failures first

Validators are pure functions from facts (:class:`~extractor.extraction.facts.Fact`) to
findings (:class:`~.findings.Finding`): a finding names its rule, says pass, fail or
skipped (with the reason), gives the expected and actual values and the tolerance used,
explains itself in Vietnamese and English, and lists the facts involved with their
spans. Tolerance comes from printed precision (:mod:`.intervals`), never from a global
epsilon. The checks within one report are in :mod:`.report`, those across reports of
one province in :mod:`.across`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..extraction.facts import Fact
from .across import validate_across
from .findings import STATUSES, FactRef, Finding, count, write_findings
from .report import validate_report

__all__ = [
    "FactRef",
    "Finding",
    "count",
    "validate",
    "validate_across",
    "validate_report",
    "write_findings",
]


def validate(facts: Iterable[Fact], across: bool = True) -> list[Finding]:
    """Within-report checks for each report, then the checks across reports."""
    facts = list(facts)
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_doc[str(f.doc_sha256 or f.doc)].append(f)
    out: list[Finding] = []
    for doc_facts in by_doc.values():
        out.extend(validate_report(doc_facts))
    if across and len(by_doc) > 1:
        out.extend(validate_across(facts))
    order = {status: k for k, status in enumerate(STATUSES)}
    return sorted(
        out,
        key=lambda f: (
            order[f.status],
            str(f.doc),
            f.facts[0].start if f.facts else 0,
        ),
    )
