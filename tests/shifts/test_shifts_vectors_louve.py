"""The test vectors of reference/shifts.md §2.3 (La Louve), and the cycle dates of the
reference's anchor.

Expected values are worked out by hand from the reference text, not read from the code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from coop.shifts.calendar import cycle_starts
from coop.shifts.policy import LOUVE, Counter, Status, WorkMode
from coop.shifts.rules import (
    Action,
    Adjust,
    ChangeMode,
    EntryKind,
    GrantExtension,
    GrantGrace,
    Leave,
    LeaveKind,
    MemberFacts,
    MemberState,
    Reason,
    Refusal,
    ShiftRuleError,
    StartCycle,
    StartLeave,
    check,
    expected_to_work,
    may_reduce_deduction,
)

from .vectors import D0, EXCUSED, MISSED, Member, days

# -- §2.3 La Louve -----------------------------------------------------------------------------


def louve_absent() -> Member:
    member = Member(LOUVE)
    member.attend("t1", D0, MISSED)
    return member


def test_louve_absence_at_own_shift_costs_two_and_starts_alert():
    # §2.3 vector 1: ABCD member absent at own shift → standard −2 → alert; alert end = +28 days.
    member = louve_absent()
    assert member.counter(Counter.STANDARD) == -2
    assert member.state.status is Status.ALERT
    desk = member.desk(D0)
    assert desk.can_shop
    assert (desk.fix_by, desk.then) == (days(27), Status.SUSPENDED)  # alert while end > today
    assert member.desk(days(27)).status is Status.ALERT
    assert member.desk(days(28)).status is Status.SUSPENDED


def test_louve_two_makeups_bring_back_to_up_to_date():
    # §2.3 vector 2: then two makeups attended → 0 → up_to_date, alert end cleared.
    member = louve_absent()
    member.attend("m1", days(3), from_template=False)
    assert member.state.status is Status.ALERT
    member.attend("m2", days(9), from_template=False)
    assert member.counter(Counter.STANDARD) == 0
    assert member.state.status is Status.UP_TO_DATE
    assert member.state.figures.standard_negative.since is None
    assert member.desk(days(9)).fix_by is None


def test_louve_third_makeup_is_capped_at_zero():
    # §2.3 vector 3: third makeup → still 0 (cap).
    member = louve_absent()
    for n in range(3):
        member.attend(f"m{n}", days(3 + n), from_template=False)
    assert member.counter(Counter.STANDARD) == 0
    third = [(e.kind, e.delta) for e in member.ledger if e.ref == "m2"]
    assert third == [(EntryKind.ATTENDANCE, 1), (EntryKind.CAP, -1)]  # done, but not banked


def test_louve_template_credit_is_capped_too():
    # §2.3 "+1 or the credit configured for that template, capped so the counter reaches at most 0"
    member = Member(LOUVE)
    member.attend("t1", D0, EXCUSED)  # −1
    member.attend("m1", days(1), from_template=False, credit=2)
    assert member.counter(Counter.STANDARD) == 0


def test_louve_manual_entry_above_cap_refused():
    member = Member(LOUVE)
    with pytest.raises(ShiftRuleError) as error:
        member.do(Adjust(ref="m", on=D0, counter=Counter.STANDARD, delta=1))
    assert error.value.code is Refusal.ABOVE_CAP


def test_louve_excused_still_costs_one_makeup():
    # §2.3 table: from own template, excused → −1 (different from Tapir).
    member = Member(LOUVE)
    member.attend("t1", D0, EXCUSED)
    assert member.counter(Counter.STANDARD) == -1
    assert member.state.status is Status.ALERT


def test_louve_ftop_cycle_closure_in_credit_takes_one():
    # §2.3 vector 4: FTOP member at +2, closure → +1.
    member = Member(LOUVE, mode=WorkMode.FLYING)
    member.attend("f1", days(-10), from_template=False)
    member.attend("f2", days(-9), from_template=False)
    assert member.counter(Counter.FTOP) == 2
    member.do(StartCycle(on=D0))
    assert member.counter(Counter.FTOP) == 1
    assert member.state.status is Status.UP_TO_DATE


def test_louve_ftop_cycle_closure_at_zero_takes_two():
    # §2.3 vector 5: FTOP member at 0, closure → −2 → alert.
    member = Member(LOUVE, mode=WorkMode.FLYING)
    member.do(StartCycle(on=D0))
    assert member.counter(Counter.FTOP) == -2
    assert member.state.status is Status.ALERT
    assert member.desk(D0).fix_by == days(27)


def test_louve_ftop_reduced_deduction():
    # §2.3: reduced to −1 by a "reduced deduction" extension; refused if points >= 1 or the two
    # previous closures were already reduced.
    member = Member(LOUVE, mode=WorkMode.FLYING)
    member.do(StartCycle(on=D0, reduced_deduction=True))
    assert member.counter(Counter.FTOP) == -1
    assert may_reduce_deduction(LOUVE, -1, ["in_credit", "reduced"])
    assert not may_reduce_deduction(LOUVE, -1, ["reduced", "reduced"])
    assert not may_reduce_deduction(LOUVE, 1, [])
    rich = Member(LOUVE, mode=WorkMode.FLYING)
    rich.attend("f1", days(-1), from_template=False)
    with pytest.raises(ShiftRuleError) as error:
        rich.do(StartCycle(on=D0, reduced_deduction=True))
    assert error.value.code is Refusal.REDUCTION_REFUSED


def test_louve_ftop_cycle_skipped_on_leave():
    # §2.3: members on leave ("waiting") get no FTOP debit.
    member = Member(LOUVE, mode=WorkMode.FLYING)
    member.do(StartLeave(on=days(-1), kind=LeaveKind.HOLIDAY, start=days(-1), end=days(10)))
    expected = expected_to_work(LOUVE, member.state, member.facts, D0)
    assert member.do(StartCycle(on=D0, expected_to_work=expected)).entries == ()


def test_louve_ftop_attendance_arithmetic():
    # §2.3 "FTOP events": attended +1, absent on a booked FTOP shift −1, excused on a
    # template-generated FTOP registration −1.
    member = Member(LOUVE, mode=WorkMode.FLYING)
    member.attend("f1", D0, from_template=False)
    member.attend("f2", D0, MISSED, from_template=False)
    member.attend("f3", D0, EXCUSED, from_template=True)
    assert member.counter(Counter.FTOP) == -1
    assert member.counter(Counter.STANDARD) == 0


def test_louve_abcd_member_on_an_ftop_ticket_credits_ftop():
    # §2.3: the standard counter cannot bank credit; staff switch the attendance to FTOP.
    member = Member(LOUVE)
    member.attend("x", D0, from_template=False, counter=Counter.FTOP)
    assert (member.counter(Counter.STANDARD), member.counter(Counter.FTOP)) == (0, 1)


def test_louve_alert_end_passed_means_suspended():
    # §2.3 vector 6: alert end passed, no extension → suspended (not customer).
    member = louve_absent()
    member.night(days(30))
    assert member.state.status is Status.SUSPENDED
    desk = member.desk(days(30))
    assert not desk.can_shop and desk.reasons == (Reason.SUSPENDED,)
    forced = check(LOUVE, member.state, MemberFacts(force_customer=True), days(30))
    assert forced.can_shop and Reason.FORCED_CUSTOMER in forced.warnings


def test_louve_grace_at_badge_reader_until_day_after_next_shift():
    # §2.3 vector 7: suspended, grace at badge reader → delay until next shift, can shop.
    member = louve_absent()
    today, next_shift = days(30), days(35)
    member.do(GrantGrace(on=today, next_shift=next_shift))
    assert member.state.status is Status.DELAY
    assert member.state.extension.end == days(36)  # the day after the next shift
    assert member.desk(today).can_shop
    assert member.desk(days(36)).status is Status.DELAY
    assert member.desk(days(37)).status is Status.SUSPENDED
    assert member.desk(today).fix_by == days(36)


def test_louve_grace_length_when_next_shift_is_far():
    # §2.3: "ending after its duration or the day after their next shift, whichever is earlier".
    member = louve_absent()
    member.do(GrantGrace(on=days(30), next_shift=days(55)))
    assert member.state.extension.end == days(30 + LOUVE.grace_days)


def test_louve_grace_refusals():
    # §2.3: only for a suspended member; refused after an extension ending after the alert end.
    member = louve_absent()
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantGrace(on=days(2)))
    assert error.value.code is Refusal.NOT_SUSPENDED
    member.do(GrantExtension(on=days(20), until=days(40)))  # beyond alert end (D0 + 28)
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantGrace(on=days(45)))
    assert error.value.code is Refusal.ALREADY_EXTENDED


def test_louve_store_closure_compensation():
    # §2.3 "Closures": ABCD absence in a 0-makeup closure compensated +2 (excused +1) → neutral;
    # in a 1-makeup closure absences get +1 (net −1).
    member = Member(LOUVE)
    out = member.attend("t1", D0, MISSED, closure_makeups=0)
    assert member.counter(Counter.STANDARD) == 0
    assert sorted((e.kind, e.delta) for e in out.entries) == [
        (EntryKind.ATTENDANCE, -2),
        (EntryKind.CLOSURE, 2),
    ]
    member.attend("t2", days(28), EXCUSED, closure_makeups=0)
    assert member.counter(Counter.STANDARD) == 0
    member.attend("t3", days(56), MISSED, closure_makeups=1)
    assert member.counter(Counter.STANDARD) == -1


def test_louve_second_absence_in_a_row_unsubscribes():
    # §2.3 "Automatic unsubscription" with the PR #1359 guard.
    member = louve_absent()
    out = member.attend("t2", days(28), MISSED, previous_own_shift_missed=True)
    assert Action.RELEASE_TEMPLATE_SLOTS in out.actions
    assert Action.NOTIFY_UNSUBSCRIBED in out.actions
    # a makeup in between, or being up to date just before, keeps the member registered
    member = louve_absent()
    out = member.attend(
        "t2", days(28), MISSED, previous_own_shift_missed=True, makeup_since_previous=True
    )
    assert out.actions == ()
    fresh = Member(LOUVE)
    out = fresh.attend("t2", days(28), MISSED, previous_own_shift_missed=True)
    assert out.actions == ()


def test_louve_working_and_cooperative_state_precedence():
    # §2.3 working state order and the cooperative-state wrapper.
    member = louve_absent()
    state = member.state
    assert check(LOUVE, state, MemberFacts(blocked=True), D0).status is Status.BLOCKED
    assert check(LOUVE, state, MemberFacts(blocked=True, unpaid=True), D0).status is Status.UNPAID
    gone = MemberFacts(registered=False, unpaid=True)
    assert check(LOUVE, state, gone, D0).status is Status.UNSUBSCRIBED
    on_leave = replace(state, leave=Leave(LeaveKind.HOLIDAY, D0))
    assert check(LOUVE, on_leave, MemberFacts(registered=False), D0).status is Status.ON_LEAVE
    exempt = replace(state, leave=Leave(LeaveKind.EXEMPTION, D0, days(30)))
    assert check(LOUVE, exempt, MemberFacts(), days(1)).status is Status.ALERT  # points < 0 first
    clean = replace(MemberState(), leave=Leave(LeaveKind.EXEMPTION, D0, days(30)))
    assert check(LOUVE, clean, MemberFacts(), days(1)).status is Status.EXEMPTED


def test_louve_ftop_member_with_negative_standard_shows_alert():
    # §2.3 rule 5: an up_to_date member whose standard points are < 0 is shown alert.
    member = louve_absent()
    member.do(ChangeMode(on=days(1), mode=WorkMode.FLYING))
    assert member.state.status is Status.ALERT
    assert member.desk(days(90)).status is Status.ALERT  # never suspended through rule 5


def test_cycle_dates_match_the_reference_anchor():
    # §2.1 "Cycles": first reference Monday 2022-04-11, 28 days each.
    assert cycle_starts(date(2022, 4, 11), date(2022, 4, 11), date(2022, 6, 6)) == [
        date(2022, 5, 9),
        date(2022, 6, 6),
    ]
