"""Score extracted facts against a hand-checked gold annotation.

Gold files (tests/gold/*.yaml) name each value by its exact text and a phrase shortly
before it, so they survive changes to quantity ids. Metrics, over the gold section:

* value recall: gold values that some fact has as its value
* precision: facts (in the section) whose value is a gold value
* period, comparison and catalog-code accuracy: over the values found, the share whose
  period / exact set of comparisons / code equals the gold one
* name overlap: over the values found, the mean F1 of the syllables of the fact's
  indicator name against the gold name (folded: case and old tone spellings aside)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extractor.document import Document
from extractor.quantities import Quantity
from extractor.records import Fact
from extractor.text import fold

NEAR_WINDOW = 80


@dataclass
class GoldValue:
    quantity: Quantity
    name: str
    code: str | None
    period: str
    comparisons: set[str]  # quantity ids
    parent: str | None  # quantity id


@dataclass
class Gold:
    doc: str
    section_quantities: set[str]  # every quantity id in the gold section
    values: dict[str, GoldValue] = field(default_factory=dict)  # by value quantity id


def _find(doc: Document, text: str, near: str, after: int = 0) -> Quantity:
    """The quantity ``text`` whose preceding window ends closest to ``near``."""
    best: tuple[int, Quantity] | None = None
    for q in doc.quantities:
        if q.text != text or q.start < after:
            continue
        window = doc.text[max(0, q.start - NEAR_WINDOW) : q.start]
        pos = window.rfind(near)
        if pos < 0:
            continue
        distance = len(window) - (pos + len(near))
        if best is None or distance < best[0]:
            best = (distance, q)
        elif distance == best[0]:
            raise ValueError(f"gold reference {text!r} near {near!r} is ambiguous")
    if best is None:
        raise ValueError(f"gold reference {text!r} near {near!r} not found in {doc.name}")
    return best[1]


def _section_quantities(doc: Document, path: str) -> set[str]:
    labels = [p.strip() for p in path.split(">")]
    node = doc.root
    for label in labels:
        node = next(c for c in node.children if c.label == label)
    ids = set()
    for q in doc.quantities:
        if node.id in {a.id for a in doc.section_of(q.start).ancestors()}:
            ids.add(q.id)
    return ids


def load_gold(path: str | Path, doc: Document) -> Gold:
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    gold = Gold(data["doc"], _section_quantities(doc, data["section"]))
    for item in data["values"]:
        q = _find(doc, item["text"], item["near"])
        comparisons = set()
        for ctext in item.get("comparisons", []) or []:
            c = next((c for c in doc.quantities if c.text == ctext and c.start >= q.end), None)
            if c is None:
                raise ValueError(f"gold comparison {ctext!r} after {item['text']!r} not found")
            comparisons.add(c.id)
        parent = None
        if item.get("parent"):
            parent = _find(doc, item["parent"]["text"], item["parent"]["near"]).id
        if q.id in gold.values:
            raise ValueError(f"gold value {item['text']!r} near {item['near']!r} listed twice")
        gold.values[q.id] = GoldValue(
            q, item["name"], item.get("code"), item["period"], comparisons, parent
        )
    return gold


@dataclass
class Scores:
    gold_values: int
    facts_in_section: int
    found: int
    correct_facts: int
    period_ok: int
    comparisons_ok: int
    code_ok: int
    parent_ok: int
    name_overlap_sum: float = 0.0

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def recall(self) -> float:
        return self._ratio(self.found, self.gold_values)

    @property
    def precision(self) -> float:
        return self._ratio(self.correct_facts, self.facts_in_section)

    @property
    def period_accuracy(self) -> float:
        return self._ratio(self.period_ok, self.found)

    @property
    def comparison_accuracy(self) -> float:
        return self._ratio(self.comparisons_ok, self.found)

    @property
    def code_accuracy(self) -> float:
        return self._ratio(self.code_ok, self.found)

    @property
    def parent_accuracy(self) -> float:
        return self._ratio(self.parent_ok, self.found)

    @property
    def name_overlap(self) -> float:
        return self.name_overlap_sum / self.found if self.found else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "gold_values": self.gold_values,
            "facts_in_section": self.facts_in_section,
            "value_recall": round(self.recall, 3),
            "precision": round(self.precision, 3),
            "period_accuracy": round(self.period_accuracy, 3),
            "comparison_accuracy": round(self.comparison_accuracy, 3),
            "code_accuracy": round(self.code_accuracy, 3),
            "parent_accuracy": round(self.parent_accuracy, 3),
            "name_overlap": round(self.name_overlap, 3),
        }


def name_f1(name: str, gold: str) -> float:
    """F1 of the syllables of ``name`` against those of ``gold`` (folded)."""
    a, b = fold(name).split(), fold(gold).split()
    if not a or not b:
        return 0.0
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def score(gold: Gold, facts: list[Fact]) -> Scores:
    in_section = [f for f in facts if f.quantity_id in gold.section_quantities]
    by_value = {f.quantity_id: f for f in in_section}
    id_of = {f.id: f.quantity_id for f in facts}
    found = period_ok = comparisons_ok = code_ok = parent_ok = 0
    names = 0.0
    for qid, g in gold.values.items():
        f = by_value.get(qid)
        if f is None:
            continue
        found += 1
        names += name_f1(f.indicator, g.name)
        period_ok += f.period == g.period
        comparisons_ok += {c.quantity_id for c in f.comparisons} == g.comparisons
        code_ok += f.code == g.code
        parent_ok += (id_of.get(f.parent) if f.parent else None) == g.parent
    correct = sum(1 for f in in_section if f.quantity_id in gold.values)
    return Scores(
        len(gold.values),
        len(in_section),
        found,
        correct,
        period_ok,
        comparisons_ok,
        code_ok,
        parent_ok,
        names,
    )
