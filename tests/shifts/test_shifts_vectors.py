"""Every test vector of reference/shifts.md §2.1 (Tapir), §2.2 (Obeesdoo), §2.3 (La Louve).

Expected values are worked out by hand from the reference text, not read from the code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from coop.shifts.calendar import ShiftTemplate, blocked_days, cycle_starts, occurrences
from coop.shifts.policy import BEES, LOUVE, TAPIR, AttendanceState, Counter, Status, WorkMode
from coop.shifts.rules import (
    Action,
    Adjust,
    ChangeMode,
    EndLeave,
    EntryKind,
    GrantExtension,
    GrantGrace,
    Leave,
    LeaveKind,
    MarkAttendance,
    MemberFacts,
    Membership,
    MemberState,
    Outcome,
    Reason,
    Refusal,
    ShiftRuleError,
    StartCycle,
    StartLeave,
    apply,
    check,
    cycle_ref,
    due_cycles,
    expected_to_work,
    may_reduce_deduction,
    run_day,
    state_when_shift_cancelled,
)

ATTENDED = AttendanceState.ATTENDED
MISSED = AttendanceState.MISSED
EXCUSED = AttendanceState.EXCUSED
D0 = date(2026, 4, 6)  # a Monday, week A for Tapir's anchor 2022-04-11 (208 weeks later)


def days(n: int) -> date:
    return D0 + timedelta(days=n)


class Member:
    """One member's cached state and ledger, driven the way the service will drive the rules."""

    def __init__(self, policy, mode=WorkMode.REGULAR, facts=None):
        self.policy = policy
        self.state = MemberState(mode=mode)
        self.facts = facts or MemberFacts()
        self.ledger = []

    def do(self, event) -> Outcome:
        ref = cycle_ref(event.on) if isinstance(event, StartCycle) else getattr(event, "ref", None)
        prior = [e for e in self.ledger if ref is not None and e.ref == ref]
        outcome = apply(self.policy, self.state, event, facts=self.facts, prior=prior)
        self.state = outcome.state
        self.ledger.extend(outcome.entries)
        return outcome

    def night(self, today: date) -> Outcome:
        outcome = run_day(self.policy, self.state, self.facts, today)
        self.state = outcome.state
        return outcome

    def desk(self, today: date):
        return check(self.policy, self.state, self.facts, today)

    def attend(self, ref, on, state=ATTENDED, **kw) -> Outcome:
        return self.do(MarkAttendance(ref=ref, on=on, state=state, **kw))

    def counter(self, counter: Counter) -> int:
        return self.state.counters.get(counter)


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


# -- §2.2 Obeesdoo -----------------------------------------------------------------------------


def bees_member(mode=WorkMode.REGULAR, facts=None) -> Member:
    return Member(BEES, mode=mode, facts=facts)


def test_bees_absent_two_compensations_starts_alert():
    # §2.2 vector 1: sr 0, sc 0 | absent-2 → sr −1, sc −1, alert (alert start = today).
    member = bees_member()
    member.attend("s1", D0, MISSED)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (-1, -1)
    assert member.state.status is Status.ALERT
    assert member.state.figures.alert.since == D0
    desk = member.desk(D0)
    assert desk.can_shop and Reason.IN_ALERT in desk.warnings
    # rule 6: suspended once today > alert start + 28
    assert (desk.fix_by, desk.then) == (days(28), Status.SUSPENDED)


def in_alert() -> Member:
    member = bees_member()
    member.attend("s1", D0, MISSED)
    return member


def test_bees_compensation_repays_regular_counter_first():
    # §2.2 vector 2: sr −1, sc −1, alert | compensation done → sr 0, sc −1, still alert.
    member = in_alert()
    member.attend("c1", days(3), from_template=False)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (0, -1)
    assert member.state.status is Status.ALERT
    assert member.state.figures.alert.since == D0


def test_bees_second_compensation_clears_alert():
    # §2.2 vector 3: sr 0, sc −1, alert | compensation done → sr 0, sc 0 → ok, alert cleared.
    member = in_alert()
    member.attend("c1", days(3), from_template=False)
    member.attend("c2", days(5), from_template=False)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (0, 0)
    assert member.state.status is Status.UP_TO_DATE
    assert member.state.figures.alert.since is None
    assert member.desk(days(5)).fix_by is None


