#!/usr/bin/env python3
"""Checker for the period and name gold on real passages (tests/gold/periods/*.yaml).

It does not run extractor: it checks that a gold file is well formed and that every
figure it names can be found in its passage, so that annotators can check their work
without seeing the tool's output.

A gold file::

    passages: tests/relations_real/passages.txt     # from the repository root
    values:
      - {passage: P01, number: "387.236", near: "ước đạt", role: value, period: ytd,
         name: "Khách du lịch đến Cao Bằng"}
      - {passage: P01, number: "21%", near: "tăng", role: change_pct, period: ytd,
         basis: same_period, of: "387.236", name: "Khách du lịch đến Cao Bằng"}

Fields:

* ``passage``: the passage id in the passages file (``## P01 <place> | <period> <url>``).
* ``number``: the figure as printed, digits with their separators and a "%" when one
  is glued or spaced to it ("21%", "28,9 %" is written "28,9"); it must occur in the
  passage.
* ``near``: a phrase that ends at most 80 characters before the figure (the closest
  occurrence of ``number`` after it is the one meant).
* ``role``: value (a level, count, amount), change_pct / change_abs (a change in % or in
  units), index (an index such as "CPI bằng 103,2%", "đạt 105%"), rate (a rate or
  share that is itself the indicator: "tỷ lệ hộ nghèo 3,5%", "chiếm 45%"),
  plan_pct (a percentage of a plan or estimate: "đạt 97,9% kế hoạch").
* ``of``: for a change, index or plan_pct tied to a level printed beside it, the
  ``number`` of that level (same passage); null when no level is printed.
* ``basis``: for change_pct / change_abs / index: same_period (cùng kỳ), previous_period
  (tháng trước, quý trước, năm trước as the previous year's level), plan, base_year
  (năm gốc), year_start (so với đầu năm, 31/12 năm trước), other.
* ``period``: month (a flow within one month), ytd (cumulative from the start of the
  year or season: "lũy kế", "N tháng (đầu năm)", "từ đầu năm", "vụ Đông Xuân" to date),
  as_of (a stock at a date: "hiện có", "tính đến", herds, deposits, areas that exist),
  year (a whole year: "năm 2019", "cả năm"), quarter (one quarter: "quý II"), plan (a
  target or allocation: "kế hoạch", "dự toán", "chỉ tiêu"), other (a reference level of
  an earlier period printed for comparison, or none of these).
* ``name``: the indicator as an analyst would name the column: the measure's noun phrase
  with its qualifier ("Khách du lịch quốc tế", "Vốn ngân sách trung ương"), not the
  clause before the figure.
* ``date`` (optional): the reference date the text gives for a stock or a to-date figure,
  as printed ("20/02/2024", "31/12").

Usage: python3 tests/gold/periods/check.py [FILE ...]   (exit 0 = consistent)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
HEADER = re.compile(r"## ([A-Z]\d+) (.+?) \| (.+) (\S+)$")
ROLES = {"value", "change_pct", "change_abs", "index", "rate", "plan_pct"}
CHANGES = {"change_pct", "change_abs", "index"}
BASES = {"same_period", "previous_period", "plan", "base_year", "year_start", "other"}
PERIODS = {"month", "ytd", "as_of", "year", "quarter", "plan", "other"}
FIELDS = {"passage", "number", "near", "role", "period", "name", "of", "basis", "date", "code"}
WINDOW = 80


def passages(path: Path) -> dict[str, str]:
    out = {}
    for block in path.read_text("utf-8").rstrip("\n").split("\n\n"):
        head, _, body = block.partition("\n")
        m = HEADER.match(head)
        if not m:
            raise SystemExit(f"{path}: bad header {head!r}")
        out[m.group(1)] = body + "\n"
    return out


def _occurrences(text: str, number: str) -> list[int]:
    """Starts of ``number`` in ``text`` not inside a longer number."""
    out = []
    for m in re.finditer(re.escape(number), text):
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 2]
        if before.isdigit() or (before in ".," and text[m.start() - 2 : m.start() - 1].isdigit()):
            continue
        if after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit()):
            continue
        out.append(m.start())
    return out


def locate(text: str, number: str, near: str) -> int | None:
    """Where the figure is: the occurrence of ``number`` closest after ``near``."""
    best: tuple[int, int] | None = None
    for start in _occurrences(text, number):
        window = text[max(0, start - WINDOW) : start]
        pos = window.rfind(near)
        if pos < 0:
            continue
        distance = len(window) - (pos + len(near))
        if best is None or distance < best[0]:
            best = (distance, start)
    return best[1] if best else None


def check(path: Path) -> list[str]:
    errors: list[str] = []
    data = yaml.safe_load(path.read_text("utf-8"))
    texts = passages(ROOT / data["passages"])
    seen: dict[tuple[str, int], int] = {}
    periods: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for i, v in enumerate(data["values"], 1):
        where = f"{path.name} entry {i} ({v.get('passage')} {v.get('number')!r})"
        extra = set(v) - FIELDS
        if extra:
            errors.append(f"{where}: unknown fields {sorted(extra)}")
        for key in ("passage", "number", "near", "role", "period", "name"):
            if not v.get(key):
                errors.append(f"{where}: '{key}' is missing")
        if v.get("passage") not in texts:
            errors.append(f"{where}: no passage {v.get('passage')!r}")
            continue
        text = texts[v["passage"]]
        if v.get("role") not in ROLES:
            errors.append(f"{where}: role {v.get('role')!r} is not one of {sorted(ROLES)}")
        if v.get("period") not in PERIODS:
            errors.append(f"{where}: period {v.get('period')!r} is not one of {sorted(PERIODS)}")
        if v.get("role") in CHANGES and v.get("basis") not in BASES:
            errors.append(f"{where}: a change needs a basis, one of {sorted(BASES)}")
        if v.get("basis") is not None and v.get("basis") not in BASES:
            errors.append(f"{where}: basis {v.get('basis')!r} is not one of {sorted(BASES)}")
        start = locate(text, str(v.get("number")), str(v.get("near")))
        if start is None:
            errors.append(f"{where}: the number does not follow {v.get('near')!r} within {WINDOW}")
            continue
        figure = (v["passage"], start)
        if figure in seen:
            errors.append(f"{where}: the same figure as entry {seen[figure]}")
        seen[figure] = i
        if v.get("of") is not None and not _occurrences(text, str(v["of"])):
            errors.append(f"{where}: 'of' {v['of']!r} is not in the passage")
        periods[v.get("period")] += 1
        roles[v.get("role")] += 1
    passages_used = {v.get("passage") for v in data["values"]}
    print(f"{path.name}: {len(data['values'])} figures in {len(passages_used)} passages")
    print("  periods:", dict(sorted(periods.items())))
    print("  roles:", dict(sorted(roles.items())))
    return errors


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("*.yaml"))
    errors = [e for f in files for e in check(f)]
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
