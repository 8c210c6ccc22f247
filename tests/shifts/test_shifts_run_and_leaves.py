"""The daily run (idempotent, catching up missed days), the status at past dates, and leaves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coop.errors import CoopError, InvalidInput
from coop.members import service as members
from coop.shifts import leaves, service
from coop.shifts.booking import live_attendance
from coop.shifts.models import ShiftCycle, ShiftLeave, ShiftLedgerEntry
from coop.shifts.policy import BEES, TAPIR, Status

from .conftest import Coop, moment

TEMPLATES = (
    "SAM;Samedi après-midi;;samedi;14:00;17:00;3;",
    "MAR;Mardi matin;;mardi;09:00;12:00;3;",
)


def build(coop: Coop, tmp_path, hold: bool = True) -> Coop:
    coop.templates(tmp_path, *TEMPLATES)
    for number in (1, 2):
        coop.member(number)
    if hold:
        coop.hold(1, "SAM", date(2026, 11, 21))
    coop.generate(date(2026, 11, 21), date(2027, 2, 28))
    return coop


def counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(ShiftLedgerEntry.id))),
        session.scalar(select(func.count(ShiftCycle.id))),
    )


def test_run_catches_up_missed_cycles_and_is_idempotent(coop: Coop, tmp_path):
    build(coop, tmp_path)
    first = coop.run(date(2026, 11, 21))
    assert first.enrolled == 1  # member 2 (member 1 was enrolled by holding a slot)
    # No run for two months: the cycles of 30 Nov, 28 Dec and 25 Jan are caught up at once.
    coop.at(date(2027, 1, 27))
    report = coop.run(date(2027, 1, 27))
    assert report.cycles == 2 * 3
    # La Louve flying member (FTOP): below 1 point each cycle costs 2 → −2, −4, −6.
    assert coop.counters(2).ftop == -6
    assert coop.counters(1).standard == 0  # fixed-slot members have no cycle debit here
    member = members.get_by_number(coop.session, 2)
    days = coop.session.scalars(
        select(ShiftCycle.starts_on).where(ShiftCycle.member_id == member.id)
    ).all()
    assert sorted(days) == [date(2026, 11, 30), date(2026, 12, 28), date(2027, 1, 25)]
    before = counts(coop.session)
    again = coop.run(date(2027, 1, 27))
    assert (again.cycles, again.entries, again.changed) == (0, 0, 0)
    assert counts(coop.session) == before
    # A run for an earlier day finds nothing left to do.
    assert coop.run(date(2027, 1, 26)).entries == 0
    assert counts(coop.session) == before


def test_daily_runs_debit_each_cycle_once(session, actor, now, tmp_path):
    coop = build(Coop(session, actor, now, TAPIR), tmp_path, hold=False)
    coop.run(date(2026, 11, 21))
    day = date(2026, 11, 21)
    while day < date(2027, 1, 27):
        day = day.fromordinal(day.toordinal() + 1)
        coop.at(day).run(day)
    # Tapir: −1 per cycle for everyone (30 Nov, 28 Dec, 25 Jan).
    assert coop.counters(1).balance == coop.counters(2).balance == -3


def test_status_at_past_dates_is_rebuilt_from_the_ledger(coop: Coop, tmp_path):
    build(coop, tmp_path)
    member = members.get_by_number(coop.session, 1)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    # Make-ups done late, on 29 Dec and 5 Jan, after the suspension of 19 Dec.
    for day in (date(2026, 12, 29), date(2027, 1, 5)):
        tuesday = coop.shift_on(day, "MAR")
        coop.at(moment(day, 8)).book(1, tuesday)
        coop.after(tuesday).mark(tuesday, 1, "attended")
    assert coop.state(1).status is Status.UP_TO_DATE

    def status(day: date):
        found = service.status_on(coop.session, coop.settings, member, day)
        return found and found[0]

    assert status(date(2026, 11, 20)) is None  # not enrolled yet
    assert status(date(2026, 11, 30)) is Status.ALERT
    assert status(date(2026, 12, 18)) is Status.ALERT
    assert status(date(2026, 12, 19)) is Status.SUSPENDED
    assert status(date(2026, 12, 30)) is Status.SUSPENDED  # one make-up of two
    assert status(date(2027, 1, 5)) is Status.UP_TO_DATE
    rows = {
        r.number: r
        for r in service.statuses(coop.session, at=date(2026, 12, 25), settings=coop.settings)
    }
    assert rows[1].status is Status.SUSPENDED and not rows[1].can_shop


def test_holiday_releases_bookings_and_blocks_shopping(coop: Coop, tmp_path):
    build(coop, tmp_path)
    coop.book(2, coop.shift_on(date(2026, 12, 1), "MAR"))
    leave = leaves.add_leave(
        coop.session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 11, 25),
        ends_on=date(2026, 12, 13),
        reason="voyage",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    member = members.get_by_number(coop.session, 1)

    def booked(day: date) -> bool:
        return live_attendance(coop.session, coop.shift_on(day, "SAM").id, member.id) is not None

    assert booked(date(2026, 11, 21))
    assert not booked(date(2026, 11, 28)) and not booked(date(2026, 12, 12))
    assert booked(date(2026, 12, 19))  # the fixed slot stays after the leave
    found = service.status_on(coop.session, coop.settings, member, date(2026, 12, 1))
    assert found[0] is Status.ON_LEAVE and not coop.policy.can_shop(found[0])
    # Back early on 5 December: the Saturdays from then on are booked again.
    coop.at(date(2026, 12, 2))
    leaves.end_leave(
        coop.session,
        member_number=1,
        back_on=date(2026, 12, 5),
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    coop.session.refresh(leave)
    assert leave.ends_on == date(2026, 12, 4)
    assert booked(date(2026, 12, 5)) and booked(date(2026, 12, 12))
    assert not booked(date(2026, 11, 28))


def test_exemption_lets_the_member_shop(coop: Coop, tmp_path):
    build(coop, tmp_path)
    leaves.add_leave(
        coop.session,
        member_number=2,
        kind="exemption",
        starts_on=date(2026, 11, 21),
        ends_on=None,
        reason="raison médicale",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    coop.at(date(2027, 1, 27)).run(date(2027, 1, 27))
    assert coop.state(2).status is Status.EXEMPTED
    assert coop.counters(2).ftop == 0  # no cycle owed while exempted


def test_bad_leaves_change_nothing(coop: Coop, tmp_path):
    build(coop, tmp_path)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        leaves.add_leave(
            coop.session,
            member_number=1,
            kind="holiday",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 1),
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
    with pytest.raises(InvalidInput, match="is not one of"):
        leaves.add_leave(
            coop.session,
            member_number=1,
            kind="sabbatical",
            starts_on=date(2026, 12, 1),
            ends_on=None,
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
    assert coop.session.scalar(select(func.count(ShiftLeave.id))) == 0
    leaves.add_leave(
        coop.session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 10),
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    with pytest.raises(CoopError, match="already has a leave"):
        leaves.add_leave(
            coop.session,
            member_number=1,
            kind="exemption",
            starts_on=date(2026, 12, 20),
            ends_on=None,
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
    with pytest.raises(CoopError, match="no leave to end"):
        leaves.end_leave(
            coop.session,
            member_number=2,
            back_on=date(2026, 12, 1),
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )


def test_generation_skips_holders_on_leave(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.hold(1, "SAM", date(2026, 11, 21))
    leaves.add_leave(
        coop.session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 10),
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    report = coop.generate(date(2026, 11, 21), date(2026, 12, 19))
    member = members.get_by_number(coop.session, 1)
    booked = [
        s.day
        for s in coop.shifts("SAM")
        if live_attendance(coop.session, s.id, member.id) is not None
    ]
    assert booked == [
        date(2026, 11, 21),
        date(2026, 11, 28),
        date(2026, 12, 12),
        date(2026, 12, 19),
    ]
    assert report.holders_booked == 4


def test_bees_leave_pauses_the_alert_clock(session, actor, now, tmp_path):
    """Reference §2.2: a holiday during a running alert moves the alert start to its end."""
    coop = build(Coop(session, actor, now, BEES), tmp_path)
    member = members.get_by_number(session, 1)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")  # alert from 21 Nov
    coop.at(date(2026, 11, 24))
    leaves.add_leave(
        session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 11, 25),
        ends_on=date(2026, 12, 5),
        settings=coop.settings,
        actor=actor,
        now=coop.now,
    )

    def status(day: date) -> Status:
        return service.status_on(session, coop.settings, member, day)[0]

    # Without the pause: suspended after 21 Nov + 28 days. With it: after 5 Dec + 28 = 2 Jan.
    assert status(date(2026, 12, 1)) is Status.ON_LEAVE
    assert status(date(2026, 12, 25)) is Status.ALERT
    assert status(date(2027, 1, 2)) is Status.ALERT
    assert status(date(2027, 1, 3)) is Status.SUSPENDED


def test_personal_data_export_and_erasure_cover_shifts(coop: Coop, tmp_path):
    from coop import personal_data as privacy

    build(coop, tmp_path)
    leaves.add_leave(
        coop.session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 10),
        reason="hospitalisation",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "excused", note="enfant malade")
    member = members.get_by_number(coop.session, 1)
    data = privacy.export_personal_data(coop.session, member)["shifts"]
    assert data["slots"][0]["template"] == "SAM"
    assert data["leaves"][0]["reason"] == "hospitalisation"
    assert [e["delta"] for e in data["ledger"]] == [-1]
    assert data["attendances"][0]["note"] == "enfant malade"
    members.update_member(
        coop.session, member, {"left_on": date(2026, 11, 21)}, actor=coop.actor, now=coop.now
    )
    privacy.erase_member(coop.session, member, actor=coop.actor, now=coop.now)
    erased = privacy.export_personal_data(coop.session, member)["shifts"]
    text = str(erased)
    assert "hospitalisation" not in text and "enfant malade" not in text
    assert [e["delta"] for e in erased["ledger"]] == [-1]  # the counters stay


def test_a_leave_called_off_before_it_starts_gives_the_shifts_back(coop: Coop, tmp_path):
    build(coop, tmp_path)
    leave = leaves.add_leave(
        coop.session,
        member_number=1,
        kind="holiday",
        starts_on=date(2026, 12, 1),
        ends_on=None,
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    member = members.get_by_number(coop.session, 1)
    later = coop.shift_on(date(2027, 1, 9), "SAM")
    assert live_attendance(coop.session, later.id, member.id) is None  # open-ended: all released
    leaves.end_leave(
        coop.session,
        member_number=1,
        back_on=date(2026, 11, 25),
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    coop.session.refresh(leave)
    assert leave.cancelled
    assert live_attendance(coop.session, later.id, member.id) is not None
    assert coop.state(1).leave is None
