"""A refund goes back to the member who bought, by a means they paid with, unless a shift
leader authorises another (issue 17 §6: member 42 had been refunded cash for member 258's card
sale)."""

from __future__ import annotations

import pytest

from coop.till.selling import RefundRequest, SaleRefused

from .conftest import BEER, card, cash, item


@pytest.fixture
def card_sale(shop):
    shop.open()
    shop.sell(item(BEER, quantity=2), member="42", tenders=[card(540)])  # sale 1
    return shop


def test_a_refund_to_another_member_is_refused(card_sale):
    with pytest.raises(SaleRefused) as caught:
        card_sale.sell(refunds=[RefundRequest(1, 1, 1)], member="43", tenders=[card(-260)])
    assert caught.value.code == "refund_other_buyer"


def test_a_refund_in_cash_of_a_card_sale_is_refused(card_sale):
    with pytest.raises(SaleRefused) as caught:
        card_sale.sell(refunds=[RefundRequest(1, 1, 1)], member="42", tenders=[cash(-260)])
    assert caught.value.code == "refund_other_means"


def test_the_same_buyer_and_means_need_nobody(card_sale):
    receipt = card_sale.sell(refunds=[RefundRequest(1, 1, 1)], member="42", tenders=[card(-260)])
    assert receipt.sale.total_cents == -260


def test_a_shift_leader_may_authorise_another_means(card_sale):
    with pytest.raises(SaleRefused) as caught:  # 42 holds no role
        card_sale.sell(
            refunds=[RefundRequest(1, 1, 1)], member="42", authorised_by=42, tenders=[cash(-260)]
        )
    assert caught.value.code == "not_authorised"  # the discount mechanism's own refusal
    receipt = card_sale.sell(
        refunds=[RefundRequest(1, 1, 1)], member="42", authorised_by=43, tenders=[cash(-260)]
    )
    assert receipt.sale.total_cents == -260
