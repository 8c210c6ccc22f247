"""What the shift rules need to know about a member on a day (``MemberFacts``): membership,
whether a regular worker still holds a fixed slot, and Tapir's count of upcoming shifts."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coop.shifts.policy import AttendanceState, ShiftPolicy, WorkMode
from coop.shifts.state import MemberFacts, Membership


def membership_on(joined_on: date, left_on: date | None, day: date) -> Membership:
    return Membership.ACTIVE if left_on is None or left_on > day else Membership.NONE


def facts_for(
    joined_on: date,
    left_on: date | None,
    day: date,
    *,
    registered: bool = True,
    upcoming: int = 0,
) -> MemberFacts:
    return MemberFacts(
        membership=membership_on(joined_on, left_on, day),
        member_since=joined_on,
        registered=registered,
        upcoming_shifts=upcoming,
    )


def holds_slot(session: Session, member_id: int, day: date) -> bool:
    """A current or future fixed slot on ``day`` (La Louve's "registered")."""
    from coop.shifts.slot_models import ShiftHolding  # a desk check maps no shift class

    return (
        session.scalar(
            select(ShiftHolding.id)
            .where(
                ShiftHolding.member_id == member_id,
                or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= day),
            )
            .limit(1)
        )
        is not None
    )


def upcoming_shifts(session: Session, policy: ShiftPolicy, member_id: int, day: date) -> int:
    """Tapir: shifts booked and not yet marked from ``day`` − lookback to ``day`` + lookahead."""
    if policy.freeze_threshold is None:
        return 0
    first, last = upcoming_window(policy, day)
    from coop.shifts.slot_models import Shift, ShiftAttendance

    return (
        session.scalar(
            select(func.count(ShiftAttendance.id))
            .join(Shift, Shift.id == ShiftAttendance.shift_id)
            .where(
                ShiftAttendance.member_id == member_id,
                ShiftAttendance.state == AttendanceState.PENDING.value,
                Shift.day >= first,
                Shift.day <= last,
            )
        )
        or 0
    )


def upcoming_window(policy: ShiftPolicy, day: date) -> tuple[date, date]:
    return (
        day - timedelta(days=policy.makeup_lookback_days),
        day + timedelta(days=policy.makeup_lookahead_days),
    )


def registered_on(session: Session, member_id: int, mode: WorkMode, day: date) -> bool:
    """Registered for the rules: any mode but regular, or a regular worker holding a slot."""
    if mode is not WorkMode.REGULAR:
        return True
    return holds_slot(session, member_id, day)
