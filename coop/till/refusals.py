"""Why the till refuses something: one code per wrong case, worded later by the UI (gettext).

Rules raise ``Refused`` with a ``Refusal``; nothing is half-done when they do, so the service can
refuse a whole sale before writing anything (issue 4, "Bad input"). The use cases raise
``TillRefused`` (and ``SaleRefused`` for a basket) with a ``TillRefusal`` or, when a rule said
no, that rule's ``Refusal``, and a sentence: screens branch on the code (an enum member; it is
also its string, so stored and JSON values are unchanged), people read the sentence.
"""

from __future__ import annotations

from enum import StrEnum

from coop.errors import CoopError


class Refusal(StrEnum):
    """Machine-readable reasons; the stored/JSON value is the lower-case name."""

    # plain values
    NOT_AN_INTEGER = "not_an_integer"  # a quantity or an amount that is not an int (float, bool...)
    NOT_A_DECIMAL = "not_a_decimal"  # a percent or a VAT rate that is not a Decimal
    BAD_ROUNDING = "bad_rounding"  # not one of the decimal module's rounding names
    BAD_VAT_RATE = "bad_vat_rate"  # outside [0, 100)
    BAD_PERCENT = "bad_percent"  # a price rule or a discount percent out of range
    NEGATIVE_PRICE = "negative_price"
    # sale lines
    QUANTITY_NOT_POSITIVE = "quantity_not_positive"
    WEIGHT_REQUIRED = "weight_required"  # a product sold by weight without grams
    NOT_SOLD_BY_WEIGHT = "not_sold_by_weight"  # grams (a scale label) for a piece product
    QUANTITY_AND_WEIGHT = "quantity_and_weight"  # both given: ambiguous
    DISCOUNT_PERCENT_OR_AMOUNT = "discount_percent_or_amount"  # exactly one is needed
    DISCOUNT_NOT_POSITIVE = "discount_not_positive"
    DISCOUNT_EXCEEDS_LINE = "discount_exceeds_line"  # value: the line's amount
    DISCOUNT_EXCEEDS_SALE = "discount_exceeds_sale"  # value: the discountable amount
    NOTHING_TO_DISCOUNT = "nothing_to_discount"  # a sale discount on a sale without goods
    NOT_REFUNDABLE = "not_refundable"  # a refund or a deposit return cannot be refunded
    REFUND_EXCEEDS_SOLD = "refund_exceeds_sold"  # value: the quantity still refundable
    EMPTY_SALE = "empty_sale"
    # payments
    AMOUNT_NOT_POSITIVE = "amount_not_positive"  # a tender of 0 or less on a sale to pay
    WRONG_SIGN = "wrong_sign"  # a positive tender on a refund (the till pays out) or vice versa
    MEANS_NOT_ACCEPTED = "means_not_accepted"  # e.g. local currency without a configured name
    UNDERPAID = "underpaid"  # value: the missing cents
    OVERPAID = "overpaid"  # value: the excess cents (only cash may exceed, as change)
    NON_CASH_EXCEEDS_TOTAL = "non_cash_exceeds_total"  # change only from cash; value: excess
    CASH_NOT_NEEDED = "cash_not_needed"  # cash tendered although other means cover everything
    NOTHING_TO_PAY = "nothing_to_pay"  # tenders on a sale whose total is 0
    NO_ACCOUNT = "no_account"  # prepaid account used without an account (non-member)
    INSUFFICIENT_CREDIT = "insufficient_credit"  # value: what the account may still pay
    TOP_UP_FROM_ACCOUNT = "top_up_from_account"  # a top-up paid by the account it tops up
    # cash counts
    UNKNOWN_DENOMINATION = "unknown_denomination"
    NEGATIVE_COUNT = "negative_count"
    # closures
    WRONG_TILL = "wrong_till"
    WRONG_PERIOD = "wrong_period"  # a part or a previous closure of the wrong kind
    OUT_OF_PERIOD = "out_of_period"  # a sale or a part outside the closure's dates
    NOT_AFTER_PREVIOUS = "not_after_previous"  # a closure not strictly after the previous one
    SALE_NUMBER_GAP = "sale_number_gap"  # value: the sale number expected next
    CLOSURE_MISSING = "closure_missing"  # the parts do not chain from the previous closure


class Refused(ValueError):
    """A till rule said no. ``code`` says why, ``field`` names the input at fault and ``value``
    carries the one figure the UI needs (missing cents, refundable quantity...) when there is one.
    """

    def __init__(self, code: Refusal, field: str, value: object = None, detail: str = "") -> None:
        self.code = code
        self.field = field
        self.value = value
        super().__init__(f"{code.value}: {field}={value!r}" + (f" ({detail})" if detail else ""))


class TillRefusal(StrEnum):
    """What the till's use cases refuse (beyond a rule's ``Refusal``); the value is the code."""

    # tills and sessions
    TILL_CLOSED = "till_closed"  # no open session
    SESSION_OPEN = "session_open"  # opening a till already open
    SESSION_CLOSED = "session_closed"  # closing a till with no open session
    DAY_CLOSED = "day_closed"  # today's Z is taken: no more sales nor sessions today
    # closures
    DAY_ALREADY_CLOSED = "day_already_closed"
    FUTURE_DAY = "future_day"
    MONTH_ALREADY_CLOSED = "month_already_closed"
    MONTH_NOT_OVER = "month_not_over"
    YEAR_ALREADY_CLOSED = "year_already_closed"
    YEAR_NOT_OVER = "year_not_over"
    # a basket
    MEMBERS_ONLY = "members_only"  # a non-member where only members may buy
    NOT_A_MEMBER = "not_a_member"  # the member field finds nobody by card or number
    MAY_NOT_SHOP = "may_not_shop"  # the desk check refuses and the cashier gave no reason
    ALREADY_COMMITTED = "already_committed"  # the basket's token was committed before
    DISCOUNT_NEEDS_AUTHORISATION = "discount_needs_authorisation"
    NOT_AUTHORISED = "not_authorised"  # the authoriser holds none of the discount roles
    UNKNOWN_SALE = "unknown_sale"  # a refund of a sale that does not exist
    UNKNOWN_LINE = "unknown_line"  # a refund of a line the sale does not have
    ALREADY_REFUNDED = "already_refunded"  # a refund of a line refunded in full before
    OVER_LIMIT = "over_limit"  # a quantity or an amount beyond a configured ``[till] max_*``
    REFUND_OTHER_BUYER = "refund_other_buyer"  # a refund to another member than the buyer
    REFUND_OTHER_MEANS = "refund_other_means"  # a refund by a means the sale was not paid with
    MEMBERSHIP_REFUSED = "membership_refused"  # shares or a fee the till cannot take


class TillRefused(CoopError):
    """Something the till refuses to do; ``code`` names the case for screens and tests."""

    def __init__(self, code: TillRefusal | Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code


class SaleRefused(TillRefused):
    """The basket cannot be committed as it is; nothing was written."""
