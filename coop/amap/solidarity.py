"""The AMAP's solidarity fund: gifts and per-delivery contributions in, reduced-price
(solidarity) baskets out; its own ledger, never below zero unless the coop allows it.

Accounting (``coop.outbox``): a gift is money the coop receives for the fund, so ``gift``
queues an ``amap`` outbox row (``event: fund_gift``) in its own transaction. Contributions and
draws are figures of the subscriptions (recomputed with the calendar, ``coop.amap.baskets``),
settled with the producer through the subscribers' payments, not money of the coop's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit, outbox
from coop.amap import lookup
from coop.amap.lookup import fail
from coop.amap.models import FundEntry, FundSettings
from coop.amap.rules import Means
from coop.audit import Actor
from coop.clock import local_date
from coop.i18n import _
from coop.money import format_money


@dataclass(frozen=True)
class FundLine:
    on: date
    kind: str
    amount_cents: int
    member_number: int | None
    subscription_id: int | None
    note: str | None


def fund_balance(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(FundEntry.amount_cents), 0))) or 0)


def allows_negative(session: Session) -> bool:
    row = session.get(FundSettings, 1)
    return bool(row and row.allow_negative)


def guard(session: Session) -> None:
    """Refuse (and so roll back) whatever would leave the fund below zero."""
    balance = fund_balance(session)
    if balance < 0 and not allows_negative(session):
        fail(
            _(
                "the solidarity fund would fall to {balance}: record gifts first, or allow a"
                " negative fund (coop amap fund settings --allow-negative)"
            ).format(balance=format_money(balance)),
            "solidarity",
        )


def gift(
    session: Session,
    *,
    amount: int,
    member: int | None,
    note: str | None,
    actor: Actor,
    now: datetime,
    means: str = "cash",
) -> FundEntry:
    """A one-off gift to the fund, received by ``means`` (cash, cheque, transfer...)."""
    if amount <= 0:
        fail(_("the amount must be positive"), "amount")
    if means not in tuple(Means):
        fail(
            _("“{value}” is not one of: {options}").format(value=means, options=", ".join(Means)),
            "means",
        )
    giver = lookup.member(session, member) if member is not None else None
    member_id = giver.id if giver is not None else None
    entry = FundEntry(
        kind="gift", member_id=member_id, amount_cents=amount, on=local_date(now), note=note
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.fund.gift",
        entity="amap_fund",
        entity_id=entry.id,
        member_id=member_id,
        after={"amount_cents": amount, "note": note},
    )
    snapshot = {
        "event": "fund_gift",
        "gift": entry.id,
        "member": giver.number if giver is not None else None,
        "name": giver.full_name if giver is not None else None,
        "means": means,
        "amount": amount,
        "note": note,
    }
    outbox.record(
        session, outbox.OutboxKind.AMAP, f"gift-{entry.id}", snapshot, on=entry.on, now=now
    )
    return entry


def set_allow_negative(session: Session, allow: bool, *, actor: Actor, now: datetime) -> None:
    row = session.get(FundSettings, 1)
    before = bool(row and row.allow_negative)
    if row is None:
        session.add(FundSettings(id=1, allow_negative=allow))
    else:
        row.allow_negative = allow
    session.flush()
    if not allow:
        guard(session)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.fund.settings",
        entity="amap_fund",
        entity_id=1,
        before={"allow_negative": before},
        after={"allow_negative": allow},
    )


def ledger(session: Session) -> list[FundLine]:
    from coop.members.models import Member

    return [
        FundLine(on, kind, amount, number, sub, note)
        for on, kind, amount, number, sub, note in session.execute(
            select(
                FundEntry.on,
                FundEntry.kind,
                FundEntry.amount_cents,
                Member.number,
                FundEntry.subscription_id,
                FundEntry.note,
            )
            .outerjoin(Member, Member.id == FundEntry.member_id)
            .order_by(FundEntry.on, FundEntry.id)
        )
    ]
