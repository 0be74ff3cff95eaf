"""The run-length offset maps behind every character's way back to the file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.offsets import OffsetMap


def test_copies_and_fixed_runs() -> None:
    m = OffsetMap()
    m.copy(0, 100, 5)
    m.copy(5, 105, 3)  # continues the copy: one run
    m.fixed(8, 200, 2)
    m.copy(10, 300, 1)
    assert [m[i] for i in range(len(m))] == [100, 101, 102, 103, 104, 105, 106, 107, 200, 200, 300]
    assert m.runs() == 3
    with pytest.raises(IndexError):
        m[11]
    with pytest.raises(ValueError, match="in order"):
        m.copy(20, 0, 1)


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 50), st.integers(0, 6)), max_size=40))
def test_a_map_equals_the_list_it_stands_for(runs) -> None:
    m = OffsetMap()
    expected: list[int] = []
    for copied, source, length in runs:
        (m.copy if copied else m.fixed)(len(expected), source, length)
        expected += [source + k if copied else source for k in range(length)]
    assert len(m) == len(expected)
    assert [m[i] for i in range(len(m))] == expected
