"""The shift desk driven with key presses, on the demo's Saturday 21/11/2026 at 10:30: shift 144
(09:00–12:00, full, running), 145 (12:00–15:00, full) and 146 (15:00–18:00, one free place).
Each test checks what the screen shows and what the database holds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import DataTable

from coop.members.models import Member
from coop.members.rules import card_for_number
from coop.shifts.models import ShiftAttendance
from tests.tui.conftest import azerty, press, scan, settle, type_text
from tests.tui.test_app import footer_text
from tui.screens.member_search import MemberSearchDialog
from tui.screens.shift_desk import ShiftDeskScreen
from tui.widgets.scan_field import ScanField


def card(number: int) -> str:
    return card_for_number("042", number)


def rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#shift-people", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def row_of(app, number: int) -> tuple[str, ...]:
    return next(row for row in rows(app) if row[1].split()[:1] == [str(number)])


def info(app) -> str:
    return str(app.screen.query_one("#shifts-info").render())


def states(engine, shift_id: int) -> dict[int, tuple[str, str]]:
    with Session(engine) as session:
        return {
            number: (state, kind)
            for number, state, kind in session.execute(
                select(Member.number, ShiftAttendance.state, ShiftAttendance.kind)
                .join(Member, Member.id == ShiftAttendance.member_id)
                .where(ShiftAttendance.shift_id == shift_id)
            )
        }


async def select_member(pilot, app, number: int) -> None:
    """Move the cursor down to the member's line (the keys a person would press)."""
    screen = app.screen
    target = next(i for i, key in enumerate(screen.keys) if key.endswith(f":{number}"))
    table = screen.query_one("#shift-people", DataTable)
    while table.cursor_row < target:
        await press(pilot, "down")
    while table.cursor_row > target:
        await press(pilot, "up")


def free_places(engine) -> dict[str, int]:
    """Free places per shift name on the demo's Saturday, counted from the seats."""
    from datetime import date

    from sqlalchemy import func

    from coop.shifts.models import Shift, ShiftSeat

    with Session(engine) as session:
        return {
            name: seats - taken
            for name, seats, taken in session.execute(
                select(Shift.name, func.count(ShiftSeat.id), func.count(ShiftSeat.member_id))
                .join(ShiftSeat, ShiftSeat.shift_id == Shift.id)
                .where(Shift.day == date(2026, 11, 21))
                .group_by(Shift.id, Shift.name)
            )
        }


async def test_today_s_shifts_with_places_people_and_warnings(counter_app, demo_engine):
    app = counter_app(language="fr", mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ShiftDeskScreen)
        assert isinstance(app.focused, ScanField)
        assert "F4 Présent" in footer_text(app) and "F7 Sans réservation" in footer_text(app)
        day = str(app.screen.query_one("#shifts-day").render())
        assert day == "Créneaux du samedi 21 novembre 2026"
        shown = rows(app)
        assert shown[0][:2] == ("09:00–12:00", "Samedi matin A")
        assert shown[0][3] == "6/6 places prises"
        assert row_of(app, 145)[2:] == ("équipe fixe", "inscrit")
        assert row_of(app, 245)[2] == "volant"
        warnings = str(app.screen.query_one("#shifts-warnings").render())
        free = free_places(demo_engine)
        assert free["Samedi matin A"] == 0 and any(free.values())
        for name, places in free.items():
            if places:
                assert f"{name}\xa0: {places} place" in warnings
            else:
                assert name not in warnings


async def test_a_scan_marks_attended_on_the_running_shift_once(counter_app, demo_engine):
    app = counter_app(mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, azerty(card(145)))
        assert states(demo_engine, 144)[145] == ("attended", "regular")
        assert row_of(app, 145)[3] == "attended"
        assert info(app).startswith("Member 145 Stéphane Gaillard: attended.")
        await scan(pilot, card(145))  # scanned twice: nothing doubled
        assert "was already marked: attended" in info(app)
        assert states(demo_engine, 144)[145] == ("attended", "regular")
        assert isinstance(app.focused, ScanField)


