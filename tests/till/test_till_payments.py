"""Payments (several means, change only from cash, prepaid accounts) and the cash drawer.

Expected figures are worked out by hand in the comments; the properties restate the rule
("accepted iff the tenders cover the total exactly, cash excess being change") independently.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.till.rules import (
    EURO_DENOMINATIONS,
    CashMovement,
    Means,
    MovementReason,
    Payment,
    PaymentPolicy,
    Refusal,
    Refused,
    Settlement,
    Tender,
    count_cash,
    declared_cash,
    reconcile,
    settle,
)

CASH, CARD, CHEQUE, LOCAL, ACCOUNT = (
    Means.CASH,
    Means.CARD,
    Means.CHEQUE,
    Means.LOCAL_CURRENCY,
    Means.ACCOUNT,
)
GONETTE = PaymentPolicy(local_currency_name="Gonette")


def refused(code: Refusal) -> pytest.RaisesExc:
    return pytest.raises(Refused, match=f"^{code.value}:")


# --- several means -------------------------------------------------------------------------------


def test_20_euros_cash_and_the_rest_by_card():
    # 47,35 € : a 20 € note, then 47,35 − 20 = 27,35 € keyed on the card terminal
    settlement = settle(4735, [Tender(CASH, 2000), Tender(CARD, 2735, "TPE 0042")])
    assert settlement.payments == (Payment(CASH, 2000), Payment(CARD, 2735, "TPE 0042"))
    assert (settlement.cash_tendered_cents, settlement.change_cents) == (2000, 0)


def test_card_first_then_a_20_euro_note_with_change():
    # 47,35 €: 30,00 € by card, leaves 17,35 €; the member hands a 20 € note → 2,65 € change
    settlement = settle(4735, [Tender(CARD, 3000), Tender(CASH, 2000)])
    assert settlement.payments == (Payment(CARD, 3000), Payment(CASH, 1735))
    assert (settlement.cash_tendered_cents, settlement.change_cents) == (2000, 265)
    assert settlement.by_means() == {CARD: 3000, CASH: 1735}
    assert settlement.cash_cents == 1735


def test_several_notes_are_one_cash_payment():
    # 23,40 € paid with a 20 € and a 10 € note: 30,00 − 23,40 = 6,60 € change
    settlement = settle(2340, [Tender(CASH, 2000), Tender(CASH, 1000)])
    assert settlement.payments == (Payment(CASH, 2340),)
    assert settlement.change_cents == 660


def test_cheque_and_local_currency():
    settlement = settle(3500, [Tender(LOCAL, 1500), Tender(CHEQUE, 2000, "n° 1234567")], GONETTE)
    assert settlement.by_means() == {LOCAL: 1500, CHEQUE: 2000}


def test_local_currency_only_once_the_coop_has_named_it():
    with refused(Refusal.MEANS_NOT_ACCEPTED):
        settle(1500, [Tender(LOCAL, 1500)])
    assert settle(1500, [Tender(LOCAL, 1500)], GONETTE).payments == (Payment(LOCAL, 1500),)
    cards_only = PaymentPolicy(accepted=frozenset({CARD}))
    with refused(Refusal.MEANS_NOT_ACCEPTED):
        settle(1500, [Tender(CHEQUE, 1500)], cards_only)


@pytest.mark.parametrize(
    ("tenders", "code", "value"),
    [
        # 30 + 20 = 50 € by card for 47,35 €: a card gives no change; 2,65 € too much
        ([Tender(CARD, 3000), Tender(CARD, 2000)], Refusal.NON_CASH_EXCEEDS_TOTAL, 265),
        # 50 in local currency for 47,35 € cannot give change either
        ([Tender(LOCAL, 5000)], Refusal.NON_CASH_EXCEEDS_TOTAL, 265),
        # 20 € cash + 20 € card for 47,35 €: 7,35 € missing
        ([Tender(CASH, 2000), Tender(CARD, 2000)], Refusal.UNDERPAID, 735),
        ([], Refusal.UNDERPAID, 4735),
        # the card already covers everything: the cash would all come back
        ([Tender(CARD, 4735), Tender(CASH, 500)], Refusal.CASH_NOT_NEEDED, 500),
        ([Tender(CARD, 0), Tender(CASH, 5000)], Refusal.AMOUNT_NOT_POSITIVE, 0),
        ([Tender(CASH, -100)], Refusal.AMOUNT_NOT_POSITIVE, -100),
    ],
)
def test_wrong_tenders_are_refused(tenders, code, value):
    with refused(code) as caught:
        settle(4735, tenders, GONETTE)
    assert caught.value.value == value


def test_tender_amounts_are_integer_cents():
    with refused(Refusal.NOT_AN_INTEGER):
        Tender(CASH, 20.0)
    with refused(Refusal.MEANS_NOT_ACCEPTED):
        Tender("bitcoin", 100)
    assert Tender("card", 100).means is CARD


# --- prepaid account -----------------------------------------------------------------------------


def test_prepaid_account_without_overdraft():
    # balance 10,00 €: a 12,00 € purchase is refused, the member may still pay 10,00 € from it
    with refused(Refusal.INSUFFICIENT_CREDIT) as caught:
        settle(1200, [Tender(ACCOUNT, 1200)], account_balance_cents=1000)
    assert caught.value.value == 1000
    settlement = settle(
        1200, [Tender(ACCOUNT, 1000), Tender(CASH, 200)], account_balance_cents=1000
    )
    assert settlement.account_cents == 1000


def test_prepaid_account_with_a_configured_overdraft():
    # overdraft 5 €: balance 10 € may pay 15 €; a balance of −2 € may still pay 3 €
    policy = PaymentPolicy(overdraft_cents=500)
    assert settle(1200, [Tender(ACCOUNT, 1200)], policy, account_balance_cents=1000).payments == (
        Payment(ACCOUNT, 1200),
    )
    with refused(Refusal.INSUFFICIENT_CREDIT) as caught:
        settle(1501, [Tender(ACCOUNT, 1501)], policy, account_balance_cents=1000)
    assert caught.value.value == 1500
    with refused(Refusal.INSUFFICIENT_CREDIT) as caught:
        settle(400, [Tender(ACCOUNT, 400)], policy, account_balance_cents=-200)
    assert caught.value.value == 300
    with refused(Refusal.INSUFFICIENT_CREDIT) as caught:
        settle(100, [Tender(ACCOUNT, 100)], policy, account_balance_cents=-900)
    assert caught.value.value == 0


def test_account_needs_an_account_and_cannot_pay_its_own_top_up():
    with refused(Refusal.NO_ACCOUNT):
        settle(500, [Tender(ACCOUNT, 500)])
    # soap 1,99 € + a 50 € top-up: the top-up cannot come from the account it tops up
    with refused(Refusal.TOP_UP_FROM_ACCOUNT):
        settle(5199, [Tender(ACCOUNT, 5199)], account_balance_cents=99999, top_up_cents=5000)
    settlement = settle(5199, [Tender(CARD, 5199)], top_up_cents=5000)
    assert settlement.by_means() == {CARD: 5199}
    with refused(Refusal.NOT_AN_INTEGER):
        PaymentPolicy(overdraft_cents=5.0)


# --- paying out and nothing to pay ----------------------------------------------------------------


def test_refund_paid_out_in_cash_or_credited_to_the_account():
    # a refund of 5,97 €: the till pays out exactly 5,97 €, never with change
    settlement = settle(-597, [Tender(CASH, -597)])
    assert (settlement.cash_cents, settlement.change_cents) == (-597, 0)
    assert settle(-597, [Tender(ACCOUNT, -597)], account_balance_cents=0).account_cents == -597
    with refused(Refusal.OVERPAID) as caught:
        settle(-597, [Tender(CASH, -600)])
    assert caught.value.value == 3
    with refused(Refusal.UNDERPAID) as caught:
        settle(-597, [Tender(CASH, -500)])
    assert caught.value.value == 97
    with refused(Refusal.WRONG_SIGN):
        settle(-597, [Tender(CASH, 597)])
    with refused(Refusal.NO_ACCOUNT):
        settle(-597, [Tender(ACCOUNT, -597)])


def test_a_zero_sale_takes_no_tender():
    assert settle(0, []) == Settlement(total_cents=0, payments=())
    with refused(Refusal.NOTHING_TO_PAY):
        settle(0, [Tender(CASH, 100)])


# --- properties -----------------------------------------------------------------------------------

TENDERS = st.lists(
    st.builds(Tender, st.sampled_from([CASH, CARD, CHEQUE, LOCAL]), st.integers(1, 20_000)),
    max_size=5,
)


@given(st.integers(1, 50_000), TENDERS)
def test_payments_accepted_iff_they_cover_exactly(total, tenders):
    cash = sum(t.amount_cents for t in tenders if t.means == "cash")
    other = sum(t.amount_cents for t in tenders if t.means != "cash")
    acceptable = other <= total <= other + cash and not (cash > 0 and other == total)
    try:
        settlement = settle(total, tenders, GONETTE)
    except Refused:
        assert not acceptable
        return
    assert acceptable
    assert sum(p.amount_cents for p in settlement.payments) == total
    assert settlement.change_cents == other + cash - total
    assert settlement.cash_tendered_cents == cash
    assert all(p.amount_cents > 0 for p in settlement.payments)


@given(st.integers(-50_000, -1), TENDERS)
def test_payouts_accepted_iff_they_match_exactly(total, tenders):
    negative = [Tender(t.means, -t.amount_cents) for t in tenders]
    try:
        settlement = settle(total, negative, GONETTE)
    except Refused:
        assert sum(t.amount_cents for t in negative) != total or not negative
        return
    assert sum(p.amount_cents for p in settlement.payments) == total
    assert settlement.change_cents == 0


# --- the cash drawer ------------------------------------------------------------------------------


def test_opening_float_counted_by_coins_and_notes():
    # 20 € + 2 × 10 € + 5 × 2 € + 10 × 1 € + 10 × 0,50 € + 20 × 0,10 €
    # = 20 + 20 + 10 + 10 + 5 + 2 = 67,00 €
    count = count_cash({2000: 1, 1000: 2, 200: 5, 100: 10, 50: 10, 10: 20, 5: 0})
    assert count.total_cents == 6700
    assert count.pieces == ((10, 20), (50, 10), (100, 10), (200, 5), (1000, 2), (2000, 1))


def test_closing_count_against_the_session():
    opening = count_cash({2000: 1, 1000: 2, 200: 5, 100: 10, 50: 10, 10: 20})  # 67,00 €
    sessions = [
        settle(4735, [Tender(CARD, 3000), Tender(CASH, 2000)]),  # 20 € in, 2,65 € back
        settle(1250, [Tender(CASH, 5000)]),  # 50 € in, 37,50 € back
        settle(-597, [Tender(CASH, -597)]),  # a refund paid out: 5,97 €
        settle(899, [Tender(CARD, 899)]),  # no cash
    ]
    drop = CashMovement(-5000, MovementReason.SAFE_DROP)  # 50 € to the safe
    # expected = 67,00 + (20 + 50) − (2,65 + 37,50) − 5,97 − 50 = 40,88 €
    counted = count_cash({2000: 1, 1000: 1, 500: 2, 10: 9})  # 20 + 10 + 10 + 0,90 = 40,90 €
    result = reconcile(opening, sessions, counted, [drop])
    assert (result.tendered_cents, result.change_cents, result.paid_out_cents) == (7000, 4015, 597)
    assert result.movements_cents == -5000
    assert result.expected_cents == 4088
    assert result.difference_cents == 2  # 2 cents too many
    short = reconcile(opening, sessions, declared_cash(4080), [drop])
    assert short.difference_cents == -8


def test_bad_counts_are_refused():
    with refused(Refusal.UNKNOWN_DENOMINATION):
        count_cash({300: 1})
    with refused(Refusal.NEGATIVE_COUNT):
        count_cash({100: -1})
    with refused(Refusal.NOT_AN_INTEGER):
        count_cash({100: 1.0})
    with refused(Refusal.NEGATIVE_COUNT):
        declared_cash(-1)
    with pytest.raises(ValueError):
        CashMovement(100, "lunch")


@given(
    st.dictionaries(st.sampled_from(EURO_DENOMINATIONS), st.integers(0, 50)),
    st.lists(st.integers(1, 30_000), max_size=8),
    st.lists(st.integers(-30_000, -1), max_size=3),
    st.lists(st.integers(-20_000, 20_000), max_size=3),
    st.integers(0, 500_000),
)
def test_cash_difference_is_counted_minus_expected(pieces, sales, refunds, moves, counted):
    opening = count_cash(pieces)
    assert opening.total_cents == sum(d * n for d, n in pieces.items())
    # every sale is paid with the next 10 € multiple in cash, every refund paid out in cash
    settlements = [settle(t, [Tender(CASH, -(-t // 1000) * 1000)]) for t in sales]
    settlements += [settle(t, [Tender(CASH, t)]) for t in refunds]
    movements = [CashMovement(m, MovementReason.OTHER) for m in moves]
    result = reconcile(opening, settlements, declared_cash(counted), movements)
    expected = opening.total_cents + sum(sales) + sum(refunds) + sum(moves)
    assert result.expected_cents == expected
    assert result.difference_cents == counted - expected
