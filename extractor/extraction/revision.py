"""What the model answers in the hybrid backend: changes to the rules' draft, by id.

The rules backend drafts every indicator of a chunk (every value found, its period, its
catalog code, the total it is part of). The model sees the tagged text and that draft,
and answers only with what it would change, one entry per value it mentions:

    {"changes": [{"id": "q12", "name": "Tổng đàn gia súc chính", "period": "as_of"},
                 {"id": "q15", "parent": "q12"}, {"id": "q3", "not_value": true}]}

A value it does not mention keeps the draft; a field it leaves out keeps the draft's;
``"none"`` clears a code or a parent. For llama.cpp, ids and codes are enums of the
request schema (its grammar); a hosted model gets the plain schema. Either way the
answer is validated against the draft with errors a model can act on ("q15: parent q15
is the value itself"), and re-asked.
:func:`apply_revision` merges an answer into the draft and says which fields changed, per
value: the facts' provenance. A value the model calls not a value is kept (the model
refines, it never takes away) and marked so.

The JSON Schema of :class:`ChunkRevision` is a reviewed contract like the extraction's:
``schemas/chunk_revision.v{REVISION_VERSION}.json``, checked by a test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from ..catalog import Catalog, CatalogEntry
from ..lexicon import MONEY_UNITS
from ..quantities import Quantity
from ..schema import (
    ChunkExtraction,
    Indicator,
    Period,
    reference_errors,
    request_base,
    request_model,
    write_schema,
)
from ..text import fold
from .periods import names_period

REVISION_VERSION = 2
GROUND_BEFORE = 200  # characters before a value where its name's words may stand
GROUND_AFTER = 40
NONE = "none"  # clears a draft's code or parent
FIELDS = ("name", "code", "period", "parent", "not_value")


class Change(BaseModel):
    """What the model changes about one value of the draft."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Id of the value in the draft, e.g. 'q12'.")
    name: str | None = Field(
        default=None,
        description="The indicator's name as the text words it, in Vietnamese, short, "
        "without the number; leave out to keep the draft's.",
    )
    code: str | None = Field(
        default=None, description="Catalog code, or 'none' for no code; leave out to keep."
    )
    period: Period | None = Field(default=None, description="Leave out to keep the draft's.")
    parent: str | None = Field(
        default=None,
        description="Id of the total this value is part of, or 'none'; leave out to keep.",
    )
    not_value: bool = Field(
        default=False, description="true when the number is not an indicator value at all."
    )


