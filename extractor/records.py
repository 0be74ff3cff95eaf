"""The public records, one dict per line of JSON Lines: quantities and facts.

Fact record (``extractor extract``, a batch's facts.jsonl)::


    id, doc, doc_sha256, province, report_period, section, chunk, indicator, code,
    period, value, unit, scale, text, start, end,
    comparisons: [{kind, basis, value, text, start, end}], parent, backend, model

``value`` is the number as printed (with ``scale`` the multiplier of its scale word),
``start``/``end`` index the cleaned text, ``parent`` is the id of the fact this one is a
component of. Extra fields readers may ignore: ``aggregation`` (flow/stock/rate from the
catalog), ``qualifier``, ``denominator`` and ``denominator_of`` (what a printed
fraction's y is: ``plan`` or ``total``), ``ambiguous``, ``footnote``,
``source_start``/``source_end`` (offsets in the file's decoded text).

CSV has the same columns (:mod:`extractor.writers`).

Quantity record (``extractor quantities FILE --format jsonl``)::


    id, text, start, end, value, unit, scale, kind, qualifier, comparison, section,
    footnote, ambiguous

``comparison`` is ``{"direction", "basis"}`` or null; ``footnote`` is the number of the
footnote whose text holds the quantity (null in the body); ``ambiguous`` is a bool.
Added fields, which readers may ignore: ``denominator`` (fractions), ``footnote_ref``
(the footnote whose marker is glued to the quantity), ``ambiguity`` (why it is
ambiguous), ``source_start``/``source_end`` (offsets in the file's decoded text).
Offsets ``start``/``end`` index the cleaned text (``extractor clean FILE``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args

from .document import Document
from .errors import ConfigError
from .numbers import json_number
from .quantities import Quantity
from .schema import Period


def quantity_record(doc: Document, q: Quantity) -> dict[str, Any]:
    note = doc.footnote_of(q.start)
    comparison = None
    if q.comparison is not None:
        comparison = {"direction": q.comparison.direction, "basis": q.comparison.basis}
    return {
        "id": q.id,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "value": json_number(q.value),
        "unit": q.unit,
        "scale": q.scale,
        "kind": q.kind,
        "qualifier": q.qualifier,
        "comparison": comparison,
        "section": doc.section_of(q.start).breadcrumb(),
        "footnote": note.number if note is not None else None,
        "ambiguous": q.ambiguous is not None,
        "denominator": json_number(q.denominator),
        "footnote_ref": doc.footnote_refs.get(q.id),
        "ambiguity": q.ambiguous,
        "source_start": doc.locate(q.start),
        "source_end": doc.locate_end(q.start, q.end),
    }


QUANTITY_FIELDS = (
    "id",
    "text",
    "start",
    "end",
    "value",
    "unit",
    "scale",
    "kind",
    "qualifier",
    "comparison",
    "section",
    "footnote",
    "ambiguous",
)


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
RECORD_FIELDS = (*FACT_FIELDS, *EXTRA_FIELDS)  # a fact's record, in this order


_T = TypeVar("_T", bound=str)


def one_of(value: object, choices: tuple[_T, ...], what: str) -> _T:
    """``value`` as one of ``choices`` (a record's field read back); ValueError naming
    the field and the values allowed otherwise."""
    for choice in choices:
        if value == choice:
            return choice
    raise ValueError(f"{what} {value!r} is not one of {', '.join(choices)}")


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
    period: Period
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
        values["period"] = one_of(values.get("period", "other"), get_args(Period), "period")
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


def jsonl_records(paths: Iterable[str | Path], what: str, hint: str) -> Iterator[tuple[str, Any]]:
    """Each line of JSON Lines files, parsed, with where it stands ("'f.jsonl' line 3") for
    the messages of its reader. ConfigError (saying what file was expected, ``hint``) for a
    file that cannot be read or a line that is not JSON."""
    for path in paths:
        p = Path(path)
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read {what} file {str(p)!r}: {exc.strerror}") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{str(p)!r} line {n}"
            try:
                yield where, json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{where} is not JSON: {hint}") from exc


_FACTS_HINT = "give the facts .jsonl written by extractor extract"


def read_facts(paths: Iterable[str | Path]) -> list[Fact]:
    """Facts from JSON Lines files written by ``extract`` (or a batch)."""
    out: list[Fact] = []
    for where, rec in jsonl_records(paths, "facts", _FACTS_HINT):
        if not isinstance(rec, dict) or "id" not in rec or "text" not in rec:
            raise ConfigError(f"{where} is not a fact record (no id/text): {_FACTS_HINT}")
        try:
            out.append(Fact.from_record(rec))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where} is not a fact record: {exc}") from exc
    return out
