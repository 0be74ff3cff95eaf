"""What the LLM returns for one chunk: indicators that *refer to quantity ids*.

The model never types a number. It names each indicator, maps it to the catalog, picks
its period, and points at tagged quantities by id: the value, the comparisons that
qualify it, and the total it is a component of. Values then come from the tagger, so
every value is grounded by construction.

Validation runs with the chunk's quantities as context (``{"quantities": {id: Quantity},
"catalog": Catalog}``); the errors are written for the model to fix them on a re-ask.

The JSON Schema of :class:`ChunkExtraction` is a reviewed contract: it is checked in as
``schemas/chunk_extraction.v{SCHEMA_VERSION}.json`` and a test fails when the model and
the file disagree. Change the model, bump SCHEMA_VERSION, regenerate with
``python -m extractor.schema``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from .catalog import Catalog
from .quantities import Quantity

Model = TypeVar("Model", bound=BaseModel)

SCHEMA_VERSION = 2
Period = Literal["month", "ytd", "as_of", "year", "quarter", "plan", "other"]
PERIODS: tuple[str, ...] = ("month", "ytd", "as_of", "year", "plan", "other")
_RATE_KINDS = {"percent", "points", "multiple"}
# The chunk a model's answer is validated against, when validation happens deep inside
# instructor. (instructor's own ``context=`` would also run Jinja over the messages,
# i.e. treat report text as a template, so it is not used.)
_SCOPE: ContextVar[dict[str, Any] | None] = ContextVar("extraction_scope", default=None)


@contextmanager
def validation_scope(quantities: dict[str, Quantity], catalog: Catalog | None) -> Iterator[None]:
    """Validate ChunkExtraction objects built inside this block against these quantities."""
    token = _SCOPE.set({"quantities": quantities, "catalog": catalog})
    try:
        yield
    finally:
        _SCOPE.reset(token)


class Indicator(BaseModel):
    """One indicator value stated in the chunk."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=2,
        description="Indicator name in Vietnamese, as the text words it "
        "(e.g. 'Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ').",
    )
    code: str | None = Field(
        description="Catalog code of the indicator, or null when no catalog entry fits."
    )
    value_id: str = Field(
        description="Id of the tagged quantity that is this indicator's value, e.g. 'q12'."
    )
    period: Period = Field(
        description="month: this month only ('trong tháng', 'tháng 9'); ytd: year or "
        "season to date ('lũy kế', 'tính chung 2 tháng', '6 tháng đầu năm', 'từ đầu năm'); "
        "as_of: a level at a date ('tính đến', 'hiện có', stocks such as herds, deposits, "
        "loans); year: a whole year ('năm 2023', 'cả năm'); quarter: one quarter ('quý II'); "
        "plan: a plan or target ('kế hoạch', 'KH', 'dự toán'); other."
    )
    comparison_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the tagged comparisons that qualify this value "
        "('tăng 5,9% so với cùng kỳ', 'bằng 18% dự toán').",
    )
    parent_id: str | None = Field(
        default=None,
        description="value_id of the total this value is a part of ('trong đó', 'gồm', a "
        "footnote 'Trong đó:'), or null.",
    )


class ChunkExtraction(BaseModel):
    """Every indicator value stated in one chunk of a report."""

    model_config = ConfigDict(extra="forbid")

    indicators: list[Indicator] = Field(description="One entry per indicator value.")
    # how the hybrid backend got it (not part of the contract the model answers):
    # per value id the fields the model changed, and "refined", or why its answer
    # failed and the rules' draft was kept
    _changed: dict[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)
    _llm: str | None = PrivateAttr(default=None)
    # the rules' draft: values whose period the text's words state ("lũy kế", "trong
    # tháng", "so với kế hoạch"), which a model's answer does not overrule
    _worded_periods: frozenset[str] = PrivateAttr(default_factory=frozenset)
    # the rules' draft: changes printed with no level ("CPI tháng 5 tăng 0,35%"), each a
    # value of its own
    _standalone: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> ChunkExtraction:
        context = info.context or _SCOPE.get() or {}
        quantities: dict[str, Quantity] | None = context.get("quantities")
        catalog: Catalog | None = context.get("catalog")
        if quantities is None:
            return self
        errors = reference_errors(self, quantities, catalog)
        if errors:
            raise ValueError("; ".join(errors))
        return self