def test_bees_compensation_when_up_to_date_is_a_bonus():
    # §2.2 regular table: done compensation with sr >= 0 and sc >= 0 → sr +1 (bonus credit).
    member = bees_member()
    member.attend("c1", D0, from_template=False)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (1, 0)
    member.attend("s1", days(1))  # done, regular shift: nothing
    assert member.counter(Counter.REGULAR) == 1


@pytest.mark.parametrize(("elapsed", "status"), [(28, Status.ALERT), (29, Status.SUSPENDED)])
def test_bees_alert_turns_into_suspension_after_28_days(elapsed, status):
    # §2.2 vector 4: alert since 29 days, no extension | daily cron → suspended (cannot shop).
    member = in_alert()
    member.night(days(elapsed))
    assert member.state.status is status
    assert member.desk(days(elapsed)).can_shop is (status is Status.ALERT)


def test_bees_grace_gives_ten_days_of_extension():
    # §2.2 vector 5: alert, grace triggered today → extension for 10 days, can shop.
    member = in_alert()
    member.do(GrantGrace(on=days(5)))
    assert member.state.status is Status.DELAY
    assert member.desk(days(5)).can_shop
    assert member.desk(days(15)).status is Status.DELAY  # extension start + 10
    # rule 6: extension started and today > extension start + grace → suspended
    assert member.desk(days(16)).status is Status.SUSPENDED
    assert member.desk(days(5)).fix_by == days(15)


def test_bees_grace_refused_without_alert_or_twice():
    member = bees_member()
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantGrace(on=D0))
    assert error.value.code is Refusal.NO_ALERT
    member = in_alert()
    member.do(GrantGrace(on=days(1)))
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantGrace(on=days(2)))
    assert error.value.code is Refusal.ALREADY_EXTENDED


def test_bees_manual_extension_only_after_grace_expired():
    # §2.2 "Extensions": manual extension (28 days) only after the grace delay has expired.
    member = in_alert()
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantExtension(on=days(1), until=days(29)))
    assert error.value.code is Refusal.NO_GRACE_YET
    member.do(GrantGrace(on=days(1)))
    with pytest.raises(ShiftRuleError) as error:
        member.do(GrantExtension(on=days(11), until=days(39)))
    assert error.value.code is Refusal.GRACE_NOT_EXPIRED
    member.do(GrantExtension(on=days(14), until=days(42)))
    assert member.desk(days(42)).status is Status.DELAY
    assert member.desk(days(43)).status is Status.SUSPENDED


def test_bees_minus_four_unsubscribes_and_releases_template():
    # §2.2 vector 6: sr −2, sc −2 → unsubscribed (−4), removed from template.
    member = in_alert()
    out = member.attend("s2", days(28), MISSED)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (-2, -2)
    assert member.state.status is Status.UNSUBSCRIBED
    assert Action.RELEASE_TEMPLATE_SLOTS in out.actions
    assert Action.RELEASE_FUTURE_SHIFTS in out.actions
    assert not member.desk(days(28)).can_shop


def test_bees_irregular_first_countdown_in_deficit_is_doubled():
    # §2.2 vector 7: irregular sr 0, not penalised, countdown day → sr −2, alert.
    start = date(2026, 1, 5)
    member = bees_member(WorkMode.FLYING)
    countdown = due_cycles(BEES, start, date(2026, 3, 1), origin=start)
    assert countdown == [date(2026, 2, 2)]  # start + 28 days
    member.do(StartCycle(on=countdown[0]))
    assert member.counter(Counter.REGULAR) == -2
    assert member.state.status is Status.ALERT
    assert member.state.figures.penalised
    # already in alert: the next countdown takes only one (issue #388: no second double penalty)
    member.do(StartCycle(on=date(2026, 3, 2)))
    assert member.counter(Counter.REGULAR) == -3


def test_bees_irregular_countdown_in_credit_takes_one_and_clears_penalty():
    # §2.2 "Irregular countdown": sr > 0 → sr −1 and clear the penalised flag.
    member = bees_member(WorkMode.FLYING)
    member.do(StartCycle(on=D0))  # sr 0 → −2, penalised
    for n, ref in enumerate(("x1", "x2", "x3")):
        member.attend(ref, days(1 + n), from_template=False)  # irregular done: +1 each
    assert member.counter(Counter.REGULAR) == 1
    member.do(StartCycle(on=days(28)))
    assert member.counter(Counter.REGULAR) == 0
    assert not member.state.figures.penalised


