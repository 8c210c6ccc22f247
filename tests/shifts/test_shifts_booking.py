"""Bookings: limits, refusals, stand-ins, unbooking notice, fixed slots, and no overbooking even
with two desks booking the last place at the same moment."""

from __future__ import annotations

import threading
import time as clock
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from coop import audit
from coop.audit import Actor
from coop.config import MemberSettings, ShiftSettings
from coop.db import make_engine, make_session_factory, transaction
from coop.errors import CoopError, NotFound
from coop.members import service as members
from coop.shifts import booking, cancelling, exchange, generation, service, slots
from coop.shifts.models import ShiftAttendance, ShiftLedgerEntry, ShiftSeat
from coop.shifts.policy import BEES, LOUVE, TAPIR, Counter, Status

from .conftest import ANCHOR, Coop, moment

TEMPLATES = (
    "SAM;Samedi après-midi;;samedi;14:00;17:00;2;",
    "MAR;Mardi;;mardi;09:00;12:00;3;",
    "MER-1;Mercredi matin;;mercredi;09:00;12:00;3;",
    "MER-2;Mercredi midi;;mercredi;12:00;15:00;3;",
    "MER-3;Mercredi soir;;mercredi;16:00;19:00;3;",
    "PETIT;Petit créneau;;jeudi;09:00;10:00;1;cashier",
)


@pytest.fixture
def shop(coop: Coop, tmp_path) -> Coop:
    coop.templates(tmp_path, *TEMPLATES)
    for number in range(1, 9):
        coop.member(number)
    coop.member(20, main=1)  # an associated person of member 1's household
    coop.generate(date(2026, 11, 21), date(2027, 1, 31))
    return coop


def live(session, shift) -> int:
    return session.scalar(
        select(func.count(ShiftAttendance.id)).where(
            ShiftAttendance.shift_id == shift.id, ShiftAttendance.state != "cancelled"
        )
    )


