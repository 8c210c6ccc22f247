"""Bad input at the till: a clear refusal and nothing written (issue 4, "Bad input")."""

from __future__ import annotations

import pytest

from coop.errors import CoopError, InvalidInput
from coop.scanning import with_check_digit
from coop.till import sessions
from coop.till.payments import Means, Tender
from coop.till.refusals import TillRefused
from coop.till.selling import DepositReturn, RefundRequest, SaleRefused

from .conftest import APPLES, BEER, BREAD, DEPOSIT, JAM, LENTILS, OLD, card, cash, item, scale_label


@pytest.fixture
def open_shop(shop):
    shop.open()
    shop.sell(item(BEER, quantity=2), tenders=[cash(540)])  # sale 1: 2 beers + 2 bottles
    return shop


def refused(shop, error_type, *items, match: str | None = None, **kw):
    before = shop.counts()
    journal = shop.journal_count()
    with pytest.raises(error_type) as caught:
        shop.sell(*items, **kw)
    assert shop.counts() == before, "something was written"
    assert shop.journal_count() == journal
    if match is not None:
        assert match in str(caught.value), str(caught.value)
    return caught.value


def test_unknown_barcode(open_shop):
    unknown = with_check_digit("376000000000")
    error = refused(open_shop, InvalidInput, JAM, unknown, tenders=[cash(500)])
    assert "item 2" in str(error) and unknown in str(error)


def test_wrong_check_digit_names_the_right_one(open_shop):
    wrong = JAM[:-1] + str((int(JAM[-1]) + 1) % 10)
    refused(open_shop, InvalidInput, wrong, tenders=[cash(235)], match=f"expected {JAM[-1]}")


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "\x1d\r\n", "30176204220031234", "&é\"'(-è_çà&é\"'", "é" * 200, "ABC%$"],
)
def test_scanner_junk(open_shop, junk):
    refused(open_shop, InvalidInput, junk, tenders=[cash(235)])


def test_azerty_scanner_reads_the_same(open_shop):
    azerty = JAM.translate(str.maketrans("1234567890", "&é\"'(-è_çà"))
    receipt = open_shop.sell(azerty, tenders=[cash(235)])
    assert receipt.sale.lines[0].label == "Confiture de fraises"


def test_weight_label_for_a_product_not_sold_by_weight(open_shop):
    # a scale printed a label with the code of a piece product (21 + the jam's 5 digits)
    base = with_check_digit("2130176000000"[:12])
    open_shop.product(base, "Pot à l'unité", 300, 550)
    refused(
        open_shop,
        InvalidInput,
        scale_label(base, 500),
        tenders=[cash(300)],
        match="not sold by weight",
    )


def test_weighed_product_needs_a_weight_and_pieces_no_weight(open_shop):
    refused(open_shop, SaleRefused, LENTILS, tenders=[cash(100)], match="sold by weight")
    refused(open_shop, SaleRefused, item(JAM, grams=500), tenders=[cash(100)])


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_or_negative_quantity(open_shop, quantity):
    refused(open_shop, SaleRefused, item(JAM, quantity=quantity), tenders=[cash(235)])
    refused(open_shop, SaleRefused, item(LENTILS, grams=quantity), tenders=[cash(235)])


def test_inactive_product(open_shop):
    refused(open_shop, InvalidInput, OLD, tenders=[cash(100)], match="no longer sold")


@pytest.mark.parametrize(
    "tenders, code",
    [
        ([cash(234)], "underpaid"),
        ([card(236)], "non_cash_exceeds_total"),
        ([card(200), Tender(Means.CHEQUE, 36)], "non_cash_exceeds_total"),
        ([card(235), cash(100)], "cash_not_needed"),
        ([], "underpaid"),
        ([cash(-235)], "amount_not_positive"),
        ([Tender(Means.CHEQUE, 234)], "underpaid"),
    ],
)
def test_payments_must_match_to_the_cent(open_shop, tenders, code):
    error = refused(open_shop, SaleRefused, JAM, tenders=tenders)
    assert error.code == code


def test_the_missing_cent_is_named(open_shop):
    refused(open_shop, SaleRefused, JAM, tenders=[cash(234)], match="€0.01 missing")


def test_local_currency_only_when_configured(open_shop):
    open_shop.configure(local_currency="")
    refused(
        open_shop,
        SaleRefused,
        JAM,
        tenders=[Tender(Means.LOCAL_CURRENCY, 235)],
        match="not accepted",
    )


