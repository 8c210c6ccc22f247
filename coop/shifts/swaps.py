"""Swapping two members' shifts (Obeesdoo's direct exchange) and handing one's booking to a
stand-in, from the desks and ``coop shifts swap`` / ``coop shifts hand-over``.

The pure rule (``coop.shifts.swap_rules``) says whether it may be done; here both sides are
read, the seats change hands (``UPDATE … WHERE member_id = <the previous holder>``, checked),
the old bookings are cancelled (``released_reason`` "swap" / "stand_in", pointing to the booking
that replaced them) and new ones made: each member keeps the kind of their booking (a fixed-slot
shift swapped stays a fixed-slot shift for its member), a stand-in books a make-up (or a flying
shift). Both shifts are locked first, so no desk books a seat being exchanged. Audited with the
actor; each account is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.dates import format_date
from coop.errors import CoopError
from coop.i18n import _
from coop.members.models import Member
from coop.shifts import booking, service, words
from coop.shifts.desk import shift_text
from coop.shifts.models import Shift, ShiftAttendance, ShiftSeat, core_table
from coop.shifts.policy import AttendanceState, WorkMode
from coop.shifts.swap_rules import Refused, Side, SwapRefusal, hand_over_refusal, swap_refusal

PENDING = AttendanceState.PENDING.value
CANCELLED = AttendanceState.CANCELLED.value


@dataclass(frozen=True)
class Swapped:
    """Two bookings exchanged: who now does which shift (sentences for people)."""

    first: int
    second: int
    first_now_on: str
    second_now_on: str

    def sentence(self) -> str:
        return _(
            "Shifts swapped: member {first} now works on {first_shift}; member {second} on"
            " {second_shift}."
        ).format(
            first=self.first,
            first_shift=self.first_now_on,
            second=self.second,
            second_shift=self.second_now_on,
        )


@dataclass(frozen=True)
class HandedOver:
    """A booking given to a stand-in."""

    member: int
    stand_in: int
    shift: str

    def sentence(self) -> str:
        return _("Member {stand_in} takes the place of member {member} on {shift}.").format(
            stand_in=self.stand_in, member=self.member, shift=self.shift
        )


def _side(
    session: Session,
    member: Member,
    shift: Shift,
    other: Shift,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> tuple[Side, ShiftAttendance | None]:
    """``member``'s booking on ``shift`` and what they are on ``other``'s day."""
    attendance = booking.live_attendance(session, shift.id, member.id)
    booked = (
        attendance is not None and attendance.state == PENDING and attendance.seat_id is not None
    )
    role = None
    if booked and attendance is not None:
        role = session.scalar(select(ShiftSeat.role).where(ShiftSeat.id == attendance.seat_id))
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    leave = account.state.leave
    side = Side(
        member=member.number,
        shift=shift.id,
        booked=booked,
        shift_starts_at=shift.starts_at,
        shift_cancelled=shift.cancelled,
        seat_role=role,
        skills=frozenset(booking.skills_of(session, member.id)),
        left_on=member.left_on,
        booked_on_other=booking.live_attendance(session, other.id, member.id) is not None,
        on_leave_on_other=leave is not None and leave.covers(other.day),
    )
    return side, attendance if booked else None


def _refusal_text(refused: Refused, shifts: dict[int, Shift], sides: dict[int, Side]) -> str:
    """The refusal in a sentence naming the member and the shift by day and time."""
    side = sides[refused.member]
    own = shift_text(shifts[side.shift]).text
    others = [s for s in sides.values() if s.member != refused.member]
    other = shift_text(shifts[others[0].shift]).text if others else own
    number = refused.member
    match refused.code:
        case SwapRefusal.SAME_MEMBER:
            return _("Member {number} cannot swap a shift with themselves.").format(number=number)
        case SwapRefusal.SAME_SHIFT:
            return _("Both bookings are on the same shift ({shift}): nothing to swap.").format(
                shift=own
            )
        case SwapRefusal.NOT_BOOKED:
            return _("Member {number} is not booked on {shift}.").format(number=number, shift=own)
        case SwapRefusal.CANCELLED:
            return _("The shift of {shift} is cancelled.").format(shift=own)
        case SwapRefusal.STARTED:
            return _(
                "The shift of {shift} has already started: only shifts to come can be swapped"
                " or handed over."
            ).format(shift=own)
        case SwapRefusal.ALREADY_ON_OTHER:
            return _("Member {number} is already booked on {shift}.").format(
                number=number, shift=other
            )
        case SwapRefusal.MISSING_ROLE:
            role = next(s.seat_role for s in others) if others else None
            return _(
                "Member {number} cannot take the place on {shift}: it is for the role “{role}”,"
                " which they do not hold."
            ).format(number=number, shift=other, role=words.role(role))
        case SwapRefusal.LEFT:
            left = side.left_on
            return _("Member {number} has left the coop on {date}.").format(
                number=number, date=format_date(left) if left else "—"
            )
        case SwapRefusal.ON_LEAVE:
            return _("Member {number} is on leave on {shift}.").format(number=number, shift=other)
    raise AssertionError(refused.code)


def _move_seat(session: Session, seat_id: int, from_member: int, to_member: int) -> None:
    table = core_table(ShiftSeat)
    result = session.execute(
        table.update()
        .where(table.c.id == seat_id, table.c.member_id == from_member)
        .values(member_id=to_member)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CoopError(_("The place changed meanwhile: try again."))


def _release(attendance: ShiftAttendance, reason: str, actor: Actor, now: datetime) -> None:
    attendance.state = CANCELLED
    attendance.released_reason = reason
    attendance.seat_id = None
    attendance.state_changed_at = now
    attendance.state_changed_by = actor.recorded


def _new_booking(
    session: Session,
    member: Member,
    shift: Shift,
    seat_id: int,
    *,
    kind: str,
    from_template: bool,
    holding_id: int | None,
    actor: Actor,
    now: datetime,
) -> ShiftAttendance:
    attendance = ShiftAttendance(
        shift_id=shift.id,
        member_id=member.id,
        seat_id=seat_id,
        kind=kind,
        from_template=from_template,
        holding_id=holding_id,
        state=PENDING,
        booked_at=now,
        booked_by=actor.recorded,
    )
    session.add(attendance)
    session.flush()
    return attendance


def swap(
    session: Session,
    *,
    first_member: int,
    first_shift: int,
    second_member: int,
    second_shift: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> Swapped:
    """``first_member`` (booked on ``first_shift``) and ``second_member`` (booked on
    ``second_shift``) exchange their shifts; refused in words when the rule says no."""
    for shift_id in sorted({first_shift, second_shift}):
        booking.lock_shift(session, shift_id)
    shifts = {
        first_shift: service.get_shift(session, first_shift),
        second_shift: service.get_shift(session, second_shift),
    }
    one = service.worker(session, first_member)
    two = service.worker(session, second_member)
    a, a_booking = _side(
        session, one, shifts[first_shift], shifts[second_shift], settings, actor, now
    )
    b, b_booking = _side(
        session, two, shifts[second_shift], shifts[first_shift], settings, actor, now
    )
    refused = swap_refusal(a, b, shifts[first_shift].day, shifts[second_shift].day, now)
    if refused is not None:
        raise CoopError(_refusal_text(refused, shifts, {a.member: a, b.member: b}))
    assert a_booking is not None and b_booking is not None
    seat_a, seat_b = a_booking.seat_id, b_booking.seat_id
    assert seat_a is not None and seat_b is not None
    _release(a_booking, "swap", actor, now)
    _release(b_booking, "swap", actor, now)
    session.flush()
    _move_seat(session, seat_a, one.id, two.id)
    _move_seat(session, seat_b, two.id, one.id)
    one_now = _new_booking(
        session,
        one,
        shifts[second_shift],
        seat_b,
        kind=a_booking.kind,
        from_template=a_booking.from_template,
        holding_id=a_booking.holding_id,
        actor=actor,
        now=now,
    )
    two_now = _new_booking(
        session,
        two,
        shifts[first_shift],
        seat_a,
        kind=b_booking.kind,
        from_template=b_booking.from_template,
        holding_id=b_booking.holding_id,
        actor=actor,
        now=now,
    )
    a_booking.replaced_by_id = two_now.id
    b_booking.replaced_by_id = one_now.id
    session.flush()
    for member, before, after, partner in (
        (one, first_shift, one_now, two.number),
        (two, second_shift, two_now, one.number),
    ):
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shift.swap",
            entity="shift_attendance",
            entity_id=after.id,
            member_id=member.id,
            before={"shift": before},
            after={"shift": after.shift_id, "with": partner},
        )
    for member in (one, two):
        account = service.open_account(session, member, settings=settings, actor=actor, now=now)
        service.recompute(session, account)
    return Swapped(
        one.number,
        two.number,
        shift_text(shifts[second_shift]).text,
        shift_text(shifts[first_shift]).text,
    )


def hand_over(
    session: Session,
    *,
    member_number: int,
    shift_id: int,
    stand_in_number: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> HandedOver:
    """Give ``member_number``'s booking on ``shift_id`` (their own fixed-slot shift, say) to a
    stand-in, who takes the seat; the member's booking is cancelled without any penalty."""
    booking.lock_shift(session, shift_id)
    shift = service.get_shift(session, shift_id)
    holder = service.worker(session, member_number)
    stand_in = service.worker(session, stand_in_number)
    mine, my_booking = _side(session, holder, shift, shift, settings, actor, now)
    theirs, _none = _side(session, stand_in, shift, shift, settings, actor, now)
    refused = hand_over_refusal(mine, theirs, shift.day, now)
    if refused is not None:
        raise CoopError(
            _refusal_text(refused, {shift.id: shift}, {mine.member: mine, theirs.member: theirs})
        )
    assert my_booking is not None and my_booking.seat_id is not None
    seat = my_booking.seat_id
    _release(my_booking, "stand_in", actor, now)
    session.flush()
    _move_seat(session, seat, holder.id, stand_in.id)
    account = service.open_account(session, stand_in, settings=settings, actor=actor, now=now)
    taken = _new_booking(
        session,
        stand_in,
        shift,
        seat,
        kind="makeup" if account.state.mode is WorkMode.REGULAR else "flying",
        from_template=False,
        holding_id=None,
        actor=actor,
        now=now,
    )
    my_booking.replaced_by_id = taken.id
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.hand_over",
        entity="shift_attendance",
        entity_id=my_booking.id,
        member_id=holder.id,
        before={"state": PENDING},
        after={"state": CANCELLED, "replaced_by": stand_in.number, "shift": shift.id},
    )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.book",
        entity="shift_attendance",
        entity_id=taken.id,
        member_id=stand_in.id,
        after={
            "shift": shift.id,
            "day": shift.day,
            "kind": taken.kind,
            "stand_in_for": member_number,
        },
    )
    service.recompute(session, account)
    service.recompute(
        session, service.open_account(session, holder, settings=settings, actor=actor, now=now)
    )
    return HandedOver(holder.number, stand_in.number, shift_text(shift).text)
