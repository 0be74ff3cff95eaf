"""Relations: every arithmetic statement of a report, found in one stage.

    found = find_relations(doc, facts)
    found.relations   # Relation records (relation_records.py): kind, operands with roles, cue
    found.gaps        # statements recognised but not formed, with the reason

The finders read the text around the tagged numbers (:mod:`.reading`), whatever backend
named the indicators; facts only lend their ids to the operands. The validators
(:mod:`extractor.validation`) then do arithmetic over these records alone.

Each finder looks for one way reports state arithmetic and builds relation records
from the numbers it finds in their places:

* :func:`find_changes`: "tăng X% so với cùng kỳ (cùng kỳ đạt Y)", "gấp N lần ... (Y)",
  "giảm 30 doanh nghiệp so với tháng trước (Y)", "cao hơn X điểm phần trăm ... (Y%)",
  "bằng X% so với năm trước (Y)", "25.500 tỉ đồng (năm 2023 là 16.405 tỉ đồng), tăng
  55,4%": a change or ratio against a printed reference; "tăng 0,85 tạ/ha (+1,4%)",
  "(tương đương 1.775 ha)": an absolute change with its percentage;
* :func:`find_plan_ratios`: "đạt X% kế hoạch (Y)", "bằng X% dự toán", "vượt X% KH",
  the plan printed in brackets, in the clause, or earlier (or in a paragraph around)
  and matched by its name;
* :func:`find_shares_of`: "chiếm X% GRDP", "chiếm X% tổng số trường (Y)", "tỷ lệ bao
  phủ đạt X% dân số (Y)", "x/y ... đạt z%", "z% (x/y)", "bằng 67,57% (-600 ha)"; shares
  whose whole is not named, against the one figure most of them fit (unsure);
* :func:`find_breakdowns`: a total and its parts after "trong đó", "trong số này", "bao
  gồm", "gồm (có)", "cụ thể", "chia ra", in brackets right after the total, in a
  paragraph opening with "Trong đó"; complete or partial from the cue words, the list's
  shape and the wholes reports split the same way (:mod:`.wholes`);
* :func:`find_footnote_breakdowns`: in the footnote whose marker is glued to the total;
* :func:`find_periods`: this month, the year to date and the previous year to date of
  one measure in a paragraph; :func:`find_periods_apart`: in blocks of one period
  side by side;
* :func:`find_structures`: shares of one whole ("Cơ cấu kinh tế: A x%; B y%; ...");
* :func:`find_implicit_sums`: totals stated without a list word ("Tổng vốn FDI cấp mới
  và tăng thêm đạt ...", two complementary figures after their total);
  :func:`find_sides_apart`: the two sides of a whole stated apart after their total;
  :func:`find_side_after`: one side printed right after its total;
  :func:`find_season_in_year`: a crop season within the whole year;
* :func:`find_trade_balance`: exports = imports + the surplus ("xuất siêu").

They live in :mod:`.breakdowns`, :mod:`.sides`, :mod:`.changes`, :mod:`.shares` and
:mod:`.year_to_date`, and share :mod:`.collector` (what is found so far) and
:mod:`.nearby` (how numbers are read against each other). A relation a finder reads
from nearness or from the fit of its numbers rather than from the words is marked
unsure (``certain`` false): its failure is a warning that gives the reading.

What a finder sees but cannot form (a change whose reference is not printed, a plan
share whose plan is nowhere, a breakdown whose parts are in other units) becomes a
:class:`Gap`, reported as a skipped check, so coverage is visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..document import Document
from .breakdowns import find_breakdowns, find_footnote_breakdowns
from .changes import find_changes, find_plan_ratios
from .collector import Collector
from .reading import Passage, read_passages
from .relation_records import (
    KINDS,
    Cue,
    Gap,
    Operand,
    Relation,
    attach_facts,
    read_relations,
    write_relations,
)
from .shares import find_shares_of, find_structure_sentences, find_structures
from .sides import (
    find_implicit_sums,
    find_season_in_year,
    find_side_after,
    find_sides_apart,
    find_trade_balance,
)
from .year_to_date import find_periods, find_periods_apart

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
    """What :func:`find_relations` returns: the relations a report states, and the gaps (what
    was seen but could not be formed, with the reason)."""

    relations: list[Relation]
    gaps: list[Gap]


def find_relations(doc: Document, fact_ids: Iterable[str] = ()) -> FoundRelations:
    """The relations ``doc`` states. ``fact_ids`` are the ids of the facts a backend
    made ("<doc>:q17"): an operand that is a fact's value carries its id."""
    found = Collector(doc)
    find_all(read_passages(doc), found)
    return FoundRelations(attach_facts(found.relations, fact_ids), found.gaps)


def find_all(passages: list[Passage], found: Collector) -> None:
    """Every finder over every passage, in the order their results feed each other:
    breakdowns first (their parts are not months or shares of anything else), the
    footnote breakdowns before the shares (a footnote names a whole)."""
    found.passages = passages
    for finder in (find_breakdowns, find_changes, find_plan_ratios):
        for p in passages:
            finder(p, found)
    find_footnote_breakdowns(found.doc, passages, found)
    for finder in (
        find_shares_of,
        find_periods,
        find_structures,
        find_structure_sentences,
        find_implicit_sums,
    ):
        for p in passages:
            finder(p, found)
    find_periods_apart(passages, found)
    find_trade_balance(passages, found)
    find_sides_apart(passages, found)
    for p in passages:
        find_side_after(p, found)
        find_season_in_year(p, found)
