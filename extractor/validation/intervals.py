"""Printed numbers as intervals, and arithmetic over them.

A printed "7,89%" stands for [7,885; 7,895]; "200,2 tỷ" for 200,2 tỷ ± 0,05 tỷ; an
integer count without a scale word is exact. A check evaluates its relation over the
corners of its inputs' intervals (exact decimal arithmetic, no floats) and passes when
the stated value's interval overlaps the computed one: tolerance comes from printed
precision, never from a global epsilon.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..lexicon import MEASURED
from ..numbers import parse_number
from .findings import Status

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EXACT_EXCLUDED = ("%", "‰", "lần", "điểm %")  # units never read as exact counts


def counted(unit: str | None) -> bool:
    """Whether a whole number in ``unit`` is an exact count ("36 dự án", "92.400 con"):
    not a rate, a percentage or a measure."""
    return unit not in EXACT_EXCLUDED and unit not in MEASURED and "/" not in (unit or "")


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


def read_printed(text: str, scale: int, unit: str | None) -> Printed | None:
    """The interval a printed number stands for, from its text ("1.234,5 tỷ đồng" with
    scale 1e9): the leading number, read by :func:`~extractor.numbers.parse_number`."""
    body = text.strip()
    sign = -1 if body.startswith("-") else 1
    body = body.lstrip("+-").lstrip()
    end = 0
    while end < len(body) and (body[end].isdigit() or body[end] in ".,"):
        end += 1
    try:
        parsed = parse_number(body[:end].rstrip(".,"))
    except ValueError:
        return None
    factor = Decimal(scale or 1)
    exact = parsed.decimals == 0 and factor == 1 and counted(unit)
    half = ZERO if exact else Decimal("0.5") * Decimal(10) ** -parsed.decimals * factor
    return Printed(sign * parsed.value * factor, half)


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


class Check(NamedTuple):
    """The outcome of one comparison of a computed value with a printed one."""

    status: Status
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
