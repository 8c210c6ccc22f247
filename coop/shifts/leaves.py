"""Leaves and exemptions: a holiday (cannot shop) or an exemption (can shop), with or without
an end date. Bookings inside are released; the fixed slot stays (unless the policy releases it
for a long leave, as Tapir does) and its shifts are booked again when the leave ends early.
One leave at a time: a member's running or future leave must be ended before another starts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.dates import format_date
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.shifts import service, slots
from coop.shifts.models import ShiftLeave
from coop.shifts.rules import EndLeave, LeaveKind, StartLeave

ONE_DAY = timedelta(days=1)


def parse_kind(value: str) -> LeaveKind:
    try:
        return LeaveKind(value)
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=value, options=", ".join(k.value for k in LeaveKind)
                    ),
                    column="--kind",
                )
            ]
        ) from None


def current_leave(session: Session, member_id: int, today: date) -> ShiftLeave | None:
    """The member's leave running today or still to come."""
    return session.scalar(
        select(ShiftLeave)
        .where(
            ShiftLeave.member_id == member_id,
            ShiftLeave.cancelled.is_(False),
            or_(ShiftLeave.ends_on.is_(None), ShiftLeave.ends_on >= today),
        )
        .order_by(ShiftLeave.starts_on.desc())
        .limit(1)
    )


def add_leave(
    session: Session,
    *,
    member_number: int,
    kind: LeaveKind | str,
    starts_on: date,
    ends_on: date | None,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
) -> ShiftLeave:
    """Record a leave; bookings inside it are released at once."""
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput([Problem(_("the leave ends before it starts"), column="--to")])
    member = service.worker(session, member_number)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    other = current_leave(session, member.id, account.today)
    if other is not None:
        until = format_date(other.ends_on) if other.ends_on else _("no end date")
        raise CoopError(
            _(
                "Member {number} already has a leave from {start} ({until}): end it first"
                " (`coop shifts leave end`)."
            ).format(number=member_number, start=format_date(other.starts_on), until=until)
        )
    service.apply_event(
        session, account, StartLeave(on=account.today, kind=kind, start=starts_on, end=ends_on)
    )
    leave = ShiftLeave(
        member_id=member.id,
        kind=kind.value,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip() or None,
        created_at=now,
        created_by=actor.recorded,
    )
    session.add(leave)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.leave",
        entity="shift_leave",
        entity_id=leave.id,
        member_id=member.id,
        after={"kind": kind.value, "starts_on": starts_on, "ends_on": ends_on},
        reason=leave.reason,
    )
    service.recompute(session, account)
    return leave


def end_leave(
    session: Session,
    *,
    member_number: int,
    back_on: date,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> ShiftLeave:
    """The member is back from ``back_on`` (earlier or later than planned, or the leave is
    called off if it has not started); their fixed-slot shifts after it are booked again."""
    member = service.worker(session, member_number)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    today = account.today
    leave = current_leave(session, member.id, min(today, back_on))
    if leave is None:
        raise CoopError(_("Member {number} has no leave to end.").format(number=member_number))
    before = {"ends_on": leave.ends_on, "cancelled": leave.cancelled}
    old_end = leave.ends_on
    kind = LeaveKind(leave.kind)
    if back_on <= leave.starts_on:
        # Called off before it started, or (already started) it ends yesterday.
        service.apply_event(session, account, EndLeave(on=today))
        leave.cancelled = today <= leave.starts_on
        if not leave.cancelled:
            leave.ends_on = today - ONE_DAY
        new_end: date | None = leave.starts_on - ONE_DAY if leave.cancelled else leave.ends_on
    else:
        new_end = back_on - ONE_DAY
        service.apply_event(
            session,
            account,
            StartLeave(on=today, kind=kind, start=leave.starts_on, end=new_end),
        )
        leave.ends_on = new_end
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.leave_end",
        entity="shift_leave",
        entity_id=leave.id,
        member_id=member.id,
        before=before,
        after={"ends_on": leave.ends_on, "cancelled": leave.cancelled},
    )
    assert new_end is not None
    if old_end is None or new_end < old_end:
        slots.restore_holder_bookings(
            session,
            member.id,
            first=max(new_end + ONE_DAY, today),
            last=old_end,
            actor=actor,
            now=now,
        )
    service.recompute(session, account)
    return leave


def leaves_of(session: Session, member_id: int) -> list[ShiftLeave]:
    return list(
        session.scalars(
            select(ShiftLeave)
            .where(ShiftLeave.member_id == member_id)
            .order_by(ShiftLeave.starts_on, ShiftLeave.id)
        )
    )