def _show(q: Quantity) -> str:
    return f"{q.id} ('{q.text}')"


def reference_errors(
    extraction: ChunkExtraction, quantities: dict[str, Quantity], catalog: Catalog | None
) -> list[str]:
    """Every broken reference, in words a model can act on."""
    errors: list[str] = []

    def listing(what: str, ids: list[str]) -> str:
        return f"ids for {what}: " + ", ".join(ids) if ids else f"it has no id for {what}"

    values = listing("a value", [i for i, q in quantities.items() if value_eligible(q)])
    comparisons = listing(
        "a comparison", [i for i, q in quantities.items() if comparison_eligible(q)]
    )
    used: dict[str, str] = {}
    for ind in extraction.indicators:
        label = f"indicator '{ind.name}'"
        q = quantities.get(ind.value_id)
        if q is None:
            errors.append(
                f"{label}: value_id '{ind.value_id}' is not a quantity of this chunk ({values})"
            )
        else:
            entry = catalog.get(ind.code) if catalog and ind.code else None
            is_change = q.comparison is not None and q.comparison.direction not in {"reach"}
            rate_code = entry is not None and entry.unit_kind in ("percent", "index")
            standalone = ind.value_id in extraction._standalone
            if q.kind in _RATE_KINDS and is_change and not rate_code and not standalone:
                errors.append(
                    f"{label}: value_id {_show(q)} is a change or ratio, not a value; use the "
                    f"id of the amount it qualifies as value_id and put {q.id} in comparison_ids"
                )
            if ind.value_id in used:
                errors.append(
                    f"{_show(q)} is the value of two indicators ('{used[ind.value_id]}'"
                    f" and '{ind.name}'); each quantity is the value of at most one"
                )
            used[ind.value_id] = ind.name
        if catalog is not None and ind.code is not None and ind.code not in catalog:
            errors.append(
                f"{label}: code '{ind.code}' is not in the catalog; use a catalog code or null"
            )
        for cid in ind.comparison_ids:
            c = quantities.get(cid)
            if c is None:
                errors.append(
                    f"{label}: comparison id '{cid}' is not a quantity of this chunk "
                    f"({comparisons})"
                )
            elif cid == ind.value_id:
                errors.append(f"{label}: {cid} is both its value and a comparison")
            elif c.comparison is None and c.kind not in _RATE_KINDS:
                errors.append(
                    f"{label}: comparison id {_show(c)} is not a comparison (no "
                    f"tăng/giảm/bằng/đạt/vượt/gấp before it)"
                )
        if ind.parent_id is not None:
            if ind.parent_id not in quantities:
                errors.append(
                    f"{label}: parent_id '{ind.parent_id}' is not a quantity of this "
                    f"chunk ({values})"
                )
            elif ind.parent_id == ind.value_id:
                errors.append(f"{label}: parent_id is its own value_id")
    return errors


def value_eligible(q: Quantity) -> bool:
    """Can ``q`` be an indicator's value? Everything but a change or ratio percentage."""
    return not (
        q.kind in _RATE_KINDS and q.comparison is not None and q.comparison.direction != "reach"
    )


def comparison_eligible(q: Quantity) -> bool:
    return q.comparison is not None or q.kind in _RATE_KINDS