def test_prepaid_account_without_enough_credit(open_shop):
    open_shop.sell(top_up_cents=500, tenders=[cash(500)])
    refused(
        open_shop,
        SaleRefused,
        item(BREAD),
        tenders=[Tender(Means.ACCOUNT, 580)],
        match="€5.00 available",
    )
    assert open_shop.balance(42) == 500


def test_overdraft_when_configured(open_shop):
    from dataclasses import replace

    open_shop.settings = replace(
        open_shop.settings, accounts=replace(open_shop.settings.accounts, overdraft_cents=100)
    )
    open_shop.sell(top_up_cents=500, tenders=[cash(500)])
    open_shop.sell(item(BREAD), tenders=[Tender(Means.ACCOUNT, 580)])
    assert open_shop.balance(42) == -80
    refused(
        open_shop, SaleRefused, JAM, tenders=[Tender(Means.ACCOUNT, 235)], match="€0.20 available"
    )


def test_non_member_cannot_use_an_account(open_shop):
    open_shop.configure(non_members=True)
    refused(open_shop, SaleRefused, JAM, member=None, tenders=[Tender(Means.ACCOUNT, 235)])
    refused(open_shop, SaleRefused, member=None, top_up_cents=500, tenders=[cash(500)])


def test_sale_on_a_closed_till(shop):
    error = refused(shop, TillRefused, JAM, tenders=[cash(235)])
    assert error.code == "till_closed"
    shop.open()
    shop.close(10000)
    assert refused(shop, TillRefused, JAM, tenders=[cash(235)]).code == "till_closed"


def test_refund_larger_than_the_original(open_shop):
    # sale 1 line 1: 2 beers. Refund 1, then 2 more is too many (1 left).
    open_shop.sell(refunds=[RefundRequest(1, 1, 1)], tenders=[cash(-260)])
    error = refused(open_shop, SaleRefused, refunds=[RefundRequest(1, 1, 2)], tenders=[cash(-520)])
    assert "1 left" in str(error)
    # twice the same line in one basket counts both
    refused(
        open_shop,
        SaleRefused,
        refunds=[RefundRequest(1, 1, 1), RefundRequest(1, 1, 1)],
        tenders=[cash(-520)],
    )
    refused(open_shop, SaleRefused, refunds=[RefundRequest(9, 1)], tenders=[cash(-1)])
    refused(open_shop, SaleRefused, refunds=[RefundRequest(1, 7)], tenders=[cash(-1)])
    # a refund line cannot itself be refunded (sale 2 line 1 is the refund above)
    refused(open_shop, SaleRefused, refunds=[RefundRequest(2, 1)], tenders=[cash(260)])


def test_double_commit_of_the_same_basket(open_shop):
    first = open_shop.sell(JAM, tenders=[cash(235)], token="basket-7f3a")
    error = refused(open_shop, SaleRefused, JAM, tenders=[cash(235)], token="basket-7f3a")
    assert error.code == "already_committed" and str(first.number) in str(error)


def test_deposit_return_of_something_that_is_not_a_deposit(open_shop):
    refused(open_shop, InvalidInput, returns=[DepositReturn(JAM, 1)], tenders=[cash(-10)])
    refused(open_shop, InvalidInput, returns=[DepositReturn(DEPOSIT, 0)], tenders=[])


def test_member_card_scanned_as_an_item(open_shop):
    from coop.members import service as members

    card_code = members.active_card(
        open_shop.session, members.get_by_number(open_shop.session, 42)
    ).barcode
    refused(open_shop, InvalidInput, card_code, tenders=[cash(1)], match="member card")


def test_unknown_member(open_shop):
    with pytest.raises(CoopError):
        open_shop.sell(JAM, member="999", tenders=[cash(235)])


def test_empty_sale(open_shop):
    refused(open_shop, SaleRefused, tenders=[], match="empty")


def test_closing_a_closed_session_and_opening_twice(shop):
    shop.open()
    shop.close(10000)
    with pytest.raises(TillRefused) as caught:
        shop.close(10000)
    assert caught.value.code == "session_closed"


def test_weighed_line_with_a_price_label_and_a_quantity(open_shop):
    from .conftest import CHEESE, price_label

    refused(
        open_shop, SaleRefused, item(price_label(CHEESE, 500), quantity=2), tenders=[cash(1000)]
    )
    refused(open_shop, SaleRefused, item(scale_label(APPLES, 500), grams=200), tenders=[cash(1000)])


def test_unknown_till(shop):
    with pytest.raises(CoopError):
        sessions.open_session(
            shop.session,
            till_code="NOPE",
            count=sessions.CashCount(0),
            settings=shop.settings.till,
            actor=shop.actor,
            now=shop.now,
        )
