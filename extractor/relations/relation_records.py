"""Relations: what a report states between its numbers, as records.

A relation says which printed numbers are meant to stand in which arithmetic: these add
up to that one, this percentage is of that figure, this is the year to date of that
month. The numbers are operands, each with its role, the quantity it is (and the fact,
when a backend made one of it), its characters and how it was printed, so that a check
is arithmetic over the record alone: no text is read again.

    kind     roles                                   checks
    sum      total, part...                          complete: parts = total;
                                                     partial: parts <= total
    ytd      total (the period to date), part...    complete: previous ytd + month, or
             (the months, or previous ytd + month)   its months = total; partial:
                                                     total >= the month
    shares   part... (percentages of one whole)      parts = 100
    ratio    numerator, denominator, stated          numerator / denominator = stated %
                                                     (form "exceed": the part over 100);
             or numerator, total, stated             numerator / (total - numerator)
    change   value, reference, stated                form percent: value / reference - 1
                                                     = stated %; absolute, points:
                                                     value - reference = stated;
                                                     multiple: value / reference = stated;
                                                     a direction "-" makes it negative;
             or value, total, stated                 the reference is total - value
             or value, delta, stated                 the absolute change printed beside its
                                                     percentage: the reference is value -
                                                     delta ("-": value + delta)
    product  factor, factor, total                   factor x factor = total (yield x area
                                                     = output; tạ is a tenth of a tấn)
    quotient numerator, denominator, stated          numerator / denominator = stated (an
                                                     average: "bình quân ... một doanh nghiệp")

A relation is ``certain`` when its words leave one reading: the whole is the one the
sentence names, the units and magnitudes fit, and no other reading of the same cue
holds. A relation read from proximity (the nearest total, a figure a sentence away) is
not: its failure is a warning that gives the reading in words (``note``), never an
error.

JSON Lines (``relations.jsonl``), one relation per line: ``id, doc, kind, complete,
form, direction, origin, certain, cue {text, start, end}, operands [{role, quantity,
fact, text, start, end, value, decimals, scale, unit, hedge, component}], note, tags``.

A :class:`Gap` is a statement a finder recognised but could not make a relation of (a
change whose reference is not printed): the validators report it as a skipped check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args

from ..errors import ConfigError
from ..records import jsonl_records, one_of
from ..writers import write_jsonl

Kind = Literal["sum", "ytd", "shares", "ratio", "change", "product", "quotient"]
"""What a relation states: parts make a total (``sum``), months make the year to date
(``ytd``), shares of one whole make 100% (``shares``), a share or plan ratio is x / y
(``ratio``), a change against a reference (``change``), x × y (``product``), x / y printed
as a quotient (``quotient``)."""
Role = Literal[
    "total", "part", "numerator", "denominator", "stated", "value", "reference", "delta", "factor"
]
"""What a number is in its relation."""
KINDS: tuple[Kind, ...] = get_args(Kind)
ROLES: tuple[Role, ...] = get_args(Role)
ORIGINS = ("structure", "llm", "rules")
HEDGES = ("khoảng", "xấp xỉ", "gần", "hơn", "trên", "dưới")


@dataclass(frozen=True)
class Operand:
    """One printed number in a relation."""

    role: Role
    quantity: str  # the tagged quantity's id in its document ("q17")
    text: str  # the characters as printed ("1,37 triệu lượt")
    start: int  # offsets in the cleaned text
    end: int
    value: Decimal  # the printed number ("1,37" -> 1.37; for a fraction's denominator, y)
    decimals: int  # digits printed after the decimal mark
    scale: int  # its scale word's multiplier (triệu: 1e6)
    unit: str | None
    fact: str | None = None  # the fact whose value this is, when there is one
    hedge: str | None = None  # "khoảng", "gần", "hơn", ...: not meant exactly
    component: str | None = None  # "numerator"/"denominator" of a printed fraction x/y

    @property
    def absolute(self) -> Decimal:
        return self.value * self.scale

    def record(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "quantity": self.quantity,
            "fact": self.fact,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": str(self.value),
            "decimals": self.decimals,
            "scale": self.scale,
            "unit": self.unit,
            "hedge": self.hedge,
            "component": self.component,
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Operand:
        return cls(
            role=one_of(rec["role"], ROLES, "role"),
            quantity=str(rec["quantity"]),
            text=str(rec["text"]),
            start=int(rec["start"]),
            end=int(rec["end"]),
            value=Decimal(str(rec["value"])),
            decimals=int(rec["decimals"]),
            scale=int(rec["scale"]),
            unit=rec.get("unit"),
            fact=rec.get("fact"),
            hedge=rec.get("hedge"),
            component=rec.get("component"),
        )


@dataclass(frozen=True)
class Cue:
    """The words that state a relation ("trong đó", "chiếm 30,5%", "lũy kế 7 tháng")."""

    text: str
    start: int
    end: int

    def record(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Relation:
    """An arithmetic statement of the report between printed numbers (its operands), with
    the words that state it (its cue); the validators check it."""

    id: str  # "<doc sha256 prefix>:R7"
    doc: str
    kind: Kind
    operands: tuple[Operand, ...]
    cue: Cue
    origin: str = "structure"  # structure (from the text), llm (proposed by a model), rules
    complete: bool | None = None  # sum and ytd: are the parts meant to make the whole?
    form: str | None = None  # change: percent, absolute, multiple, points; ratio: exceed
    direction: str | None = None  # change: "+" (tăng, cao hơn, vượt) or "-" (giảm)
    note: str | None = None  # why it was read so ("'trong đó': some of the parts")
    tags: tuple[str, ...] = field(default=())  # how it was found, for coverage counts
    certain: bool = True  # one reading only; False: a failure is a warning (see above)

    def role(self, name: Role) -> list[Operand]:
        return [o for o in self.operands if o.role == name]

    def one(self, name: Role) -> Operand | None:
        found = self.role(name)
        return found[0] if found else None

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "kind": self.kind,
            "complete": self.complete,
            "form": self.form,
            "direction": self.direction,
            "origin": self.origin,
            "cue": self.cue.record(),
            "operands": [o.record() for o in self.operands],
            "note": self.note,
            "tags": list(self.tags),
            "certain": self.certain,
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Relation:
        cue = rec.get("cue") or {}
        return cls(
            id=str(rec["id"]),
            doc=str(rec.get("doc") or ""),
            kind=one_of(rec["kind"], KINDS, "kind"),
            operands=tuple(Operand.from_record(o) for o in rec.get("operands") or ()),
            cue=Cue(
                str(cue.get("text") or ""), int(cue.get("start") or 0), int(cue.get("end") or 0)
            ),
            origin=str(rec.get("origin") or "structure"),
            complete=rec.get("complete"),
            form=rec.get("form"),
            direction=rec.get("direction"),
            note=rec.get("note"),
            tags=tuple(rec.get("tags") or ()),
            certain=bool(rec.get("certain", True)),
        )


@dataclass(frozen=True)
class Gap:
    """A statement a finder recognised but could not make a relation of."""

    doc: str
    rule: str  # the check it would have been ("parts_sum", "ratio", "change_percent"...)
    cue: Cue
    reason: str  # "reference value not printed", "parts in different units", ...
    operands: tuple[Operand, ...]  # the numbers it was about

    def record(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "rule": self.rule,
            "cue": self.cue.record(),
            "reason": self.reason,
            "operands": [o.record() for o in self.operands],
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Gap:
        cue = rec.get("cue") or {}
        return cls(
            doc=str(rec.get("doc") or ""),
            rule=str(rec["rule"]),
            cue=Cue(
                str(cue.get("text") or ""), int(cue.get("start") or 0), int(cue.get("end") or 0)
            ),
            reason=str(rec.get("reason") or ""),
            operands=tuple(Operand.from_record(o) for o in rec.get("operands") or ()),
        )


def attach_facts(relations: Iterable[Relation], fact_ids: Iterable[str]) -> list[Relation]:
    """``relations`` with each operand's fact id set when a fact is that quantity (fact
    ids are "<doc sha256 prefix>:<quantity id>", like relation ids)."""
    known = set(fact_ids)
    out = []
    for r in relations:
        prefix = r.id.split(":", 1)[0]
        operands = tuple(
            replace(o, fact=fid if (fid := f"{prefix}:{o.quantity}") in known else None)
            for o in r.operands
        )
        out.append(replace(r, operands=operands))
    return out


def write_relations(relations: Iterable[Relation], path: str | Path) -> int:
    """``relations.jsonl``: one relation per line; returns how many."""
    return write_jsonl((r.record() for r in relations), path)


_RELATIONS_HINT = "give the relations.jsonl written by extractor extract --relations or a batch"


def read_relations(paths: Iterable[str | Path]) -> list[Relation]:
    """Relations from ``relations.jsonl`` files (``extract --relations`` or a batch)."""
    out = []
    for where, rec in jsonl_records(paths, "relations", _RELATIONS_HINT):
        try:
            out.append(Relation.from_record(rec))
        except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
            raise ConfigError(
                f"{where} is not a relation record ({exc}): {_RELATIONS_HINT}"
            ) from exc
    return out
