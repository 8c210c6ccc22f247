"""Daily (Z), monthly and yearly closures and the perpetual grand total.

The day below is worked out by hand in the comments; the properties check the totals against
sums taken directly from the sales.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.money import VatSplit
from coop.till.rules import (
    Closure,
    CommittedSale,
    Item,
    LineRef,
    Means,
    MeansTotal,
    Period,
    PriceRule,
    RecordKind,
    Refusal,
    Refused,
    Tender,
    day_closure,
    deposit_line,
    month_closure,
    price_sale,
    product_line,
    refund_line,
    seal_closure,
    settle,
    verify_chain,
    year_closure,
)

PARIS = ZoneInfo("Europe/Paris")
LENTILS = Item(1, "Lentilles vertes", 390, Decimal("5.5"), by_weight=True)
JAM = Item(2, "Confiture de fraises", 235, Decimal("5.5"))
WINE = Item(3, "Vin rouge", 750, Decimal(20))
SOAP = Item(4, "Savon", 199, Decimal(20))
BOTTLE = Item(9, "Consigne bouteille", 20, Decimal(0))
SATURDAY = date(2026, 4, 11)
CASH, CARD = Means.CASH, Means.CARD


def refused(code: Refusal) -> pytest.RaisesExc:
    return pytest.raises(Refused, match=f"^{code.value}:")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def committed(number, when, lines, tenders, *, top_up=0, till=1) -> CommittedSale:
    priced = price_sale(lines, top_up_cents=top_up)
    settlement = settle(priced.total_cents, tenders, top_up_cents=top_up)
    return CommittedSale(till, number, when, priced, settlement)


def saturday_sales(first: int = 1) -> list[CommittedSale]:
    s1_lines = [product_line(LENTILS, grams=750), product_line(WINE), deposit_line(BOTTLE, 1)]
    wine_of_s1 = s1_lines[1]
    return [
        # S1: lentils 2,93 (5,5 %) + wine 7,50 (20 %) + bottle 0,20 (0 %) = 10,63; a 20 € note
        committed(first, at(SATURDAY, 9, 5), s1_lines, [Tender(CASH, 2000)]),
        # S2: 2 jars at the solidarity price 2,12 = 4,24 (5,5 %), by card
        committed(
            first + 1,
            at(SATURDAY, 10, 30),
            [product_line(JAM, quantity=2, rule=PriceRule("solidarity", Decimal(10)))],
            [Tender(CARD, 424)],
        ),
        # S3: the wine of S1 refunded (−7,50) and its bottle brought back (−0,20): −7,70 cash
        committed(
            first + 2,
            at(SATURDAY, 11),
            [
                refund_line(wine_of_s1, LineRef(1, first, 2), 1),
                deposit_line(BOTTLE, 1, returned=True),
            ],
            [Tender(CASH, -770)],
        ),
        # S4: a soap 1,99 (20 %) and a 50 € top-up of the prepaid account: 51,99 by card
        committed(
            first + 3, at(SATURDAY, 11, 30), [product_line(SOAP)], [Tender(CARD, 5199)], top_up=5000
        ),
    ]


def friday_z() -> Closure:
    """The previous Z, as if read back: 41 sales so far, perpetual total 12 350,00 €."""
    return Closure(
        till_id=1,
        period=Period.DAY,
        start=date(2026, 4, 10),
        end=date(2026, 4, 10),
        sale_count=3,
        refund_count=0,
        refund_cents=0,
        deposit_charged_cents=0,
        deposit_returned_cents=0,
        discount_cents=0,
        top_up_cents=0,
        change_cents=0,
        first_sale_number=39,
        last_sale_number=41,
        vat=(VatSplit(Decimal("5.5"), 1000, 55),),
        payments=(MeansTotal(CASH, 1055),),
        previous_perpetual_cents=1_233_945,  # + 10,55 € → 12 350,00 €
    )


def test_saturday_z_by_hand():
    z = day_closure(1, SATURDAY, saturday_sales(first=42), friday_z())
    assert (z.period, z.start, z.end) == (Period.DAY, SATURDAY, SATURDAY)
    assert (z.sale_count, z.first_sale_number, z.last_sale_number) == (4, 42, 45)
    assert (z.refund_count, z.refund_cents) == (1, -750)
    assert (z.deposit_charged_cents, z.deposit_returned_cents) == (20, -20)
    assert (z.top_up_cents, z.discount_cents) == (5000, 0)
    assert z.change_cents == 937  # 20,00 − 10,63
    # Per rate, the sum of what each receipt printed:
    #   0 %:   S1 0,20/0 ; S3 −0,20/0                       → 0,00 excl., 0,00 VAT
    #   5,5 %: S1 2,93 → 2,78 + 0,15 ; S2 4,24 → 4,02 + 0,22 → 6,80 excl., 0,37 VAT, 7,17
    #   20 %:  S1 7,50 → 6,25 + 1,25 ; S3 −6,25 − 1,25 ; S4 1,99 → 1,66 + 0,33
    #                                                       → 1,66 excl., 0,33 VAT, 1,99
    assert [(s.rate, s.excl_vat, s.vat, s.incl_vat) for s in z.vat] == [
        (Decimal(0), 0, 0, 0),
        (Decimal("5.5"), 680, 37, 717),
        (Decimal(20), 166, 33, 199),
    ]
    # turnover 10,63 + 4,24 − 7,70 + 1,99 = 9,16 €
    assert (z.excl_vat_cents, z.vat_cents, z.total_cents) == (846, 70, 916)
    # cash 10,63 − 7,70 = 2,93 ; card 4,24 + 51,99 = 56,23 ; = turnover + the 50 € top-up
    assert z.payments == (MeansTotal(CASH, 293), MeansTotal(CARD, 5623))
    assert z.payments_cents == z.total_cents + z.top_up_cents
    # perpetual grand total: 12 350,00 + 9,16 = 12 359,16 €
    assert (z.previous_perpetual_cents, z.perpetual_cents) == (1_235_000, 1_235_916)


def test_a_day_without_sales_carries_the_totals():
    z = day_closure(1, date(2026, 4, 13), [], friday_z())
    assert (z.sale_count, z.first_sale_number, z.last_sale_number) == (0, None, 41)
    assert (z.vat, z.payments, z.total_cents) == ((), (), 0)
    assert z.perpetual_cents == 1_235_000


def test_the_shop_day_is_local_time():
    # 23:30 UTC on Saturday is 01:30 on Sunday in Paris: not a Saturday sale
    late = committed(
        1,
        datetime(2026, 4, 11, 23, 30, tzinfo=ZoneInfo("UTC")),
        [product_line(SOAP)],
        [Tender(CARD, 199)],
    )
    with refused(Refusal.OUT_OF_PERIOD):
        day_closure(1, SATURDAY, [late])
    assert day_closure(1, date(2026, 4, 12), [late]).sale_count == 1


def test_day_closure_refusals():
    sales = saturday_sales(first=42)
    with refused(Refusal.SALE_NUMBER_GAP) as caught:
        day_closure(1, SATURDAY, [sales[0], *sales[2:]], friday_z())
    assert caught.value.value == 43
    with refused(Refusal.SALE_NUMBER_GAP) as caught:
        day_closure(1, SATURDAY, sales)  # no previous Z: sale 1 expected, 42 found
    assert caught.value.value == 1
    stranger = committed(42, at(SATURDAY, 9), [product_line(SOAP)], [Tender(CARD, 199)], till=2)
    with refused(Refusal.WRONG_TILL):
        day_closure(1, SATURDAY, [stranger], friday_z())
    with refused(Refusal.NOT_AFTER_PREVIOUS):
        day_closure(1, date(2026, 4, 10), [], friday_z())
    with refused(Refusal.WRONG_TILL):
        day_closure(2, SATURDAY, [], friday_z())
    month = month_closure(1, date(2026, 3, 1), [])
    with refused(Refusal.WRONG_PERIOD):
        day_closure(1, SATURDAY, [], month)


def test_the_z_adds_up_what_the_receipts_printed():
    # three sweets at 0,05 € (20 %), one per receipt: each prints 0,05 / 1,2 = 0,0417 → 0,04
    # excl. + 0,01 VAT, so the Z says 0,12 + 0,03 (splitting 0,15 again would say 0,13 + 0,02)
    sweet = Item(7, "Bonbon", 5, Decimal(20))
    sales = [
        committed(n, at(SATURDAY, 9, n), [product_line(sweet)], [Tender(CASH, 5)])
        for n in (1, 2, 3)
    ]
    z = day_closure(1, SATURDAY, sales)
    assert [(s.rate, s.excl_vat, s.vat) for s in z.vat] == [(Decimal(20), 12, 3)]


def test_sales_are_taken_in_number_order():
    sales = saturday_sales()
    assert day_closure(1, SATURDAY, reversed(sales)) == day_closure(1, SATURDAY, sales)


# --- monthly and yearly ---------------------------------------------------------------------------


def april() -> tuple[Closure, Closure, Closure]:
    saturday = day_closure(1, SATURDAY, saturday_sales())  # sales 1-4, turnover 9,16
    # Tuesday: 2 soaps 3,98 € cash; 3,98 / 1,2 = 3,3167 → 3,32 + 0,66
    tuesday_sale = committed(
        5, at(date(2026, 4, 14), 17), [product_line(SOAP, quantity=2)], [Tender(CASH, 398)]
    )
    tuesday = day_closure(1, date(2026, 4, 14), [tuesday_sale], saturday)
    return saturday, tuesday, month_closure(1, date(2026, 4, 20), [saturday, tuesday])


def test_month_closure_aggregates_its_days():
    _, tuesday, month = april()
    assert (month.period, month.start, month.end) == (
        Period.MONTH,
        date(2026, 4, 1),
        date(2026, 4, 30),
    )
    assert (month.sale_count, month.first_sale_number, month.last_sale_number) == (5, 1, 5)
    # 20 %: 1,66 + 3,32 = 4,98 excl., 0,33 + 0,66 = 0,99 VAT, 5,97 incl.
    assert [(s.rate, s.excl_vat, s.vat) for s in month.vat] == [
        (Decimal(0), 0, 0),
        (Decimal("5.5"), 680, 37),
        (Decimal(20), 498, 99),
    ]
    assert month.total_cents == 916 + 398
    assert month.payments == (MeansTotal(CASH, 293 + 398), MeansTotal(CARD, 5623))
    assert (month.refund_count, month.refund_cents, month.top_up_cents) == (1, -750, 5000)
    assert month.perpetual_cents == tuesday.perpetual_cents == 1314


def test_month_closure_refusals():
    saturday, tuesday, month = april()
    with refused(Refusal.CLOSURE_MISSING):
        month_closure(1, date(2026, 4, 1), [tuesday])  # Saturday's Z is missing
    may_day = day_closure(1, date(2026, 5, 2), [], tuesday)
    with refused(Refusal.OUT_OF_PERIOD):
        month_closure(1, date(2026, 4, 1), [saturday, tuesday, may_day])
    with refused(Refusal.WRONG_PERIOD):
        month_closure(1, date(2026, 5, 1), [month])
    with refused(Refusal.NOT_AFTER_PREVIOUS):
        month_closure(1, date(2026, 4, 1), [], month)
    # May chains on April: its first day must start where April's last day ended
    may = month_closure(1, date(2026, 5, 1), [may_day], month)
    assert (may.perpetual_cents, may.last_sale_number, may.first_sale_number) == (1314, 5, None)
    with refused(Refusal.CLOSURE_MISSING):
        month_closure(1, date(2026, 5, 1), [may_day])  # no previous month given: starts at 0


def test_year_closure_from_months_or_days():
    saturday, tuesday, month = april()
    from_months = year_closure(1, date(2026, 1, 1), [month])
    from_days = year_closure(1, date(2026, 1, 1), [saturday, tuesday])
    assert (from_months.start, from_months.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert from_days == from_months
    assert from_months.perpetual_cents == 1314
    fiscal = year_closure(1, date(2025, 7, 1), [month])
    assert (fiscal.start, fiscal.end) == (date(2025, 7, 1), date(2026, 6, 30))
    with refused(Refusal.WRONG_PERIOD):
        year_closure(1, date(2026, 1, 1), [saturday, month])  # a mix would count twice
    with refused(Refusal.OUT_OF_PERIOD):
        year_closure(1, date(2027, 1, 1), [month])
    leap = year_closure(1, date(2028, 2, 29), [])
    assert leap.end == date(2029, 2, 28)


def test_closures_are_sealed_in_the_journal():
    saturday, _, month = april()
    record = seal_closure(saturday, 1, at(SATURDAY, 20), None)
    assert record.kind is RecordKind.DAY_CLOSURE
    assert record.data["total"] == 916 and record.data["perpetual"] == 916
    assert record.data["vat"][1] == {"rate": "5.5", "excl_vat": 680, "vat": 37, "incl_vat": 717}
    assert record.data["start"] == "2026-04-11"
    second = seal_closure(month, 1, at(date(2026, 5, 1), 8), record)
    assert second.kind is RecordKind.MONTH_CLOSURE
    assert verify_chain([record, second]).ok


# --- properties --------------------------------------------------------------------------------

RATES = [Decimal(0), Decimal("5.5"), Decimal(10), Decimal(20)]


@st.composite
def days_of_sales(draw):
    """Up to 6 days in April, each with up to 5 sales of random goods, paid in cash or card."""
    days = sorted(draw(st.sets(st.integers(1, 30), min_size=1, max_size=6)))
    number = 0
    result = []
    for day in days:
        sales = []
        for _ in range(draw(st.integers(0, 5))):
            lines = [
                product_line(
                    Item(1, "x", draw(st.integers(0, 10_000)), draw(st.sampled_from(RATES))),
                    quantity=draw(st.integers(1, 4)),
                )
                for _ in range(draw(st.integers(1, 4)))
            ]
            top_up = draw(st.sampled_from([0, 0, 2000]))
            total = sum(line.amount_cents for line in lines) + top_up
            means = draw(st.sampled_from([CASH, CARD]))
            tenders = [Tender(means, total)] if total else []
            number += 1
            when = at(date(2026, 4, day), draw(st.integers(8, 20)))
            sales.append(committed(number, when, lines, tenders, top_up=top_up))
        result.append((date(2026, 4, day), sales))
    return result


@settings(max_examples=60)
@given(days_of_sales(), st.integers(0, 10**9))
def test_grand_total_is_previous_plus_day(days, start_total):
    previous = dataclasses.replace(
        day_closure(1, date(2026, 3, 31), []), previous_perpetual_cents=start_total
    )
    zs = []
    for day, sales in days:
        z = day_closure(1, day, sales, previous)
        turnover = sum(line.amount_cents for s in sales for line in s.lines)
        assert z.total_cents == turnover
        assert z.perpetual_cents == previous.perpetual_cents + turnover
        received = sum(p.amount_cents for s in sales for p in s.settlement.payments)
        assert z.payments_cents == received == turnover + z.top_up_cents
        for split in z.vat:
            assert split.incl_vat == sum(
                line.amount_cents for s in sales for line in s.lines if line.vat_rate == split.rate
            )
        zs.append(z)
        previous = z
    march = dataclasses.replace(
        month_closure(1, date(2026, 3, 1), []), previous_perpetual_cents=start_total
    )
    month = month_closure(1, date(2026, 4, 1), zs, march)
    assert month.perpetual_cents == zs[-1].perpetual_cents
    assert month.total_cents == sum(z.total_cents for z in zs)
    assert month.sale_count == sum(len(sales) for _, sales in days)
    last_year = dataclasses.replace(
        year_closure(1, date(2025, 1, 1), []), previous_perpetual_cents=start_total
    )
    year = year_closure(1, date(2026, 1, 1), [march, month], last_year)
    assert year.total_cents == month.total_cents
    assert year.perpetual_cents == month.perpetual_cents == start_total + month.total_cents
