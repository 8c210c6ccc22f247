"""Issue 16 §9: an attendance marked after the fact keeps its shift's date.

Two members hold the same Saturday slot and both miss it: one is marked on the evening of the
shift, the other a week later. Under every preset their ledger entries, their alert clocks (the
date by which to act), their status today and their status rebuilt for a past day are the same;
only the time the late mark was recorded (``created_at``) differs.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coop.members import service as members
from coop.shifts import desk, service
from coop.shifts.models import ShiftLedgerEntry
from coop.shifts.policy import BEES, LOUVE, TAPIR, Status

from .conftest import Coop, moment

TEMPLATES = ("SAM;Samedi après-midi;;samedi;14:00;17:00;3;",)
SATURDAY = date(2026, 11, 21)


def attendance_entries(coop: Coop, number: int) -> list[ShiftLedgerEntry]:
    member = members.get_by_number(coop.session, number)
    return list(
        coop.session.scalars(
            select(ShiftLedgerEntry)
            .where(
                ShiftLedgerEntry.member_id == member.id,
                ShiftLedgerEntry.attendance_id.is_not(None),
            )
            .order_by(ShiftLedgerEntry.id)
        )
    )


@pytest.mark.parametrize("policy", [LOUVE, BEES, TAPIR], ids=["louve", "bees", "tapir"])
def test_a_shift_marked_a_week_late_counts_from_the_shift_day(
    session, actor, now, tmp_path, policy
):
    coop = Coop(session, actor, now, policy)
    coop.templates(tmp_path, *TEMPLATES)
    for number in (1, 2):
        coop.member(number)
        coop.hold(number, "SAM", SATURDAY)
    coop.generate(SATURDAY, date(2027, 1, 31))
    saturday = coop.shift_on(SATURDAY, "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")  # on time
    late = moment(SATURDAY + timedelta(days=7), 11)
    coop.at(late).mark(saturday, 2, "missed")  # a week late

    on_time, week_late = attendance_entries(coop, 1), attendance_entries(coop, 2)
    assert week_late, "the absence must leave ledger entries"
    assert {entry.day for entry in week_late} == {SATURDAY}
    assert [(e.counter, e.delta, e.kind) for e in week_late] == [
        (e.counter, e.delta, e.kind) for e in on_time
    ]
    assert {entry.created_at for entry in week_late} == {late}

    checks = [desk.check(session, str(n), at=late, settings=coop.settings) for n in (1, 2)]
    assert checks[1].status == checks[0].status
    assert checks[1].fix_by == checks[0].fix_by
    assert checks[1].counters_text == checks[0].counters_text

    # The status rebuilt for the Monday after the shift (``coop shifts status --at``) sees it.
    monday = SATURDAY + timedelta(days=2)
    rows = {row.number: row for row in service.statuses(session, at=monday, settings=coop.settings)}
    assert rows[2].status == rows[1].status
    assert rows[2].counters == rows[1].counters
    assert any(value < 0 for value in rows[2].counters.values())


def test_louve_alert_ends_28_days_after_the_shift_not_the_typing(session, actor, now, tmp_path):
    coop = Coop(session, actor, now, LOUVE)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.hold(1, "SAM", SATURDAY)
    coop.generate(SATURDAY, date(2027, 1, 31))
    saturday = coop.shift_on(SATURDAY, "SAM")
    coop.at(moment(SATURDAY + timedelta(days=7))).mark(saturday, 1, "missed")
    assert coop.state(1).status is Status.ALERT
    check = desk.check(session, "1", at=coop.now, settings=coop.settings)
    # 21 Nov + 28 days: the alert ends after 18 Dec (not 25 Dec, a week after the typing).
    assert check.fix_by == date(2026, 12, 18)
    coop.at(date(2026, 12, 19)).run(date(2026, 12, 19))
    assert coop.state(1).status is Status.SUSPENDED
