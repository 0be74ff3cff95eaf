"""Relations: every arithmetic statement of a report, found in one stage.

    found = find_relations(doc, facts)
    found.relations   # Relation records (records.py): kind, operands with roles, cue
    found.gaps        # statements recognised but not formed, with the reason

The finders (:mod:`.finders`) read the text around the tagged numbers (:mod:`.reading`),
whatever backend named the indicators; facts only lend their ids to the operands. The
validators (:mod:`extractor.validation`) then do arithmetic over these records alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..document import Document
from .finders import Found, find_all
from .reading import read_passages
from .records import (
    KINDS,
    Cue,
    Gap,
    Operand,
    Relation,
    attach_facts,
    read_relations,
    write_relations,
)

__all__ = [
    "KINDS",
    "Cue",
    "FoundRelations",
    "Gap",
    "Operand",
    "Relation",
    "attach_facts",
    "find_relations",
    "read_relations",
    "write_relations",
]


@dataclass
class FoundRelations:
    relations: list[Relation]
    gaps: list[Gap]


def find_relations(doc: Document, fact_ids: Iterable[str] = ()) -> FoundRelations:
    """The relations ``doc`` states. ``fact_ids`` are the ids of the facts a backend
    made ("<doc>:q17"): an operand that is a fact's value carries its id."""
    found = Found(doc)
    find_all(read_passages(doc), found)
    return FoundRelations(attach_facts(found.relations, fact_ids), found.gaps)
