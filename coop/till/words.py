"""The till's codes in words, for cashiers (gettext; French by default).

``refusal(error)`` turns a pure rule's ``Refused`` into one sentence with its figure (the missing
amount, the quantity still refundable...); the other functions name means, line kinds, periods,
the journal's record kinds, why `coop till verify` finds a record broken and how a member
category's price is rounded.
"""

from __future__ import annotations

from coop.i18n import _
from coop.money import format_money
from coop.till.payments import Means
from coop.till.refusals import Refusal, Refused


def _money(value: object) -> str:
    return format_money(value) if isinstance(value, int) else str(value)


_AMOUNTS = frozenset(
    {
        Refusal.DISCOUNT_EXCEEDS_LINE,
        Refusal.DISCOUNT_EXCEEDS_SALE,
        Refusal.UNDERPAID,
        Refusal.OVERPAID,
        Refusal.NON_CASH_EXCEEDS_TOTAL,
        Refusal.INSUFFICIENT_CREDIT,
        Refusal.UNKNOWN_DENOMINATION,
    }
)


def refusal(error: Refused) -> str:
    """One sentence for a refused rule (the value, when there is one, is in it)."""
    value = error.value
    code = error.code
    sentences: dict[Refusal, str] = {
        Refusal.NOT_AN_INTEGER: _("“{value}” is not a whole number ({field})."),
        Refusal.NOT_A_DECIMAL: _("“{value}” is not a number ({field})."),
        Refusal.BAD_ROUNDING: _("“{value}” is not a rounding rule."),
        Refusal.BAD_VAT_RATE: _("“{value}” is not a VAT rate."),
        Refusal.BAD_PERCENT: _("“{value}” is not a percentage between 0 and 100."),
        Refusal.NEGATIVE_PRICE: _("A price cannot be negative."),
        Refusal.QUANTITY_NOT_POSITIVE: _("The quantity must be more than zero."),
        Refusal.WEIGHT_REQUIRED: _("This product is sold by weight: weigh it or give the grams."),
        Refusal.NOT_SOLD_BY_WEIGHT: _("This product is not sold by weight: give a quantity."),
        Refusal.QUANTITY_AND_WEIGHT: _("Give either a quantity or a weight, not both."),
        Refusal.DISCOUNT_PERCENT_OR_AMOUNT: _("A discount is either a percentage or an amount."),
        Refusal.DISCOUNT_NOT_POSITIVE: _("A discount must be more than zero."),
        Refusal.DISCOUNT_EXCEEDS_LINE: _("The discount is more than the line ({value})."),
        Refusal.DISCOUNT_EXCEEDS_SALE: _("The discount is more than the goods ({value})."),
        Refusal.NOTHING_TO_DISCOUNT: _("There are no goods to discount in this sale."),
        Refusal.NOT_REFUNDABLE: _("This line cannot be refunded (a refund or a deposit return)."),
        Refusal.REFUND_EXCEEDS_SOLD: _(
            "That is more than was sold: {value} left to refund on that line."
        ),
        Refusal.EMPTY_SALE: _("The sale is empty."),
        Refusal.AMOUNT_NOT_POSITIVE: _("A payment must be more than zero."),
        Refusal.WRONG_SIGN: _("The till pays out on this sale: payments must be negative."),
        Refusal.MEANS_NOT_ACCEPTED: _("This payment means is not accepted here ({value})."),
        Refusal.UNDERPAID: _("The payments do not cover the total: {value} missing."),
        Refusal.OVERPAID: _("The payments exceed the total by {value}."),
        Refusal.NON_CASH_EXCEEDS_TOTAL: _(
            "Only cash can exceed the total (change is given in cash): {value} too much."
        ),
        Refusal.CASH_NOT_NEEDED: _("The other payments already cover the total: no cash needed."),
        Refusal.NOTHING_TO_PAY: _("Nothing is due on this sale: no payment to take."),
        Refusal.NO_ACCOUNT: _("Only a member can pay from a prepaid account."),
        Refusal.INSUFFICIENT_CREDIT: _(
            "Not enough credit on the prepaid account: {value} available."
        ),
        Refusal.TOP_UP_FROM_ACCOUNT: _("A top-up cannot be paid from the account it tops up."),
        Refusal.UNKNOWN_DENOMINATION: _("{value} is not a euro coin or note."),
        Refusal.NEGATIVE_COUNT: _("A count cannot be negative."),
        Refusal.WRONG_TILL: _("This belongs to another till."),
        Refusal.WRONG_PERIOD: _("This closure is of the wrong kind."),
        Refusal.OUT_OF_PERIOD: _("A sale or a closure falls outside the period."),
        Refusal.NOT_AFTER_PREVIOUS: _("This period is already closed."),
        Refusal.SALE_NUMBER_GAP: _("A sale is missing before number {value}."),
        Refusal.CLOSURE_MISSING: _("An earlier closure is missing ({value})."),
    }
    shown = value
    if code in _AMOUNTS:
        shown = _money(value)
    elif code is Refusal.MEANS_NOT_ACCEPTED:
        shown = means_name(value) if isinstance(value, Means) else value
    return sentences[code].format(value=shown, field=error.field)


