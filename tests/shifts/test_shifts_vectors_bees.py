"""The test vectors of reference/shifts.md §2.2 (Obeesdoo).

Expected values are worked out by hand from the reference text, not read from the code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from coop.shifts.policy import BEES, Counter, Status, WorkMode
from coop.shifts.rules import (
    Action,
    Adjust,
    EndLeave,
    GrantExtension,
    GrantGrace,
    LeaveKind,
    MemberFacts,
    MemberState,
    Reason,
    Refusal,
    ShiftRuleError,
    StartCycle,
    StartLeave,
    check,
    due_cycles,
)

from .vectors import D0, EXCUSED, MISSED, Member, days

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
