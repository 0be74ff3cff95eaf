"""Printed numbers as intervals, and arithmetic over them.

A printed "7,89%" stands for [7,885; 7,895]; "200,2 tỷ" for 200,2 tỷ ± 0,05 tỷ; an
integer count without a scale word is exact. A check evaluates its relation over the
corners of its inputs' intervals (exact decimal arithmetic, no floats) and passes when
the stated value's interval overlaps the computed one: tolerance comes from printed
precision, never from a global epsilon.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Protocol

from ..numbers import NUMBER_TOKEN, parse_number

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_NUM = re.compile(NUMBER_TOKEN)


class PrintedItem(Protocol):
    """A fact or a comparison: what its interval is read from."""

    @property
    def text(self) -> str: ...

    @property
    def scale(self) -> int: ...

    @property
    def unit(self) -> str | None: ...


@dataclass(frozen=True)
class Printed:
    """A printed number as an interval in absolute units (scale applied)."""

    value: Decimal
    half: Decimal  # half a unit of the last printed digit (0 for exact counts)

    @property
    def lo(self) -> Decimal:
        return self.value - self.half

    @property
    def hi(self) -> Decimal:
        return self.value + self.half


def printed(item: PrintedItem) -> Printed | None:
    """The interval a fact or comparison stands for, from its printed text."""
    m = _NUM.search(item.text or "")
    if m is None:
        return None
    parsed = parse_number(m.group())
    scale = Decimal(item.scale or 1)
    value = parsed.value * scale
    if str(item.text).lstrip().startswith("-"):
        value = -value
    unit = item.unit
    exact = parsed.decimals == 0 and scale == 1 and unit not in ("%", "‰", "lần", "điểm %")
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -parsed.decimals * scale
    return Printed(value, half)


def denominator(item: Any) -> Printed | None:
    nums = _NUM.findall(item.text or "")
    if item.denominator is None or len(nums) < 2:
        return None
    parsed = parse_number(nums[1])
    scale = Decimal(item.scale or 1)
    exact = parsed.decimals == 0 and scale == 1
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -parsed.decimals * scale
    return Printed(parsed.value * scale, half)


def span(f: Callable[..., Decimal], *inputs: Printed) -> tuple[Decimal, Decimal, Decimal] | None:
    """(low, centre, high) of f over the corners of its inputs' intervals."""
    values = []
    for corner in itertools.product(*[(p.lo, p.hi) for p in inputs]):
        try:
            values.append(f(*corner))
        except (ZeroDivisionError, InvalidOperation):
            return None
    try:
        centre = f(*[p.value for p in inputs])
    except (ZeroDivisionError, InvalidOperation):
        return None
    return min(values), centre, max(values)


def quantize(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.0001")) if abs(x) < 10**12 else x


def fmt(x: Decimal | None) -> str:
    if x is None:
        return "?"
    x = quantize(x).normalize()
    text = f"{x:,f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def overlap(lo: Decimal, hi: Decimal, stated: Printed) -> bool:
    return lo <= stated.hi and stated.lo <= hi


def share(exceed: bool) -> Callable[[Decimal, Decimal], Decimal]:
    """a as a percentage of b; for "vượt" (exceed) the part over 100%."""
    return lambda a, b: a / b * HUNDRED - (HUNDRED if exceed else ZERO)


class Check(NamedTuple):
    status: str
    expected: Decimal
    actual: Decimal
    tolerance: Decimal


def against_printed(f: Callable[..., Decimal], stated: Printed, *inputs: Printed) -> Check | None:
    """f over the printed inputs against a printed result: passes when f's interval over
    the inputs' printed precision meets the stated value's; None when f is undefined."""
    s = span(f, *inputs)
    if s is None:
        return None
    ok = overlap(s[0], s[2], stated)
    return Check("pass" if ok else "fail", s[1], stated.value, stated.half + (s[2] - s[0]) / 2)
