"""Recompute the arithmetic a report states between its numbers, and across reports.

    found = find_relations(doc, fact_ids)              # extractor.relations
    findings = validate(found.relations, found.gaps)   # every check, failures first
    findings = validate(relations, facts=facts)        # and across reports of a province

Validators are arithmetic over records, and read no text: a relation
(:class:`~extractor.relations.Relation`) names its operands with their printed values
and roles, and :mod:`.relations` checks it against the printed precision
(:mod:`.intervals`), never a global epsilon; a statement a finder could not form (a
:class:`~extractor.relations.Gap`) becomes a skipped check with its reason. Across
reports of one province, :mod:`.across` compares facts of consecutive periods. Every
check is a :class:`~.findings.Finding`: its rule, pass, fail (an ``error``, or a
``warning`` when a hedged or rounded figure read exactly explains it) or skipped, the
expected and actual values and the tolerance used, a message in Vietnamese and English,
the numbers involved with their spans, and the relation it checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Fact
from ..relations.relation_records import Gap, Relation
from .across import validate_across
from .arithmetic import check_relation, check_relations, skipped_check
from .findings import STATUSES, FactRef, Finding, count, write_findings

__all__ = [
    "FactRef",
    "Finding",
    "check_relation",
    "check_relations",
    "count",
    "skipped_check",
    "validate",
    "validate_across",
    "write_findings",
]


def validate(
    relations: Iterable[Relation],
    gaps: Iterable[Gap] = (),
    *,
    facts: Iterable[Fact] = (),
    across: bool = True,
) -> list[Finding]:
    """Every relation checked, every gap as a skipped check, then (``across``) the checks
    between reports of one province over ``facts``; failures first."""
    relations = list(relations)
    if relations and isinstance(relations[0], Fact):
        raise TypeError(
            "validate() checks relations: call validate(run.relations, run.gaps, "
            "facts=run.facts) (facts alone are only compared across reports)"
        )
    out = check_relations(relations)
    out.extend(skipped_check(g) for g in gaps)
    facts = list(facts)
    if across and len({f.doc_sha256 or f.doc for f in facts}) > 1:
        out.extend(validate_across(facts))
    order = {status: k for k, status in enumerate(STATUSES)}
    severity = {"error": 0, "warning": 1, None: 2}
    return sorted(
        out,
        key=lambda f: (
            order[f.status],
            severity.get(f.severity, 2),
            str(f.doc),
            f.facts[0].start if f.facts else 0,
        ),
    )
