"""Money: cents ↔ Decimal never loses a cent; VAT splits add up; French formatting via Babel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop import money

RATES = st.sampled_from([Decimal("2.1"), Decimal("5.5"), Decimal("10"), Decimal("20"), Decimal(0)])
CENTS = st.integers(min_value=-(10**12), max_value=10**12)


@given(CENTS)
def test_cents_decimal_round_trip(cents):
    assert money.decimal_to_cents(money.cents_to_decimal(cents)) == cents


@given(CENTS, RATES)
def test_vat_split_never_loses_a_cent(cents, rate):
    split = money.split_vat(cents, rate)
    assert split.excl_vat + split.vat == cents == split.incl_vat
    # The excl.-VAT part is the nearest cent to the exact value.
    exact = Decimal(cents) / (1 + rate / 100)
    assert abs(Decimal(split.excl_vat) - exact) <= Decimal("0.5")


@given(st.lists(st.tuples(st.integers(0, 10**7), RATES), max_size=40))
def test_vat_summary_totals_match_the_lines(lines):
    summary = money.vat_summary(lines)
    assert sum(s.incl_vat for s in summary) == sum(amount for amount, _ in lines)
    assert [s.rate for s in summary] == sorted({rate for _, rate in lines})


@pytest.mark.parametrize(
    ("incl", "rate", "excl", "vat"),
    [
        (1000, Decimal("5.5"), 948, 52),  # 10.00 / 1.055 = 9.4787 → 9.48
        (1200, Decimal("20"), 1000, 200),
        (110, Decimal("10"), 100, 10),
        (102, Decimal("2.1"), 100, 2),  # 1.02 / 1.021 = 0.99902 → 1.00
        (1, Decimal("20"), 1, 0),  # 0.00833 → 0.01 excl., so no VAT on 1 cent
    ],
)
def test_vat_split_examples(incl, rate, excl, vat):
    split = money.split_vat(incl, rate)
    assert (split.excl_vat, split.vat) == (excl, vat)


def test_rounding_rule_is_half_up_not_bankers():
    assert money.decimal_to_cents(Decimal("0.125")) == 13
    assert money.decimal_to_cents(Decimal("0.135")) == 14
    assert money.decimal_to_cents(Decimal("-0.125")) == -13
    assert money.price_for_quantity(1990, Decimal("0.750")) == 1493  # 14.925 → 14.93


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,5", 1250),
        ("12.50", 1250),
        ("1 234,50 €", 123450),
        ("1\u202f234,50\xa0€", 123450),
        ("1.234,50", 123450),
        ("1,234.50", 123450),
        ("0", 0),
        ("-3,20", -320),
    ],
)
def test_parse_amount_accepts_what_people_type(text, cents):
    assert money.parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1,234", "12,345", "NaN", "inf", "1,2,3"])
def test_parse_amount_refuses_junk_and_three_decimals(text):
    with pytest.raises(money.MoneyError):
        money.parse_amount(text)


@pytest.mark.parametrize(
    ("text", "rate"), [("5,5", "5.5"), ("20", "20"), ("2.1 %", "2.1"), ("0", "0")]
)
def test_parse_rate(text, rate):
    assert money.parse_rate(text) == Decimal(rate)


def test_parse_rate_refuses_non_french_rates():
    with pytest.raises(money.MoneyError, match="7"):
        money.parse_rate("7")


@given(st.integers(0, 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=30))
def test_split_evenly_sums_exactly_and_is_fair(total, weights):
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    shares = money.split_evenly(total, weights)
    assert sum(shares) == total
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share * whole - total * weight) < whole


def test_formatting_french_and_english():
    assert money.format_money(123450, "fr") == "1\u202f234,50\xa0€"
    assert money.format_money(123450, "en") == "€1,234.50"
    assert money.format_rate(Decimal("5.5"), "fr") == "5,5\xa0%"


def test_float_is_refused():
    with pytest.raises(TypeError):
        money.decimal_to_cents(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        money.cents_to_decimal(1.5)  # type: ignore[arg-type]


def test_parse_rate_prints_plainly():
    assert [str(money.parse_rate(t)) for t in ("20", "5,50", "10.0", "2,1")] == [
        "20",
        "5.5",
        "10",
        "2.1",
    ]
