"""Swaps (two members exchange their shifts, as in Obeesdoo), hand-overs to a stand-in, and
the free places the desks list: seats change hands, kinds stay with their members, refusals
are sentences naming the member and the shift by day and time, every change is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop import audit
from coop.errors import CoopError
from coop.members import service as members
from coop.shifts import booking, places, slots, swaps
from coop.shifts.models import ShiftAttendance, ShiftSeat

from .conftest import Coop, moment

TEMPLATES = (
    "SAM;Samedi après-midi;;samedi;14:00;17:00;2;",
    "MAR;Mardi;;mardi;09:00;12:00;3;",
    "CAI;Caisse du jeudi;;jeudi;09:00;10:00;1;cashier",
)
SATURDAY = date(2026, 11, 28)
TUESDAY = date(2026, 12, 1)
THURSDAY = date(2026, 12, 3)


@pytest.fixture
def shop(coop: Coop, tmp_path) -> Coop:
    coop.templates(tmp_path, *TEMPLATES)
    for number in range(1, 6):
        coop.member(number)
    coop.hold(1, "SAM", SATURDAY)  # member 1's own fixed slot
    coop.generate(date(2026, 11, 21), date(2027, 1, 31))
    return coop


def swap(shop: Coop, first: int, first_shift, second: int, second_shift):
    return swaps.swap(
        shop.session,
        first_member=first,
        first_shift=first_shift.id,
        second_member=second,
        second_shift=second_shift.id,
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
    )


def live(shop: Coop, number: int, shift) -> ShiftAttendance | None:
    member = members.get_by_number(shop.session, number)
    return booking.live_attendance(shop.session, shift.id, member.id)


def seat_holder(shop: Coop, attendance: ShiftAttendance) -> int:
    seat = shop.session.get(ShiftSeat, attendance.seat_id)
    return shop.session.get(members.Member, seat.member_id).number


def test_two_members_exchange_their_shifts(shop: Coop):
    saturday, tuesday = shop.shift_on(SATURDAY, "SAM"), shop.shift_on(TUESDAY, "MAR")
    shop.book(2, tuesday)
    done = swap(shop, 1, saturday, 2, tuesday)
    assert done.first_now_on.startswith("Tuesday, 1 December 2026, 09:00–12:00")
    assert done.second_now_on.startswith("Saturday, 28 November 2026, 14:00–17:00")
    assert live(shop, 1, saturday) is None and live(shop, 2, tuesday) is None
    one, two = live(shop, 1, tuesday), live(shop, 2, saturday)
    assert one is not None and two is not None
    assert (one.from_template, one.kind) == (True, "regular")  # still member 1's own shift
    assert (two.from_template, two.kind) == (False, "flying")
    assert seat_holder(shop, one) == 1 and seat_holder(shop, two) == 2
    old = shop.session.scalars(
        select(ShiftAttendance).where(ShiftAttendance.released_reason == "swap")
    ).all()
    assert len(old) == 2 and all(row.state == "cancelled" and row.seat_id is None for row in old)
    entries = audit.history(shop.session, "shift_attendance", one.id)
    assert [(e.action, e.actor) for e in entries] == [("shift.swap", "test:cashier")]


def test_swap_refusals_say_why_and_change_nothing(shop: Coop):
    saturday, tuesday = shop.shift_on(SATURDAY, "SAM"), shop.shift_on(TUESDAY, "MAR")
    thursday = shop.shift_on(THURSDAY, "CAI")
    shop.book(2, tuesday)
    with pytest.raises(CoopError, match="cannot swap a shift with themselves"):
        swap(shop, 1, saturday, 1, saturday)
    with pytest.raises(CoopError, match=r"Member 3 is not booked on Tuesday, 1 December"):
        swap(shop, 1, saturday, 3, tuesday)
    # A cashier's seat: member 2 does not hold the role.
    slots.set_skill(shop.session, member_number=4, role="cashier", actor=shop.actor, now=shop.now)
    shop.book(4, thursday)
    with pytest.raises(CoopError, match=r"Member 2 cannot take the place on Thursday.*cashier"):
        swap(shop, 2, tuesday, 4, thursday)
    # Already on the other shift.
    shop.book(3, tuesday)
    shop.book(3, saturday)
    with pytest.raises(CoopError, match=r"Member 3 is already booked on Saturday, 28 November"):
        swap(shop, 1, saturday, 3, tuesday)
    # A past shift.
    shop.at(moment(SATURDAY, 15))
    with pytest.raises(CoopError, match="has already started"):
        swap(shop, 1, saturday, 2, tuesday)
    assert live(shop, 1, saturday) is not None and live(shop, 2, tuesday) is not None
    assert live(shop, 2, saturday) is None


def test_a_fixed_slot_shift_handed_to_a_stand_in(shop: Coop):
    saturday = shop.shift_on(SATURDAY, "SAM")
    done = swaps.hand_over(
        shop.session,
        member_number=1,
        shift_id=saturday.id,
        stand_in_number=5,
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
    )
    assert (done.member, done.stand_in) == (1, 5)
    assert live(shop, 1, saturday) is None
    taken = live(shop, 5, saturday)
    assert taken is not None and seat_holder(shop, taken) == 5 and not taken.from_template
    with pytest.raises(CoopError, match="Member 1 is not booked on Saturday, 28 November"):
        swaps.hand_over(
            shop.session,
            member_number=1,
            shift_id=saturday.id,
            stand_in_number=4,
            settings=shop.settings,
            actor=shop.actor,
            now=shop.now,
        )
    shop.book(2, saturday)
    with pytest.raises(CoopError, match="Member 5 is already booked on Saturday"):
        swaps.hand_over(
            shop.session,
            member_number=2,
            shift_id=saturday.id,
            stand_in_number=5,
            settings=shop.settings,
            actor=shop.actor,
            now=shop.now,
        )


def test_free_places_for_a_member_in_words(shop: Coop):
    member = members.get_by_number(shop.session, 2)
    found = places.free_places(shop.session, now=shop.now, weeks=2, member_id=member.id)
    texts = [place.text for place in found]
    assert any(text.startswith("Saturday, 28 November 2026, 14:00–17:00") for text in texts)
    assert not any("Caisse" in text for text in texts)  # a cashier's seat: not for member 2
    everyone = places.free_places(shop.session, now=shop.now, weeks=2)
    assert any("Caisse" in place.text for place in everyone)
    assert all(place.starts_at > shop.now for place in found)
    shop.book(2, shop.shift_on(TUESDAY, "MAR"))
    again = places.free_places(shop.session, now=shop.now, weeks=2, member_id=member.id)
    assert not any(text.startswith("Tuesday, 1 December") for text in (p.text for p in again))
    (mine,) = places.bookings_of(shop.session, member.id, now=shop.now)
    assert mine.text.startswith("Tuesday, 1 December 2026") and mine.kind == "flying"
