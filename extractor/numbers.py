"""Vietnamese number notation: "." groups thousands, "," is the decimal mark.

    parse_number("349.090")     -> ParsedNumber(Decimal("349090"), decimals=0)
    parse_number("3.127,371")   -> ParsedNumber(Decimal("3127.371"), decimals=3)
    parse_number("10.933.4")    -> best reading 10933.4, ambiguous (mixed separators)
    parse_number("11144,85")    -> 11144.85, ambiguous (no thousands grouping)

A malformed number is never dropped or silently changed: the parser returns its best
reading and says why it is unsure, so a validator can report the source error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# A token the tagger hands over: digits with "." and "," in any arrangement.
NUMBER_TOKEN = r"\d+(?:[.,]\d+)*"

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_GROUPED_DOT_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})+\.\d{1,2}")


@dataclass(frozen=True)
class ParsedNumber:
    """A number as printed: its value, the decimals it claims, and why its reading is
    uncertain when it is."""

    value: Decimal
    decimals: int  # digits printed after the decimal mark: the precision the source claims
    ambiguous: str | None = None  # why the reading is uncertain, or None


_TOKEN = re.compile(NUMBER_TOKEN)


@lru_cache(maxsize=65536)  # the same tokens recur ("1", "2024", "10,5"); results are frozen
def parse_number(token: str) -> ParsedNumber:
    """Read a Vietnamese-formatted number; see the module docstring for the rules."""
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"not a number token: {token!r}")
    if _GROUPED.fullmatch(token):
        int_part, _, frac = token.partition(",")
        return ParsedNumber(
            Decimal(int_part.replace(".", "") + ("." + frac if frac else "")), len(frac)
        )
    if _PLAIN.fullmatch(token):
        int_part, _, frac = token.partition(",")
        value = Decimal(int_part + ("." + frac if frac else ""))
        reason = None
        if len(int_part.lstrip("0")) > 4 or (len(int_part) == 4 and int_part[0] != "0"):
            reason = "no thousands grouping"
        return ParsedNumber(value, len(frac), reason)
    if _DOT_DECIMAL.fullmatch(token):
        int_part, _, frac = token.partition(".")
        return ParsedNumber(Decimal(f"{int_part}.{frac}"), len(frac), "dot used as decimal mark")
    if _GROUPED_DOT_DECIMAL.fullmatch(token):
        head, _, frac = token.rpartition(".")
        return ParsedNumber(
            Decimal(head.replace(".", "") + "." + frac),
            len(frac),
            "mixed separators: last '.' read as decimal mark",
        )
    # Anything else ("1.2.3,4.5", "12.34,5"): keep every digit, read the last mark as decimal.
    digits = re.split(r"[.,]", token)
    int_digits, frac = "".join(digits[:-1]), digits[-1]
    return ParsedNumber(Decimal(f"{int_digits}.{frac}"), len(frac), "malformed separators")


def format_number(value: Decimal, decimals: int | None = None) -> str:
    """Write ``value`` the Vietnamese way: "3.127,371"; inverse of :func:`parse_number`."""
    if decimals is None:
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.{decimals}f}"  # "3,127.371"
    return sign + text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number it prints as: 349090, 4.2, 3127.371."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
