"""What the shifts context holds on one person, for `coop members export-data` (right of access),
and the free text it blanks on erasure; registered with ``coop.members.privacy`` on import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop.members import privacy
from coop.members.models import Member
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftCycle,
    ShiftExtension,
    ShiftHolding,
    ShiftLeave,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftSkill,
    ShiftTemplate,
)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data(session: Session, member: Member) -> dict[str, Any]:
    """Slots, bookings and attendances, the work-credit ledger, cycles, leaves, graces, roles
    and the cached figures of one member, as JSON-ready data."""
    state = session.get(ShiftMemberState, member.id)
    return {
        "state": None
        if state is None
        else {
            "mode": state.mode,
            "status": state.status,
            "as_of": _iso(state.as_of),
            "counters": {
                name: getattr(state, name)
                for name in ("standard", "ftop", "regular", "compensation", "balance")
            },
            "leave": None
            if state.leave_kind is None
            else {
                "kind": state.leave_kind,
                "starts_on": _iso(state.leave_start),
                "ends_on": _iso(state.leave_end),
            },
            "frozen_since": _iso(state.frozen_since),
        },
        "slots": [
            {
                "template": code,
                "role": holding.role,
                "starts_on": _iso(holding.starts_on),
                "ends_on": _iso(holding.ends_on),
                "end_reason": holding.end_reason,
            }
            for holding, code in session.execute(
                select(ShiftHolding, ShiftTemplate.code)
                .join(ShiftTemplate, ShiftTemplate.id == ShiftHolding.template_id)
                .where(ShiftHolding.member_id == member.id)
                .order_by(ShiftHolding.starts_on, ShiftHolding.id)
            )
        ],
        "attendances": [
            {
                "shift": shift.id,
                "day": _iso(shift.day),
                "name": shift.name,
                "kind": attendance.kind,
                "state": attendance.state,
                "note": attendance.note,
                "booked_at": _iso(attendance.booked_at),
                "booked_by": attendance.booked_by,
                "state_changed_at": _iso(attendance.state_changed_at),
                "state_changed_by": attendance.state_changed_by,
                "released_reason": attendance.released_reason,
            }
            for attendance, shift in session.execute(
                select(ShiftAttendance, Shift)
                .join(Shift, Shift.id == ShiftAttendance.shift_id)
                .where(ShiftAttendance.member_id == member.id)
                .order_by(Shift.starts_at, ShiftAttendance.id)
            )
        ],
        "ledger": [
            {
                "day": _iso(entry.day),
                "counter": entry.counter,
                "delta": entry.delta,
                "kind": entry.kind,
                "detail": entry.detail,
                "note": entry.note,
                "by": entry.actor,
            }
            for entry in session.scalars(
                select(ShiftLedgerEntry)
                .where(ShiftLedgerEntry.member_id == member.id)
                .order_by(ShiftLedgerEntry.id)
            )
        ],
        "cycles": [
            {"starts_on": _iso(cycle.starts_on), "owed": cycle.owed, "detail": cycle.detail}
            for cycle in session.scalars(
                select(ShiftCycle)
                .where(ShiftCycle.member_id == member.id)
                .order_by(ShiftCycle.starts_on)
            )
        ],
        "leaves": [
            {
                "kind": leave.kind,
                "starts_on": _iso(leave.starts_on),
                "ends_on": _iso(leave.ends_on),
                "reason": leave.reason,
                "cancelled": leave.cancelled,
            }
            for leave in session.scalars(
                select(ShiftLeave).where(ShiftLeave.member_id == member.id).order_by(ShiftLeave.id)
            )
        ],
        "extensions": [
            {
                "starts_on": _iso(extension.starts_on),
                "ends_on": _iso(extension.ends_on),
                "grace": extension.grace,
                "reason": extension.reason,
                "by": extension.created_by,
            }
            for extension in session.scalars(
                select(ShiftExtension)
                .where(ShiftExtension.member_id == member.id)
                .order_by(ShiftExtension.id)
            )
        ],
        "roles": sorted(
            session.scalars(select(ShiftSkill.role).where(ShiftSkill.member_id == member.id))
        ),
    }


def erase_notes(session: Session, member_id: int) -> None:
    """Blank the free text typed about a person who is erased (leave reasons, excuses, notes);
    dates, states and counter entries stay for the accounts and the statistics."""
    for model, column in (
        (ShiftLeave, ShiftLeave.reason),
        (ShiftAttendance, ShiftAttendance.note),
        (ShiftExtension, ShiftExtension.reason),
        (ShiftLedgerEntry, ShiftLedgerEntry.note),
    ):
        session.execute(
            update(model)
            .where(model.member_id == member_id, column.is_not(None), column != "")
            .values({column.key: "[erased]"})
            .execution_options(synchronize_session=False)
        )


privacy.register("shifts", personal_data, erase=erase_notes)
