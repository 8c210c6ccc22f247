"""La Louve's rules (reference §2.3): a capped standard counter for fixed slots and an FTOP
counter for flying workers; alert, delay (extension) and suspension on a negative counter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy, Status, WorkMode
from coop.shifts.state import (
    Counters,
    Extension,
    GrantGrace,
    LeaveKind,
    MemberFacts,
    MemberState,
    Refusal,
    Run,
    ShiftRuleError,
)
from coop.shifts.status.common import ONE_DAY, Defaults, effort, leave_on

if TYPE_CHECKING:  # the events are annotations here: a desk check declares none of them
    from coop.shifts.values import GrantExtension, MarkAttendance, StartCycle


def relevant(state: MemberState) -> tuple[int, Run]:
    """The counter that decides the status (FTOP when flying, else standard) and its run."""
    if state.mode is WorkMode.FLYING:
        return state.counters.ftop, state.figures.ftop_negative
    return state.counters.standard, state.figures.standard_negative


def alert_end(policy: ShiftPolicy, state: MemberState) -> date | None:
    points, run = relevant(state)
    if points >= 0 or run.since is None:
        return None
    return run.since + timedelta(days=policy.alert_days)


def counter_of(mode: WorkMode, event: MarkAttendance) -> Counter:
    if event.counter is not None:
        return event.counter
    return Counter.FTOP if mode is WorkMode.FLYING else Counter.STANDARD


@dataclass(frozen=True)
class Louve(Defaults):
    personal_cycles: bool = False
    freezes: bool = False

    def status(
        self, policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
    ) -> Status:
        """Reference §2.3: cooperative state wrapping the working state, in that order."""
        open_leave = state.leave is not None and state.leave.end is None
        if facts.unsubscribed or (not facts.registered and not open_leave):
            return Status.UNSUBSCRIBED
        if facts.unpaid:
            return Status.UNPAID
        if facts.blocked:
            return Status.BLOCKED
        if leave_on(state, on, LeaveKind.HOLIDAY):
            return Status.ON_LEAVE
        points, _run = relevant(state)
        if points < 0:
            if state.extension is not None and state.extension.covers(on):
                return Status.DELAY
            end = alert_end(policy, state)
            if end is not None and end > on:
                return Status.ALERT
            return Status.SUSPENDED
        if leave_on(state, on, LeaveKind.EXEMPTION) or state.mode is WorkMode.EXEMPT:
            return Status.EXEMPTED
        if state.counters.standard < 0:
            return Status.ALERT
        return Status.UP_TO_DATE

    def attendance_points(
        self,
        policy: ShiftPolicy,
        base: Counters,
        mode: WorkMode,
        event: MarkAttendance,
        closure: bool,
    ) -> dict[Counter, int]:
        counter = counter_of(mode, event)
        credit, owed, done = effort(policy, event, counter, closure)
        if counter is Counter.FTOP:
            return {Counter.FTOP: credit - owed}
        return {Counter.STANDARD: done - owed}  # the cap is applied by the rules' cap entries

    def reads_absence_history(self, policy: ShiftPolicy) -> bool:
        """Only when the coop unsubscribes after two absences in a row."""
        return policy.auto_unsubscribe_after_two_absences

    def auto_unsubscribes(
        self, policy: ShiftPolicy, status: Callable[[], Status], event: MarkAttendance
    ) -> bool:
        """A second own-slot absence in a row with no makeup between (PR #1359 guard)."""
        return (
            policy.auto_unsubscribe_after_two_absences
            and event.state is AttendanceState.MISSED
            and event.from_template
            and event.previous_own_shift_missed
            and not event.makeup_since_previous
            and status() is not Status.UP_TO_DATE
        )

    def cycle_debit(
        self, policy: ShiftPolicy, state: MemberState, event: StartCycle, regular: bool
    ) -> tuple[Counter, int, str]:
        if regular:
            return Counter.STANDARD, policy.template_cycle_debit, "cycle"
        ftop = state.counters.ftop
        if event.reduced_deduction:
            if ftop >= 1:
                raise ShiftRuleError(Refusal.REDUCTION_REFUSED)
            return Counter.FTOP, policy.flying_cycle_debit, "reduced"
        if ftop >= 1:
            return Counter.FTOP, policy.flying_cycle_debit, "in_credit"
        return Counter.FTOP, policy.deficit_cycle_debit, "deficit"

    def grace(
        self, policy: ShiftPolicy, state: MemberState, status: Status, event: GrantGrace
    ) -> Extension:
        if policy.grace_days == 0:
            raise ShiftRuleError(Refusal.GRACE_NOT_AVAILABLE)
        end = event.on + timedelta(days=policy.grace_days)
        if status is not Status.SUSPENDED:
            raise ShiftRuleError(Refusal.NOT_SUSPENDED)
        alert = alert_end(policy, state)
        if state.extension is not None and alert is not None and state.extension.end > alert:
            raise ShiftRuleError(Refusal.ALREADY_EXTENDED)
        if event.next_shift is not None and event.next_shift >= event.on:
            end = min(end, event.next_shift + ONE_DAY)
        return Extension(event.on, end, grace=True)

    def extension(
        self, policy: ShiftPolicy, state: MemberState, event: GrantExtension
    ) -> Extension:
        if event.until < event.on:
            raise ShiftRuleError(Refusal.BAD_DATES)
        if relevant(state)[0] >= 0:
            raise ShiftRuleError(Refusal.NO_ALERT)
        return Extension(event.on, event.until)


LOUVE = Louve()