def test_booking_takes_a_place_and_is_audited(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    result = shop.book(1, shift)
    assert result.attendance.kind == "flying"  # a new member is flying by default
    assert result.attendance.seat_id is not None
    seat = shop.session.get(ShiftSeat, result.attendance.seat_id)
    assert seat.member_id == members.get_by_number(shop.session, 1).id
    (entry,) = audit.history(shop.session, "shift_attendance", result.attendance.id)
    assert (entry.action, entry.actor) == ("shift.book", "test:cashier")


def test_full_shift_is_refused_and_nothing_changes(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    shop.book(1, shift)
    shop.book(2, shift)
    with pytest.raises(CoopError, match="is full"):
        shop.book(3, shift)
    assert live(shop.session, shift) == 2


def test_booking_twice_is_refused(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    shop.book(1, shift)
    with pytest.raises(CoopError, match="already booked"):
        shop.book(1, shift)
    assert live(shop.session, shift) == 1


def test_cancelled_and_started_shifts_cannot_be_booked(shop: Coop):
    shift = shop.shift_on(date(2026, 12, 5), "SAM")
    cancelling.cancel_shift(
        shop.session,
        shift_id=shift.id,
        reason="Inventaire",
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
    )
    with pytest.raises(CoopError, match="cancelled"):
        shop.book(1, shift)
    today = shop.shift_on(date(2026, 11, 21), "SAM")
    shop.at(moment(date(2026, 11, 21), 15))
    with pytest.raises(CoopError, match="already started"):
        shop.book(1, today)


def test_unknown_member_or_shift_and_associated_person(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    with pytest.raises(NotFound):
        shop.book(99, shift)
    with pytest.raises(NotFound, match="No shift has the number 987654"):
        booking.book(
            shop.session,
            member_number=1,
            shift_id=987654,
            settings=shop.settings,
            actor=shop.actor,
            now=shop.now,
        )
    with pytest.raises(CoopError, match="status of member 1"):
        shop.book(20, shift)
    assert live(shop.session, shift) == 0


def test_flying_member_over_the_day_limit(shop: Coop):
    # La Louve: at most 2 bookings a day for flying members (reference §1).
    wednesday = date(2026, 11, 25)
    shop.book(1, shop.shift_on(wednesday, "MER-1"))
    shop.book(1, shop.shift_on(wednesday, "MER-2"))
    with pytest.raises(CoopError, match="Too many shifts booked on that day"):
        shop.book(1, shop.shift_on(wednesday, "MER-3"))


def test_flying_member_over_the_window_limit(shop: Coop):
    # La Louve: at most 5 bookings in any 28 days.
    days = [date(2026, 11, 24), date(2026, 11, 25), date(2026, 12, 1), date(2026, 12, 2)]
    shop.book(1, shop.shift_on(days[0], "MAR"))
    shop.book(1, shop.shift_on(days[1], "MER-1"))
    shop.book(1, shop.shift_on(days[2], "MAR"))
    shop.book(1, shop.shift_on(days[3], "MER-1"))
    shop.book(1, shop.shift_on(date(2026, 12, 8), "MAR"))
    with pytest.raises(CoopError, match="Too many shifts booked in that period"):
        shop.book(1, shop.shift_on(date(2026, 12, 9), "MER-1"))
    # 28 days after the first booking the window has moved on.
    shop.book(1, shop.shift_on(date(2026, 12, 22), "MAR"))


def test_role_places_need_the_role(shop: Coop):
    small = shop.shift_on(date(2026, 11, 26), "PETIT")
    with pytest.raises(CoopError, match="is full"):
        shop.book(1, small)
    slots.set_skill(shop.session, member_number=1, role="Cashier", actor=shop.actor, now=shop.now)
    assert shop.book(1, small).attendance.seat_id is not None


def test_stand_in_is_taken_over_by_whoever_books(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    shop.book(1, shift)
    first = shop.book(2, shift).attendance
    with pytest.raises(CoopError, match="Only a shift coordinator"):
        booking.seek_stand_in(
            shop.session,
            member_number=2,
            shift_id=shift.id,
            settings=shop.settings,
            actor=shop.actor,
            now=shop.now,
        )
    booking.seek_stand_in(
        shop.session,
        member_number=2,
        shift_id=shift.id,
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
        staff=True,
    )
    result = shop.book(3, shift)
    assert result.took_over_from == 2
    shop.session.refresh(first)
    assert first.state == "cancelled" and first.replaced_by_id == result.attendance.id
    assert live(shop.session, shift) == 2
    member_2 = members.get_by_number(shop.session, 2)
    ledger = shop.session.scalar(
        select(func.count(ShiftLedgerEntry.id)).where(ShiftLedgerEntry.member_id == member_2.id)
    )
    assert ledger == 0  # no penalty for the member who found a stand-in


def test_tapir_stand_in_needs_two_days_notice(session, actor, now, tmp_path):
    coop = Coop(session, actor, now, TAPIR)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.generate(date(2026, 11, 21), date(2026, 12, 6))
    shift = coop.shift_on(date(2026, 11, 28), "SAM")
    coop.book(1, shift)
    coop.at(moment(date(2026, 11, 27), 10))  # 28 hours before
    with pytest.raises(CoopError, match="up to 48 hours before"):
        booking.seek_stand_in(
            session,
            member_number=1,
            shift_id=shift.id,
            settings=coop.settings,
            actor=actor,
            now=coop.now,
        )


def test_unbooking_with_notice(session, actor, now, tmp_path):
    # Obeesdoo: members cancel their own extra booking at least 2 hours before.
    coop = Coop(session, actor, now, BEES)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.generate(date(2026, 11, 21), date(2026, 12, 6))
    shift = coop.shift_on(date(2026, 11, 28), "SAM")
    coop.book(1, shift)
    kwargs = dict(member_number=1, shift_id=shift.id, settings=coop.settings, actor=actor)
    with pytest.raises(CoopError, match="up to 2 hours before"):
        booking.unbook(session, now=moment(date(2026, 11, 28), 13), **kwargs)
    cancelled = booking.unbook(session, now=moment(date(2026, 11, 28), 11), **kwargs)
    assert cancelled.state == "cancelled" and cancelled.seat_id is None
    assert live(session, shift) == 0


def test_louve_members_cannot_unbook_but_staff_can_with_a_reason(shop: Coop):
    shift = shop.shift_on(date(2026, 11, 28), "SAM")
    shop.book(1, shift)
    kwargs = dict(
        member_number=1, shift_id=shift.id, settings=shop.settings, actor=shop.actor, now=shop.now
    )
    with pytest.raises(CoopError, match="Only a shift coordinator"):
        booking.unbook(shop.session, **kwargs)
    booking.unbook(shop.session, staff=True, reason="malade", **kwargs)
    assert live(shop.session, shift) == 0


def test_holding_a_slot_books_the_generated_shifts(shop: Coop):
    holding = shop.hold(1, "MAR", date(2026, 12, 1))
    assert holding.template.code == "MAR"
    tuesdays = shop.shifts("MAR")
    booked = {
        shift.day
        for shift in tuesdays
        if shop.session.scalar(
            select(ShiftAttendance.id).where(
                ShiftAttendance.shift_id == shift.id, ShiftAttendance.from_template.is_(True)
            )
        )
    }
    assert booked == {s.day for s in tuesdays if s.day >= date(2026, 12, 1)}
    assert shop.state(1).mode.value == "regular"
    with pytest.raises(CoopError, match="already holds"):
        shop.hold(1, "MAR", date(2026, 12, 8))


def test_a_template_has_as_many_holders_as_places(shop: Coop):
    shop.hold(1, "SAM")
    shop.hold(2, "SAM")
    with pytest.raises(CoopError, match="no free place"):
        shop.hold(3, "SAM")


def test_released_slot_cancels_future_fixed_bookings(shop: Coop):
    shop.hold(1, "MAR", date(2026, 11, 21))
    slots.release_slot(
        shop.session,
        member_number=1,
        template_code="MAR",
        last_day=date(2026, 12, 15),
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
    )
    states = {
        shift.day: shop.session.scalar(
            select(ShiftAttendance.state).where(ShiftAttendance.shift_id == shift.id)
        )
        for shift in shop.shifts("MAR")
    }
    assert states[date(2026, 12, 15)] == "pending"
    assert states[date(2026, 12, 22)] == "cancelled"
    # La Louve: a regular member without a slot is unsubscribed once the slot has ended.
    shop.at(date(2026, 12, 16))
    shop.run(date(2026, 12, 16))
    assert shop.state(1).status is Status.UNSUBSCRIBED


def test_tapir_frozen_member_is_unfrozen_as_soon_as_they_book(session, actor, now, tmp_path):
    # Reference §2.1 vector 6, with the effect at once (Tapir #809) instead of at night.
    coop = Coop(session, actor, now, TAPIR)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.generate(date(2026, 11, 21), date(2027, 1, 31))
    service.manual_entry(
        session,
        member_number=1,
        counter=Counter.BALANCE,
        delta=-3,
        reason="reprise de l'ancien système",
        settings=coop.settings,
        actor=actor,
        now=coop.now,
    )
    # The cycle of 30 November takes one more: −4 from then on; 11 days later, frozen.
    coop.at(date(2026, 12, 11))
    coop.run(date(2026, 12, 11))
    assert coop.counters(1).balance == -4
    assert coop.state(1).status is Status.FROZEN
    coop.book(1, coop.shift_on(date(2026, 12, 15), "MAR"))  # −4 + 1 booked = −3 > −4
    state = coop.state(1)
    assert state.frozen_since is None and state.status is Status.UP_TO_DATE


# -- two desks, one last place ---------------------------------------------------------------


def _setup_last_place(database_url: str, now, actor, tmp_path) -> tuple[int, ShiftSettings]:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    settings = ShiftSettings(policy=replace(LOUVE, week_anchor=ANCHOR))
    path = tmp_path / "one.csv"
    path.write_text("code;name;week;weekday;start;end;seats\nS;Samedi;;samedi;14:00;17:00;2\n")
    with transaction(factory) as session:
        for number in (1, 2, 3):
            members.create_member(
                session,
                actor=actor,
                now=now,
                settings=MemberSettings(),
                first_name="P",
                last_name=str(number),
                number=number,
                joined_on=date(2025, 1, 1),
            )
        exchange.import_templates(session, path, settings=settings, actor=actor, now=now)
        generation.generate(
            session,
            first=date(2026, 11, 28),
            last=date(2026, 11, 28),
            settings=settings,
            actor=actor,
            now=now,
        )
        (shift,) = Coop(session, actor, now).shifts()
        booking.book(
            session, member_number=1, shift_id=shift.id, settings=settings, actor=actor, now=now
        )
        shift_id = shift.id
    engine.dispose()
    return shift_id, settings


def test_two_desks_booking_the_last_place_at_the_same_moment(database_url, now, tmp_path):
    shift_id, settings = _setup_last_place(database_url, now, Actor("setup"), tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    barrier = threading.Barrier(2)
    outcome: dict[int, str] = {}

    def desk(number: int) -> None:
        try:
            with factory() as session, session.begin():
                barrier.wait(timeout=10)
                booking.book(
                    session,
                    member_number=number,
                    shift_id=shift_id,
                    settings=settings,
                    actor=Actor(f"desk{number}"),
                    now=now,
                )
                clock.sleep(0.3)  # keep the transaction open: the other desk must overlap
            outcome[number] = "booked"
        except CoopError as error:
            outcome[number] = str(error)

    threads = [threading.Thread(target=desk, args=(n,)) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refused = [value for value in outcome.values() if value != "booked"]
    assert len(outcome) == 2 and len(refused) == 1, outcome
    # the shift named by its day and hours (and its number for the command line)
    assert refused[0].startswith("Shift of ") and f"(no. {shift_id}) is full" in refused[0]
    with factory() as session:
        taken = session.scalar(
            select(func.count(ShiftSeat.id)).where(
                ShiftSeat.shift_id == shift_id, ShiftSeat.member_id.is_not(None)
            )
        )
        booked = session.scalar(
            select(func.count(ShiftAttendance.id)).where(
                ShiftAttendance.shift_id == shift_id, ShiftAttendance.state == "pending"
            )
        )
    engine.dispose()
    assert (taken, booked) == (2, 2)


def test_conditional_seat_update_alone_prevents_a_double_claim(
    postgres_database_url, now, tmp_path
):
    """PostgreSQL, row level: two transactions claim the same free seat without the shift lock;
    the second waits for the first, then finds the seat taken and takes nothing. (SQLite
    serialises writers, so only PostgreSQL has this case.)"""
    database_url = postgres_database_url
    shift_id, _settings = _setup_last_place(database_url, now, Actor("setup"), tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        member_ids = [members.get_by_number(session, n).id for n in (2, 3)]
    barrier = threading.Barrier(2)
    claimed: dict[int, int | None] = {}

    def claim(member_id: int) -> None:
        with factory() as session, session.begin():
            barrier.wait(timeout=10)
            claimed[member_id] = booking.claim_seat(session, shift_id, member_id, [None])
            clock.sleep(0.3)

    threads = [threading.Thread(target=claim, args=(m,)) for m in member_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engine.dispose()
    assert sorted(claimed.values(), key=lambda v: v is None)[1] is None
    assert sum(1 for v in claimed.values() if v is not None) == 1


def test_shift_lock_names_an_unknown_shift(session):
    with pytest.raises(NotFound):
        booking.lock_shift(session, 424242)


def test_a_desk_marking_during_the_daily_run_loses_nothing(database_url, now, tmp_path):
    """The run and a desk change one member's figures at the same moment: afterwards the
    cached counter is still the sum of the ledger (no lost update)."""
    from sqlalchemy.exc import OperationalError

    from coop.members.models import Member
    from coop.shifts import attendance
    from coop.shifts.booking import live_attendance

    shift_id, settings = _setup_last_place(database_url, now, Actor("setup"), tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    cycle_day = date(2026, 11, 30)  # a cycle start (anchor 2 Nov + 28 days): member 1 owes one
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def nightly() -> None:
        try:
            with factory() as session, session.begin():
                barrier.wait(timeout=10)
                service.run(
                    session,
                    today=cycle_day,
                    settings=settings,
                    actor=Actor("run"),
                    now=moment(cycle_day, 6),
                )
                clock.sleep(0.5)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def desk_mark() -> None:
        for attempt in range(3):  # SQLite: a stale read fails ("busy"); the desk tries again
            try:
                with factory() as session, session.begin():
                    if attempt == 0:
                        barrier.wait(timeout=10)
                        clock.sleep(0.1)
                    attendance.mark(
                        session,
                        shift_id=shift_id,
                        member_number=1,
                        state="attended",
                        settings=settings,
                        actor=Actor("desk"),
                        now=moment(cycle_day, 7),
                    )
                return
            except OperationalError:
                clock.sleep(0.5)
            except BaseException as error:  # anything else is a failure of the test
                errors.append(error)
                return
        errors.append(AssertionError("the desk never got through"))

    threads = [threading.Thread(target=nightly), threading.Thread(target=desk_mark)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with factory() as session:
        member = members.get_by_number(session, 1)
        assert isinstance(member, Member)
        assert live_attendance(session, shift_id, member.id).state == "attended"
        cached = service.cached_state(session, member.id).counters.ftop
        ledger = session.scalar(
            select(func.sum(ShiftLedgerEntry.delta)).where(
                ShiftLedgerEntry.member_id == member.id, ShiftLedgerEntry.counter == "ftop"
            )
        )
    engine.dispose()
    # Flying, La Louve: the cycle of 30 Nov costs 2 (not in credit), the shift done gives 1.
    assert (cached, ledger) == (-1, -1)