class ChunkRevision(BaseModel):
    """Changes to the rules' draft of one chunk."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(description="One entry per value whose draft is changed.")

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> ChunkRevision:
        context = info.context or _scope() or {}
        draft: ChunkExtraction | None = context.get("draft")
        if draft is None:
            return self
        errors = revision_errors(self, draft, context.get("catalog"))
        if errors:
            raise ValueError("; ".join(errors))
        return self


# the draft an answer is validated against, when validation happens inside instructor
_SCOPE: ContextVar[dict[str, Any] | None] = ContextVar("revision_scope", default=None)


def _scope() -> dict[str, Any] | None:
    return _SCOPE.get()


@contextmanager
def revision_scope(draft: ChunkExtraction, catalog: Catalog | None) -> Iterator[None]:
    """Validate ChunkRevision objects built inside this block against this draft."""
    token = _SCOPE.set({"draft": draft, "catalog": catalog})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def revision_errors(
    revision: ChunkRevision, draft: ChunkExtraction, catalog: Catalog | None
) -> list[str]:
    """Every change that does not fit the draft, in words a model can act on."""
    ids = [ind.value_id for ind in draft.indicators]
    known = ", ".join(ids) or "none"
    errors: list[str] = []
    seen: set[str] = set()
    for change in revision.changes:
        if change.id not in ids:
            errors.append(f"'{change.id}' is not a value of the draft (its ids: {known})")
            continue
        if change.id in seen:
            errors.append(f"{change.id} is changed twice: give one entry per value")
        seen.add(change.id)
        if change.parent not in (None, NONE):
            if change.parent == change.id:
                errors.append(f"{change.id}: parent {change.id} is the value itself")
            elif change.parent not in ids:
                errors.append(
                    f"{change.id}: parent '{change.parent}' is not a value of the draft "
                    f"(its ids: {known})"
                )
        if change.code not in (None, NONE) and catalog is not None and change.code not in catalog:
            errors.append(
                f"{change.id}: code '{change.code}' is not in the catalog; use a code or 'none'"
            )
    return errors


@dataclass(frozen=True)
class Grounds:
    """What a model's answer is checked against besides the draft: the report's text
    (a name must be worded by it) and kind (a monthly report states no whole year
    unless its words say so)."""

    text: str
    kind: str | None = None
    heading: str = ""  # the chunk's breadcrumb


def apply_revision(
    draft: ChunkExtraction,
    revision: ChunkRevision,
    quantities: dict[str, Any],
    catalog: Catalog,
    grounds: Grounds | None = None,
) -> tuple[ChunkExtraction, dict[str, tuple[str, ...]]]:
    """The draft with the model's changes, and per value id the fields that changed.

    What the text or the catalog says wins over the model, and the draft's field stays:
    a change that would break the extraction's contract (a parent cycle, a code whose
    unit does not fit the number's); a period the draft read from the text's own words
    ("lũy kế", "trong tháng", "so với kế hoạch"), or one the catalog rules out (a level
    at a date for a flow, a month for a stock, a whole year in a monthly report); with
    ``grounds``, a name with words that are not in the text around the value (the
    prompt asks for the name as the text words it; "lũy kế" may be added to a year to
    date)."""
    by_id = {c.id: c for c in revision.changes}
    indicators: list[Indicator] = []
    changed: dict[str, list[str]] = {}
    for ind in draft.indicators:
        change = by_id.get(ind.value_id)
        if change is None:
            indicators.append(ind)
            continue
        fields: dict[str, Any] = {}
        notes: list[str] = []
        code = ind.code
        if change.code is not None:
            proposed = None if change.code == NONE else change.code
            entry = catalog.get(proposed)
            fits = entry is None or _unit_fits(entry, quantities.get(ind.value_id))
            if proposed != ind.code and fits:
                fields["code"] = code = proposed
                notes.append("code")
        period = ind.period
        worded = ind.value_id in draft._worded_periods  # the text's words win
        if (
            change.period is not None
            and change.period != ind.period
            and not worded
            and _period_fits(change.period, catalog.get(code), grounds)
            and _period_worded(change.period, quantities.get(ind.value_id), grounds)
        ):
            fields["period"] = period = change.period
            notes.append("period")
        name = (change.name or "").strip()
        if (  # "", "-", "?": the draft's name stays
            _worded(name)
            and name != ind.name
            and _grounded(name, quantities.get(ind.value_id), period, grounds)
        ):
            fields["name"] = name
            notes.append("name")
        if change.parent is not None:
            parent = None if change.parent == NONE else change.parent
            if parent != ind.parent_id:
                fields["parent_id"] = parent
                notes.append("parent")
        if change.not_value:
            notes.append("not_value")
        candidate = ind.model_copy(update=fields)
        if fields and _breaks(candidate, indicators, draft, quantities, catalog):
            for kept in ("code", "parent"):  # the fields that can break the contract
                if kept in notes:
                    notes.remove(kept)
            fields.pop("code", None)
            fields.pop("parent_id", None)
            candidate = ind.model_copy(update=fields)
        indicators.append(candidate)
        if notes:
            changed[ind.value_id] = notes
    merged = ChunkExtraction.model_construct(indicators=_no_cycles(indicators, draft, changed))
    return merged, {k: tuple(v) for k, v in changed.items()}


_WORD = re.compile(r"\w+")
_YTD_WORDS = frozenset(fold("lũy kế").split())


def _grounded(name: str, q: Quantity | None, period: str, grounds: Grounds | None) -> bool:
    """Whether every word of ``name`` is in the text near the value or in its headings."""
    if grounds is None or q is None:
        return True
    window = grounds.text[max(0, q.start - GROUND_BEFORE) : q.end + GROUND_AFTER]
    known = set(_WORD.findall(fold(window + " " + grounds.heading)))
    if period == "ytd":
        known |= _YTD_WORDS
    return all(w in known for w in _WORD.findall(fold(name)))


def _period_fits(period: str, entry: CatalogEntry | None, grounds: Grounds | None) -> bool:
    """Whether the catalog and the report's kind allow ``period`` for the value."""
    aggregation = entry.aggregation if entry is not None else None
    if period == "as_of":
        return aggregation in {"stock", "rate"}
    if period in {"month", "ytd"}:
        return aggregation != "stock"
    if period == "year":
        return grounds is None or grounds.kind in {None, "annual"}
    return True


def _period_worded(period: str, q: Quantity | None, grounds: Grounds | None) -> bool:
    """A model's ``ytd`` or ``quarter`` needs the words of one before the value in its
    sentence ("lũy kế", "N tháng", "quý II"): in a monthly report a count with none
    ("Quyết định chủ trương đầu tư 02 dự án với tổng vốn là 143,381 tỷ đồng") is the
    month's."""
    if period not in ("ytd", "quarter") or grounds is None or q is None:
        return True
    text = grounds.text
    start = max(text.rfind(end, 0, q.start) for end in ("\n", ". ", "; "))
    return names_period(text[max(start + 1, q.start - 400) : q.start], period)


