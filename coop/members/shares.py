"""Use cases of capital shares (parts sociales) and yearly fees: a member's standing, a payment
(by the treasurer or at the till), a refund request then its payment after the statutes' delay,
and the fee of a year.

Each call takes the Session (the caller owns the transaction), the acting person and "now",
writes an audit entry naming that actor and queues the accounting event in ``coop.outbox``
like the other money flows (kind ``membership``; ``coop.sync`` books it once a mapping exists).
The rules themselves are in ``coop.members.share_rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit, outbox
from coop.audit import Actor
from coop.clock import local_date
from coop.config import MembershipSettings
from coop.dates import format_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members import share_rules
from coop.members.models import Member
from coop.members.share_models import FeePayment, ShareMovement
from coop.members.share_rules import ShareStanding
from coop.money import format_money

MEANS = ("cash", "card", "cheque", "transfer", "local_currency", "other")
"""How a treasurer may record a share or fee payment (the till passes its own means)."""


@dataclass(frozen=True)
class Dues:
    """What a member owes on a day: shares (with their standing) and this year's fee."""

    shares: ShareStanding
    fee_cents: int
    year: int

    @property
    def total_cents(self) -> int:
        return self.shares.due_cents + self.fee_cents


def _fail(message: str, column: str) -> InvalidInput:
    return InvalidInput([Problem(message, column=column)])


def _member_fail(member: Member, message: str) -> InvalidInput:
    """A refusal about the member rather than an option: "Member 302: the shares may be …"."""
    return InvalidInput(
        [Problem(_("Member {number}: {reason}").format(number=member.number, reason=message))]
    )


def _means(means: str) -> str:
    if means not in MEANS:
        raise _fail(
            _("“{value}” is not one of: {options}").format(value=means, options=", ".join(MEANS)),
            "--means",
        )
    return means


def movements(session: Session, member: Member) -> list[ShareMovement]:
    return list(
        session.scalars(
            select(ShareMovement)
            .where(ShareMovement.member_id == member.id)
            .order_by(ShareMovement.on, ShareMovement.id)
        )
    )


def paid_cents(session: Session, member_id: int, *, until: date | None = None) -> int:
    """Net money held in shares (payments minus refunds), up to ``until`` included."""
    query = select(func.coalesce(func.sum(ShareMovement.amount_cents), 0)).where(
        ShareMovement.member_id == member_id
    )
    if until is not None:
        query = query.where(ShareMovement.on <= until)
    return int(session.scalar(query) or 0)


def standing(
    session: Session, member: Member, settings: MembershipSettings, today: date
) -> ShareStanding:
    return share_rules.standing(
        required_shares=settings.required_shares(member.category.code),
        share_value_cents=settings.share_value_cents,
        paid_cents=paid_cents(session, member.id),
        joined_on=member.joined_on,
        today=today,
        instalments=settings.instalments,
        instalment_months=settings.instalment_months,
    )


def fee_paid(session: Session, member_id: int, year: int) -> bool:
    return (
        session.scalar(
            select(FeePayment.id).where(FeePayment.member_id == member_id, FeePayment.year == year)
        )
        is not None
    )


def dues(session: Session, member: Member, settings: MembershipSettings, today: date) -> Dues:
    """Shares and fee owed by a member on ``today``: a main member owes them for the household;
    an associated person, or someone who left, owes nothing."""
    share = standing(session, member, settings, today)
    fee = share_rules.fee_due_cents(
        settings.fee_cents(member.category.code), fee_paid(session, member.id, today.year)
    )
    if member.main_member_id is not None or (
        member.left_on is not None and member.left_on <= today
    ):
        share = ShareStanding(
            share.paid_cents, share.paid_cents, share.share_value_cents, None, False
        )
        fee = 0
    return Dues(share, fee, today.year)


def standing_lines(member: Member, dues: Dues) -> list[str]:
    """A member's shares and fee in words (the CLI and the coordinator screen)."""
    lines = [
        _("{number} {name}: {shares} shares, {paid} paid, {due} still due.").format(
            number=member.number,
            name=member.full_name,
            shares=dues.shares.shares_held,
            paid=format_money(dues.shares.paid_cents),
            due=format_money(dues.shares.due_cents),
        )
    ]
    if dues.fee_cents:
        lines.append(
            _("This year's fee: {amount} due.").format(amount=format_money(dues.fee_cents))
        )
    return lines


def _requested(session: Session, member_id: int) -> bool:
    """A refund request not yet followed by a refund."""
    last = session.scalar(
        select(ShareMovement.kind)
        .where(
            ShareMovement.member_id == member_id,
            ShareMovement.kind.in_(("refund_request", "refund")),
        )
        .order_by(ShareMovement.id.desc())
        .limit(1)
    )
    return last == "refund_request"


def _movement(
    session: Session,
    member: Member,
    kind: str,
    amount_cents: int,
    *,
    means: str | None,
    reference: str | None,
    actor: Actor,
    now: datetime,
    held_before: int,
    book: bool = True,
) -> ShareMovement:
    row = ShareMovement(
        member_id=member.id,
        on=local_date(now),
        kind=kind,
        amount_cents=amount_cents,
        means=means,
        reference=reference,
        actor=actor.recorded,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action=f"shares.{kind}",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before={"shares_paid_cents": held_before},
        after={
            "shares_paid_cents": held_before + amount_cents,
            "amount_cents": amount_cents,
            "means": means,
            "reference": reference,
        },
    )
    if amount_cents and book:
        outbox.record(
            session,
            outbox.OutboxKind.MEMBERSHIP,
            f"share-{row.id}",
            {
                "event": "share_" + kind,
                "member": member.number,
                "name": member.full_name,
                "amount": amount_cents,
                "means": means,
                "reference": reference,
            },
            on=row.on,
            now=now,
        )
    return row


