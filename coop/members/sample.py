"""The demo's capital shares: most households paid their shares when they joined (at once or in
instalments), some still owe part of them, a few bought extra shares. Deterministic (the same
households every time), dated on the joining days, recorded through ``coop.members.shares`` so
audit entries and accounting events are those of real payments.

The demo (``coop.demo``) adds the leavings and the AMAP side's yearly fees, which need contexts
above this one.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import MembershipSettings
from coop.members import shares
from coop.members.models import Member

DEMO_REQUIRED = (("standard", 10), ("solidarity", 1))
"""What the demo asks when the coop's config asks nothing: 10 shares, 1 for solidarity."""


def demo_settings(settings: MembershipSettings) -> MembershipSettings:
    """The coop's membership settings, with the demo's requirements if it has none."""
    from dataclasses import replace

    if settings.shares_required:
        return settings
    return replace(
        settings, shares_required=DEMO_REQUIRED, instalments=3, fees=(("standard", 1500),)
    )


def load_share_history(
    session: Session, *, settings: MembershipSettings, actor: Actor, now: datetime
) -> int:
    """Share payments of the demo's households; returns how many payments were recorded."""
    settings = demo_settings(settings)
    value = settings.share_value_cents
    mains = session.scalars(
        select(Member).where(Member.main_member_id.is_(None)).order_by(Member.number)
    ).all()
    recorded = 0
    for member in mains:
        due = settings.required_shares(member.category.code) * value
        if not due:
            continue
        day = datetime.combine(member.joined_on, time(11, 0), tzinfo=SHOP_TIMEZONE)
        if day > now or member.left_on is not None:
            continue
        if member.number % 9 == 4:  # owes part of it: one instalment only
            plan = [due // 2 // value * value] if due > value else []
        elif member.number % 5 == 2 and due > value:  # three instalments a month apart
            third = due // 3 // value * value
            plan = [third, third, due - 2 * third]
        elif member.number % 11 == 0:  # extra shares
            plan = [due + 5 * value]
        else:
            plan = [due]
        for index, amount in enumerate(plan):
            when = min(day + timedelta(days=30 * index), now)
            means = ("cheque", "transfer", "cash")[member.number % 3]
            shares.pay_shares(
                session, member, amount, means=means, settings=settings, actor=actor, now=when
            )
            recorded += 1
    return recorded
