"""Recall and precision of the relation finders, and how the checks do on them.

    python benchmarks/relations.py [--verbose]

Three annotated sets (tests/relation_scoring.py matches found relations to them):

* the four sample reports against their gold (tests/gold/relations/), per report and
  per kind of relation;
* the development set (tests/relations_dev/: 48 passages in other provinces'
  phrasing, 171 relations, 12 deliberate errors);
* our own passages (tests/relations_own/: 66 passages, 82 relations, 8 errors).

For each: relations in the gold, found, matched; recall (gold found) and precision
(found in the gold); of the relations that hold, how many were found and checked; of
the ones that do not, how many fail; false alarms (a check that fails on a relation
that holds, or on one not in the gold). Targets (issue 12): samples recall and
precision >= 0.95 with no holding relation failing as an error; dev set >= 90% of the
holding relations found and checked, every deliberate error failing, at most 2 false
alarms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.relation_scoring import (  # noqa: E402
    DEV,
    OWN,
    Score,
    score_devset,
    score_sample,
)

SAMPLES = ("lai-chau-2021-01", "lai-chau-2023-annual", "lai-chau-2024-02", "lao-cai-2024-02")
KINDS = ("sum", "ytd", "shares", "ratio", "change")


def line(name: str, s: Score) -> str:
    return (
        f"{name:22} gold {s.gold:4}  found {s.found:4}  matched {s.matched:4}  "
        f"recall {s.recall:.3f}  precision {s.precision:.3f}  "
        f"holding checked {s.holding_found}/{s.holding}  "
        f"errors failing {s.errors_caught}/{s.errors}  false alarms {len(s.false_alarms)}"
    )


def kinds(s: Score) -> list[str]:
    out = []
    for kind in KINDS:
        if not s.by_kind[kind] and not s.found_by_kind[kind]:
            continue
        recall = s.by_kind_found[kind] / s.by_kind[kind] if s.by_kind[kind] else 1.0
        precision = s.by_kind_found[kind] / s.found_by_kind[kind] if s.found_by_kind[kind] else 1.0
        out.append(
            f"    {kind:7} gold {s.by_kind[kind]:4}  found {s.found_by_kind[kind]:4}  "
            f"recall {recall:.3f}  precision {precision:.3f}"
        )
    return out


def details(s: Score) -> list[str]:
    out = [f"    missed: {m}" for m in s.missed]
    out += [f"    not in the gold: {m}" for m in s.extra]
    out += [f"    FALSE ALARM: {m}" for m in s.false_alarms]
    out += [f"    severity: {m}" for m in s.severity_mismatches]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    t0 = time.perf_counter()
    total = Score()
    print("sample reports (tests/gold/relations)")
    for name in SAMPLES:
        s = score_sample(name)
        print(line(name, s))
        for row in kinds(s) + (details(s) if args.verbose else []):
            print(row)
        for field in ("gold", "found", "matched", "correct", "holding", "holding_found"):
            setattr(total, field, getattr(total, field) + getattr(s, field))
        total.errors += s.errors
        total.errors_caught += s.errors_caught
        total.false_alarms += s.false_alarms
    print(line("all four", total))
    for title, folder in (("development set", DEV), ("own passages", OWN)):
        s = score_devset(folder)
        print(f"\n{title} ({folder.relative_to(ROOT)})")
        print(line(folder.name, s))
        for row in kinds(s) + (details(s) if args.verbose else []):
            print(row)
    print(f"\ntime: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
