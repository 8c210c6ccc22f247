"""Marking who came: attended, missed, excused (or back to booked), walk-ins, audited.

Changing a state replaces its ledger effect, never doubles it: the rules reverse the live
entries of the attendance's ``ref`` and write the new effect (``coop.shifts.rules``). Every
change is in the audit log with who made it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.shifts import booking, service, words
from coop.shifts.models import Shift, ShiftAttendance, ShiftClosure
from coop.shifts.policy import AttendanceState
from coop.shifts.rules import MarkAttendance, attendance_ref
from coop.shifts.status import system_for

MARKABLE = (
    AttendanceState.PENDING,
    AttendanceState.ATTENDED,
    AttendanceState.MISSED,
    AttendanceState.EXCUSED,
)


def parse_state(value: str | AttendanceState) -> AttendanceState:
    try:
        state = AttendanceState(value)
    except ValueError:
        state = None
    if state not in MARKABLE:
        raise InvalidInput(
            [
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=value, options=", ".join(s.value for s in MARKABLE)
                    ),
                    column="--state",
                )
            ]
        )
    assert state is not None
    return state


def mark(
    session: Session,
    *,
    shift_id: int,
    member_number: int,
    state: AttendanceState | str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    walk_in: bool = False,
    note: str | None = None,
) -> ShiftAttendance:
    """Record what became of a member's booking; a walk-in only when asked (``walk_in``)."""
    wanted = parse_state(state)
    shift = service.get_shift(session, shift_id)
    member = service.worker(session, member_number)
    attendance = booking.live_attendance(session, shift_id, member.id)
    if shift.cancelled and wanted in (AttendanceState.ATTENDED, AttendanceState.MISSED):
        raise CoopError(
            _("Shift {id} was cancelled ({reason}): nobody attends or misses it.").format(
                id=words.shift_ref(shift), reason=shift.cancel_reason or "—"
            )
        )
    if wanted in (AttendanceState.ATTENDED, AttendanceState.MISSED) and now < shift.starts_at:
        raise CoopError(
            _("Shift {id} has not started yet: mark it once it has.").format(
                id=words.shift_ref(shift)
            )
        )
    if attendance is None:
        if not walk_in:
            raise CoopError(
                _(
                    "Member {number} is not booked on shift {id}: add --walk-in to record them"
                    " as a walk-in."
                ).format(number=member_number, id=words.shift_ref(shift))
            )
        if wanted is not AttendanceState.ATTENDED:
            raise CoopError(_("A walk-in is someone who came: use --state attended."))
        attendance = _walk_in(session, shift, member, actor=actor, now=now)
    return set_state(
        session,
        attendance,
        shift,
        wanted,
        settings=settings,
        actor=actor,
        now=now,
        note=note,
    )


def _walk_in(
    session: Session, shift: Shift, member: Member, *, actor: Actor, now: datetime
) -> ShiftAttendance:
    seat_id = booking.claim_seat(
        session, shift.id, member.id, [*booking.skills_of(session, member.id), None]
    )
    attendance = ShiftAttendance(
        shift_id=shift.id,
        member_id=member.id,
        seat_id=seat_id,
        kind="walk_in",
        from_template=False,
        state=AttendanceState.PENDING.value,
        booked_at=now,
        booked_by=actor.recorded,
    )
    session.add(attendance)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.walk_in",
        entity="shift_attendance",
        entity_id=attendance.id,
        member_id=member.id,
        after={"shift": shift.id, "day": shift.day},
    )
    return attendance


def closure_makeups(session: Session, shift: Shift, settings: ShiftSettings) -> int | None:
    """What an absence costs on a cancelled shift (closure, public holiday, one cancellation)."""
    if not shift.cancelled:
        return None
    if shift.closure_id is not None:
        closure = session.get(ShiftClosure, shift.closure_id)
        if closure is not None:
            return closure.makeups
    if shift.holiday:
        return settings.holiday_makeups
    return settings.policy.closure_makeups


def set_state(
    session: Session,
    attendance: ShiftAttendance,
    shift: Shift,
    state: AttendanceState,
    *,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> ShiftAttendance:
    """Give an attendance a state: its ledger effect is replaced, the change audited."""
    before = attendance.state
    if before == state.value and (note is None or note == attendance.note):
        return attendance
    member = session.get(Member, attendance.member_id)
    assert member is not None
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    previous_missed, makeup_between = _absence_history(session, settings, attendance, shift, state)
    # The shift's date, not the day it is typed (a shift marked a week late stays where it was
    # worked; the entry's ``created_at`` says when it was recorded). A future shift excused
    # now is dated today.
    event = MarkAttendance(
        ref=attendance_ref(attendance.id),
        on=min(shift.day, account.today),
        state=state,
        from_template=attendance.from_template,
        credit=shift.credit,
        closure_makeups=closure_makeups(session, shift, settings),
        previous_own_shift_missed=previous_missed,
        makeup_since_previous=makeup_between,
        note=note or "",
    )
    service.apply_event(
        session, account, event, ref=attendance_ref(attendance.id), attendance_id=attendance.id
    )
    if state is AttendanceState.EXCUSED or shift.cancelled:
        booking.free_seat(session, attendance)
    elif attendance.seat_id is None and state is AttendanceState.PENDING:
        seat_id = booking.claim_seat(
            session,
            shift.id,
            member.id,
            [*booking.skills_of(session, member.id), None],
        )
        if seat_id is None:
            raise CoopError(
                _("Shift {id} is full: no free place.").format(id=words.shift_ref(shift))
            )
        attendance.seat_id = seat_id
    attendance.state = state.value
    attendance.state_changed_at = now
    attendance.state_changed_by = actor.recorded
    if note is not None:
        attendance.note = note
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.attendance",
        entity="shift_attendance",
        entity_id=attendance.id,
        member_id=member.id,
        before={"state": before},
        after={"state": state.value, "shift": shift.id, "day": shift.day},
        reason=note,
    )
    service.recompute(session, account)
    return attendance


def _absence_history(
    session: Session,
    settings: ShiftSettings,
    attendance: ShiftAttendance,
    shift: Shift,
    state: AttendanceState,
) -> tuple[bool, bool]:
    """The automatic unsubscription inputs (La Louve's, when the policy's system reads them):
    was the previous own-slot shift missed, and was a make-up attended since."""
    policy = settings.policy
    if (
        not system_for(policy).reads_absence_history(policy)
        or state is not AttendanceState.MISSED
        or not attendance.from_template
    ):
        return False, False
    marked = (
        AttendanceState.ATTENDED.value,
        AttendanceState.MISSED.value,
        AttendanceState.EXCUSED.value,
    )
    previous = session.execute(
        select(ShiftAttendance.state, Shift.starts_at)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.member_id == attendance.member_id,
            ShiftAttendance.from_template.is_(True),
            ShiftAttendance.id != attendance.id,
            ShiftAttendance.state.in_(marked),
            Shift.starts_at < shift.starts_at,
        )
        .order_by(Shift.starts_at.desc())
        .limit(1)
    ).first()
    if previous is None or previous.state != AttendanceState.MISSED.value:
        return False, False
    makeup = session.scalar(
        select(
            exists().where(
                ShiftAttendance.member_id == attendance.member_id,
                ShiftAttendance.from_template.is_(False),
                ShiftAttendance.state == AttendanceState.ATTENDED.value,
                ShiftAttendance.shift_id == Shift.id,
                Shift.starts_at > previous.starts_at,
                Shift.starts_at < shift.starts_at,
            )
        )
    )
    return True, bool(makeup)
