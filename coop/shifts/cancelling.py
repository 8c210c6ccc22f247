"""Cancelling generated shifts: one shift (with what its bookings become), a closure of the
shop over days, and editing one shift's times or seats."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import ShiftSettings
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.shifts import attendance as marking
from coop.shifts import rules, service, words
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftClosure,
    ShiftLedgerEntry,
    ShiftSeat,
)
from coop.shifts.policy import AttendanceState
from coop.shifts.rules import MarkAttendance

PENDING = AttendanceState.PENDING.value


# -- cancelling: one shift, a closure --------------------------------------------------------


def apply_cancellation(
    session: Session,
    shifts: list[Shift],
    *,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> int:
    """The bookings of cancelled shifts: fixed-slot holders get the policy's state for a shift
    the coop cancels (``rules.state_when_shift_cancelled``, with the closure's make-ups), other
    bookings are released. In bulk (``service.Batch``): a closure touches many members."""
    by_id = {shift.id: shift for shift in shifts}
    if not by_id:
        return 0
    pending = session.execute(
        select(
            ShiftAttendance.id,
            ShiftAttendance.member_id,
            ShiftAttendance.shift_id,
            ShiftAttendance.seat_id,
            ShiftAttendance.from_template,
        )
        .where(ShiftAttendance.shift_id.in_(list(by_id)), ShiftAttendance.state == PENDING)
        .order_by(ShiftAttendance.id)
    ).all()
    marks: list[tuple[Any, AttendanceState]] = []
    release: list[tuple[Any, AttendanceState]] = []
    for row in pending:
        state = rules.state_when_shift_cancelled(settings.policy, row.from_template)
        (release if state is AttendanceState.CANCELLED else marks).append((row, state))
    service.release_attendances(
        session, [row.id for row, _s in release], reason="shift_cancelled", actor=actor, now=now
    )
    if not marks:
        return len(pending)
    refs = {rules.attendance_ref(row.id): row for row, _s in marks}
    prior: dict[str, list[rules.LedgerEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(ShiftLedgerEntry)
        .where(ShiftLedgerEntry.ref.in_(list(refs)))
        .order_by(ShiftLedgerEntry.id)
    ):
        prior[entry.ref].append(service.entry_from(entry))  # type: ignore[index]
    batch = service.Batch(
        session,
        settings=settings,
        actor=actor,
        now=now,
        member_ids={row.member_id for row, _s in marks},
    )
    makeups = {shift.id: marking.closure_makeups(session, shift, settings) for shift in shifts}
    marks.sort(key=lambda item: (by_id[item[0].shift_id].starts_at, item[0].id))
    for row, state in marks:
        shift = by_id[row.shift_id]
        ref = rules.attendance_ref(row.id)
        batch.apply(
            row.member_id,
            MarkAttendance(
                ref=ref,
                on=batch.today,
                state=state,
                from_template=True,
                credit=shift.credit,
                closure_makeups=makeups[shift.id],
                note=shift.cancel_reason or "",
            ),
            attendance_id=row.id,
            prior=prior.get(ref, []),
        )
    for member in batch.members.values():
        batch.settle(member)
    batch.write()
    ids = [row.id for row, _s in marks]
    seat_ids = [row.seat_id for row, _s in marks if row.seat_id is not None]
    session.execute(
        update(ShiftAttendance)
        .where(ShiftAttendance.id.in_(ids))
        .values(
            seat_id=None,
            state=marks[0][1].value,
            state_changed_at=now,
            state_changed_by=actor.recorded,
        )
        .execution_options(synchronize_session=False)
    )
    if seat_ids:
        session.execute(
            update(ShiftSeat)
            .where(ShiftSeat.id.in_(seat_ids))
            .values(member_id=None)
            .execution_options(synchronize_session=False)
        )
    audit.record_many(
        session,
        actor=actor,
        at=now,
        entries=[
            {
                "action": "shift.attendance",
                "entity": "shift_attendance",
                "entity_id": row.id,
                "member_id": row.member_id,
                "before": {"state": PENDING},
                "after": {
                    "state": state.value,
                    "shift": row.shift_id,
                    "day": by_id[row.shift_id].day,
                },
                "reason": by_id[row.shift_id].cancel_reason,
            }
            for row, state in marks
        ],
    )
    session.expire_all()
    return len(pending)


def cancel_shift(
    session: Session,
    *,
    shift_id: int,
    reason: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> Shift:
    """The coop cancels one shift (a one-day closure of that shift only)."""
    shift = service.get_shift(session, shift_id)
    if not reason.strip():
        raise InvalidInput([Problem(_("give the reason for cancelling"), column="--reason")])
    if shift.cancelled:
        raise CoopError(_("Shift {id} is already cancelled.").format(id=words.shift_ref(shift)))
    if now >= shift.starts_at:
        raise CoopError(_("Shift {id} has already started.").format(id=words.shift_ref(shift)))
    shift.cancelled_at = now
    shift.cancel_reason = reason.strip()
    shift.changed_by_hand = True
    shift.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.cancel",
        entity="shift",
        entity_id=shift.id,
        after={"day": shift.day, "reason": shift.cancel_reason},
    )
    apply_cancellation(session, [shift], settings=settings, actor=actor, now=now)
    session.refresh(shift)
    return shift


@dataclass
class ClosureReport:
    closure: ShiftClosure
    shifts: int = 0
    bookings: int = 0


def add_closure(
    session: Session,
    *,
    starts_on: date,
    ends_on: date,
    label: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    makeups: int | None = None,
) -> ClosureReport:
    """Close the shop for a day or a period: every shift inside not yet started is cancelled,
    with the chosen credit rule for the fixed-slot holders (``makeups``: what an absence
    costs there, by default the policy's ``closure_makeups``)."""
    problems = []
    if ends_on < starts_on:
        problems.append(Problem(_("the closure ends before it starts"), column="--to"))
    if starts_on < local_date(now):
        problems.append(Problem(_("a closure cannot start in the past"), column="--from"))
    if makeups is not None and makeups < 0:
        problems.append(Problem(_("must be at least {n}").format(n=0), column="--makeups"))
    if not label.strip():
        problems.append(Problem(_("a value is required"), column="--label"))
    if problems:
        raise InvalidInput(problems)
    closure = ShiftClosure(
        starts_on=starts_on,
        ends_on=ends_on,
        makeups=settings.policy.closure_makeups if makeups is None else makeups,
        label=label.strip(),
        created_at=now,
        created_by=actor.recorded,
    )
    session.add(closure)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.closure",
        entity="shift_closure",
        entity_id=closure.id,
        after={
            "starts_on": starts_on,
            "ends_on": ends_on,
            "makeups": closure.makeups,
            "label": closure.label,
        },
    )
    report = ClosureReport(closure)
    shifts = session.scalars(
        select(Shift)
        .where(
            Shift.day >= starts_on,
            Shift.day <= ends_on,
            Shift.cancelled_at.is_(None),
            Shift.starts_at > now,
        )
        .order_by(Shift.starts_at)
    ).all()
    for shift in shifts:
        shift.cancelled_at = now
        shift.cancel_reason = closure.label
        shift.closure_id = closure.id
        shift.updated_at = now
    session.flush()
    report.shifts = len(shifts)
    report.bookings = apply_cancellation(
        session, list(shifts), settings=settings, actor=actor, now=now
    )
    return report


def closures(session: Session) -> list[ShiftClosure]:
    return list(session.scalars(select(ShiftClosure).order_by(ShiftClosure.starts_on)))


def edit_shift(
    session: Session,
    *,
    shift_id: int,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    seats: int | None = None,
) -> Shift:
    """Change one shift by hand (times, number of places); template edits leave it alone."""
    shift = service.get_shift(session, shift_id)
    before = {
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "seats": len(shift.seats_list),
    }
    new_start = starts_at or shift.starts_at
    new_end = ends_at or shift.ends_at
    problems = []
    if new_end <= new_start:
        problems.append(Problem(_("the shift ends before it starts"), column="--end"))
    if seats is not None and seats < 1:
        problems.append(Problem(_("must be at least {n}").format(n=1), column="--seats"))
    if seats is not None and seats > rules.SEATS_LIMIT:
        problems.append(
            Problem(_("must be at most {n}").format(n=rules.SEATS_LIMIT), column="--seats")
        )
    if problems:
        raise InvalidInput(problems)
    shift.starts_at, shift.ends_at = new_start, new_end
    if seats is not None:
        current = list(shift.seats_list)
        for position in range(len(current) + 1, seats + 1):
            session.add(
                ShiftSeat(shift_id=shift.id, position=position, role=None, changed_by_hand=True)
            )
        removable = sorted((s for s in current if s.position > seats), key=lambda s: -s.position)
        if any(seat.member_id is not None for seat in removable):
            raise CoopError(
                _("Shift {id}: some of the places to remove are booked; cancel them first.").format(
                    id=words.shift_ref(shift)
                )
            )
        for seat in removable:
            session.delete(seat)
    shift.changed_by_hand = True
    shift.updated_at = now
    session.flush()
    session.refresh(shift)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.edit",
        entity="shift",
        entity_id=shift.id,
        before=before,
        after={
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "seats": len(shift.seats_list),
        },
    )
    return shift
