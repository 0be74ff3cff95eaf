"""Periods, names, catalog coverage and stated figures on real passages, per gold set.

    python benchmarks/periods.py [--misses] [FILE ...]

Gold: tests/gold/periods/*.yaml (tests/gold/periods/check.py documents the format), on
real passages of other provinces. The rules backend reads every passage as a user's
file (no metadata given). Columns: figures annotated; present (share of the figures
that are a fact's value or one of its comparisons; then per role); period accuracy over
the figures that are a fact's value, strict and with as_of/ytd as one; name overlap
(syllable F1); catalog coverage (facts with a code / facts). Targets (issue 21): period
>= 0.90 strict and >= 0.95 merged on the development gold; aims on unseen passages:
period >= 0.85, name overlap >= 0.55, >= 0.95 of the figures of every role present.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.period_scoring import ROLES_ORDER, gold_files, pooled, score_file  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    files = args.files or gold_files()
    print(
        "| gold | figures | present | "
        + " | ".join(ROLES_ORDER)
        + " | period strict | period merged | name overlap | coverage |"
    )
    print("|---" * (len(ROLES_ORDER) + 8) + "|")
    scores = [score_file(path) for path in files]
    for s in [*scores, *([pooled(scores)] if len(scores) > 1 else [])]:
        roles = " | ".join(
            f"{s.present[r]}/{s.stated[r]}" if s.stated[r] else "-" for r in ROLES_ORDER
        )
        print(
            f"| {s.name} | {s.figures} | {s.presence():.3f} | {roles} | {s.strict:.3f} | "
            f"{s.merged:.3f} | {s.names:.3f} | {s.coverage:.3f} ({s.coded}/{s.facts}) |"
        )
        if args.misses and s.name != "pooled":
            for m in s.misses:
                print(f"    {m.passage} {m.number}: {m.what} … {m.context}")


if __name__ == "__main__":
    main()
