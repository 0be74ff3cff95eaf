"""Relations read from the structure of the text, whatever backend named the values.

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
:mod:`.periods`,
and share :mod:`.found`. A relation a finder reads from nearness or from the fit of
its numbers rather than from the words is marked unsure (``certain`` false): its
failure is a warning that gives the reading.

What a finder sees but cannot form (a change whose reference is not printed, a plan
share whose plan is nowhere, a breakdown whose parts are in other units) becomes a
:class:`Gap`, reported as a skipped check, so coverage is visible.
"""

from __future__ import annotations

from .breakdowns import find_breakdowns, find_footnote_breakdowns
from .changes import find_changes, find_plan_ratios
from .found import Found
from .periods import find_periods, find_periods_apart
from .reading import Passage
from .shares import find_shares_of, find_structure_sentences, find_structures
from .sides import (
    find_implicit_sums,
    find_season_in_year,
    find_side_after,
    find_sides_apart,
    find_trade_balance,
)

__all__ = ["Found", "find_all"]


def find_all(passages: list[Passage], found: Found) -> None:
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