async def test_scans_that_cannot_mark_say_why(counter_app, demo_engine):
    app = counter_app(mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, card(152))  # booked at 12:00: not started
        assert "has not started yet" in info(app)
        assert states(demo_engine, 145)[152] == ("pending", "regular")
        await scan(pilot, card(1))  # not booked today
        assert "Member 1 Éric Dumont is not booked on a shift today" in info(app)
        await scan(pilot, "0420000001453")  # card 145 with a wrong check digit
        assert "wrong check digit" in info(app)
        await press(pilot, "enter", "enter")
        assert isinstance(app.focused, ScanField)
        assert states(demo_engine, 144)[145] == ("pending", "regular")


async def test_missed_excused_and_back_with_keys(counter_app, demo_engine):
    app = counter_app(mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_member(pilot, app, 286)
        await press(pilot, "f5")
        assert states(demo_engine, 144)[286] == ("missed", "regular")
        assert row_of(app, 286)[3] == "missed"
        assert app.screen.selected() == "a:144:286"  # the cursor stays on the person
        await press(pilot, "f6")
        assert states(demo_engine, 144)[286] == ("excused", "regular")
        await press(pilot, "f8")
        assert states(demo_engine, 144)[286] == ("pending", "regular")
        await press(pilot, "f4")
        assert states(demo_engine, 144)[286] == ("attended", "regular")
        await select_member(pilot, app, 123)  # shift 146 has not started
        await press(pilot, "f5")
        assert "has not started yet" in info(app)
        assert states(demo_engine, 146)[123] == ("pending", "regular")


async def test_a_walk_in_doing_a_make_up(counter_app, demo_engine):
    app = counter_app(mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_member(pilot, app, 42)  # on shift 144
        await press(pilot, "f7")
        assert isinstance(app.screen, MemberSearchDialog)
        await press(pilot, "escape")  # backs out: nothing added
        assert isinstance(app.screen, ShiftDeskScreen)
        assert isinstance(app.focused, ScanField)
        assert 14 not in states(demo_engine, 144)
        await press(pilot, "f7")
        await type_text(pilot, "14")
        await press(pilot, "enter")
        assert isinstance(app.screen, ShiftDeskScreen)
        assert states(demo_engine, 144)[14] == ("attended", "walk_in")
        assert row_of(app, 14)[2:] == ("walk-in", "attended")
        assert "added as a walk-in" in info(app)
        await scan(pilot, card(14))  # now booked on 144: the scan finds it
        assert "already marked" in info(app)


async def test_yesterday_s_shift_marked_after_the_fact_then_home_to_today(counter_app, demo_engine):
    """Friday 20/11: shift 142 (09:00–12:00) and 143 (15:00–18:00), everyone marked attended."""
    app = counter_app(mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Page Up Previous day" in footer_text(app)
        await press(pilot, "pageup")
        day = str(app.screen.query_one("#shifts-day").render())
        assert day == "Shifts of Friday, 20 November 2026 — yesterday · Home: back to today"
        assert [row[1] for row in rows(app) if row[0]] == ["Vendredi matin A", "Vendredi soir A"]
        await select_member(pilot, app, 220)
        await press(pilot, "f5")
        assert states(demo_engine, 142)[220] == ("missed", "regular")
        assert row_of(app, 220)[3] == "missed"
        await select_member(pilot, app, 107)
        await press(pilot, "f5")
        assert states(demo_engine, 143)[107] == ("missed", "regular")
        await scan(pilot, card(107))  # a scan marks on the day shown
        assert states(demo_engine, 143)[107] == ("attended", "regular")
        assert info(app).startswith("Member 107 ")
        await scan(pilot, card(145))  # booked today, not yesterday
        assert "is not booked on a shift on 20/11/2026" in info(app)
        assert states(demo_engine, 144)[145] == ("pending", "regular")
        await press(pilot, "home")
        day = str(app.screen.query_one("#shifts-day").render())
        assert day == "Shifts of Saturday, 21 November 2026"
        assert rows(app)[0][1] == "Samedi matin A"
        await scan(pilot, card(145))  # today again: the running shift
        assert states(demo_engine, 144)[145] == ("attended", "regular")
        await press(pilot, "pagedown")  # Sunday: the shop is shut
        day = str(app.screen.query_one("#shifts-day").render())
        assert day == "Shifts of Sunday, 22 November 2026 — not today · Home: back to today"
        assert rows(app)[0][1] == "No shift on that day."
        await press(pilot, "f5")
        assert "Choose a person" in info(app)
