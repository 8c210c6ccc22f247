"""Capital shares (parts sociales) and the association's yearly fee (cotisation) paid at the
till: what the basket's ``MembershipAsk`` comes to for its member (by default what they still
owe, the desk check's figure), the refusals (no member, a member who left, more than owed,
nothing owed), and the members' ledger rows written in the sale's transaction.

These amounts are outside VAT and outside turnover: they are paid with the sale (any means,
mixed), sealed with it, shown apart on the Z, and booked to the capital and fee accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.config import MembershipSettings
from coop.errors import InvalidInput
from coop.i18n import _
from coop.members.models import Member
from coop.money import format_money
from coop.till.payments import Settlement
from coop.till.refusals import SaleRefused, TillRefusal
from coop.till.requests import MembershipAsk


@dataclass(frozen=True)
class MembershipDue:
    """What a member still owes on a day: shares (with the nominal value) and the fee."""

    share_cents: int
    share_value_cents: int
    fee_cents: int
    year: int


@dataclass(frozen=True)
class MembershipPaid:
    """What a basket pays: shares, fee and the fee's year (None without a fee)."""

    share_cents: int = 0
    fee_cents: int = 0
    fee_year: int | None = None


def _refused(message: str) -> SaleRefused:
    return SaleRefused(TillRefusal.MEMBERSHIP_REFUSED, message)


def owed(
    session: Session, member: Member, settings: MembershipSettings, today: date
) -> MembershipDue:
    """The shares and fee ``member`` still owes on ``today`` (``coop.members.shares.dues``)."""
    from coop.members import shares  # with the outbox: only for a sale of shares or fee

    dues = shares.dues(session, member, settings, today)
    return MembershipDue(
        dues.shares.due_cents, settings.share_value_cents, dues.fee_cents, dues.year
    )


def resolve(
    session: Session,
    ask: MembershipAsk,
    member: Member | None,
    settings: MembershipSettings,
    today: date,
) -> MembershipPaid:
    """What the basket pays for shares and fee, checked: a member on the basket who has not
    left, something owed, never more than owed."""
    if not ask.asked:
        return MembershipPaid()
    if member is None:
        raise _refused(
            _("Capital shares and the fee are paid by a member: give the member's card first.")
        )
    if member.left_on is not None and member.left_on <= today:
        raise _refused(
            _("Member {number} has left: the till takes no shares nor fee from them.").format(
                number=member.number
            )
        )
    due = owed(session, member, settings, today)
    share_cents = _shares(session, ask, member, due, settings, today) if ask.shares else 0
    fee_cents = _fee(ask, due) if ask.fee else 0
    return MembershipPaid(share_cents, fee_cents, due.year if fee_cents else None)


def _shares(
    session: Session,
    ask: MembershipAsk,
    member: Member,
    due: MembershipDue,
    settings: MembershipSettings,
    today: date,
) -> int:
    if ask.share_cents is not None:
        amount = ask.share_cents
    elif ask.share_count is not None:
        amount = ask.share_count * due.share_value_cents
    else:
        amount = due.share_cents
    if due.share_cents <= 0:
        raise _refused(_("Member {number} owes no capital shares.").format(number=member.number))
    if amount <= 0:
        raise _refused(_("The amount of the shares must be more than zero."))
    if amount > due.share_cents:
        raise _refused(
            _("{amount} of shares is more than member {number} owes: {due} still due.").format(
                amount=format_money(amount), number=member.number, due=format_money(due.share_cents)
            )
        )
    from coop.members import share_rules, shares
    from coop.members.share_models import ShareMovement

    made = session.scalar(
        select(func.count(ShareMovement.id)).where(
            ShareMovement.member_id == member.id, ShareMovement.kind == "payment"
        )
    )
    standing = shares.standing(session, member, settings, today)
    try:
        share_rules.check_payment(
            amount, standing, payments_made=int(made or 0), instalments=settings.instalments
        )
    except ValueError as error:
        raise _refused(str(error)) from error
    return amount


def _fee(ask: MembershipAsk, due: MembershipDue) -> int:
    if due.fee_cents <= 0:
        raise _refused(_("No fee is due for {year}.").format(year=due.year))
    amount = due.fee_cents if ask.fee_cents is None else ask.fee_cents
    if amount <= 0:
        raise _refused(_("The amount of the fee must be more than zero."))
    if amount > due.fee_cents:
        raise _refused(
            _("{amount} is more than the fee of {year}: {due} is due.").format(
                amount=format_money(amount), year=due.year, due=format_money(due.fee_cents)
            )
        )
    return amount


def ask_of(share_cents: int, fee_cents: int) -> MembershipAsk:
    """The ask of amounts already resolved (a basket's): checked again at commit."""
    return MembershipAsk(
        shares=share_cents > 0,
        share_cents=share_cents or None,
        fee=fee_cents > 0,
        fee_cents=fee_cents or None,
    )


def means_of(settlement: Settlement) -> str:
    """The means the ledger records: the sale's one means, or "till" when mixed."""
    kinds = {payment.means.value for payment in settlement.payments}
    return kinds.pop() if len(kinds) == 1 else "till"


def record(
    session: Session,
    member: Member,
    paid: MembershipPaid,
    *,
    means: str,
    reference: str,
    settings: MembershipSettings,
    actor: Actor,
    now: datetime,
) -> None:
    """The members' ledger rows of a sale's shares and fee (the treasurer's very rows, with
    the cashier as actor and the till and sale number as reference)."""
    from coop.members import shares

    try:
        if paid.share_cents:
            shares.pay_shares(
                session,
                member,
                paid.share_cents,
                means=means,
                settings=settings,
                actor=actor,
                now=now,
                reference=reference,
                at_till=True,
            )
        if paid.fee_cents and paid.fee_year is not None:
            shares.pay_fee(
                session,
                member,
                year=paid.fee_year,
                means=means,
                settings=settings,
                actor=actor,
                now=now,
                amount_cents=paid.fee_cents,
                reference=reference,
                at_till=True,
            )
    except InvalidInput as error:
        raise _refused(str(error)) from error
