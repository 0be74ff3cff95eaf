"""The period and name gold (tests/gold/periods/): every file passes its checker, and
the rules backend keeps the accuracy it reached on the development gold (issue 21)."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest

from tests.period_scoring import GOLD, PeriodScore, gold_files, pooled, score_file

# what the rules reached on each development set (BENCHMARKS.md "Periods and names on
# real passages"), a little below: (figures present, period merged, period strict)
FLOORS = {
    "real_dev_a": (0.97, 0.97, 0.94),
    "real_dev_b": (0.98, 0.97, 0.97),
    "north": (0.98, 0.89, 0.89),
    "south": (0.97, 0.94, 0.92),
    "central": (0.98, 0.95, 0.93),
    "west": (0.98, 0.92, 0.92),
    "east": (0.98, 0.87, 0.87),
    "mix": (0.99, 0.96, 0.90),
    "held": (0.99, 0.96, 0.93),
    "late": (0.99, 0.95, 0.94),
    "fresh": (0.99, 0.95, 0.92),
    "final": (0.99, 0.95, 0.94),
    # held out, scored at first sight (BENCHMARKS.md, fourth round): 0.995, 0.970, 0.941
    "sixth": (0.99, 0.96, 0.93),
}
# all the sets as one (BENCHMARKS.md): the targets, >= 0.95 merged, >= 0.90 strict
POOLED_FLOOR = (0.95, 0.93)


def test_every_gold_file_passes_its_checker() -> None:
    files = gold_files()
    assert files, "no gold file in tests/gold/periods"
    done = subprocess.run(
        [sys.executable, str(GOLD / "check.py"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@cache
def scored(name: str) -> PeriodScore:
    """One gold set's score, computed once for the per-set and the pooled tests."""
    return score_file(GOLD / f"{name}.yaml")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_periods_on_the_development_gold_keep_their_level(name: str) -> None:
    present, merged, strict = FLOORS[name]
    s = scored(name)
    assert s.presence() >= present, [m for m in s.misses if m.what.startswith("absent")]
    misses = [m for m in s.misses if "period" in m.what]
    assert s.merged >= merged and s.strict >= strict, misses


def test_periods_on_all_the_gold_pooled_meet_the_target() -> None:
    merged, strict = POOLED_FLOOR
    s = pooled(scored(path.stem) for path in gold_files())
    assert s.merged >= merged and s.strict >= strict, (s.merged, s.strict)
