"""What the shift rules ask the service to do: release fixed slots and bookings, and log the
notifications (``carry_out``), each change audited with the real actor, for one member; the
daily run's ``carry_out_many`` is in ``coop.shifts.actions_many``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.shifts.actions_many import RELEASED_COLUMNS, release_many
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftHolding,
    ShiftMemberState,
    ShiftSeat,
)
from coop.shifts.policy import AttendanceState
from coop.shifts.rules import Action

ONE_DAY = timedelta(days=1)


def release_attendances(
    session: Session,
    attendance_ids: Sequence[int],
    *,
    reason: str,
    actor: Actor,
    now: datetime,
) -> int:
    """Cancel pending bookings (no ledger effect) and free their seats; audited. The Core
    statements of ``actions_many.release_many``, with the session kept in step: what it holds
    is flushed first (as an ORM statement's autoflush did) and the columns written are expired
    on the bookings and seats it holds (read again when next used)."""
    if not attendance_ids:
        return 0
    if session.autoflush:
        session.flush()
    released = release_many(session, attendance_ids, reason=reason, actor=actor, now=now)
    bookings, seats = set(released.bookings), set(released.seats)
    for held in list(session.identity_map.values()):
        if isinstance(held, ShiftAttendance) and held.id in bookings:
            session.expire(held, RELEASED_COLUMNS)
        elif isinstance(held, ShiftSeat) and held.id in seats:
            session.expire(held, ["member_id"])
    return len(released.bookings)


def pending_attendances(
    session: Session,
    member_id: int,
    *,
    first: date,
    last: date | None = None,
    from_template: bool | None = None,
) -> list[int]:
    query = (
        select(ShiftAttendance.id)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state == AttendanceState.PENDING.value,
            Shift.day >= first,
        )
    )
    if last is not None:
        query = query.where(Shift.day <= last)
    if from_template is not None:
        query = query.where(ShiftAttendance.from_template.is_(from_template))
    return list(session.scalars(query))


def end_holdings(
    session: Session,
    member_id: int,
    *,
    last_day: date,
    reason: str,
    actor: Actor,
    now: datetime,
    template_id: int | None = None,
) -> int:
    """End the member's fixed slots after ``last_day`` (a slot not started yet is removed) and
    cancel the bookings they made from the day after."""
    query = select(ShiftHolding).where(
        ShiftHolding.member_id == member_id,
        or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on > last_day),
    )
    if template_id is not None:
        query = query.where(ShiftHolding.template_id == template_id)
    ended = 0
    for holding in session.scalars(query):
        before = {"ends_on": holding.ends_on}
        if holding.starts_on > last_day:
            holding_id = holding.id
            session.execute(
                update(ShiftAttendance)
                .where(ShiftAttendance.holding_id == holding_id)
                .values(holding_id=None)
                .execution_options(synchronize_session="fetch")
            )
            session.delete(holding)
            after: dict[str, Any] = {"removed": True}
        else:
            holding.ends_on = last_day
            holding.end_reason = reason
            after = {"ends_on": last_day}
            holding_id = holding.id
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shift.slot_end",
            entity="shift_holding",
            entity_id=holding_id,
            member_id=member_id,
            before=before,
            after=after,
            reason=reason,
        )
        ended += 1
    session.flush()
    ids = pending_attendances(session, member_id, first=last_day + ONE_DAY, from_template=True)
    if template_id is not None and ids:
        ids = list(
            session.scalars(
                select(ShiftAttendance.id)
                .join(Shift, Shift.id == ShiftAttendance.shift_id)
                .where(ShiftAttendance.id.in_(ids), Shift.template_id == template_id)
            )
        )
    release_attendances(session, ids, reason=reason, actor=actor, now=now)
    return ended


def carry_out(
    session: Session,
    member_id: int,
    actions: Iterable[Action],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Do what the rules asked: release slots or bookings, and log the notifications."""
    today = local_date(now)
    for action in dict.fromkeys(actions):
        if action is Action.RELEASE_TEMPLATE_SLOTS:
            end_holdings(
                session,
                member_id,
                last_day=today - ONE_DAY,
                reason="released",
                actor=actor,
                now=now,
            )
        elif action is Action.RELEASE_FUTURE_SHIFTS:
            ids = pending_attendances(session, member_id, first=today)
            release_attendances(session, ids, reason="unsubscribed", actor=actor, now=now)
        elif action is Action.RELEASE_SHIFTS_IN_LEAVE:
            row = session.get(ShiftMemberState, member_id)
            if row is not None and row.leave_start is not None:
                ids = pending_attendances(
                    session, member_id, first=max(row.leave_start, today), last=row.leave_end
                )
                release_attendances(session, ids, reason="leave", actor=actor, now=now)
        elif action is Action.RESTORE_SHIFTS_AFTER_LEAVE:
            pass  # the leave use case restores the days it gave back (it knows the old end)
        else:
            audit.record(
                session,
                actor=actor,
                at=now,
                action="shift.notify",
                entity="member",
                entity_id=member_id,
                member_id=member_id,
                after={"notice": action.value},
            )
