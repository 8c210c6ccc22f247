"""Issue 16 §8 on the screens: from the welcome desk (F7) and the shift desk (F9) a volunteer
books a free place of the coming weeks, swaps two members' shifts and gives a booking to a
stand-in, keyboard only, at 80×24; every shift is named by its day and time in words."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.members.models import Member
from coop.shifts.models import Shift, ShiftAttendance, ShiftSeat, ShiftSkill
from tests.tui.conftest import press, scan, settle, type_text
from tests.tui.test_shift_desk import select_member
from tui.screens.booking_dialogs import ChoiceDialog, MemberShiftsDialog
from tui.screens.desk import DeskScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.member_search import MemberSearchDialog

IN_WORDS = re.compile(
    r"^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} \w+ 2026, \d\d:\d\d–\d\d:\d\d"
)


def live_shifts(engine, number: int) -> set[int]:
    with Session(engine) as session:
        return set(
            session.scalars(
                select(ShiftAttendance.shift_id)
                .join(Member, Member.id == ShiftAttendance.member_id)
                .where(Member.number == number, ShiftAttendance.state == "pending")
            )
        )


def swappable(engine, now: datetime, avoid: set[int], booked: int) -> tuple[int, int]:
    """(member, shift) of a booking two days ahead on a seat member 1 may take, not on
    ``avoid``, by a member who may take member 1's seat on ``booked`` (its role, if any)."""
    with Session(engine) as session:
        role = session.scalar(
            select(ShiftSeat.role)
            .join(Member, Member.id == ShiftSeat.member_id)
            .where(ShiftSeat.shift_id == booked, Member.number == 1)
        )
        mine = set(
            session.scalars(
                select(ShiftSkill.role)
                .join(Member, Member.id == ShiftSkill.member_id)
                .where(Member.number == 1)
            )
        )
        skilled = (
            None
            if role is None
            else set(
                session.scalars(
                    select(Member.number)
                    .join(ShiftSkill, ShiftSkill.member_id == Member.id)
                    .where(ShiftSkill.role == role)
                )
            )
        )
        rows = session.execute(
            select(Member.number, Shift.id)
            .join(ShiftAttendance, ShiftAttendance.member_id == Member.id)
            .join(Shift, Shift.id == ShiftAttendance.shift_id)
            .join(ShiftSeat, ShiftSeat.id == ShiftAttendance.seat_id)
            .where(
                ShiftAttendance.state == "pending",
                ShiftSeat.role.is_(None) | ShiftSeat.role.in_(mine),
                Shift.starts_at > now.replace(day=now.day + 2),
                Member.main_member_id.is_(None),
                Member.left_on.is_(None),
                Member.number != 1,
            )
            .order_by(Shift.starts_at, Member.number)
        ).all()
    for number, shift_id in rows:
        if skilled is not None and number not in skilled:
            continue
        if shift_id not in avoid and not (live_shifts(engine, number) & avoid):
            return number, shift_id
    raise AssertionError("no booking to swap with in the demo")


def free_member(engine, shift_id: int, avoid: set[int]) -> int:
    """A main member still in the coop, not booked on ``shift_id``."""
    with Session(engine) as session:
        numbers = session.scalars(
            select(Member.number)
            .where(Member.main_member_id.is_(None), Member.left_on.is_(None))
            .order_by(Member.number)
        ).all()
    # (the search by name looks from two characters on: a two-digit number)
    return next(
        n for n in numbers if n >= 10 and n not in avoid and shift_id not in live_shifts(engine, n)
    )


async def test_book_then_swap_then_hand_over_from_the_welcome_desk(counter_app, demo_engine, now):
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "1")
        before = live_shifts(demo_engine, 1)
        await press(pilot, "f7")
        dialog = app.screen
        assert isinstance(dialog, MemberShiftsDialog)
        assert "Membre 1" not in str(dialog.query_one("#bookings-title").render())
        # F4: the free places member 1 may take, in words.
        await press(pilot, "f4")
        assert isinstance(app.screen, ChoiceDialog)
        choices = app.screen.options
        assert choices and all(IN_WORDS.match(text) for text in choices), choices
        assert not any("créneau " in text.lower() for text in choices)
        await press(pilot, "enter")  # the first one
        assert app.screen is dialog
        (booked,) = live_shifts(demo_engine, 1) - before
        assert "est inscrit" in str(dialog.query_one("#bookings-info").render())
        # F6: swap that booking with another member's.
        other, theirs = swappable(demo_engine, now, live_shifts(demo_engine, 1) | {booked}, booked)
        dialog.query_one("#bookings").highlighted = [b.shift_id for b in dialog.bookings].index(
            booked
        )
        await press(pilot, "f6")
        assert isinstance(app.screen, MemberSearchDialog)
        await type_text(pilot, str(other))
        await press(pilot, "enter")
        assert isinstance(app.screen, ChoiceDialog)
        chooser = app.screen
        ids = sorted(live_shifts(demo_engine, other))
        assert len(chooser.options) >= 1
        target = chooser.query_one("#choices")
        # choose the other member's booking on ``theirs`` (their list is in time order)
        with Session(demo_engine) as session:
            order = [
                shift_id
                for (shift_id,) in session.execute(
                    select(Shift.id)
                    .where(Shift.id.in_(ids), Shift.starts_at > now)
                    .order_by(Shift.starts_at, Shift.id)
                )
            ]
        target.highlighted = order.index(theirs)
        assert all(IN_WORDS.match(text) for text in chooser.options)
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "o")
        assert app.screen is dialog
        said = str(dialog.query_one("#bookings-info").render())
        assert theirs in live_shifts(demo_engine, 1), said
        assert booked not in live_shifts(demo_engine, 1)
        assert booked in live_shifts(demo_engine, other)
        assert "Créneaux échangés" in str(dialog.query_one("#bookings-info").render())
        # F7: give the shift just taken to a stand-in, confirmed with O.
        stand_in = free_member(demo_engine, theirs, {1, other})
        dialog.query_one("#bookings").highlighted = [b.shift_id for b in dialog.bookings].index(
            theirs
        )
        await press(pilot, "f7")
        await type_text(pilot, str(stand_in))
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "o")
        info = str(dialog.query_one("#bookings-info").render())
        if theirs in live_shifts(demo_engine, stand_in):
            assert f"Le membre {stand_in} prend la place du membre 1" in info
            assert theirs not in live_shifts(demo_engine, 1)
        else:  # the core said why (the seat asks for a role the stand-in does not hold)
            assert theirs in live_shifts(demo_engine, 1)
            assert f"Le membre {stand_in} ne peut pas prendre la place" in info
        await press(pilot, "escape")
        assert isinstance(app.screen, DeskScreen)


async def test_the_shift_desk_opens_the_chosen_person_s_bookings(counter_app):
    app = counter_app(language="fr", mode="shifts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_member(pilot, app, 42)
        await press(pilot, "f9")
        assert isinstance(app.screen, MemberShiftsDialog)
        assert app.screen.number == 42
        title = str(app.screen.query_one("#bookings-title").render())
        assert title.startswith("Créneaux à venir du membre 42 ")
        await press(pilot, "f5")  # nothing chosen yet when no booking: a sentence, no crash
        await press(pilot, "escape")
        assert not isinstance(app.screen, MemberShiftsDialog)
