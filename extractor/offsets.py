"""Maps from the characters of a derived text back to offsets in the text it came from.

Cleaning and normalising copy long stretches unchanged and insert or fold a few
characters: a map is stored as runs, not one integer per character, so that building it
for a 50 MB report is a few thousand appends instead of fifty million, and a lookup is
a bisection.

    m = OffsetMap()
    m.copy(0, 100, 5)       # derived 0..4  <- source 100..104
    m.fixed(5, 200, 2)      # derived 5..6  <- source 200 (inserted, or folded, text)
    m[3] == 103; m[6] == 200; len(m) == 7
"""

from __future__ import annotations

from array import array
from bisect import bisect_right


class OffsetMap:
    """A run-length map from each character of a derived text to its offset in the text it
    came from."""

    __slots__ = ("_at", "_length", "_source", "_step")

    def __init__(self) -> None:
        self._at = array("q")  # derived offset where each run starts
        self._source = array("q")  # source offset of the run's first character
        self._step = bytearray()  # 1: copied characters, 0: all from one source offset
        self._length = 0

    def copy(self, at: int, source: int, length: int) -> None:
        """Derived [at, at + length) are source [source, source + length)."""
        self._add(at, source, length, 1)

    def fixed(self, at: int, source: int, length: int) -> None:
        """Derived [at, at + length) all come from source offset ``source``."""
        self._add(at, source, length, 0)

    def _add(self, at: int, source: int, length: int, step: int) -> None:
        if length <= 0:
            return
        if at != self._length:
            raise ValueError(f"runs must be added in order: {at} after {self._length}")
        if self._step and self._step[-1] == step == 1:
            last_at, last_source = self._at[-1], self._source[-1]
            if last_source + (at - last_at) == source:  # continues the previous copy
                self._length = at + length
                return
        self._at.append(at)
        self._source.append(source)
        self._step.append(step)
        self._length = at + length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, offset: int) -> int:
        if not 0 <= offset < self._length:
            raise IndexError(offset)
        k = bisect_right(self._at, offset) - 1
        return self._source[k] + (offset - self._at[k]) * self._step[k]

    def runs(self) -> int:
        return len(self._at)
