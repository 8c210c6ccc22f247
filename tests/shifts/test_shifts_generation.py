"""Templates from CSV, idempotent generation, template edits, public holidays and closures."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from coop.errors import CoopError, InvalidInput
from coop.shifts import cancelling, exchange
from coop.shifts.models import Shift, ShiftAttendance, ShiftSeat, ShiftTemplate
from coop.shifts.policy import TAPIR, Counter

from .conftest import Coop, moment

TEMPLATES = (
    "A-SAM;Samedi matin A;A;samedi;09:00;12:00;3;shift_leader,cashier",
    "B-MAR;Mardi soir B;B;mardi;18h;21h;2;",
    "SAM;Samedi après-midi;;samedi;14:00;17:00;4;cashier",
    "VEN;Vendredi;;vendredi;10h00;13h00;2;",
)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_creates_templates_with_roles(coop: Coop, tmp_path):
    report = coop.templates(tmp_path, *TEMPLATES)
    assert (report.created, report.updated) == (4, 0)
    template = coop.session.scalar(select(ShiftTemplate).where(ShiftTemplate.code == "B-MAR"))
    assert (template.week_letter, template.weekday) == ("B", 1)
    assert (template.start_time, template.end_time) == (time(18), time(21))
    every = coop.session.scalar(select(ShiftTemplate).where(ShiftTemplate.code == "SAM"))
    assert every.week_letter is None and every.role_list == ["cashier"]
    again = coop.templates(tmp_path, *TEMPLATES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_generation_follows_week_letters_and_is_idempotent(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    report = coop.generate(date(2026, 11, 21), date(2027, 1, 31))
    # Week A Saturdays (weeks of 2 Nov, 30 Nov, 28 Dec, 25 Jan) from 21 Nov on:
    assert [s.day for s in coop.shifts("A-SAM")] == [
        date(2026, 12, 5),
        date(2027, 1, 2),
        date(2027, 1, 30),
    ]
    # Week B Tuesdays (weeks of 9 Nov, 7 Dec, 4 Jan): 8 Dec and 5 Jan.
    assert [s.day for s in coop.shifts("B-MAR")] == [date(2026, 12, 8), date(2027, 1, 5)]
    assert len(coop.shifts("SAM")) == 11  # every Saturday from 21 Nov to 30 Jan
    assert len(coop.shifts("VEN")) == 10  # every Friday from 27 Nov to 29 Jan
    assert report.created == 3 + 2 + 11 + 10
    first = coop.shifts("A-SAM")[0]
    assert [(seat.position, seat.role) for seat in first.seats_list] == [
        (1, "shift_leader"),
        (2, "cashier"),
        (3, None),
    ]
    assert first.starts_at == moment(date(2026, 12, 5), 9)
    shifts, seats = count(coop.session, Shift), count(coop.session, ShiftSeat)
    again = coop.generate(date(2026, 11, 21), date(2027, 1, 31))
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert (count(coop.session, Shift), count(coop.session, ShiftSeat)) == (shifts, seats)


def test_public_holidays_cancel_the_shift(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES, "JEU;Jeudi;;jeudi;17:00;20:00;3;")
    report = coop.generate(date(2026, 11, 21), date(2027, 5, 31))
    fridays = {s.day: s for s in coop.shifts("VEN")}
    christmas, new_year = fridays[date(2026, 12, 25)], fridays[date(2027, 1, 1)]
    assert christmas.cancelled and christmas.holiday == "christmas"
    assert new_year.cancelled and new_year.holiday == "new_year"
    assert not fridays[date(2026, 12, 18)].cancelled
    # Easter 2027 is 28 March, so Ascension (+39 days) is Thursday 6 May.
    thursdays = {s.day: s for s in coop.shifts("JEU")}
    assert thursdays[date(2027, 5, 6)].holiday == "ascension"
    assert not thursdays[date(2027, 5, 13)].cancelled
    assert report.closed == len([s for s in coop.shifts() if s.cancelled])


def test_holidays_can_be_worked_when_the_coop_opens(coop: Coop, tmp_path):
    from dataclasses import replace

    coop.settings = replace(coop.settings, public_holidays=False)
    coop.templates(tmp_path, *TEMPLATES)
    coop.generate(date(2026, 12, 20), date(2027, 1, 5))
    assert not any(s.cancelled for s in coop.shifts("VEN"))


def test_holiday_cancels_holders_shift_with_the_policy_credit(coop: Coop, tmp_path):
    # Tapir: a fixed-slot shift the coop cancels is excused, +1 (reference §2.1).
    coop = Coop(coop.session, coop.actor, coop.now, TAPIR)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.hold(1, "VEN", date(2026, 11, 21))
    coop.generate(date(2026, 12, 14), date(2026, 12, 31))
    christmas = coop.shift_on(date(2026, 12, 25), "VEN")
    booked = coop.session.scalar(
        select(ShiftAttendance).where(ShiftAttendance.shift_id == christmas.id)
    )
    assert booked.state == "excused" and booked.seat_id is None
    assert coop.counters(1).get(Counter.BALANCE) == 1
    open_friday = coop.shift_on(date(2026, 12, 18), "VEN")
    assert (
        coop.session.scalar(
            select(ShiftAttendance.state).where(ShiftAttendance.shift_id == open_friday.id)
        )
        == "pending"
    )


def test_editing_a_template_updates_future_shifts_not_changed_by_hand(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    coop.generate(date(2026, 11, 14), date(2026, 12, 31))
    saturdays = {s.day: s for s in coop.shifts("SAM")}
    past, by_hand = saturdays[date(2026, 11, 14)], saturdays[date(2026, 12, 12)]
    cancelling.edit_shift(
        coop.session,
        shift_id=by_hand.id,
        starts_at=moment(by_hand.day, 13),
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    edited = [row.replace("14:00;17:00;4", "15:00;18:00;5") for row in TEMPLATES]
    report = coop.templates(tmp_path, *edited, name="creneaux-v2.csv")
    assert report.updated == 1
    coop.session.expire_all()
    after = {s.day: s for s in coop.shifts("SAM")}
    future = after[date(2026, 12, 19)]
    assert future.starts_at == moment(future.day, 15)
    assert future.ends_at == moment(future.day, 18)
    assert len(future.seats_list) == 5
    assert after[past.day].starts_at == moment(past.day, 14)  # the past stays as it was
    assert len(after[past.day].seats_list) == 4
    assert after[by_hand.day].starts_at == moment(by_hand.day, 13)  # edited by hand
    assert after[by_hand.day].ends_at == moment(by_hand.day, 17)


def test_moving_a_template_removes_its_unbooked_future_dates(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.generate(date(2026, 11, 21), date(2026, 12, 31))
    b_tuesday = coop.shifts("B-MAR")[0]
    coop.book(1, b_tuesday)
    moved = [row.replace("B;mardi", "B;mercredi") for row in TEMPLATES]
    coop.templates(tmp_path, *moved, name="moved.csv")
    coop.generate(date(2026, 11, 21), date(2026, 12, 31))
    coop.session.expire_all()
    shifts = coop.shifts("B-MAR")
    assert [(s.day, s.cancelled) for s in shifts] == [
        (date(2026, 12, 8), True),  # someone was booked: cancelled, kept in the history
        (date(2026, 12, 9), False),
    ]
    booking_state = coop.session.scalar(
        select(ShiftAttendance.state).where(ShiftAttendance.shift_id == b_tuesday.id)
    )
    assert booking_state == "cancelled"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("X;X;A;samedi;12:00;09:00;3;", "end", "ends before it starts"),
        ("X;X;A;samedi;09:00;12:00;0;", "seats", "at least 1"),
        ("X;X;A;samedi;09:00;12:00;1;cashier,shift_leader", "roles", "2 roles for 1 places"),
        ("X;X;E;samedi;09:00;12:00;3;", "week", "not a week letter"),
        ("X;X;A;sabado;09:00;12:00;3;", "weekday", "not a day of the week"),
        ("X;X;A;samedi;9 heures;12:00;3;", "start", "not a time"),
    ],
)
def test_bad_templates_are_refused_with_line_and_column(coop: Coop, tmp_path, row, column, words):
    with pytest.raises(InvalidInput) as refused:
        coop.templates(tmp_path, TEMPLATES[0], row)
    (problem,) = refused.value.problems
    assert (problem.line, problem.column) == (3, column)
    assert words in problem.message
    assert count(coop.session, ShiftTemplate) == 0


def test_duplicate_code_in_file(coop: Coop, tmp_path):
    with pytest.raises(InvalidInput, match="already on line 2"):
        coop.templates(tmp_path, TEMPLATES[0], TEMPLATES[0])


def test_fewer_places_than_holders_is_refused(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    for number in (1, 2):
        coop.member(number)
        coop.hold(number, "B-MAR")
    shrunk = [row.replace("18h;21h;2", "18h;21h;1") for row in TEMPLATES]
    with pytest.raises(InvalidInput, match="2 members hold a place in B-MAR"):
        coop.templates(tmp_path, *shrunk, name="shrunk.csv")


def test_export_reimports_unchanged(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    from coop.csvio import write_table

    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        write_table(exchange.export_rows(coop.session), exchange.EXPORT_COLUMNS, stream)
    report = exchange.import_templates(
        coop.session, path, settings=coop.settings, actor=coop.actor, now=coop.now
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


def test_generation_range_must_be_in_order(coop: Coop):
    with pytest.raises(InvalidInput, match="before the start date"):
        coop.generate(date(2026, 12, 1), date(2026, 11, 1))


def test_closure_cancels_shifts_with_the_chosen_credit_rule(coop: Coop, tmp_path):
    # La Louve (reference §2.3): an absence of an ABCD member inside a "0 makeup" closure is
    # neutral; inside a "1 makeup" closure it costs one make-up (−1).
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.member(2)
    coop.member(3)
    coop.hold(1, "SAM")
    coop.hold(2, "VEN")
    coop.generate(date(2026, 11, 21), date(2026, 12, 31))
    flyer_shift = coop.shift_on(date(2026, 12, 12), "SAM")
    coop.book(3, flyer_shift)
    first = cancelling.add_closure(
        coop.session,
        starts_on=date(2026, 12, 12),
        ends_on=date(2026, 12, 12),
        label="Inventaire",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    second = cancelling.add_closure(
        coop.session,
        starts_on=date(2026, 12, 18),
        ends_on=date(2026, 12, 18),
        label="Travaux",
        makeups=1,
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    assert (first.shifts, second.shifts) == (1, 1)
    assert coop.counters(1).get(Counter.STANDARD) == 0  # neutral
    assert coop.counters(2).get(Counter.STANDARD) == -1  # one make-up
    states = dict(
        coop.session.execute(
            select(ShiftAttendance.member_id, ShiftAttendance.state).where(
                ShiftAttendance.shift_id == flyer_shift.id
            )
        ).all()
    )
    assert sorted(states.values()) == ["cancelled", "excused"]  # the flying booking is released
    # Generating over the closure again changes nothing.
    assert coop.generate(date(2026, 11, 21), date(2026, 12, 31)).created == 0


def test_closure_bad_dates_change_nothing(coop: Coop):
    with pytest.raises(InvalidInput) as refused:
        cancelling.add_closure(
            coop.session,
            starts_on=date(2026, 11, 1),
            ends_on=date(2026, 10, 1),
            label="",
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
    columns = {p.column for p in refused.value.problems}
    assert columns == {"--to", "--from", "--label"}
    assert cancelling.closures(coop.session) == []


def test_template_letter_beyond_the_cycle_is_refused(coop: Coop, tmp_path):
    coop.with_policy(cycle_weeks=2)
    with pytest.raises(InvalidInput, match="not a week letter"):
        coop.templates(tmp_path, "C-LUN;Lundi C;C;lundi;09:00;12:00;2;")


def test_cancelled_shift_cannot_be_cancelled_twice(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    coop.generate(date(2026, 11, 21), date(2026, 11, 30))
    shift = coop.shifts("SAM")[-1]
    cancelling.cancel_shift(
        coop.session,
        shift_id=shift.id,
        reason="Grève",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    with pytest.raises(CoopError, match="already cancelled"):
        cancelling.cancel_shift(
            coop.session,
            shift_id=shift.id,
            reason="Grève",
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
