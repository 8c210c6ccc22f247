"""Attendance through the database: the reference vectors of each preset end to end, state
changes that replace (never double) their effect, walk-ins and refusals, all audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coop import audit
from coop.errors import CoopError, InvalidInput
from coop.members import service as members
from coop.shifts import cancelling, desk, service
from coop.shifts.models import ShiftLedgerEntry
from coop.shifts.policy import BEES, TAPIR, Counter, Status

from .conftest import Coop, moment

TEMPLATES = (
    "SAM;Samedi après-midi;;samedi;14:00;17:00;3;",
    "MAR;Mardi matin;;mardi;09:00;12:00;3;",
)


def build(coop: Coop, tmp_path) -> Coop:
    coop.templates(tmp_path, *TEMPLATES)
    for number in (1, 2, 3):
        coop.member(number)
    coop.hold(1, "SAM", date(2026, 11, 21))
    coop.generate(date(2026, 11, 21), date(2027, 2, 28))
    return coop


def ledger_sum(session, number: int, counter: Counter) -> int:
    member = members.get_by_number(session, number)
    return (
        session.scalar(
            select(func.sum(ShiftLedgerEntry.delta)).where(
                ShiftLedgerEntry.member_id == member.id,
                ShiftLedgerEntry.counter == counter.value,
            )
        )
        or 0
    )


def test_louve_absence_makeups_cap_suspension_and_grace(coop: Coop, tmp_path):
    """Reference §2.3 vectors, end to end through the database."""
    build(coop, tmp_path)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    # ABCD member absent at own shift: standard −2 → alert; alert end = +28 days (19 Dec).
    assert coop.counters(1).standard == -2
    assert coop.state(1).status is Status.ALERT
    check = desk.check(coop.session, "1", at=coop.now, settings=coop.settings)
    assert check.can_shop and check.status is Status.ALERT
    assert check.fix_by == date(2026, 12, 18)
    assert check.counters_text == "2 make-up shifts to do before 19/12/2026."
    # Then two make-ups attended → 0, up to date.
    for day in (date(2026, 11, 24), date(2026, 12, 1)):
        tuesday = coop.shift_on(day, "MAR")
        coop.at(moment(day, 8)).book(1, tuesday)
        coop.after(tuesday).mark(tuesday, 1, "attended")
    assert coop.counters(1).standard == 0
    assert coop.state(1).status is Status.UP_TO_DATE
    # A third make-up: still 0 (standard counter capped).
    third = coop.shift_on(date(2026, 12, 8), "MAR")
    coop.at(moment(third.day, 8)).book(1, third)
    coop.after(third).mark(third, 1, "attended")
    assert coop.counters(1).standard == 0
    assert ledger_sum(coop.session, 1, Counter.STANDARD) == 0


def test_louve_alert_end_passed_means_suspended_then_grace(coop: Coop, tmp_path):
    build(coop, tmp_path)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    coop.at(date(2026, 12, 18)).run(date(2026, 12, 18))
    assert coop.state(1).status is Status.ALERT
    coop.at(date(2026, 12, 19)).run(date(2026, 12, 19))
    assert coop.state(1).status is Status.SUSPENDED
    refused = desk.check(coop.session, "1", at=coop.now, settings=coop.settings)
    assert not refused.can_shop
    assert [r.code for r in refused.reasons] == ["suspended"]
    assert refused.grace_possible
    # Suspended, grace at the desk → delay until the day after the next shift, can shop.
    grace = desk.grant_grace(
        coop.session,
        member_number=1,
        reason="a prévenu, malade",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    assert (grace.starts_on, grace.ends_on) == (date(2026, 12, 19), date(2026, 12, 20))
    after = desk.check(coop.session, "1", at=coop.now, settings=coop.settings)
    assert after.can_shop and after.status is Status.DELAY
    (entry,) = audit.history(coop.session, "shift_extension", grace.id)
    assert (entry.action, entry.reason, entry.actor) == (
        "shift.grace",
        "a prévenu, malade",
        "test:cashier",
    )


def test_a_grace_authorised_on_the_spot_names_both_people(coop: Coop, tmp_path):
    from coop.rights import Actor, Role
    from coop.shifts.models import ShiftExtension

    build(coop, tmp_path)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    coop.at(date(2026, 12, 18)).run(date(2026, 12, 18))
    coop.at(date(2026, 12, 19)).run(date(2026, 12, 19))
    cashier = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    leader = Actor("Thérèse Lebrun", member_number=4, roles=frozenset({Role.SHIFT_LEADER}))
    grace = desk.grant_grace(
        coop.session,
        member_number=1,
        reason="malade",
        settings=coop.settings,
        actor=cashier.with_second(leader),
        now=coop.now,
    )
    row = coop.session.get(ShiftExtension, grace.id)
    assert row is not None
    (entry,) = audit.history(coop.session, "shift_extension", grace.id)
    for recorded in (row.created_by, entry.actor):
        assert "Zoé Arnaud (n° 7)" in recorded and "Thérèse Lebrun (n° 4)" in recorded


def test_grace_is_refused_when_not_suspended_and_changes_nothing(coop: Coop, tmp_path):
    build(coop, tmp_path)
    with pytest.raises(CoopError, match="only for a suspended member"):
        desk.grant_grace(
            coop.session,
            member_number=1,
            reason="essai",
            settings=coop.settings,
            actor=coop.actor,
            now=coop.now,
        )
    assert desk.extensions_of(coop.session, members.get_by_number(coop.session, 1).id) == []


def test_changing_a_state_replaces_its_effect(coop: Coop, tmp_path):
    build(coop, tmp_path)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday)
    seen = []
    for state in ("missed", "excused", "attended", "missed", "missed"):
        coop.mark(saturday, 1, state)
        seen.append(coop.counters(1).standard)
    # La Louve: missed −2, excused −1, attended at one's own slot 0.
    assert seen == [-2, -1, 0, -2, -2]
    assert ledger_sum(coop.session, 1, Counter.STANDARD) == -2
    history = audit.history(coop.session, "shift_attendance", _attendance_id(coop, saturday, 1))
    changes = [
        (e.before["state"], e.after["state"]) for e in history if e.action == "shift.attendance"
    ]
    assert changes == [
        ("pending", "missed"),
        ("missed", "excused"),
        ("excused", "attended"),
        ("attended", "missed"),
    ]  # marking the same state again is not a change
    assert {e.actor for e in history} == {"test:cashier"}


def _attendance_id(coop: Coop, shift, number: int) -> int:
    from coop.shifts.booking import live_attendance

    member = members.get_by_number(coop.session, number)
    return live_attendance(coop.session, shift.id, member.id).id


def test_tapir_no_show_costs_two_in_the_cycle(session, actor, now, tmp_path):
    """Reference §2.1: cycle start −1, missed −1 → −2; excused counts as attended."""
    coop = build(Coop(session, actor, now, TAPIR), tmp_path)
    coop.at(date(2026, 11, 30)).run(date(2026, 11, 30))  # cycle start
    assert coop.counters(1).balance == -1
    saturday = coop.shift_on(date(2026, 12, 5), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    assert coop.counters(1).balance == -2
    coop.mark(saturday, 1, "excused")
    assert coop.counters(1).balance == 0


def test_bees_absence_with_two_compensations(session, actor, now, tmp_path):
    """Reference §2.2: sr 0, sc 0 + absent-2 → sr −1, sc −1, alert; compensations repay sr
    first, then sc, and the second one clears the alert."""
    coop = build(Coop(session, actor, now, BEES), tmp_path)
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    counters = coop.counters(1)
    assert (counters.regular, counters.compensation) == (-1, -1)
    assert coop.state(1).status is Status.ALERT
    first = coop.shift_on(date(2026, 11, 24), "MAR")
    coop.at(moment(first.day, 8)).book(1, first)
    coop.after(first).mark(first, 1, "attended")
    counters = coop.counters(1)
    assert (counters.regular, counters.compensation) == (0, -1)
    assert coop.state(1).status is Status.ALERT
    second = coop.shift_on(date(2026, 12, 1), "MAR")
    coop.at(moment(second.day, 8)).book(1, second)
    coop.after(second).mark(second, 1, "attended")
    counters = coop.counters(1)
    assert (counters.regular, counters.compensation) == (0, 0)
    assert coop.state(1).status is Status.UP_TO_DATE


def test_walk_in_only_when_asked(coop: Coop, tmp_path):
    build(coop, tmp_path)
    tuesday = coop.shift_on(date(2026, 11, 24), "MAR")
    coop.after(tuesday)
    with pytest.raises(CoopError, match="--walk-in"):
        coop.mark(tuesday, 2, "attended")
    walked = coop.mark(tuesday, 2, "attended", walk_in=True)
    assert walked.kind == "walk_in" and walked.seat_id is not None
    assert coop.counters(2).ftop == 1  # a flying member's shift done: +1 on the flying counter
    with pytest.raises(CoopError, match="use --state attended"):
        coop.mark(tuesday, 3, "missed", walk_in=True)


def test_attendance_refusals_change_nothing(coop: Coop, tmp_path):
    build(coop, tmp_path)
    future = coop.shift_on(date(2026, 11, 28), "SAM")
    with pytest.raises(CoopError, match="has not started yet"):
        coop.mark(future, 1, "attended")
    with pytest.raises(InvalidInput, match="is not one of"):
        coop.mark(future, 1, "cancelled")
    cancelling.cancel_shift(
        coop.session,
        shift_id=future.id,
        reason="Grève",
        settings=coop.settings,
        actor=coop.actor,
        now=coop.now,
    )
    coop.after(future)
    with pytest.raises(CoopError, match="was cancelled"):
        coop.mark(future, 1, "attended")
    assert coop.counters(1).standard == 0  # the cancelled fixed-slot shift was neutral
    assert service.ledger_of(coop.session, members.get_by_number(coop.session, 1).id)


def test_louve_second_absence_in_a_row_unsubscribes(coop: Coop, tmp_path):
    """Reference §2.3: a second own-slot absence in a row, no make-up between, not up to date
    before it → the fixed slot ends and the member is unsubscribed."""
    build(coop, tmp_path)
    first = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(first).mark(first, 1, "missed")
    second = coop.shift_on(date(2026, 11, 28), "SAM")
    coop.after(second).mark(second, 1, "missed")
    assert coop.state(1).status is Status.UNSUBSCRIBED
    later = coop.shift_on(date(2026, 12, 5), "SAM")
    from coop.shifts.booking import live_attendance

    member = members.get_by_number(coop.session, 1)
    assert live_attendance(coop.session, later.id, member.id) is None
