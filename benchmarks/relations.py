"""Recall and precision of the relation finders, and how the checks do on them.

    python benchmarks/relations.py [--verbose]

Annotated sets (tests/relation_scoring.py matches found relations to them):

* the real development set (tests/relations_real/: 34 passages copied from public pages
  of 18 provinces, 80 relations, the source's own errors, 15 planted one-digit errors
  in a copy, 76 traps): the main set, scored as issue 19 counts;
* more real passages collected for this project (tests/relations_collected/batch_a to
  batch_f: 163 passages from every region, C to F with planted copies), scored the same
  way, each batch and all six together;
* the four sample reports against their gold (tests/gold/relations/), per report and
  per kind of relation;
* the synthetic development set (tests/relations_dev/: 48 passages in other provinces'
  phrasing, 171 relations, 12 deliberate errors);
* our own passages (tests/relations_own/: 66 passages, 82 relations, 8 errors).

For the real sets: of the relations that hold, how many are found and checked (by
kind); the source's robust errors failing as errors; failures only rounding explains
reported as errors (should be none); false errors (an error on a relation that holds,
or on one the text does not state); warnings on relations that hold; traps
(nonrelations.jsonl) a found relation ties; the plants caught as errors; and the skipped
checks by reason. Targets (issue 19, real development set): at least 90% of the
holding relations checked, every robust error an error, at least 13 of 15 plants
caught as errors, at most 1 false error, no trap tied.

For the synthetic sets and the samples: relations in the gold, found, matched; recall
and precision; holding relations checked; errors failing; false alarms (a failing check
on a relation that holds or is not in the gold). Targets: samples recall and precision
>= 0.95 with no holding relation failing; synthetic set >= 147 of 159 holding relations
checked, every deliberate error failing, at most 1 false error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.relation_scoring import (  # noqa: E402
    COLLECTED,
    DEV,
    OWN,
    REAL,
    RealScore,
    Score,
    score_devset,
    score_real,
    score_sample,
)

SAMPLES = ("lai-chau-2021-01", "lai-chau-2023-annual", "lai-chau-2024-02", "lao-cai-2024-02")
KINDS = ("sum", "ytd", "shares", "ratio", "change")
REAL_KINDS = ("sum", "ytd", "shares", "ratio", "change", "product", "quotient")


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


def real_lines(s: RealScore, verbose: bool) -> list[str]:
    share = s.holding_checked / s.holding if s.holding else 1.0
    out = [
        f"  holding relations checked {s.holding_checked}/{s.holding} ({share:.1%})",
        "    by kind: "
        + ", ".join(
            f"{k} {s.by_kind_checked[k]}/{s.by_kind[k]}" for k in REAL_KINDS if s.by_kind[k]
        ),
        f"  source errors flagged as errors {s.robust_flagged}/{s.robust}; rounding-level "
        f"failures reported as errors {len(s.rounding_errors)}/{s.rounding}",
        f"  false errors {len(s.false_errors)}; warnings on relations that hold "
        f"{len(s.false_warnings)}; traps tied {len(s.traps_tied)}/{s.traps}; relations "
        f"found {s.found}",
    ]
    if s.plants:
        out.append(
            f"  planted errors caught as errors {s.plants_caught}/{s.plants} (as warnings "
            f"{len(s.plants_warned)}); false errors on the planted copy "
            f"{len(s.planted_false_errors)}"
        )
    out.append(
        "  skipped checks: " + ", ".join(f"{reason} {n}" for reason, n in s.skipped.most_common())
    )
    if verbose:
        for name in (
            "missed",
            "false_errors",
            "rounding_errors",
            "false_warnings",
            "traps_tied",
            "plants_warned",
            "plants_missed",
            "planted_false_errors",
        ):
            out += [f"    {name}: {x}" for x in getattr(s, name)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    t0 = time.perf_counter()
    collected = []
    for title, folder in (
        ("real development set", REAL),
        *((f"collected real passages, {b.name}", b) for b in COLLECTED),
    ):
        print(f"{title} ({folder.relative_to(ROOT)})")
        score = score_real(folder)
        if folder in COLLECTED:
            collected.append(score)
        for row in real_lines(score, args.verbose):
            print(row)
        print()
    print(f"collected real passages, all {len(collected)} batches")
    for row in real_lines(RealScore.combined(collected), verbose=False):
        print(row)
    print()
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
