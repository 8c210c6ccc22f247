"""The daily run's actions for many members at once: Tapir freezes release the fixed slots and
the bookings they made, each change audited, the status settled again with the new facts, in
as many statements for two members as for six."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop.audit import AuditEntry
from coop.members import service as members
from coop.shifts import service
from coop.shifts.models import Shift, ShiftAttendance, ShiftHolding
from coop.shifts.policy import TAPIR, AttendanceState, Counter, Status

from .conftest import Coop
from .test_shifts_census import TEMPLATES, statements


def owe(coop: Coop, number: int, delta: int) -> None:
    service.manual_entry(
        coop.session,
        member_number=number,
        counter=Counter.BALANCE,
        delta=delta,
        reason="reprise de l'ancien système",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )


def released(coop: Coop, number: int, last_day: date) -> None:
    """The member's slot ended on ``last_day`` and no booking from their slot is left after."""
    member = members.get_by_number(coop.session, number)
    coop.session.expire_all()
    holdings = coop.session.scalars(
        select(ShiftHolding).where(ShiftHolding.member_id == member.id)
    ).all()
    assert [(h.ends_on, h.end_reason) for h in holdings] == [(last_day, "released")]
    live = coop.session.scalars(
        select(Shift.day)
        .join(ShiftAttendance, ShiftAttendance.shift_id == Shift.id)
        .where(
            ShiftAttendance.member_id == member.id,
            ShiftAttendance.state == AttendanceState.PENDING.value,
            Shift.day > last_day,
        )
    ).all()
    assert live == []
    audited = coop.session.scalars(
        select(AuditEntry.action).where(AuditEntry.member_id == member.id)
    ).all()
    assert "shift.slot_end" in audited and "shift.release" in audited
    assert "shift.notify" in audited
    assert coop.state(number).status is Status.FROZEN


def test_freezes_release_slots_for_everyone_in_constant_statements(session, actor, now, tmp_path):
    coop = Coop(session, actor, now, TAPIR)
    coop.templates(tmp_path, *TEMPLATES)
    for number in range(1, 9):
        coop.member(number)
        coop.hold(number, "SAM" if number % 2 else "MAR", date(2026, 11, 21))
    coop.generate(date(2026, 11, 21), date(2027, 2, 28))
    coop.run(date(2026, 11, 21))
    for number in (1, 2):
        owe(coop, number, -30)
    # Far below −4 even counting their booked shifts: frozen 11 days after (members 1 and 2).
    coop.at(date(2026, 11, 30)).run(date(2026, 11, 30))
    coop.at(date(2026, 12, 11))
    with statements(session) as two:
        report = coop.run(date(2026, 12, 11))
    assert report.actions.get("notify_frozen") == 2
    for number in (1, 2):
        released(coop, number, date(2026, 12, 10))
    assert coop.state(3).status is Status.UP_TO_DATE
    # Members 3 to 8 owe as much from today: frozen 11 days later.
    for number in range(3, 9):
        owe(coop, number, -30)
    coop.at(date(2026, 12, 21)).run(date(2026, 12, 21))
    coop.at(date(2026, 12, 22))
    with statements(session) as six:
        report = coop.run(date(2026, 12, 22))
    assert report.actions.get("notify_frozen") == 6
    for number in range(3, 9):
        released(coop, number, date(2026, 12, 21))
    assert len(six) == len(two)
