"""Small text helpers every stage shares: where sentences and clauses end, and how to
compare words.

* :func:`sentence_ends`: the one sentence splitter. A sentence ends after ".", ";",
  "!" or "?" and the spaces that follow, where the next sentence starts with a letter, a
  bracket, a quote or a list dash; and at every line break. Vietnamese reports run
  clauses together with ";" as often as with ".", so ";" ends a sentence here, unless
  asked not to (``semicolon=False``: a statement whose parts are listed after ";").
* :func:`fold`: the one folding for comparing words: NFC, lower case (đ/Đ included),
  and the tone of "oa", "oe", "uy" put in one place: the two spellings "hoá"/"hóa",
  "thuỷ"/"thủy" made one, and a slip such as "khóang" read as "khoáng".
* :func:`slug`: ASCII for file names ("Lào Cai" -> "lao-cai").
* :class:`Breaks`, :func:`clause_before`: the clause breaks of a text found once, and the
  words of the clause before an offset.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

SENTENCE_END = re.compile(r"(?<=[.;!?])[ \t]+(?=[^\W\d_]|[-+(“\"])|\n+")
_FULL_STOP = re.compile(r"(?<=[.!?])[ \t]+(?=[^\W\d_]|[-+(“\"])|\n+")
_OLD_TONES = str.maketrans({"Đ": "đ"})
_TONED = {"a": "áàảãạ", "e": "éèẻẽẹ", "o": "óòỏõọ", "u": "úùủũụ", "y": "ýỳỷỹỵ"}
# the tone of "oa", "oe", "uy" (not "quy"): on the first vowel when the syllable ends
# there, as the older spelling puts it ("hoá" -> "hóa", "thuỷ" -> "thủy"); on the second
# when a letter follows, as both spellings do ("khóang", a slip, -> "khoáng")
_TONE_OPEN = {
    first + _TONED[second][t]: _TONED[first][t] + second
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for t in range(5)
}
_TONE_CLOSED = {old: new for new, old in _TONE_OPEN.items()}
_TONE_PLACE = re.compile(
    "(?<!q)(?:("
    + "|".join(_TONE_OPEN)
    + r")(?![^\W\d_])|("
    + "|".join(_TONE_CLOSED)
    + r")(?=[^\W\d_]))"
)


def sentence_ends(
    text: str, start: int = 0, end: int | None = None, semicolon: bool = True
) -> list[int]:
    """Offsets where a sentence starts after a sentence end, in ``text[start:end]``."""
    end = len(text) if end is None else end
    pattern = SENTENCE_END if semicolon else _FULL_STOP
    return [m.end() for m in pattern.finditer(text, start, end) if m.end() < end]


@lru_cache(maxsize=16)
def sentence_starts(text: str, semicolon: bool = True) -> tuple[int, ...]:
    """Where each sentence of ``text`` starts, 0 first (cached per text: every chunk of a
    document asks)."""
    return (0, *sentence_ends(text, semicolon=semicolon))


def sentence_of(text: str, offset: int, semicolon: bool = True) -> int:
    """The number (from 0) of the sentence of ``text`` holding ``offset``."""
    return bisect_right(sentence_starts(text, semicolon), offset) - 1


def fold(text: str) -> str:
    """Words as they compare: "Thủy sản" and "THUỶ SẢN" fold alike."""
    out = unicodedata.normalize("NFC", text).translate(_OLD_TONES).lower()
    return _TONE_PLACE.sub(_tone_placed, out)


def _tone_placed(m: re.Match[str]) -> str:
    return _TONE_OPEN[m.group(1)] if m.group(1) else _TONE_CLOSED[m.group(2)]


def slug(text: str) -> str:
    """ASCII, lower case, words joined by "-": "Bà Rịa - Vũng Tàu" -> "ba-ria-vung-tau"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


class Breaks:
    """Every match of a break pattern in a document, found once: the last break before
    an offset is a bisection, not a scan of the paragraph for every number in it."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def last_end(self, floor: int, before: int) -> int | None:
        """End of the last match that starts at or after ``floor`` and ends before
        ``before``."""
        i = bisect_left(self.ends, before) - 1
        if i >= 0 and self.starts[i] >= floor:
            return self.ends[i]
        return None

    def last_end_upto(self, floor: int, upto: int) -> int | None:
        """The same, for a match that may end at ``upto``."""
        i = bisect_right(self.ends, upto) - 1
        if i >= 0 and self.starts[i] >= floor:
            return self.ends[i]
        return None


def clause_before(text: str, start: int, floor: int, breaks: Breaks) -> str:
    """The words between the last clause break (or ``floor``) and ``start``."""
    if start - 1 >= floor and text[start - 1] in ";:":
        return ""  # the window ends with the break
    end = breaks.last_end_upto(floor, start)
    return text[end if end is not None else floor : start]
