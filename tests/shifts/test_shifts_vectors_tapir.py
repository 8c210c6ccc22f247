"""The test vectors of reference/shifts.md §2.1 (Tapir).

Expected values are worked out by hand from the reference text, not read from the code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from coop.shifts.calendar import ShiftTemplate, blocked_days, occurrences
from coop.shifts.policy import TAPIR, AttendanceState, Counter, Status
from coop.shifts.rules import (
    Action,
    Adjust,
    EntryKind,
    LeaveKind,
    MemberFacts,
    Membership,
    MemberState,
    Reason,
    StartCycle,
    StartLeave,
    check,
    due_cycles,
    expected_to_work,
    state_when_shift_cancelled,
)

from .vectors import D0, EXCUSED, MISSED, Member, days

# -- §2.1 Tapir --------------------------------------------------------------------------------


def tapir_cycle_after(day: date) -> date:
    """Tapir cycles start every 28 days from Monday 2022-04-11 (§2.1 "Cycles")."""
    start = date(2022, 4, 11)
    while start <= day:
        start += timedelta(days=28)
    return start


def test_tapir_new_member_mid_cycle_then_attends_one_shift():
    # §2.1 vector 1: joins mid-cycle, next cycle starts, attends 1 shift → balance −1 then 0.
    joined = days(10)
    member = Member(TAPIR, facts=MemberFacts(member_since=joined))
    cycle = tapir_cycle_after(joined)
    assert due_cycles(TAPIR, joined, cycle) == [cycle]
    assert expected_to_work(TAPIR, member.state, member.facts, cycle)
    out = member.do(StartCycle(on=cycle))
    assert member.counter(Counter.BALANCE) == -1
    assert [(e.kind, e.delta) for e in out.entries] == [(EntryKind.CYCLE, -1)]
    member.attend("a1", cycle + timedelta(days=3))
    assert member.counter(Counter.BALANCE) == 0


def test_tapir_cycle_before_joining_is_not_owed():
    # §2.1 "who owes a shift": account created on or before the cycle date.
    member = Member(TAPIR, facts=MemberFacts(member_since=days(1)))
    assert not expected_to_work(TAPIR, member.state, member.facts, D0)


def test_tapir_cycle_start_while_exempted_records_cycle_without_entry():
    # §2.1 vector 2: cycle start while exempted → no entry; cycle row recorded.
    member = Member(TAPIR)
    member.do(StartLeave(on=days(-5), kind=LeaveKind.EXEMPTION, start=days(-3), end=days(40)))
    expected = expected_to_work(TAPIR, member.state, member.facts, D0)
    assert expected is False
    out = member.do(StartCycle(on=D0, expected_to_work=expected))
    assert out.entries == ()
    assert out.cycle_applied == D0
    assert member.counter(Counter.BALANCE) == 0


def test_tapir_no_show_costs_two_in_the_cycle():
    # §2.1 vector 3: no-show in a cycle → balance −2 after the cycle.
    member = Member(TAPIR)
    member.do(StartCycle(on=D0))
    member.attend("a1", days(8), MISSED)
    assert member.counter(Counter.BALANCE) == -2


def test_tapir_excused_counts_as_attended():
    # §2.1 attendance table: excused +1 (treated as if they came), so cycle + excused = 0.
    member = Member(TAPIR)
    member.do(StartCycle(on=D0))
    member.attend("a1", days(8), EXCUSED)
    assert member.counter(Counter.BALANCE) == 0


def frozen_candidate(since_days: int, upcoming: int = 0) -> Member:
    member = Member(TAPIR, facts=MemberFacts(upcoming_shifts=upcoming))
    member.do(Adjust(ref="manual:1", on=days(-since_days), counter=Counter.BALANCE, delta=-4))
    return member


def test_tapir_below_threshold_for_eleven_days_freezes_tonight():
    # §2.1 vector 4: balance −4 since 11 days, no bookings → frozen tonight; ABCD slot released;
    # cannot shop.
    member = frozen_candidate(11)
    out = member.night(D0)
    assert member.state.status is Status.FROZEN
    assert member.state.frozen_since == D0
    assert Action.RELEASE_TEMPLATE_SLOTS in out.actions
    assert Action.NOTIFY_FROZEN in out.actions
    desk = member.desk(D0)
    assert not desk.can_shop
    assert Reason.FROZEN in desk.reasons


def test_tapir_ten_days_is_not_more_than_ten_days():
    # §2.1 "continuously <= −4 for more than 10 days": on day 10 only a warning is sent.
    member = frozen_candidate(10)
    out = member.night(D0)
    assert member.state.frozen_since is None
    assert out.actions == (Action.NOTIFY_FREEZE_WARNING,)
    desk = member.desk(D0)
    assert desk.can_shop
    assert desk.then is Status.FROZEN and desk.fix_by == D0
    assert Reason.FREEZE_PENDING in desk.warnings


def test_tapir_booked_makeup_prevents_freezing():
    # §2.1 vector 5: balance −4 since 11 days, 1 pending shift next week → −3 > −4 → not frozen.
    member = frozen_candidate(11, upcoming=1)
    out = member.night(D0)
    assert member.state.frozen_since is None
    assert Action.NOTIFY_FROZEN not in out.actions
    assert member.desk(D0).can_shop


def test_tapir_frozen_member_who_books_is_unfrozen_next_night():
    # §2.1 vector 6: frozen member books 1 shift at balance −4 → unfrozen at next nightly run.
    member = frozen_candidate(11)
    member.night(D0)
    assert member.state.status is Status.FROZEN
    member.night(days(1))  # nothing booked yet: stays frozen
    assert member.state.status is Status.FROZEN
    member.facts = replace(member.facts, upcoming_shifts=1)
    out = member.night(days(2))
    assert member.state.frozen_since is None
    assert out.actions == (Action.NOTIFY_UNFROZEN,)
    assert member.desk(days(2)).can_shop


def test_tapir_frozen_member_gets_no_cycle_debit():
    # §2.1 "Frozen members do not receive cycle debits".
    member = frozen_candidate(11)
    member.night(D0)
    assert not expected_to_work(TAPIR, member.state, member.facts, days(7))


def test_tapir_warning_at_most_every_ten_days():
    # §2.1 "no warning was sent in the last 10 days".
    member = frozen_candidate(3, upcoming=1)
    assert member.night(D0).actions == (Action.NOTIFY_FREEZE_WARNING,)
    assert member.night(days(9)).actions == ()
    assert member.night(days(10)).actions == (Action.NOTIFY_FREEZE_WARNING,)


def test_tapir_shift_cancelled_on_holiday_excuses_abcd_member():
    # §2.1 vector 7: shift cancelled (holiday), ABCD member → attendance excused, +1.
    monday = ShiftTemplate(weekday=0, start=time(9), end=time(12), letter="A")
    shifts = occurrences(monday, D0, days(27), anchor=TAPIR.week_anchor)
    assert [o.day for o in shifts] == [D0]  # Easter Monday 2026, week A
    assert D0 in blocked_days([o.day for o in shifts])
    state = state_when_shift_cancelled(TAPIR, from_template=True)
    assert state is EXCUSED
    assert state_when_shift_cancelled(TAPIR, from_template=False) is AttendanceState.CANCELLED
    member = Member(TAPIR)
    member.attend("a1", D0, state)
    assert member.counter(Counter.BALANCE) == 1


def test_tapir_solidarity_and_welcome_session_entries():
    # §2.1 "Other entries": attended solidarity shift 0; welcome session +1 once, removed if
    # unticked.
    member = Member(TAPIR)
    member.attend("a1", D0, solidarity=True)
    assert member.counter(Counter.BALANCE) == 0
    welcome = Adjust(ref="welcome", on=D0, counter=Counter.BALANCE, delta=1, kind=EntryKind.WELCOME)
    assert member.do(welcome).entries[0].delta == 1
    assert member.do(welcome).entries == ()  # ticked twice: still +1 once
    assert member.counter(Counter.BALANCE) == 1
    member.do(replace(welcome, on=days(1), delta=0))  # unticked
    assert member.counter(Counter.BALANCE) == 0


def test_tapir_desk_reasons_come_from_membership():
    # §2.1 "May this member shop?": account, active membership, created before, not frozen;
    # the balance itself does not gate shopping; welcome session is only a warning.
    state = MemberState()
    facts = MemberFacts(membership=Membership.PAUSED)
    assert check(TAPIR, state, facts, D0).reasons == (Reason.PAUSED,)
    assert check(TAPIR, state, MemberFacts(has_account=False), D0).reasons == (Reason.NO_ACCOUNT,)
    late = check(TAPIR, state, MemberFacts(member_since=days(1)), D0)
    assert late.reasons == (Reason.NOT_YET_MEMBER,)
    member = Member(TAPIR, facts=MemberFacts(welcome_session_done=False))
    member.do(Adjust(ref="m", on=D0, counter=Counter.BALANCE, delta=-3))
    desk = member.desk(D0)
    assert desk.can_shop
    assert Reason.NO_WELCOME_SESSION in desk.warnings and Reason.OWES_SHIFTS in desk.warnings


def test_tapir_long_exemption_releases_abcd_slot():
    # §2.1 "Exemption side effects": >= 6 cycles (168 days) or open-ended → removed from slots.
    member = Member(TAPIR)
    short = member.do(StartLeave(on=D0, kind=LeaveKind.EXEMPTION, start=D0, end=days(100)))
    assert short.actions == (Action.RELEASE_SHIFTS_IN_LEAVE,)
    open_ended = member.do(StartLeave(on=D0, kind=LeaveKind.EXEMPTION, start=D0))
    assert Action.RELEASE_TEMPLATE_SLOTS in open_ended.actions
    assert member.desk(days(3)).status is Status.EXEMPTED