def test_bees_irregular_penalty_off_always_takes_one():
    # §2.2 "penalty off: always −1".
    member = Member(replace(BEES, deficit_cycle_debit=-1), mode=WorkMode.FLYING)
    member.do(StartCycle(on=D0))
    assert member.counter(Counter.REGULAR) == -1


def test_bees_irregular_attendance_arithmetic():
    # §2.2 irregular table: done +1; absent-1 (excused) 0; absent-2 (missed) −1.
    member = bees_member(WorkMode.FLYING)
    member.attend("i1", D0, from_template=False)
    member.attend("i2", D0, EXCUSED, from_template=False)
    member.attend("i3", D0, MISSED, from_template=False)
    assert member.counter(Counter.REGULAR) == 0
    assert member.counter(Counter.COMPENSATION) == 0


def test_bees_regular_excused_is_absent_one_compensation():
    # §2.2 regular table: absent – 1 compensation → sr −1 (sc untouched).
    member = bees_member()
    member.attend("s1", D0, EXCUSED)
    assert (member.counter(Counter.REGULAR), member.counter(Counter.COMPENSATION)) == (-1, 0)


def test_bees_compensation_counter_alone_never_starts_alert():
    # §2.2 note: sr = 0 and sc < 0 with no alert date evaluates to ok.
    member = bees_member()
    member.do(Adjust(ref="m1", on=D0, counter=Counter.COMPENSATION, delta=-1))
    assert member.state.status is Status.UP_TO_DATE


def test_bees_status_precedence():
    # §2.2 status evaluation, first matching rule wins.
    member = in_alert()
    member.attend("s2", days(1), MISSED)  # −4: unsubscribed (rule 5)
    assert member.state.status is Status.UNSUBSCRIBED
    assert member.desk(days(2)).status is Status.UNSUBSCRIBED
    member.do(GrantGrace(on=days(2)))  # rule 4 (extension) comes before rule 5
    assert member.state.status is Status.DELAY
    member.do(StartLeave(on=days(3), kind=LeaveKind.EXEMPTION, start=days(3), end=days(9)))
    assert member.desk(days(4)).status is Status.EXEMPTED  # rule 3 before rule 4
    member.do(StartLeave(on=days(3), kind=LeaveKind.HOLIDAY, start=days(3), end=days(9)))
    assert member.desk(days(4)).status is Status.ON_LEAVE  # rule 2
    assert not member.desk(days(4)).can_shop
    resigning = replace(member.facts, resigning=True)
    assert check(BEES, member.state, resigning, days(4)).status is Status.RESIGNING  # rule 1


def test_bees_exempt_working_mode_is_ok():
    # §2.2 rule 3: working mode exempt → ok.
    member = in_alert()
    member.state = replace(member.state, mode=WorkMode.EXEMPT)
    assert member.desk(days(40)).status is Status.UP_TO_DATE


def test_bees_holiday_during_alert_pauses_the_alert_clock():
    # §2.2 "On status transitions": alert start moved to the end date of the holiday.
    member = in_alert()
    member.do(StartLeave(on=days(5), kind=LeaveKind.HOLIDAY, start=days(10), end=days(20)))
    assert member.desk(days(15)).status is Status.ON_LEAVE
    assert member.desk(days(29)).status is Status.ALERT  # would be suspended without the pause
    assert member.desk(days(48)).status is Status.ALERT  # holiday end + 28
    assert member.desk(days(49)).status is Status.SUSPENDED
    assert member.desk(days(21)).fix_by == days(48)
    # the member comes back early: the clock restarts from the new end
    member.do(EndLeave(on=days(15)))
    assert member.desk(days(42)).status is Status.ALERT
    assert member.desk(days(43)).status is Status.SUSPENDED


def test_bees_non_worker_share_follows_share_type():
    # §2.2 "Shopping": non-working share classes use the share type's "allow shopping" flag.
    allowed = check(
        BEES, MemberState(), MemberFacts(is_worker=False, share_allows_shopping=True), D0
    )
    assert allowed.can_shop and allowed.status is Status.NOT_CONCERNED
    refused = check(BEES, MemberState(), MemberFacts(is_worker=False), D0)
    assert refused.reasons == (Reason.SHARE_DOES_NOT_ALLOW_SHOPPING,)


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
