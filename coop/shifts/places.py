"""What the desks show before booking: the free places of the coming weeks (for one member:
only seats they may take) and a member's bookings to come, each shift named by its day and time
in words (never by its number). Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.shifts import booking
from coop.shifts.desk import shift_text
from coop.shifts.models import Shift, ShiftAttendance, ShiftSeat, core_table
from coop.shifts.policy import AttendanceState

PENDING = AttendanceState.PENDING.value


@dataclass(frozen=True)
class FreePlace:
    """A shift to come with places free (for the member asked about: places they may take)."""

    shift_id: int
    starts_at: datetime
    text: str
    free: int
    seats: int


@dataclass(frozen=True)
class Booked:
    """One of a member's bookings to come."""

    shift_id: int
    starts_at: datetime
    text: str
    kind: str
    from_template: bool
    stand_in_sought: bool


def free_places(
    session: Session, *, now: datetime, weeks: int = 4, member_id: int | None = None
) -> list[FreePlace]:
    """Shifts starting in the next ``weeks`` weeks, not cancelled, with a free seat (a seat
    for anyone, or for a role the member holds; not a shift they are already on), soonest
    first."""
    if weeks < 1:
        raise InvalidInput([Problem(_("must be at least {n}").format(n=1), column="--weeks")])
    seats = core_table(ShiftSeat)
    rows = session.execute(
        select(Shift, seats.c.role, seats.c.member_id)
        .join(seats, seats.c.shift_id == Shift.id)
        .where(
            Shift.cancelled_at.is_(None),
            Shift.starts_at > now,
            Shift.starts_at < now + timedelta(weeks=weeks),
        )
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    skills: set[str] = set()
    booked: set[int] = set()
    if member_id is not None:
        skills = set(booking.skills_of(session, member_id))
        booked = set(
            session.scalars(
                select(ShiftAttendance.shift_id).where(
                    ShiftAttendance.member_id == member_id,
                    ShiftAttendance.state != AttendanceState.CANCELLED.value,
                )
            )
        )
    counts: dict[int, list[int]] = {}
    shifts: dict[int, Shift] = {}
    for shift, role, holder in rows:
        shifts[shift.id] = shift
        count = counts.setdefault(shift.id, [0, 0])
        count[1] += 1
        if holder is None and (member_id is None or role is None or role in skills):
            count[0] += 1
    return [
        FreePlace(shift_id, shifts[shift_id].starts_at, shift_text(shifts[shift_id]).text, *count)
        for shift_id, count in counts.items()
        if count[0] > 0 and shift_id not in booked
    ]


def bookings_of(session: Session, member_id: int, *, now: datetime) -> list[Booked]:
    """The member's bookings on shifts to come (not started, not cancelled), soonest first."""
    rows = session.execute(
        select(ShiftAttendance, Shift)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state == PENDING,
            Shift.cancelled_at.is_(None),
            Shift.starts_at > now,
        )
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    return [
        Booked(
            shift.id,
            shift.starts_at,
            shift_text(shift).text,
            attendance.kind,
            attendance.from_template,
            attendance.stand_in_sought_at is not None,
        )
        for attendance, shift in rows
    ]