def request_model(base: type[Model], schema: dict[str, Any]) -> type[Model]:
    """``base`` (a response model) whose JSON schema is ``schema``, one chunk's narrowed
    request schema.

    A class per chunk, because instructor asks the response model for its schema
    (``model_json_schema()``); the schema is built once by the caller rather than
    generated by pydantic for a per-chunk model (2.6 ms a chunk, which showed in a
    batch). Validation is ``base``'s own."""

    def model_json_schema(cls: type[Model], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            raise TypeError(
                "a chunk's request schema exists in its default form only "
                f"(use {base.__name__}.model_json_schema for other forms)"
            )
        return copy.deepcopy(schema)  # callers may write into it

    namespace = {"__doc__": None, "model_json_schema": classmethod(model_json_schema)}
    return type(base.__name__, (base,), namespace)


def narrowed_model(
    quantities: dict[str, Quantity], catalog: Catalog | None
) -> type[ChunkExtraction]:
    """:class:`ChunkExtraction` whose JSON schema is :func:`narrowed_schema` (the plain
    ChunkExtraction when the chunk has no value to refer to)."""
    schema = narrowed_schema(quantities, catalog)
    if schema is None:
        return ChunkExtraction
    return request_model(ChunkExtraction, schema)


def narrowed_schema(
    quantities: dict[str, Quantity], catalog: Catalog | None
) -> dict[str, Any] | None:
    """The JSON schema sent for one chunk: ChunkExtraction's, with ids and codes narrowed
    to enums (None when the chunk has no quantity that can be a value).

    Sent as the request schema, so that grammar-constrained decoding (llama.cpp) and
    structured outputs (OpenAI) cannot produce an id outside the chunk, a change as a
    value or a non-comparison among comparisons: ``value_id`` and ``parent_id`` are
    among the value-eligible ids, ``comparison_ids`` among the comparison-eligible ids
    (at most that many), ``code`` among the catalog's codes; a single choice is a
    ``const``. The enums are in the schema only: the answer is validated against the
    chunk by the same contract as a plain ChunkExtraction, whose errors are written for
    a re-ask.
    """
    values = [i for i, q in quantities.items() if value_eligible(q)]
    comparisons = [i for i, q in quantities.items() if comparison_eligible(q)]
    if not values:
        return None
    schema = copy.deepcopy(request_base(ChunkExtraction))
    fields = schema["$defs"]["Indicator"]["properties"]
    _choices(fields["value_id"], values)
    _choices(fields["parent_id"]["anyOf"][0], values)
    if comparisons:
        _choices(fields["comparison_ids"]["items"], comparisons)
    _set(fields["comparison_ids"], "maxItems", len(comparisons))
    if catalog is not None:
        _choices(fields["code"]["anyOf"][0], list(catalog.codes()))
    return schema


@cache
def request_base(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s schema without its models' descriptions, which a request schema has
    never carried (its per-chunk models have no docstring): recorded requests stay
    byte-identical."""
    schema = model.model_json_schema()
    del schema["description"]
    for definition in schema.get("$defs", {}).values():
        definition.pop("description", None)
    return schema


def _choices(node: dict[str, Any], values: list[str]) -> None:
    """``values`` as the choices of a string schema ``node`` (the schema a Literal type
    has: a const for a single value)."""
    if len(values) == 1:
        _set(node, "const", values[0])
    else:
        _set(node, "enum", values)


def _set(node: dict[str, Any], key: str, value: Any) -> None:
    """Sets ``key`` keeping the node's keys sorted, as pydantic writes them."""
    node[key] = value
    ordered = sorted(node.items())
    node.clear()
    node.update(ordered)


def json_schema() -> dict[str, Any]:
    return ChunkExtraction.model_json_schema()


def schema_path(root: Path | None = None) -> Path:
    base = root or Path(__file__).resolve().parent.parent / "schemas"
    return base / f"chunk_extraction.v{SCHEMA_VERSION}.json"


def write_schema(target: Path, schema: dict[str, Any], comment: str) -> Path:
    """A reviewed contract's JSON Schema file, with a ``$comment`` saying what made it."""
    document = {"$comment": comment, **schema}
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def export(path: Path | None = None) -> Path:
    """Write the JSON Schema file (run after a deliberate schema change)."""
    comment = (
        f"extractor chunk extraction schema, version {SCHEMA_VERSION}; "
        "generated by `python -m extractor.schema`"
    )
    return write_schema(path or schema_path(), json_schema(), comment)


if __name__ == "__main__":
    print(export())