def means_name(means: Means | str, local_currency: str | None = None) -> str:
    means = Means(means)
    if means is Means.LOCAL_CURRENCY and local_currency:
        return local_currency
    return {
        Means.CASH: _("cash"),
        Means.CARD: _("card"),
        Means.CHEQUE: _("cheque"),
        Means.LOCAL_CURRENCY: _("local currency"),
        Means.ACCOUNT: _("prepaid account"),
    }[means]


# --- verification ---------------------------------------------------------------------------------

ROWS_MISMATCH = "rows_mismatch"  # the sale's or closure's rows differ from the sealed data
CLOSURE_MISMATCH = "closure_mismatch"  # a closure's totals differ from what it covers
UNJOURNALED = "unjournaled_sale"  # a sale row without its journal record
UNSIGNED = "unsigned"  # a closure without the signature of the key kept outside the database
FOREIGN_KEY = "foreign_key"  # a closure signed by another key than this computer's
BAD_SIGNATURE = "bad_signature"  # a signature that does not match the closure's hash


def kind_name(kind: str | None) -> str:
    return {
        "sale": _("sale"),
        "day_closure": _("daily closure"),
        "month_closure": _("monthly closure"),
        "year_closure": _("yearly closure"),
        None: _("record"),
    }.get(kind, str(kind))


def reason_text(reason: str) -> str:
    return {
        "wrong_till": _("it belongs to another till."),
        "unreadable": _("its data cannot be read."),
        "hash_mismatch": _("its content does not give its hash: it was changed after sealing."),
        "gap": _("records are missing before it."),
        "broken_link": _("it does not link to the record before it (changed or reordered)."),
        "number_gap": _("its number does not follow the previous one of its kind."),
        "anchor_mismatch": _("it is not the record the till's head points to."),
        "truncated": _("the journal ends before the till's last record: records were removed."),
        ROWS_MISMATCH: _("its rows in the database differ from what was sealed."),
        CLOSURE_MISMATCH: _("its totals differ from the records it closes."),
        UNJOURNALED: _("a sale row exists without its journal record."),
        UNSIGNED: _("this closure is not signed with the till's key (kept outside the database)."),
        FOREIGN_KEY: _("this closure is signed with another key than the till's."),
        BAD_SIGNATURE: _(
            "its signature does not match its hash: the journal was recomputed after signing."
        ),
    }.get(reason, reason)


def membership_lines(
    share_cents: int, fee_cents: int, fee_year: int | None, share_value_cents: int | None
) -> tuple[tuple[str, int], ...]:
    """Capital shares and the yearly fee of a sale as lines in words with their amounts
    ("Parts sociales : 3 × 10,00 €", "Cotisation 2026"); an amount that is not whole shares (an
    instalment), or an unknown share value, reads "Parts sociales"."""
    lines: list[tuple[str, int]] = []
    if share_cents:
        if share_value_cents and share_cents % share_value_cents == 0:
            label = _("Capital shares: {count} × {value}").format(
                count=share_cents // share_value_cents, value=format_money(share_value_cents)
            )
        else:
            label = _("Capital shares (instalment)")
        lines.append((label, share_cents))
    if fee_cents:
        lines.append((_("Fee {year}").format(year=fee_year or ""), fee_cents))
    return tuple(lines)


def rounding(code: str) -> str:
    """A price rule's rounding (``decimal``'s name, ``ROUND_HALF_UP``) in words."""
    known = {
        "ROUND_HALF_UP": _("rounded to the nearest cent, halves up"),
        "ROUND_HALF_EVEN": _("rounded to the nearest cent, halves to even"),
        "ROUND_DOWN": _("rounded down to the cent"),
        "ROUND_UP": _("rounded up to the cent"),
    }
    return known.get(code, code)
