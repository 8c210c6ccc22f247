"""Leaving the coop across contexts: the composition that may import members, shifts and AMAP.

``coop.members.joining.leave`` ends the membership and the card; this module adds what other
contexts must do on the same day, in the same transaction, with the same actor: the fixed shift
slot is released (``coop.shifts`` own slot-ending code: bookings from the leaving day are
cancelled), and AMAP subscriptions end from the next delivery on or after the leaving day (a
subscription not started yet, or on the waiting list, is ended outright). The share-refund
clock starts from the leaving date (``coop.members.share_rules.refund_date``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coop.amap import baskets
from coop.amap import subscriptions as amap_subscriptions
from coop.amap.models import Subscription
from coop.audit import Actor
from coop.clock import local_date
from coop.config import Settings
from coop.members import joining, share_rules
from coop.members.models import Member
from coop.shifts import service as shifts


@dataclass(frozen=True)
class Departure:
    """What leaving changed: slots released, subscriptions ended, when the shares fall due."""

    member: Member
    slots_released: int
    subscriptions_ended: int
    refund_from: date


def leave(
    session: Session,
    member: Member,
    *,
    on: date,
    reason: str,
    settings: Settings,
    actor: Actor,
    now: datetime,
) -> Departure:
    """The member leaves on ``on``: card, shift slot, AMAP subscriptions; the refund clock."""
    joining.leave(session, member, on=on, reason=reason, actor=actor, now=now)
    last_day = max(on - timedelta(days=1), member.joined_on)
    released = shifts.end_holdings(
        session, member.id, last_day=last_day, reason="left", actor=actor, now=now
    )
    if released:
        account = shifts.open_account(
            session, member, settings=settings.shifts, actor=actor, now=now
        )
        shifts.recompute(session, account)
    ended = _end_subscriptions(session, member, on=on, actor=actor, now=now)
    return Departure(
        member,
        released,
        ended,
        share_rules.refund_date(on, settings.membership.refund_delay_years),
    )


def _end_subscriptions(
    session: Session, member: Member, *, on: date, actor: Actor, now: datetime
) -> int:
    rows = session.scalars(
        select(Subscription).where(
            Subscription.member_id == member.id,
            Subscription.status.in_(("active", "waiting")),
            or_(Subscription.ends_on.is_(None), Subscription.ends_on >= on),
        )
    ).all()
    for subscription in rows:
        if subscription.status == "active" and subscription.starts_on < on:
            amap_subscriptions.end(
                session, subscription, on=on - timedelta(days=1), actor=actor, now=now
            )
            continue
        before = {"status": subscription.status, "ends_on": subscription.ends_on}
        subscription.status = "ended"
        subscription.updated_at = now
        amap_subscriptions.record_change(
            session,
            subscription,
            "amap.subscription.end",
            before,
            {"status": "ended"},
            actor,
            now,
        )
        baskets.refresh(session, [subscription.contract_id], today=local_date(now))
    return len(rows)
