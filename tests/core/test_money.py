from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.model.money import (
    apply_percent,
    format_kr,
    format_number,
    format_pct,
    parse_amount,
    percent_of,
    round_half_up,
    split_largest_remainder,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(1362650, "1 362 650 kr"), (-150000, "−150 000 kr"), (0, "0 kr"), (68, "68 kr"), (1000, "1 000 kr")],
)
def test_format_kr_is_swedish(amount, text):
    assert format_kr(amount) == text


def test_format_kr_signed_marks_gains_with_plus():
    assert format_kr(796000, signed=True) == "+796 000 kr"
    assert format_kr(-796000, signed=True) == "−796 000 kr"
    assert format_kr(0, signed=True) == "0 kr"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(4542500 * 100, 8236000), "55,2 %"),
        (Decimal("23.93"), "23,9 %"),
        (Decimal("-0.04"), "0,0 %"),
        (-5, "−5,0 %"),
    ],
)
def test_format_pct_uses_decimal_comma(value, text):
    assert format_pct(value) == text


def test_format_number_groups_thousands():
    assert format_number(8086000) == "8 086 000"


@pytest.mark.parametrize(
    ("value", "expected"), [(Fraction(5, 2), 3), (Fraction(-5, 2), -3), (Fraction(7, 3), 2), (Decimal("0.5"), 1)]
)
def test_round_half_up_rounds_halves_away_from_zero(value, expected):
    assert round_half_up(value) == expected


def test_apply_percent_rounds_half_up_per_amount():
    assert apply_percent(3980000, 10) == 4378000
    assert apply_percent(5, 10) == 6  # 5.5 → 6
    assert apply_percent(119465, Decimal("2.5")) == 122452  # 122451.625
    assert percent_of(1512650, Decimal("3.57")) == 54002


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234 567", 1234567),
        ("−150 000", -150000),
        ("-150000", -150000),
        ("1\u00a0000", 1000),
        ("12 kr", 12),
        ("7,00", 7),
    ],
)
def test_parse_amount_accepts_what_swedish_excel_writes(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "12,5", "", "1e5", "=SUMMA(A1)", "١٢"])
def test_parse_amount_rejects_non_kronor(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30),
)
def test_largest_remainder_parts_always_add_up_exactly(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


@given(
    total=st.integers(min_value=0, max_value=10**10),
    weights=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=20),
)
def test_largest_remainder_parts_are_within_one_krona_of_exact_share(total, weights):
    parts = split_largest_remainder(total, weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, sum(weights))) < 1
