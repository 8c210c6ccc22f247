"""Pure rules of capital shares (parts sociales) and yearly fees: what a member owes, whether a
payment or a refund is allowed, when the statutes' delay ends, who counts as a member on a day.

No Session, no I/O, no clock: amounts are integer cents, "today" is given. Errors are
``ValueError`` with the sentence to show; the use cases turn them into ``InvalidInput``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from coop.dates import format_date
from coop.i18n import _
from coop.money import format_money


@dataclass(frozen=True)
class ShareStanding:
    """Where a member stands with their shares on a day."""

    required_cents: int
    paid_cents: int
    """Net: payments minus refunds."""
    share_value_cents: int
    deadline: date | None
    """Last day to pay what is still due (with instalments), None when paid or due at once."""
    overdue: bool
    """Something is due and the time to pay it has passed (the desk refuses)."""

    @property
    def due_cents(self) -> int:
        return max(0, self.required_cents - self.paid_cents)

    @property
    def shares_held(self) -> int:
        """Whole shares paid for (an instalment pays part of a share)."""
        return max(0, self.paid_cents) // self.share_value_cents if self.share_value_cents else 0


def standing(
    *,
    required_shares: int,
    share_value_cents: int,
    paid_cents: int,
    joined_on: date,
    today: date,
    instalments: int,
    instalment_months: int,
) -> ShareStanding:
    """A member's shares: what is required, paid, still due and whether it is late."""
    required = required_shares * share_value_cents
    due = max(0, required - paid_cents)
    deadline = None
    if due and instalments > 1:
        deadline = joined_on + relativedelta(months=instalment_months)
    overdue = due > 0 and (deadline is None or today > deadline)
    return ShareStanding(required, paid_cents, share_value_cents, deadline, overdue)


def check_payment(
    amount_cents: int, share: ShareStanding, *, payments_made: int, instalments: int
) -> None:
    """A share payment is more than zero; below what is due only as an allowed instalment; any
    extra buys whole shares."""
    if amount_cents <= 0:
        raise ValueError(_("the amount must be more than zero"))
    due = share.due_cents
    if amount_cents < due:
        if instalments <= 1:
            raise ValueError(
                _("the shares are paid at once: {due} is due").format(due=format_money(due))
            )
        if payments_made + 1 >= instalments:
            raise ValueError(
                _("this is the last instalment allowed: pay the {due} due").format(
                    due=format_money(due)
                )
            )
    elif (share.paid_cents + amount_cents) % share.share_value_cents:
        raise ValueError(
            _("beyond what is due, pay whole shares of {value}").format(
                value=format_money(share.share_value_cents)
            )
        )


def refund_date(left_on: date, delay_years: int) -> date:
    """The first day the shares of a member who left may be paid back (29 Feb → 28 Feb)."""
    return left_on + relativedelta(years=delay_years)


def check_refund_request(left_on: date | None, held_cents: int, requested: bool) -> None:
    """A refund is asked for once, by a member who left (or gave a leaving date), holding shares."""
    if left_on is None:
        raise ValueError(_("the member has not left: record their leaving first"))
    if held_cents <= 0:
        raise ValueError(_("the member holds no shares to refund"))
    if requested:
        raise ValueError(_("a refund was already requested"))


def check_refund(
    left_on: date | None,
    requested: bool,
    held_cents: int,
    amount_cents: int,
    today: date,
    delay_years: int,
) -> None:
    """A refund is paid after a request, once the statutes' delay has passed, at most what is
    held."""
    if left_on is None or not requested:
        raise ValueError(_("no refund was requested for this member"))
    due_on = refund_date(left_on, delay_years)
    if today < due_on:
        raise ValueError(
            _("the shares may be refunded from {date} (the statutes' delay)").format(
                date=format_date(due_on)
            )
        )
    if amount_cents <= 0 or amount_cents > held_cents:
        raise ValueError(
            _("the refund must be more than zero and at most {held}").format(
                held=format_money(held_cents)
            )
        )


def member_on(joined_on: date, left_on: date | None, day: date) -> bool:
    """A member on ``day``: joined on or before it and not yet left (the leaving day is out)."""
    return joined_on <= day and (left_on is None or left_on > day)


def fee_due_cents(fee_cents: int, paid_this_year: bool) -> int:
    """The yearly fee still due this year."""
    return 0 if paid_this_year or fee_cents <= 0 else fee_cents
