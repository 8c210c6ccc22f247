"""Bookings: flying and make-up bookings, unbooking with notice, stand-in search and takeover,
regular (ABCD) slots with their history, work modes and the roles a member may take.

A place is never given twice: the first statement of a booking bumps the shift's
``booking_version`` (a row lock on PostgreSQL; on SQLite it takes the database's write lock
before anything is read, so a second desk waits and then reads the committed seat), and a seat
is only ever taken by ``UPDATE shift_seats SET member_id = … WHERE id = … AND member_id IS
NULL``, checking that exactly one row changed. A unique ``seat_id`` on attendances backs it up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.dates import format_date
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _, ngettext
from coop.members.models import Member
from coop.shifts import rules, service, words
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftSeat,
    ShiftSkill,
    core_table,
)
from coop.shifts.policy import AttendanceState, WorkMode

PENDING = AttendanceState.PENDING.value
CANCELLED = AttendanceState.CANCELLED.value


# -- seats -----------------------------------------------------------------------------------


def lock_shift(session: Session, shift_id: int) -> None:
    """Serialise bookings of one shift; must be the transaction's first statement on SQLite."""
    table = core_table(Shift)
    result = session.execute(
        table.update()
        .where(table.c.id == shift_id)
        .values(booking_version=table.c.booking_version + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(_("No shift has the number {id}.").format(id=shift_id))


def claim_seat(
    session: Session, shift_id: int, member_id: int, roles: Sequence[str | None]
) -> int | None:
    """Take a free seat whose role is in ``roles`` (in that order of preference); its id."""
    table = core_table(ShiftSeat)
    free = session.execute(
        select(table.c.id, table.c.role)
        .where(table.c.shift_id == shift_id, table.c.member_id.is_(None))
        .order_by(table.c.position)
    ).all()
    rank = {role: index for index, role in enumerate(roles)}
    for seat_id, _role in sorted(
        (row for row in free if row.role in rank), key=lambda row: rank[row.role]
    ):
        result = session.execute(
            table.update()
            .where(table.c.id == seat_id, table.c.member_id.is_(None))
            .values(member_id=member_id)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return int(seat_id)
    return None


def free_seat(session: Session, attendance: ShiftAttendance) -> None:
    if attendance.seat_id is None:
        return
    seat_id = attendance.seat_id
    attendance.seat_id = None
    session.flush()
    table = core_table(ShiftSeat)
    session.execute(table.update().where(table.c.id == seat_id).values(member_id=None))


def skills_of(session: Session, member_id: int) -> list[str]:
    return sorted(session.scalars(select(ShiftSkill.role).where(ShiftSkill.member_id == member_id)))


def live_attendance(session: Session, shift_id: int, member_id: int) -> ShiftAttendance | None:
    return session.scalar(
        select(ShiftAttendance).where(
            ShiftAttendance.shift_id == shift_id,
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state != CANCELLED,
        )
    )


# -- booking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    attendance: ShiftAttendance
    shift: Shift
    took_over_from: int | None = None
    """The member number whose place was taken over (they were looking for a stand-in)."""


def book(
    session: Session,
    *,
    member_number: int,
    shift_id: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> Booking:
    """Book a member on a shift: a free place they may take, else the place of someone looking
    for a stand-in. Flying members' limits per day and per period apply."""
    lock_shift(session, shift_id)
    shift = service.get_shift(session, shift_id)
    member = service.worker(session, member_number)
    if shift.cancelled:
        raise CoopError(
            _("Shift {id} is cancelled ({reason}).").format(
                id=words.shift_ref(shift), reason=shift.cancel_reason or "—"
            )
        )
    if now >= shift.starts_at:
        raise CoopError(
            _(
                "Shift {id} has already started: record someone who came with"
                " `coop shifts attend {id} MEMBER_NO --state attended --walk-in`."
            ).format(id=shift_id)
        )
    if member.left_on is not None and member.left_on <= shift.day:
        raise CoopError(
            _("Member {number} has left the coop on {date}.").format(
                number=member_number, date=format_date(member.left_on)
            )
        )
    if settings.welcome_session_required and (
        member.welcome_on is None or member.welcome_on > shift.day
    ):
        raise CoopError(
            _(
                "Member {number} has not attended the welcome session yet: record it with"
                " `coop members welcome {number}` first."
            ).format(number=member_number)
        )
    if live_attendance(session, shift_id, member.id) is not None:
        raise CoopError(
            _("Member {number} is already booked on shift {id}.").format(
                number=member_number, id=words.shift_ref(shift)
            )
        )
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    leave = account.state.leave
    if leave is not None and leave.covers(shift.day):
        raise CoopError(
            _("Member {number} is on leave on {date}.").format(
                number=member_number, date=format_date(shift.day)
            )
        )
    if account.state.mode is WorkMode.FLYING:
        booked = session.scalars(
            select(Shift.day)
            .join(ShiftAttendance, ShiftAttendance.shift_id == Shift.id)
            .where(
                ShiftAttendance.member_id == member.id,
                ShiftAttendance.state != CANCELLED,
                ShiftAttendance.from_template.is_(False),
            )
        ).all()
        refusal = rules.may_book(account.policy, booked, shift.day)
        if refusal is not None:
            raise CoopError(
                _("Member {number} cannot book shift {id}: {reason}").format(
                    number=member_number, id=words.shift_ref(shift), reason=words.refusal(refusal)
                )
            )
    roles: list[str | None] = [*skills_of(session, member.id), None]
    seat_id = claim_seat(session, shift_id, member.id, roles)
    replaced: ShiftAttendance | None = None
    if seat_id is None:
        seat_id, replaced = _take_over(session, shift_id, member.id, roles)
    if seat_id is None:
        raise CoopError(_("Shift {id} is full: no free place.").format(id=words.shift_ref(shift)))
    if replaced is not None:
        replaced.state = CANCELLED
        replaced.released_reason = "stand_in"
        replaced.seat_id = None
        replaced.state_changed_at = now
        replaced.state_changed_by = actor.recorded
        session.flush()
    attendance = ShiftAttendance(
        shift_id=shift_id,
        member_id=member.id,
        seat_id=seat_id,
        kind="makeup" if account.state.mode is WorkMode.REGULAR else "flying",
        from_template=False,
        state=PENDING,
        booked_at=now,
        booked_by=actor.recorded,
    )
    session.add(attendance)
    session.flush()
    took_over_from = None
    if replaced is not None:
        replaced.replaced_by_id = attendance.id
        took_over_from = session.get(Member, replaced.member_id).number  # type: ignore[union-attr]
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shift.stand_in_found",
            entity="shift_attendance",
            entity_id=replaced.id,
            member_id=replaced.member_id,
            before={"state": PENDING},
            after={"state": CANCELLED, "replaced_by": member_number},
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.book",
        entity="shift_attendance",
        entity_id=attendance.id,
        member_id=member.id,
        after={"shift": shift_id, "day": shift.day, "kind": attendance.kind},
    )
    service.recompute(session, account)
    return Booking(attendance, shift, took_over_from)


def _take_over(
    session: Session, shift_id: int, member_id: int, roles: Sequence[str | None]
) -> tuple[int | None, ShiftAttendance | None]:
    seats = core_table(ShiftSeat)
    candidates = session.execute(
        select(seats.c.id, seats.c.member_id, seats.c.role, ShiftAttendance.id.label("att"))
        .join(ShiftAttendance, ShiftAttendance.seat_id == seats.c.id)
        .where(
            seats.c.shift_id == shift_id,
            ShiftAttendance.state == PENDING,
            ShiftAttendance.stand_in_sought_at.is_not(None),
            seats.c.member_id != member_id,
        )
        .order_by(ShiftAttendance.stand_in_sought_at)
    ).all()
    for row in candidates:
        if row.role not in roles:
            continue
        result = session.execute(
            seats.update()
            .where(seats.c.id == row.id, seats.c.member_id == row.member_id)
            .values(member_id=member_id)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return row.id, session.get(ShiftAttendance, row.att)
    return None, None


def _pending_booking(session: Session, shift_id: int, member: Member) -> ShiftAttendance:
    attendance = live_attendance(session, shift_id, member.id)
    if attendance is None or attendance.state != PENDING:
        raise CoopError(
            _("Member {number} has no booking to change on shift {id}.").format(
                number=member.number, id=shift_id
            )
        )
    return attendance


def unbook(
    session: Session,
    *,
    member_number: int,
    shift_id: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    staff: bool = False,
    reason: str | None = None,
) -> ShiftAttendance:
    """Cancel a booking: a member's own extra booking with the policy's notice; staff always."""
    shift = service.get_shift(session, shift_id)
    member = service.worker(session, member_number)
    attendance = _pending_booking(session, shift_id, member)
    policy = settings.policy
    if not staff and not rules.may_unregister(
        policy, from_template=attendance.from_template, shift_start=shift.starts_at, now=now
    ):
        notice = policy.unregister_notice_hours
        if attendance.from_template:
            message = _(
                "A shift of one's own fixed slot cannot be cancelled: look for a stand-in, or"
                " ask a shift coordinator."
            )
        elif notice is None:
            message = _("Only a shift coordinator can cancel a booking in this coop.")
        else:
            message = ngettext(
                "A booking can be cancelled up to {hours} hour before the shift.",
                "A booking can be cancelled up to {hours} hours before the shift.",
                notice,
            ).format(hours=notice)
        raise CoopError(message)
    if staff and not (reason or "").strip():
        raise InvalidInput([Problem(_("give the reason for cancelling"), column="--reason")])
    service.release_attendances(
        session, [attendance.id], reason=(reason or "unbooked").strip(), actor=actor, now=now
    )
    session.refresh(attendance)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    service.recompute(session, account)
    return attendance


def seek_stand_in(
    session: Session,
    *,
    member_number: int,
    shift_id: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    staff: bool = False,
) -> ShiftAttendance:
    """Mark a booking as looking for a stand-in: whoever books the full shift takes it over."""
    shift = service.get_shift(session, shift_id)
    member = service.worker(session, member_number)
    attendance = _pending_booking(session, shift_id, member)
    if attendance.seat_id is None or now >= shift.starts_at:
        raise CoopError(_("Shift {id} has already started.").format(id=words.shift_ref(shift)))
    notice = settings.policy.stand_in_notice_hours
    if not staff and not rules.may_seek_stand_in(
        settings.policy, shift_start=shift.starts_at, now=now
    ):
        if notice is None:
            raise CoopError(_("Only a shift coordinator can open a stand-in search in this coop."))
        raise CoopError(
            ngettext(
                "A stand-in can be looked for up to {hours} hour before the shift.",
                "A stand-in can be looked for up to {hours} hours before the shift.",
                notice,
            ).format(hours=notice)
        )
    if attendance.stand_in_sought_at is None:
        attendance.stand_in_sought_at = now
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shift.stand_in_sought",
            entity="shift_attendance",
            entity_id=attendance.id,
            member_id=member.id,
            after={"shift": shift_id},
        )
    session.flush()
    return attendance
