"""The model's parent links as relations, checked against the text's structure.

In the hybrid backend a model may say that a value is part of another ("đàn bò" part of
"tổng đàn gia súc"). The relations stage reads the same statements from the text's
structure (trong đó, bao gồm, lists, brackets). The two are compared here:

* the structure states a breakdown of the same total with the same or more parts: the
  model agrees, nothing is added (the structure's relation is checked);
* the structure says something else (another total for a part, other parts for this
  total): structure wins, and the disagreement is a skipped ``llm_link`` check naming
  both readings, for a reviewer;
* the structure says nothing: the model's link becomes a partial ``sum`` relation with
  origin ``llm``, parts ≤ total (a model's links never say that the list is complete).

Operands are made from the facts alone (their printed characters), so a batch can do
this after its workers, without the documents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..lexicon import family
from ..numbers import NUMBER_TOKEN, parse_number
from ..records import Fact
from ..relations.relation_records import Cue, Gap, Operand, Relation, Role

RULE = "llm_link"
_NUMBER = re.compile(NUMBER_TOKEN)


def _operand(fact: Fact, role: Role) -> Operand | None:
    m = _NUMBER.search(fact.text)
    if m is None:
        return None
    try:
        parsed = parse_number(m.group())
    except ValueError:
        return None
    return Operand(
        role=role,
        quantity=fact.quantity_id,
        text=fact.text,
        start=fact.start,
        end=fact.end,
        value=parsed.value,
        decimals=parsed.decimals,
        scale=fact.scale,
        unit=fact.unit,
        fact=fact.id,
    )


def _key(relation: Relation, operand: Operand) -> tuple[str, str]:
    return relation.id.split(":", 1)[0], operand.quantity


def model_links(
    facts: Iterable[Fact], relations: Iterable[Relation]
) -> tuple[list[Relation], list[Gap]]:
    """Relations (origin ``llm``) for the parent links a model made that the structure
    does not state, and a gap (rule ``llm_link``) for each link the structure
    contradicts. Links the rules made are not the model's and are left out."""
    facts = list(facts)
    by_id = {f.id: f for f in facts}
    kids: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if "parent" in f.changed_by_llm and f.parent in by_id:
            kids[f.parent].append(f)
    if not kids:
        return [], []
    parts_of: dict[tuple[str, str], set[str]] = defaultdict(set)  # total -> its parts
    totals_of: dict[tuple[str, str], set[str]] = defaultdict(set)  # part -> its totals
    for r in relations:
        if r.kind != "sum" or r.origin != "structure":
            continue
        for total in r.role("total"):
            for part in r.role("part"):
                parts_of[_key(r, total)].add(part.quantity)
                totals_of[_key(r, part)].add(total.quantity)
    out: list[Relation] = []
    gaps: list[Gap] = []
    for n, (parent_id, children) in enumerate(sorted(kids.items()), 1):
        parent = by_id[parent_id]
        prefix = parent.id.split(":", 1)[0]
        cue = Cue(parent.text, parent.start, parent.end)
        operands = [_operand(f, "total" if f is parent else "part") for f in [parent, *children]]
        if any(o is None for o in operands):
            continue
        ops = tuple(o for o in operands if o is not None)
        mine = sorted(f.quantity_id for f in children)
        stated = parts_of.get((prefix, parent.quantity_id), set())
        elsewhere = {
            f.quantity_id: others
            for f in children
            if (others := totals_of.get((prefix, f.quantity_id), set()) - {parent.quantity_id})
        }
        if elsewhere or (stated and not set(mine) <= stated):
            text = ", ".join(
                [
                    f"the text makes {q} a part of {', '.join(sorted(t))}"
                    for q, t in elsewhere.items()
                ]
                + ([f"the text lists {', '.join(sorted(stated))} as its parts"] if stated else [])
            )
            reason = (
                f"the model links {', '.join(mine)} as parts of {parent.quantity_id}; {text}: "
                "the text's structure is checked, not the model's link"
            )
            gaps.append(Gap(parent.doc, RULE, cue, reason, ops))
            continue
        if stated:
            continue  # the structure states it too: its relation is the one checked
        if parent.unit == "%" or {family(f.unit) for f in children} != {family(parent.unit)}:
            reason = (
                "parts in different units"
                if parent.unit != "%"
                else ("the model links percentages as parts: they do not add up")
            )
            gaps.append(Gap(parent.doc, RULE, cue, reason, ops))
            continue
        out.append(
            Relation(
                id=f"{prefix}:L{n}",
                doc=parent.doc,
                kind="sum",
                operands=ops,
                cue=cue,
                origin="llm",
                complete=False,
                note="parts linked by the model, not by the text's words: parts <= total",
                tags=(RULE,),
            )
        )
    return out, gaps
