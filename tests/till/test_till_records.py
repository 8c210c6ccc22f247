"""Rows and journal data agree: what a commit writes rebuilds exactly what it sealed.

`verify` compares ``records.sale_data`` (built from the rows) with the journal's stored data,
which was ``CommittedSale.to_data``: on generated sales the two must be the same plain values,
and the rows must rebuild the very same committed sale.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from coop.money import rate_to_bp
from coop.till import records
from coop.till.journal import canonical_bytes, plain
from coop.till.payments import Means, Tender, settle
from coop.till.pricing import (
    Discount,
    DiscountReason,
    Item,
    LineRef,
    PriceRule,
    deposit_line,
    price_sale,
    product_line,
    refund_line,
)
from coop.till.refusals import Refused
from coop.till.sales import CommittedSale

PARIS = ZoneInfo("Europe/Paris")
RATES = [Decimal(0), Decimal("2.1"), Decimal("5.5"), Decimal(10), Decimal(20)]

items = st.builds(
    Item,
    product_id=st.integers(1, 500),
    label=st.text(min_size=1, max_size=30),
    price_cents=st.integers(0, 50_000),
    vat_rate=st.sampled_from(RATES),
    by_weight=st.booleans(),
)
discounts = st.one_of(
    st.none(),
    st.builds(
        Discount,
        reason=st.sampled_from(list(DiscountReason)),
        percent=st.sampled_from([Decimal(5), Decimal("12.5"), Decimal(100)]),
        note=st.text(max_size=10),
    ),
)


@st.composite
def sales(draw):
    rule = draw(st.one_of(st.none(), st.just(PriceRule("solidarity", Decimal(10)))))
    lines = []
    for item in draw(st.lists(items, min_size=1, max_size=6)):
        discount = draw(discounts)
        try:
            if item.by_weight:
                line = product_line(item, grams=draw(st.integers(1, 5000)), rule=rule)
            else:
                line = product_line(
                    item, quantity=draw(st.integers(1, 12)), rule=rule, discount=discount
                )
        except Refused:
            continue
        lines.append(line)
        if draw(st.booleans()) and not item.by_weight:
            lines.append(deposit_line(Item(999, "Consigne", 10, Decimal(20)), line.quantity))
    if lines and draw(st.booleans()):
        original = lines[0]
        with contextlib.suppress(Refused):
            lines.append(refund_line(original, LineRef(3, 17, 1), 1))
    if not lines:
        lines.append(deposit_line(Item(999, "Consigne", 10, Decimal(20)), 1, returned=True))
    sale_discount = draw(
        st.one_of(
            st.none(),
            st.just(Discount(DiscountReason.GOODWILL, amount_cents=1, note="geste")),
        )
    )
    membership = draw(st.sampled_from([(0, 0, None), (3000, 0, None), (1000, 1500, 2026)]))
    try:
        priced = price_sale(
            lines,
            sale_discount,
            top_up_cents=draw(st.sampled_from([0, 500])),
            share_cents=membership[0],
            fee_cents=membership[1],
            fee_year=membership[2],
        )
    except Refused:
        priced = price_sale(lines, None)
    total = priced.total_cents
    if total > 0:
        tenders = [Tender(Means.CARD, total // 2), Tender(Means.CASH, total - total // 2 + 300)]
        tenders = [t for t in tenders if t.amount_cents > 0]
    elif total < 0:
        tenders = [Tender(Means.CASH, total)]
    else:
        tenders = []
    settlement = settle(total, tenders, top_up_cents=priced.top_up_cents)
    member = draw(st.one_of(st.none(), st.integers(1, 10_000)))
    return CommittedSale(
        1, 7, datetime(2026, 4, 11, 10, 5, tzinfo=PARIS), priced, settlement, member
    )


def rows_of(sale: CommittedSale):
    """The values ``selling.commit_sale`` writes, in the column orders verification reads."""
    priced = sale.sale
    sale_row = {
        "member_id": sale.member_id,
        **records.discount_columns(priced.discount),
        "top_up_cents": priced.top_up_cents,
        "total_cents": priced.total_cents,
        "cash_tendered_cents": sale.settlement.cash_tendered_cents,
        "change_cents": sale.settlement.change_cents,
        "cashier": "Camille",
        "session_id": 3,
        "shopper_id": None,
        "authorised_by_id": 9,
        "override_reason": None,
        "goods_cents": priced.goods_cents,
        "share_cents": priced.share_cents,
        "fee_cents": priced.fee_cents,
        "fee_year": priced.fee_year,
    }
    line_rows = [records.line_values(1, no, line) for no, line in enumerate(priced.lines, 1)]
    payments = [(p.means.value, p.amount_cents, p.reference) for p in sale.settlement.payments]
    vat = [(rate_to_bp(s.rate), s.excl_vat, s.vat) for s in priced.vat]
    return sale_row, line_rows, payments, vat


@settings(max_examples=300, deadline=None)
@given(sales())
def test_rows_rebuild_the_sealed_data(sale):
    sale_row, line_rows, payments, vat = rows_of(sale)
    rebuilt = records.sale_data(
        tuple(sale_row[c] for c in records.SALE_READ_COLUMNS),
        [tuple(row[c] for c in records.LINE_READ_COLUMNS) for row in line_rows],
        payments,
        vat,
        (2, -3),
        (1, 500),
    )
    sealed = {
        **sale.to_data(),
        "cashier": "Camille",
        "session": 3,
        "shopper": None,
        "authorised_by": 9,
        "override": None,
        "goods": sale.sale.goods_cents,
        "stock": [2, -3],
        "account": [1, 500],
    }
    assert rebuilt == plain(sealed)
    assert canonical_bytes(rebuilt) == canonical_bytes(sealed)


@settings(max_examples=200, deadline=None)
@given(sales())
def test_rows_rebuild_the_committed_sale(sale):
    sale_row, line_rows, payments, _vat = rows_of(sale)
    full = {**sale_row, "till_id": 1, "number": 7, "at": sale.at}
    payment_rows = [
        {"means": means, "amount_cents": amount, "reference": reference}
        for means, amount, reference in payments
    ]
    assert records.committed_of(full, line_rows, payment_rows) == sale


@settings(max_examples=200, deadline=None)
@given(sales())
def test_row_tuples_rebuild_the_same_lines(sale):
    """The Z's fast path (row tuples in LINE_READ_COLUMNS order) gives the same lines."""
    _sale_row, line_rows, _payments, _vat = rows_of(sale)
    for row in line_rows:
        values = tuple(row[c] for c in records.LINE_READ_COLUMNS)
        assert records.line_of_values(values) == records.line_of(row)
