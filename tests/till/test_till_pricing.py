"""Sale lines and totals: weights, member price rules, discounts, deposits, refunds, VAT.

Every expected figure is worked out by hand in the comment beside it; the properties compare the
rules with independent computations in exact fractions.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.till.rules import (
    Discount,
    DiscountReason,
    Item,
    LineKind,
    LineRef,
    PriceRule,
    Refusal,
    Refused,
    deposit_line,
    labelled_line,
    price_sale,
    product_line,
    refund_line,
    refunded_quantity,
)

LENTILS = Item(1, "Lentilles vertes", 390, Decimal("5.5"), by_weight=True)  # 3,90 €/kg
JAM = Item(2, "Confiture de fraises", 235, Decimal("5.5"))
WINE = Item(3, "Vin rouge", 750, Decimal(20))
SOAP = Item(4, "Savon", 199, Decimal(20))
CHEESE = Item(5, "Comté", 2490, Decimal("5.5"), by_weight=True)
BOTTLE = Item(9, "Consigne bouteille", 20, Decimal(0))
SOLIDARITY = PriceRule("solidarity", Decimal(10))
DAMAGED_10 = Discount(DiscountReason.DAMAGED, percent=Decimal(10))


def refused(code: Refusal) -> pytest.RaisesExc:
    return pytest.raises(Refused, match=f"^{code.value}:")


# --- weights and price rules --------------------------------------------------------------------


def test_750_g_of_lentils_at_3_90_per_kg():
    # 3,90 €/kg × 0,750 kg = 2,925 € → half away from zero → 2,93 €
    line = product_line(LENTILS, grams=750)
    assert (line.kind, line.quantity, line.weighed) == (LineKind.PRODUCT, 750, True)
    assert line.unit_price_cents == 390
    assert line.gross_cents == line.amount_cents == 293
    assert line.vat_rate == Decimal("5.5")


@pytest.mark.parametrize(
    ("grams", "cents"),
    [
        (1000, 390),  # exactly one kilogram
        (125, 49),  # 390 × 0,125 = 48,75 → 49
        (1, 0),  # 0,39 cent → 0
        (2, 1),  # 0,78 cent → 1
        (2500, 975),  # 390 × 2,5 = 975
    ],
)
def test_weighed_prices_round_once(grams, cents):
    assert product_line(LENTILS, grams=grams).amount_cents == cents


def test_ten_percent_solidarity_price_on_2_35():
    # 2,35 € × 0,90 = 2,115 € → ROUND_HALF_UP → 2,12 €; two jars: 4,24 €
    line = product_line(JAM, quantity=2, rule=SOLIDARITY)
    assert line.list_price_cents == 235
    assert line.unit_price_cents == 212
    assert line.amount_cents == 424
    assert line.rule_code == "solidarity"


def test_the_rule_names_its_rounding():
    # 211,5 cents: down → 2,11 €; half-even → 212 (211 is odd, so up to the even 212)
    assert PriceRule("s", Decimal(10), ROUND_DOWN).unit_price(235) == 211
    assert PriceRule("s", Decimal(10), ROUND_HALF_EVEN).unit_price(235) == 212
    # 2,45 € × 0,90 = 2,205 € → half-even keeps 2,20 €, half-up gives 2,21 €
    assert PriceRule("s", Decimal(10), ROUND_HALF_EVEN).unit_price(245) == 220
    assert PriceRule("s", Decimal(10)).unit_price(245) == 221


def test_solidarity_price_applies_to_the_kilo_price_then_the_weight():
    # 3,90 × 0,90 = 3,51 €/kg; × 0,750 = 2,6325 € → 2,63 €
    line = product_line(LENTILS, grams=750, rule=SOLIDARITY)
    assert (line.unit_price_cents, line.amount_cents) == (351, 263)


def test_a_negative_percent_is_a_surcharge():
    # non-members pay 20 % more: 2,35 × 1,20 = 2,82 €
    assert product_line(JAM, rule=PriceRule("non_member", Decimal(-20))).amount_cents == 282


def test_price_embedded_label_is_one_piece_and_takes_the_rule():
    # a cut of Comté labelled 4,56 €; solidarity: 4,56 × 0,9 = 4,104 → 4,10 €
    assert labelled_line(CHEESE, 456).amount_cents == 456
    line = labelled_line(CHEESE, 456, rule=SOLIDARITY)
    assert (line.quantity, line.weighed, line.amount_cents) == (1, False, 410)


# --- discounts ---------------------------------------------------------------------------------


def test_line_discounts_percent_and_amount():
    # 3 soaps at 1,99 € = 5,97 €; 10 % = 0,597 → 0,60 € off → 5,37 €
    line = product_line(SOAP, quantity=3, discount=DAMAGED_10)
    assert (line.gross_cents, line.line_discount_cents, line.amount_cents) == (597, 60, 537)
    assert line.line_discount == DAMAGED_10
    # 0,50 € off → 5,47 €
    fifty = Discount(DiscountReason.SHORT_DATE, amount_cents=50)
    assert product_line(SOAP, quantity=3, discount=fifty).amount_cents == 547


def test_a_discount_may_make_a_line_free_never_negative():
    whole = Discount(DiscountReason.GOODWILL, amount_cents=597)
    assert product_line(SOAP, quantity=3, discount=whole).amount_cents == 0
    full = Discount(DiscountReason.GOODWILL, percent=Decimal(100))
    assert product_line(SOAP, quantity=3, discount=full).amount_cents == 0
    with refused(Refusal.DISCOUNT_EXCEEDS_LINE) as caught:
        product_line(SOAP, quantity=3, discount=Discount(DiscountReason.OTHER, amount_cents=598))
    assert caught.value.value == 597


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, Refusal.DISCOUNT_PERCENT_OR_AMOUNT),
        ({"percent": Decimal(5), "amount_cents": 10}, Refusal.DISCOUNT_PERCENT_OR_AMOUNT),
        ({"percent": Decimal(0)}, Refusal.BAD_PERCENT),
        ({"percent": Decimal(101)}, Refusal.BAD_PERCENT),
        ({"percent": 5.0}, Refusal.NOT_A_DECIMAL),
        ({"amount_cents": 0}, Refusal.DISCOUNT_NOT_POSITIVE),
        ({"amount_cents": -5}, Refusal.DISCOUNT_NOT_POSITIVE),
        ({"amount_cents": 1.5}, Refusal.NOT_AN_INTEGER),
        ({"percent": Decimal(5), "rounding": "nearest"}, Refusal.BAD_ROUNDING),
    ],
)
def test_malformed_discounts_are_refused(kwargs, code):
    with refused(code):
        Discount(DiscountReason.OTHER, **kwargs)


def test_sale_discount_is_shared_over_the_goods_by_largest_remainder():
    # goods: lentils 2,93 € + wine 7,50 € = 10,43 €; the bottle deposit is not discounted.
    # 10 % of 10,43 = 1,043 → 1,04 € off. Shares of 104 by 293 : 750:
    #   104 × 293 / 1043 = 29,21 → 29;  104 × 750 / 1043 = 74,78 → 74;  one cent left,
    #   to the larger remainder (0,78, the wine) → 75.  Lines 2,64 € + 6,75 € + 0,20 €.
    lines = [product_line(LENTILS, grams=750), product_line(WINE), deposit_line(BOTTLE, 1)]
    sale = price_sale(lines, Discount(DiscountReason.GOODWILL, percent=Decimal(10)))
    assert [line.sale_discount_cents for line in sale.lines] == [29, 75, 0]
    assert [line.amount_cents for line in sale.lines] == [264, 675, 20]
    assert sale.total_cents == 959  # 10,63 − 1,04
    assert sale.discount_cents == 104
    # VAT: 5,5 %: 2,64 / 1,055 = 2,502 → 2,50 + 0,14;  20 %: 6,75 / 1,2 = 5,625 → 5,63 + 1,12
    assert [(s.rate, s.excl_vat, s.vat) for s in sale.vat] == [
        (Decimal(0), 20, 0),
        (Decimal("5.5"), 250, 14),
        (Decimal(20), 563, 112),
    ]


def test_pricing_again_recomputes_the_shares():
    lines = [product_line(LENTILS, grams=750), product_line(WINE)]
    discount = Discount(DiscountReason.GOODWILL, percent=Decimal(10))
    once = price_sale(lines, discount)
    assert price_sale(once.lines, discount) == once
    assert price_sale(once.lines).total_cents == 293 + 750


def test_sale_discount_refusals():
    lines = [product_line(LENTILS, grams=750), product_line(WINE), deposit_line(BOTTLE, 1)]
    with refused(Refusal.DISCOUNT_EXCEEDS_SALE) as caught:
        price_sale(lines, Discount(DiscountReason.OTHER, amount_cents=1044))
    assert caught.value.value == 1043  # 293 + 750: the deposit is not discountable
    assert price_sale(lines, Discount(DiscountReason.OTHER, amount_cents=1043)).total_cents == 20
    with refused(Refusal.NOTHING_TO_DISCOUNT):
        price_sale([deposit_line(BOTTLE, 3)], DAMAGED_10)


# --- deposits and refunds ------------------------------------------------------------------------


def test_deposit_charge_and_return_are_their_own_lines_at_the_deposit_vat():
    charge = deposit_line(BOTTLE, 6)  # 6 × 0,20 €
    back = deposit_line(BOTTLE, 4, returned=True)  # 4 bottles brought back
    assert (charge.kind, charge.amount_cents, charge.vat_rate) == (
        LineKind.DEPOSIT_CHARGE,
        120,
        Decimal(0),
    )
    assert (back.kind, back.quantity, back.amount_cents) == (LineKind.DEPOSIT_RETURN, 4, -80)
    sale = price_sale([charge, back])
    assert sale.total_cents == 40
    assert sale.kind_cents(LineKind.DEPOSIT_RETURN) == -80


def test_refund_of_one_line_in_two_goes_gives_back_exactly_what_was_paid():
    # 3 soaps with 10 % off were paid 5,37 €. Refund 1: 5,37 / 3 = 1,79 €.
    # Then the other 2: 5,37 − 1,79 = 3,58 € (cumulative, not 2 × 1,79 = 3,58 by luck only).
    original = product_line(SOAP, quantity=3, discount=DAMAGED_10)
    ref = LineRef(till_id=1, sale_number=12, line_no=1)
    first = refund_line(original, ref, 1)
    assert (first.kind, first.quantity, first.amount_cents, first.refund_of) == (
        LineKind.REFUND,
        1,
        -179,
        ref,
    )
    second = refund_line(original, ref, 2, already_refunded=1)
    assert second.amount_cents == -358
    assert refunded_quantity(ref, [first, second, product_line(SOAP)]) == 3
    with refused(Refusal.REFUND_EXCEEDS_SOLD) as caught:
        refund_line(original, ref, 1, already_refunded=3)
    assert caught.value.value == 0
    with refused(Refusal.REFUND_EXCEEDS_SOLD) as caught:
        refund_line(original, ref, 4)
    assert caught.value.value == 3


def test_cumulative_refund_of_a_line_paid_1_00_for_3():
    # 3 rolls at 0,50 € with 0,50 € off were paid 1,00 €. Refunding them one by one:
    # 1/3 = 0,333 → 0,33; 2/3 = 0,667 → 0,67, so the second gives 0,67 − 0,33 = 0,34;
    # the third 1,00 − 0,67 = 0,33. Total 1,00.
    fifty = Discount(DiscountReason.GOODWILL, amount_cents=50)
    original = product_line(Item(6, "Pain", 50, Decimal("5.5")), quantity=3, discount=fifty)
    assert original.amount_cents == 100
    ref = LineRef(1, 3, 2)
    amounts = [refund_line(original, ref, 1, already_refunded=n).amount_cents for n in range(3)]
    assert amounts == [-33, -34, -33]


def test_half_a_cent_in_a_refund_rounds_half_up():
    # 2 jars at 2,45 € less 0,05 € were paid 4,85 €; one back: 2,425 € → 2,43 €; the other 2,42 €
    five = Discount(DiscountReason.PRICE_ERROR, amount_cents=5)
    original = product_line(Item(8, "Miel", 245, Decimal("5.5")), quantity=2, discount=five)
    ref = LineRef(1, 4, 1)
    assert refund_line(original, ref, 1).amount_cents == -243
    assert refund_line(original, ref, 1, already_refunded=1).amount_cents == -242


def test_refund_of_part_of_a_weighed_line():
    # 750 g paid 2,93 €; 250 g back: 2,93 × 250 / 750 = 0,9767 → 0,98 €; the rest 1,95 €
    original = product_line(LENTILS, grams=750)
    ref = LineRef(1, 7, 3)
    assert refund_line(original, ref, 250).amount_cents == -98
    assert refund_line(original, ref, 500, already_refunded=250).amount_cents == -195


def test_refund_uses_the_price_after_the_sale_discount():
    lines = [product_line(LENTILS, grams=750), product_line(WINE)]
    sale = price_sale(lines, Discount(DiscountReason.GOODWILL, percent=Decimal(10)))
    assert refund_line(sale.lines[1], LineRef(1, 1, 2), 1).amount_cents == -675


def test_refunds_and_returns_cannot_be_refunded():
    ref = LineRef(1, 1, 1)
    refund = refund_line(product_line(SOAP), ref, 1)
    with refused(Refusal.NOT_REFUNDABLE):
        refund_line(refund, LineRef(1, 2, 1), 1)
    with refused(Refusal.NOT_REFUNDABLE):
        refund_line(deposit_line(BOTTLE, 2, returned=True), ref, 1)
    assert refund_line(deposit_line(BOTTLE, 2), ref, 2).amount_cents == -40


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "kwargs", "code"),
    [
        (SOAP, {"quantity": 0}, Refusal.QUANTITY_NOT_POSITIVE),
        (SOAP, {"quantity": -2}, Refusal.QUANTITY_NOT_POSITIVE),
        (SOAP, {"quantity": 1.5}, Refusal.NOT_AN_INTEGER),
        (SOAP, {"quantity": True}, Refusal.NOT_AN_INTEGER),
        (SOAP, {"quantity": Decimal(2)}, Refusal.NOT_AN_INTEGER),
        (SOAP, {"grams": 500}, Refusal.NOT_SOLD_BY_WEIGHT),
        (LENTILS, {}, Refusal.WEIGHT_REQUIRED),
        (LENTILS, {"quantity": 1}, Refusal.WEIGHT_REQUIRED),
        (LENTILS, {"grams": 0}, Refusal.QUANTITY_NOT_POSITIVE),
        (LENTILS, {"grams": 750.0}, Refusal.NOT_AN_INTEGER),
        (LENTILS, {"grams": 750, "quantity": 1}, Refusal.QUANTITY_AND_WEIGHT),
    ],
)
def test_bad_quantities_are_refused(item, kwargs, code):
    with refused(code):
        product_line(item, **kwargs)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((1, "x", -1, Decimal(20)), Refusal.NEGATIVE_PRICE),
        ((1, "x", 1.5, Decimal(20)), Refusal.NOT_AN_INTEGER),
        ((1, "x", 100, 20.0), Refusal.NOT_A_DECIMAL),
        ((1, "x", 100, Decimal(100)), Refusal.BAD_VAT_RATE),
        ((1, "x", 100, Decimal(-1)), Refusal.BAD_VAT_RATE),
        ((1, "x", 100, Decimal("NaN")), Refusal.NOT_A_DECIMAL),
    ],
)
def test_bad_items_are_refused(args, code):
    with refused(code):
        Item(*args)


def test_bad_price_rules_and_sales_are_refused():
    with refused(Refusal.BAD_PERCENT):
        PriceRule("x", Decimal(101))
    with refused(Refusal.BAD_ROUNDING):
        PriceRule("x", Decimal(10), "ROUND_NEAREST")
    with refused(Refusal.EMPTY_SALE):
        price_sale([])
    with refused(Refusal.QUANTITY_NOT_POSITIVE):
        deposit_line(BOTTLE, 0)
    with refused(Refusal.NEGATIVE_PRICE):
        labelled_line(CHEESE, -1)


def test_a_top_up_is_paid_but_is_no_turnover():
    sale = price_sale([product_line(SOAP)], top_up_cents=5000)
    assert (sale.goods_cents, sale.total_cents) == (199, 5199)
    assert sum(split.incl_vat for split in sale.vat) == 199
    assert price_sale([], top_up_cents=2000).vat == ()


# --- properties --------------------------------------------------------------------------------

RATES = st.sampled_from([Decimal(0), Decimal("2.1"), Decimal("5.5"), Decimal(10), Decimal(20)])
PRICES = st.integers(0, 50_000)


@st.composite
def lines_strategy(draw):
    lines = []
    for n in range(draw(st.integers(1, 12))):
        item = Item(n + 1, f"p{n}", draw(PRICES), draw(RATES), by_weight=draw(st.booleans()))
        kind = draw(st.sampled_from(["product", "charge", "return", "refund"]))
        if kind == "charge" or (kind == "return" and item.by_weight):
            lines.append(deposit_line(Item(99, "d", item.price_cents, item.vat_rate), 2))
        elif kind == "return":
            lines.append(deposit_line(item, draw(st.integers(1, 5)), returned=True))
        elif item.by_weight:
            line = product_line(item, grams=draw(st.integers(1, 5000)))
            if kind == "refund":
                line = refund_line(line, LineRef(1, 1, 1), line.quantity)
            lines.append(line)
        else:
            line = product_line(item, quantity=draw(st.integers(1, 20)))
            if kind == "refund":
                line = refund_line(line, LineRef(1, 1, 1), 1)
            lines.append(line)
    return lines


@given(lines_strategy(), st.one_of(st.none(), st.integers(1, 100)))
def test_vat_summary_sums_to_the_total(lines, percent):
    goods = sum(line.gross_cents for line in lines if line.kind is LineKind.PRODUCT)
    discount = (
        None if percent is None or goods == 0 else Discount("other", percent=Decimal(percent))
    )
    sale = price_sale(lines, discount)
    assert sum(split.incl_vat for split in sale.vat) == sale.total_cents == sale.goods_cents
    by_rate: dict[Decimal, int] = {}
    for line in sale.lines:
        by_rate[line.vat_rate] = by_rate.get(line.vat_rate, 0) + line.amount_cents
    assert {split.rate: split.incl_vat for split in sale.vat} == by_rate
    for split in sale.vat:
        assert split.excl_vat + split.vat == split.incl_vat
        exact = Fraction(split.incl_vat) / (1 + Fraction(split.rate) / 100)
        assert abs(split.excl_vat - exact) <= Fraction(1, 2)
    if discount is not None:
        # the discount is 'percent' of the goods, half up, and no goods line goes negative
        assert sale.discount_cents == (2 * goods * percent + 100) // 200
        for line in sale.lines:
            if line.kind is LineKind.PRODUCT:
                assert 0 <= line.amount_cents <= line.gross_cents
            else:
                assert line.sale_discount_cents == 0


@given(PRICES, st.integers(1, 100_000))
def test_weighed_price_is_the_exact_price_rounded_half_up(price, grams):
    item = Item(1, "vrac", price, Decimal("5.5"), by_weight=True)
    exact = Fraction(price * grams, 1000)
    assert product_line(item, grams=grams).amount_cents == int(exact + Fraction(1, 2))


@given(
    PRICES,
    st.integers(1, 30),
    st.integers(0, 100),
    st.data(),
)
def test_refunds_in_any_chunks_never_exceed_what_was_paid(price, quantity, percent, data):
    discount = None if percent == 0 else Discount("other", percent=Decimal(percent))
    original = product_line(Item(1, "x", price, Decimal(20)), quantity=quantity, discount=discount)
    ref = LineRef(1, 1, 1)
    done, refunds = 0, []
    while done < quantity:
        chunk = data.draw(st.integers(1, quantity - done))
        refunds.append(refund_line(original, ref, chunk, already_refunded=done))
        done += chunk
        assert -sum(r.amount_cents for r in refunds) <= original.amount_cents
    assert all(r.amount_cents <= 0 for r in refunds)
    assert -sum(r.amount_cents for r in refunds) == original.amount_cents
    assert refunded_quantity(ref, refunds) == quantity
