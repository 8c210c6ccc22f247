"""The policy object (presets, overrides, config reading) and the ledger's replacement scheme."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from coop.errors import InvalidInput
from coop.shifts.policy import (
    BEES,
    LOUVE,
    TAPIR,
    AttendanceState,
    Counter,
    ShiftPolicy,
    Status,
    System,
    WorkMode,
    from_mapping,
    preset,
)
from coop.shifts.rules import (
    EntryKind,
    LedgerEntry,
    MarkAttendance,
    MemberFacts,
    MemberState,
    Reason,
    Refusal,
    ShiftRuleError,
    StartCycle,
    apply,
    attendance_ref,
    check,
    extension_until,
    may_book,
    may_receive_solidarity,
    may_seek_stand_in,
    may_unregister,
    replay,
    run_day,
    status_at,
)

D0 = date(2026, 4, 6)


def days(n: int) -> date:
    return D0 + timedelta(days=n)


# -- presets -----------------------------------------------------------------------------------


def test_default_preset_is_louve():
    assert ShiftPolicy() == LOUVE == preset("louve")
    assert LOUVE.system is System.LOUVE


def test_presets_carry_the_reference_numbers():
    # §2.3: alert 28 days, standard capped at 0, absence −2, excused −1.
    assert (LOUVE.alert_days, LOUVE.standard_cap) == (28, 0)
    assert (LOUVE.missed_makeups, LOUVE.excused_makeups) == (2, 1)
    assert LOUVE.week_anchor == date(2015, 12, 28)
    # §2.2: alert 28, grace 10, manual extension 28, unsubscribe −4 for both kinds of worker.
    assert (BEES.alert_days, BEES.grace_days, BEES.extension_days) == (28, 10, 28)
    assert (BEES.unsubscribe_threshold, BEES.irregular_unsubscribe_threshold) == (-4, -4)
    # §2.1: threshold −4, 10 days, look-ahead 8 weeks, cycle 28 days from 2022-04-11.
    assert (TAPIR.freeze_threshold, TAPIR.freeze_after_days) == (-4, 10)
    assert (TAPIR.makeup_lookback_days, TAPIR.makeup_lookahead_days) == (28, 56)
    assert (TAPIR.week_anchor, TAPIR.cycle_days) == (date(2022, 4, 11), 28)
    assert TAPIR.long_leave_days == 168


@pytest.mark.parametrize(
    ("policy", "shopping"),
    [
        (LOUVE, {Status.UP_TO_DATE, Status.ALERT, Status.DELAY, Status.EXEMPTED}),
        (BEES, {Status.UP_TO_DATE, Status.ALERT, Status.DELAY, Status.EXEMPTED}),
    ],
)
def test_shopping_statuses(policy, shopping):
    # §2.3 "Can shop" and §2.2 "Shopping": holiday, suspended, unsubscribed, resigning cannot.
    assert set(policy.shopping_statuses) == shopping
    for status in (Status.SUSPENDED, Status.ON_LEAVE, Status.UNSUBSCRIBED, Status.RESIGNING):
        assert not policy.can_shop(status)


def test_counters_per_system():
    assert LOUVE.counters == (Counter.STANDARD, Counter.FTOP)
    assert BEES.counters == (Counter.REGULAR, Counter.COMPENSATION)
    assert TAPIR.counters == (Counter.BALANCE,)


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(ValueError, match="louve, bees, tapir"):
        preset("park_slope")


def test_replace_overrides_and_still_validates():
    longer = replace(BEES, grace_days=14)
    assert longer.grace_days == 14 and longer.system is System.BEES
    with pytest.raises(ValueError, match="not a Monday"):
        replace(LOUVE, week_anchor=date(2026, 4, 7))
    with pytest.raises(ValueError, match="alert_days"):
        replace(LOUVE, alert_days=-1)
    with pytest.raises(ValueError, match="debit"):
        replace(TAPIR, flying_cycle_debit=1)
    assert replace(LOUVE, shopping_statuses=[Status.UP_TO_DATE]).shopping_statuses == frozenset(
        {Status.UP_TO_DATE}
    )


# -- from_mapping ------------------------------------------------------------------------------


def test_from_mapping_reads_a_toml_table():
    table = tomllib.loads(
        """
        preset = "bees"
        grace_days = 14
        week_anchor = 2024-01-01
        unsubscribe_threshold = -6
        irregular_unsubscribe_threshold = "off"
        shopping_statuses = ["up_to_date", "alert"]
        pause_alert_during_leave = false
        """
    )
    policy = from_mapping(table)
    assert policy.system is System.BEES
    assert policy.grace_days == 14
    assert policy.week_anchor == date(2024, 1, 1)
    assert policy.unsubscribe_threshold == -6
    assert policy.irregular_unsubscribe_threshold is None
    assert policy.shopping_statuses == frozenset({Status.UP_TO_DATE, Status.ALERT})
    assert policy.pause_alert_during_leave is False
    assert policy.alert_days == BEES.alert_days  # untouched keys keep the preset's value


def test_from_mapping_defaults_to_louve():
    assert from_mapping({}) == LOUVE
    assert from_mapping({"preset": "tapir"}) == TAPIR


def test_from_mapping_accepts_iso_date_strings_and_enum_values():
    policy = from_mapping({"week_anchor": "2022-04-11", "system": "tapir"})
    assert policy.week_anchor == date(2022, 4, 11)
    assert policy.system is System.TAPIR
    cancel = from_mapping({"cancelled_template_state": "cancelled"})
    assert cancel.cancelled_template_state is AttendanceState.CANCELLED


def problems_of(table: dict) -> dict[str | None, str]:
    with pytest.raises(InvalidInput) as error:
        from_mapping(table, source="comptoir.toml [shifts]")
    assert all(p.source == "comptoir.toml [shifts]" for p in error.value.problems)
    return {p.column: p.message for p in error.value.problems}


def test_from_mapping_collects_every_problem():
    problems = problems_of(
        {
            "grace_dayz": 3,
            "alert_days": "28",
            "auto_unsubscribe_after_two_absences": 1,
            "freeze_after_days": True,
            "shopping_statuses": ["up_to_date", "happy"],
            "system": "elefan",
            "week_anchor": datetime(2022, 4, 11, 9, 0),
            "freeze_threshold": "never",
        }
    )
    assert set(problems) == {
        "grace_dayz",
        "alert_days",
        "auto_unsubscribe_after_two_absences",
        "freeze_after_days",
        "shopping_statuses",
        "system",
        "week_anchor",
        "freeze_threshold",
    }
    assert "grace_dayz" in problems["grace_dayz"]
    assert "whole number" in problems["alert_days"]
    assert "true or false" in problems["auto_unsubscribe_after_two_absences"]
    assert "whole number" in problems["freeze_after_days"]  # a bool is not a number
    assert "happy" in problems["shopping_statuses"] and "suspended" in problems["shopping_statuses"]
    assert "elefan" in problems["system"]
    assert "date" in problems["week_anchor"]
    assert "off" in problems["freeze_threshold"]


def test_from_mapping_rejects_unknown_preset_and_broken_invariants():
    assert "park_slope" in problems_of({"preset": "park_slope"})["preset"]
    with pytest.raises(InvalidInput, match="not a Monday"):
        from_mapping({"week_anchor": "2026-04-07"})
    with pytest.raises(InvalidInput, match="shopping_statuses"):
        from_mapping({"shopping_statuses": "up_to_date"})


# -- the ledger: replacing an attendance's effect ----------------------------------------------


def mark(policy, state, ledger, ref, on, attendance_state, **kw):
    prior = [e for e in ledger if e.ref == ref]
    event = MarkAttendance(ref=ref, on=on, state=attendance_state, **kw)
    outcome = apply(policy, state, event, prior=prior)
    ledger.extend(outcome.entries)
    return outcome


def test_changing_an_attendance_replaces_its_effect():
    # §3.1 of DESIGN: staff mistakes are corrected by new entries, never by doubling.
    ledger: list[LedgerEntry] = []
    ref = attendance_ref(7)
    out = mark(LOUVE, MemberState(), ledger, ref, D0, AttendanceState.MISSED)
    assert out.state.counters.standard == -2
    out = mark(LOUVE, out.state, ledger, ref, days(1), AttendanceState.EXCUSED)
    assert out.state.counters.standard == -1
    assert [(e.kind, e.delta) for e in out.entries] == [
        (EntryKind.REVERSAL, 2),
        (EntryKind.ATTENDANCE, -1),
    ]
    assert out.entries[0].detail == "missed"
    out = mark(LOUVE, out.state, ledger, ref, days(1), AttendanceState.PENDING)
    assert out.state.counters.standard == 0
    assert [(e.kind, e.delta) for e in out.entries] == [(EntryKind.REVERSAL, 1)]
    out = mark(LOUVE, out.state, ledger, ref, days(2), AttendanceState.MISSED)
    assert out.state.counters.standard == -2
    assert sum(e.delta for e in ledger) == -2
    assert replay(LOUVE, ledger).counters == out.state.counters


def test_marking_the_same_state_twice_writes_nothing():
    ledger: list[LedgerEntry] = []
    out = mark(TAPIR, MemberState(), ledger, "a", D0, AttendanceState.ATTENDED)
    again = mark(TAPIR, out.state, ledger, "a", D0, AttendanceState.ATTENDED)
    assert again.entries == ()
    assert again.state.counters.balance == 1


def test_prior_entries_of_another_ref_are_refused():
    other = LedgerEntry(D0, Counter.BALANCE, 1, EntryKind.ATTENDANCE, ref="b")
    event = MarkAttendance(ref="a", on=D0, state=AttendanceState.MISSED)
    with pytest.raises(ShiftRuleError) as error:
        apply(TAPIR, MemberState(), event, prior=[other])
    assert error.value.code is Refusal.WRONG_REF


def test_events_must_not_go_back_in_time():
    out = apply(TAPIR, MemberState(), StartCycle(on=days(5)))
    with pytest.raises(ShiftRuleError) as error:
        apply(TAPIR, out.state, StartCycle(on=D0))
    assert error.value.code is Refusal.OUT_OF_ORDER
    with pytest.raises(ShiftRuleError):
        run_day(TAPIR, out.state, MemberFacts(), D0)


def test_cycle_already_in_the_ledger_is_not_debited_twice():
    first = apply(TAPIR, MemberState(), StartCycle(on=D0))
    again = apply(TAPIR, first.state, StartCycle(on=D0), prior=first.entries)
    assert again.entries == () and again.cycle_applied is None
    assert again.state.counters.balance == -1


def test_status_at_a_past_date_replays_the_ledger():
    # DESIGN §3.1: "status at date D" is computable from the ledger.
    ledger: list[LedgerEntry] = []
    out = mark(LOUVE, MemberState(), ledger, "t1", D0, AttendanceState.MISSED)
    out = mark(
        LOUVE, out.state, ledger, "m1", days(5), AttendanceState.ATTENDED, from_template=False
    )
    out = mark(
        LOUVE, out.state, ledger, "m2", days(9), AttendanceState.ATTENDED, from_template=False
    )
    state = out.state
    assert status_at(LOUVE, state, ledger, days(-1)) is Status.UP_TO_DATE
    assert status_at(LOUVE, state, ledger, days(4)) is Status.ALERT
    assert status_at(LOUVE, state, ledger, days(9)) is Status.UP_TO_DATE
    assert replay(LOUVE, ledger, until=days(6)).counters.standard == -1


def test_same_day_correction_does_not_restart_the_alert_clock():
    # Clocks count whole days: missed on day 0 (alert), corrected twice on day 3.
    ledger: list[LedgerEntry] = []
    out = mark(LOUVE, MemberState(), ledger, "t1", D0, AttendanceState.MISSED)
    out = mark(LOUVE, out.state, ledger, "t2", days(3), AttendanceState.ATTENDED)
    out = mark(LOUVE, out.state, ledger, "t1", days(3), AttendanceState.ATTENDED)
    out = mark(LOUVE, out.state, ledger, "t1", days(3), AttendanceState.EXCUSED)
    assert out.state.counters.standard == -1
    assert out.state.figures.standard_negative.since == D0


def test_desk_check_counters_and_reasons_are_codes():
    out = apply(BEES, MemberState(), MarkAttendance("s", D0, AttendanceState.MISSED))
    desk = check(BEES, out.state, MemberFacts(), days(40))
    assert desk.reasons == (Reason.SUSPENDED,)
    assert all(isinstance(r, Reason) for r in desk.reasons + desk.warnings)
    assert (desk.counters.regular, desk.counters.compensation) == (-1, -1)
    assert desk.fix_by is None and desk.then is None


def test_every_status_has_a_reason_code():
    assert {s.value for s in Status} <= {r.value for r in Reason}


# -- small policy questions --------------------------------------------------------------------


def test_extension_until_defaults():
    # §2.3 extension types: "until next regular shift" (La Louve default), or a fixed duration.
    assert extension_until(LOUVE, D0, next_shift=days(12)) == days(12)
    assert extension_until(LOUVE, D0) == days(28)
    assert extension_until(BEES, D0, next_shift=days(12)) == days(28)
    assert extension_until(BEES, D0, days=7) == days(7)


def test_self_service_timing_tapir():
    # §2.1: self-unregister only off-template and >= 7 days ahead; stand-in >= 2 days ahead.
    now = datetime(2026, 4, 6, 10, 0)
    assert may_unregister(TAPIR, from_template=False, shift_start=now + timedelta(days=7), now=now)
    assert not may_unregister(
        TAPIR, from_template=False, shift_start=now + timedelta(days=6, hours=23), now=now
    )
    assert not may_unregister(TAPIR, from_template=True, shift_start=now + timedelta(60), now=now)
    assert may_seek_stand_in(TAPIR, shift_start=now + timedelta(days=2), now=now)
    assert not may_seek_stand_in(TAPIR, shift_start=now + timedelta(hours=47), now=now)
    assert not may_seek_stand_in(LOUVE, shift_start=now + timedelta(days=20), now=now)
    # §2.2: Obeesdoo irregular workers may unsubscribe until 2 hours before.
    assert may_unregister(BEES, from_template=False, shift_start=now + timedelta(hours=2), now=now)
    assert not may_unregister(
        BEES, from_template=False, shift_start=now + timedelta(hours=1), now=now
    )


def test_booking_limits():
    # §2.3 FTOP: 2 per day, 5 per 28 days; §2.2 irregular: 2 per day, 5 per month.
    assert may_book(LOUVE, [D0, D0], D0) is Refusal.BOOKING_DAY_LIMIT
    assert may_book(LOUVE, [D0], D0) is None
    five = [days(0), days(3), days(6), days(9), days(12)]
    assert may_book(LOUVE, five, days(27)) is Refusal.BOOKING_WINDOW_LIMIT  # days 0..27
    assert may_book(LOUVE, five, days(28)) is None  # no 28-day window holds all six
    april = [date(2026, 4, d) for d in (1, 5, 10, 15, 20)]
    assert may_book(BEES, april, date(2026, 4, 30)) is Refusal.BOOKING_WINDOW_LIMIT
    assert may_book(BEES, april, date(2026, 5, 1)) is None
    assert may_book(TAPIR, [D0] * 9, D0) is None


def test_solidarity_limit():
    # §2.1: max 2 received per calendar year.
    assert may_receive_solidarity(TAPIR, 1)
    assert not may_receive_solidarity(TAPIR, 2)
    assert not may_receive_solidarity(LOUVE, 0)


def test_mode_is_kept_in_state():
    state = MemberState(mode=WorkMode.FLYING)
    out = apply(LOUVE, state, StartCycle(on=D0))
    assert out.state.mode is WorkMode.FLYING and out.state.counters.ftop == -2


def test_a_late_mark_needs_the_ledger_and_takes_its_place_in_it():
    """Issue 16 §9: an attendance dated before the state is replayed in date order."""
    cycle = apply(TAPIR, MemberState(), StartCycle(on=D0))
    later = run_day(TAPIR, cycle.state, MemberFacts(), days(7)).state
    event = MarkAttendance(ref="a", on=days(2), state=AttendanceState.MISSED)
    with pytest.raises(ShiftRuleError) as error:
        apply(TAPIR, later, event)
    assert error.value.code is Refusal.OUT_OF_ORDER
    out = apply(TAPIR, later, event, ledger=list(cycle.entries))
    assert {entry.on for entry in out.entries} == {days(2)}
    assert out.state.counters.balance == cycle.state.counters.balance - 1
    assert out.state.figures.day == days(2)
    assert out.state.as_of == days(7)
