from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("token", "value", "decimals", "ambiguous"),
    [
        ("349.090", "349090", 0, False),
        ("4,2", "4.2", 1, False),
        ("3.127,371", "3127.371", 3, False),
        ("1.206.581.000", "1206581000", 0, False),
        ("02", "2", 0, False),
        ("0,2032", "0.2032", 4, False),
        ("9.436", "9436", 0, False),
        # source errors: best reading, flagged, never dropped
        ("10.933.4", "10933.4", 1, True),
        ("11144,85", "11144.85", 2, True),
        ("1110", "1110", 0, True),
        ("1524", "1524", 0, True),
        ("3.5", "3.5", 1, True),
    ],
)
def test_parse_number(token: str, value: str, decimals: int, ambiguous: bool) -> None:
    parsed = parse_number(token)
    assert parsed.value == Decimal(value)
    assert parsed.decimals == decimals
    assert (parsed.ambiguous is not None) is ambiguous


def test_parse_number_rejects_non_numbers() -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number("12a")


def test_format_number_examples() -> None:
    assert format_number(Decimal("3127.371")) == "3.127,371"
    assert format_number(Decimal("349090")) == "349.090"
    assert format_number(Decimal("4.20")) == "4,20"
    assert format_number(Decimal("-0.5")) == "-0,5"


amounts = st.decimals(
    min_value=0, max_value=Decimal("1e12"), places=3, allow_nan=False, allow_infinity=False
)


@given(amounts, st.integers(min_value=0, max_value=3))
def test_format_then_parse_round_trips(value: Decimal, decimals: int) -> None:
    quantised = value.quantize(Decimal(1).scaleb(-decimals))
    text = format_number(quantised, decimals)
    parsed = parse_number(text)
    assert parsed.value == quantised
    assert parsed.decimals == decimals
    # a number written the Vietnamese way is never flagged
    assert parsed.ambiguous is None or (quantised >= 1000 and "." not in text)


@given(st.integers(min_value=1000, max_value=10**9))
def test_grouped_integers_are_not_ambiguous(value: int) -> None:
    text = format_number(Decimal(value), 0)
    assert "." in text
    assert parse_number(text).ambiguous is None
