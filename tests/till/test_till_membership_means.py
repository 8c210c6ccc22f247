"""Which means paid the shares and fees taken at the till (``coop.till.membership_means``): the
rule worked by hand — shares first, then the fee, from the means in the order cash, card,
cheque, local currency, prepaid account; what refunds in the same sale leave uncovered is set
off, paid by no means."""

from __future__ import annotations

from datetime import datetime

import pytest

from coop.clock import SHOP_TIMEZONE
from coop.till.rules import (
    CommittedSale,
    Means,
    MeansTotal,
    Tender,
    membership_by_means,
    price_sale,
    sales_membership_by_means,
    settle,
)

CASH, CARD, CHEQUE, ACCOUNT = Means.CASH, Means.CARD, Means.CHEQUE, Means.ACCOUNT


def test_shares_alone_by_one_means_are_that_means():
    split = membership_by_means(6500, 0, {CARD: 6500})
    assert split.shares == (MeansTotal(CARD, 6500),)
    assert (split.fees, split.share_offset_cents, split.fee_offset_cents) == ((), 0, 0)


def test_shares_take_cash_first_then_card():
    # 3 shares 30,00 € + jam 2,35 €, paid 20,00 € card and 12,35 € cash:
    # the shares take the 12,35 € of cash, then 17,65 € of the card; the jam is paid by card
    split = membership_by_means(3000, 0, {CARD: 2000, CASH: 1235})
    assert split.shares == (MeansTotal(CASH, 1235), MeansTotal(CARD, 1765))
    assert split.share_cents == 3000


def test_the_fee_takes_what_the_shares_left_and_the_goods_the_rest():
    # shares 10,00 € + fee 15,00 € + goods 20,00 €: card 20,00 €, cash 30,00 € handed over
    # with 5,00 € change (25,00 € booked) → shares: cash 10; fee: cash 15; goods: card 20
    settlement = settle(4500, [Tender(CARD, 2000), Tender(CASH, 3000)])
    split = membership_by_means(1000, 1500, settlement.by_means())
    assert split.shares == (MeansTotal(CASH, 1000),)
    assert split.fees == (MeansTotal(CASH, 1500),)


def test_a_fee_split_over_three_means_in_their_order():
    # shares 50,00 € + fee 15,00 €: account 10,00 €, cheque 40,00 €, cash 5,00 €, card 10,00 €
    # → shares: cash 5, card 10, cheque 35; fee: cheque 5, account 10
    split = membership_by_means(5000, 1500, {ACCOUNT: 1000, CHEQUE: 4000, CASH: 500, CARD: 1000})
    assert split.shares == (MeansTotal(CASH, 500), MeansTotal(CARD, 1000), MeansTotal(CHEQUE, 3500))
    assert split.fees == (MeansTotal(CHEQUE, 500), MeansTotal(ACCOUNT, 1000))


def test_refunds_in_the_same_sale_are_set_off_against_the_fee_then_the_shares():
    # shares 10,00 € + fee 5,00 € with a refund of −8,00 €: 7,00 € paid in cash
    split = membership_by_means(1000, 500, {CASH: 700})
    assert split.shares == (MeansTotal(CASH, 700),)
    assert (split.fees, split.share_offset_cents, split.fee_offset_cents) == ((), 300, 500)
    # a sale that pays out books no money received: everything is set off
    out = membership_by_means(1000, 0, {CASH: -500})
    assert (out.shares, out.share_offset_cents) == ((), 1000)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        membership_by_means(-1, 0, {CASH: 100})


def _sale(number: int, share: int, fee: int, goods_free_tenders: list[Tender]) -> CommittedSale:
    priced = price_sale([], share_cents=share, fee_cents=fee, fee_year=2026 if fee else None)
    return CommittedSale(
        till_id=1,
        number=number,
        at=datetime(2026, 12, 6, 10, number, tzinfo=SHOP_TIMEZONE),
        sale=priced,
        settlement=settle(priced.total_cents, goods_free_tenders),
    )


def test_a_day_adds_the_sales_up_and_the_cents_add_up():
    # shares 30,00 € in cash (50 € note, 20 € change), shares 35,00 € by card, then shares
    # 10,00 € + fee 15,00 € with 5,00 € cash and 20,00 € card: the shares take the 5 € of cash
    # and 5 € of card, the fee 15 € of card → shares cash 35,00, card 40,00; fee card 15,00
    sales = [
        _sale(1, 3000, 0, [Tender(CASH, 5000)]),  # 20,00 € change
        _sale(2, 3500, 0, [Tender(CARD, 3500)]),
        _sale(3, 1000, 1500, [Tender(CASH, 500), Tender(CARD, 2000)]),
    ]
    day = sales_membership_by_means(sales)
    assert day.shares == (MeansTotal(CASH, 3500), MeansTotal(CARD, 4000))
    assert day.fees == (MeansTotal(CARD, 1500),)
    assert (day.share_cents, day.fee_cents) == (7500, 1500)
    assert day.to_data() == {
        "shares": [{"means": CASH, "amount": 3500}, {"means": CARD, "amount": 4000}],
        "fees": [{"means": CARD, "amount": 1500}],
        "shares_offset": 0,
        "fees_offset": 0,
    }
    assert sales_membership_by_means([]).to_data()["shares"] == []