def pay_shares(
    session: Session,
    member: Member,
    amount_cents: int,
    *,
    means: str,
    settings: MembershipSettings,
    actor: Actor,
    now: datetime,
    reference: str | None = None,
    at_till: bool = False,
) -> ShareMovement:
    """Record a share payment (an instalment, the whole, or extra shares).

    ``at_till``: the till took it in a sale (``reference`` names the till and sale); the means
    is the sale's and nothing goes to the outbox, since the till's Z books it."""
    if member.left_on is not None and member.left_on <= local_date(now):
        said = _("Member {number} has left the coop on {date}.")
        raise InvalidInput(
            [Problem(said.format(number=member.number, date=format_date(member.left_on)))]
        )
    means = means if at_till else _means(means)
    share = standing(session, member, settings, local_date(now))
    made = session.scalar(
        select(func.count(ShareMovement.id)).where(
            ShareMovement.member_id == member.id, ShareMovement.kind == "payment"
        )
    )
    try:
        share_rules.check_payment(
            amount_cents, share, payments_made=int(made or 0), instalments=settings.instalments
        )
    except ValueError as error:
        raise _fail(str(error), "--amount") from error
    return _movement(
        session,
        member,
        "payment",
        amount_cents,
        means=means,
        reference=reference,
        actor=actor,
        now=now,
        held_before=share.paid_cents,
        book=not at_till,
    )


def request_refund(
    session: Session, member: Member, *, actor: Actor, now: datetime
) -> ShareMovement:
    """The member who left asks for their shares back: the statutes' clock runs from leaving."""
    held = paid_cents(session, member.id)
    try:
        share_rules.check_refund_request(member.left_on, held, _requested(session, member.id))
    except ValueError as error:
        raise _member_fail(member, str(error)) from error
    return _movement(
        session,
        member,
        "refund_request",
        0,
        means=None,
        reference=None,
        actor=actor,
        now=now,
        held_before=held,
    )


def refund(
    session: Session,
    member: Member,
    *,
    means: str,
    settings: MembershipSettings,
    actor: Actor,
    now: datetime,
    amount_cents: int | None = None,
    reference: str | None = None,
) -> ShareMovement:
    """Pay the shares back (all that is held unless ``amount_cents``), after the delay."""
    means = _means(means)
    held = paid_cents(session, member.id)
    amount = held if amount_cents is None else amount_cents
    try:
        share_rules.check_refund(
            member.left_on,
            _requested(session, member.id),
            held,
            amount,
            local_date(now),
            settings.refund_delay_years,
        )
    except ValueError as error:
        if amount_cents is not None:
            raise _fail(str(error), "--amount") from error
        raise _member_fail(member, str(error)) from error
    return _movement(
        session,
        member,
        "refund",
        -amount,
        means=means,
        reference=reference,
        actor=actor,
        now=now,
        held_before=held,
    )


def pay_fee(
    session: Session,
    member: Member,
    *,
    year: int,
    means: str,
    settings: MembershipSettings,
    actor: Actor,
    now: datetime,
    amount_cents: int | None = None,
    reference: str | None = None,
    at_till: bool = False,
) -> FeePayment:
    """Record the yearly fee of ``year`` (the category's amount unless another is given);
    ``at_till`` as for ``pay_shares``."""
    means = means if at_till else _means(means)
    amount = settings.fee_cents(member.category.code) if amount_cents is None else amount_cents
    if amount <= 0:
        raise _fail(
            _("no fee is set for the category “{code}”; give --amount").format(
                code=member.category.code
            )
            if amount_cents is None
            else _("the amount must be more than zero"),
            "--amount",
        )
    if not 2000 <= year <= 2100:
        raise _fail(_("“{value}” is not a year").format(value=year), "--year")
    if fee_paid(session, member.id, year):
        raise _fail(
            _("member {number} already paid the fee of {year}").format(
                number=member.number, year=year
            ),
            "--year",
        )
    row = FeePayment(
        member_id=member.id,
        year=year,
        on=local_date(now),
        amount_cents=amount,
        means=means,
        reference=reference,
        actor=actor.recorded,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="fee.payment",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        after={"year": year, "amount_cents": amount, "means": means, "reference": reference},
    )
    if at_till:
        return row
    outbox.record(
        session,
        outbox.OutboxKind.MEMBERSHIP,
        f"fee-{row.id}",
        {
            "event": "fee",
            "member": member.number,
            "name": member.full_name,
            "year": year,
            "amount": amount,
            "means": means,
        },
        on=row.on,
        now=now,
    )
    return row


def fees_of(session: Session, member_ids: Iterable[int]) -> dict[int, list[FeePayment]]:
    out: dict[int, list[FeePayment]] = {}
    ids = list(member_ids)
    if not ids:
        return out
    for row in session.scalars(
        select(FeePayment).where(FeePayment.member_id.in_(ids)).order_by(FeePayment.year)
    ):
        out.setdefault(row.member_id, []).append(row)
    return out