def _worded(name: str) -> bool:
    """Whether a name has a word in it (two letters at least)."""
    return sum(ch.isalpha() for ch in name) >= 2


def _unit_fits(entry: CatalogEntry, q: Quantity | None) -> bool:
    """Whether a catalog entry can be the indicator of this number, by its unit: a rate
    code for a percentage, a money code for an amount in money."""
    if q is None:
        return True
    rate = entry.unit_kind in {"percent", "index"}
    if q.kind == "percent":
        return rate
    if q.kind == "amount" and q.unit is not None:
        if rate or (entry.unit_kind == "money") != (q.unit in MONEY_UNITS):
            return False
        unit = fold(q.unit)
        if entry.unit_kind == "count" and unit in _PEOPLE_UNITS:
            return False  # "230 người" is no count of accidents ("vụ")
        if entry.unit_kind in {"people", "visitors"} and unit in _THING_UNITS:
            return False  # "08 vụ" is no number of people
    return True


_PEOPLE_UNITS = frozenset(
    fold(u) for u in ("người", "lao động", "người lao động", "lượt người", "học sinh", "hộ")
)
_THING_UNITS = frozenset(
    fold(u) for u in ("vụ", "dự án", "doanh nghiệp", "cơ sở", "hồ sơ", "công trình", "xã", "trường")
)


def _breaks(
    candidate: Indicator,
    done: list[Indicator],
    draft: ChunkExtraction,
    quantities: dict[str, Any],
    catalog: Catalog,
) -> bool:
    rest = [i for i in draft.indicators if i.value_id != candidate.value_id]
    trial = ChunkExtraction.model_construct(indicators=[*rest, candidate])
    return bool(reference_errors(trial, quantities, catalog))


def _no_cycles(
    indicators: list[Indicator], draft: ChunkExtraction, changed: dict[str, list[str]]
) -> list[Indicator]:
    """Parent links the model made that close a loop (a is part of b, b of a) go back to
    the draft's."""
    original = {i.value_id: i.parent_id for i in draft.indicators}
    parent = {i.value_id: i.parent_id for i in indicators}
    out = []
    for ind in indicators:
        seen = {ind.value_id}
        node = parent.get(ind.value_id)
        loop = False
        while node is not None:
            if node in seen:
                loop = True
                break
            seen.add(node)
            node = parent.get(node)
        if loop and "parent" in changed.get(ind.value_id, []):
            ind = ind.model_copy(update={"parent_id": original[ind.value_id]})
            changed[ind.value_id].remove("parent")
            parent[ind.value_id] = original[ind.value_id]
        out.append(ind)
    for key in [k for k, v in changed.items() if not v]:
        del changed[key]
    return out


def narrowed_revision(draft: ChunkExtraction, catalog: Catalog | None) -> type[ChunkRevision]:
    """:class:`ChunkRevision` whose JSON schema limits ids to the draft's values and codes
    to the catalog's, with ``none``: for llama.cpp, which makes the schema a grammar, so
    that what a small model can answer it can only answer right. A hosted model gets the
    plain schema (every enum would be prompt tokens to pay for; validation checks ids and
    codes either way and re-asks with the broken rule)."""
    ids = [ind.value_id for ind in draft.indicators]
    if not ids:
        return ChunkRevision
    schema = copy.deepcopy(request_base(ChunkRevision))
    fields = schema["$defs"]["Change"]["properties"]
    fields["id"]["enum"] = ids
    fields["parent"]["anyOf"][0]["enum"] = [*ids, NONE]
    if catalog is not None:
        fields["code"]["anyOf"][0]["enum"] = [*catalog.codes(), NONE]
    return request_model(ChunkRevision, schema)


def revision_schema_path(root: Path | None = None) -> Path:
    base = root or Path(__file__).resolve().parents[2] / "schemas"
    return base / f"chunk_revision.v{REVISION_VERSION}.json"


def export(path: Path | None = None) -> Path:
    """Write the JSON Schema file (run after a deliberate change of the contract)."""
    comment = (
        f"extractor chunk revision schema (hybrid backend), version {REVISION_VERSION}; "
        "generated by `python -m extractor.extraction.revision`"
    )
    return write_schema(path or revision_schema_path(), ChunkRevision.model_json_schema(), comment)


if __name__ == "__main__":
    print(export())
