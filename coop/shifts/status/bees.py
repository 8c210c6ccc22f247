"""Obeesdoo's rules (BEES coop, reference §2.2): regular and compensation counters, an alert
clock paused by leaves, a grace then an extension, and an explicit status precedence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy, Status, WorkMode
from coop.shifts.state import (
    Action,
    Counters,
    Extension,
    GrantGrace,
    LeaveKind,
    MemberFacts,
    MemberState,
    Refusal,
    ShiftRuleError,
)
from coop.shifts.status.common import Defaults, alert_start, effort, leave_on

if TYPE_CHECKING:  # the events are annotations here: a desk check declares none of them
    from coop.shifts.values import GrantExtension, MarkAttendance, StartCycle

GONE = frozenset({Status.UNSUBSCRIBED, Status.RESIGNING})


def credit_points(base: Counters, credit: int) -> dict[Counter, int]:
    """A compensation shift repays the regular counter, then compensation, else is a bonus."""
    regular = compensation = 0
    for _ in range(credit):
        if base.regular + regular < 0:
            regular += 1
        elif base.compensation + compensation < 0:
            compensation += 1
        else:
            regular += 1
    return {Counter.REGULAR: regular, Counter.COMPENSATION: compensation}


@dataclass(frozen=True)
class Bees(Defaults):
    personal_cycles: bool = True
    freezes: bool = False

    def status(
        self, policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
    ) -> Status:
        """Reference §2.2, first matching rule wins (order from Obeesdoo PR #243)."""
        if facts.resigning:
            return Status.RESIGNING
        if leave_on(state, on, LeaveKind.HOLIDAY):
            return Status.ON_LEAVE
        if leave_on(state, on, LeaveKind.EXEMPTION):
            return Status.EXEMPTED
        if state.mode is WorkMode.EXEMPT:
            return Status.UP_TO_DATE
        c = state.counters
        irregular = state.mode is WorkMode.FLYING
        ok = c.regular >= 0 and (irregular or c.compensation >= 0)
        started = alert_start(policy, state, on)
        ext = state.extension
        running = not ok and started is not None
        if running and ext is not None and ext.start <= on <= ext.end:
            return Status.DELAY
        threshold = (
            policy.irregular_unsubscribe_threshold if irregular else policy.unsubscribe_threshold
        )
        total = c.regular if irregular else c.regular + c.compensation
        if (threshold is not None and total <= threshold) or facts.unsubscribed:
            return Status.UNSUBSCRIBED
        if running and (
            (ext is not None and on > ext.start + timedelta(days=policy.grace_days))
            or (started is not None and on > started + timedelta(days=policy.alert_days))
        ):
            return Status.SUSPENDED
        if c.regular < 0 or running:
            return Status.ALERT
        return Status.UP_TO_DATE

    def settled(self, state: MemberState) -> MemberState:
        if state.figures.alert.since is None:
            return replace(state, extension=None, alert_resumed_on=None)  # back to ok
        return state

    def on_status_change(self, before: Status, after: Status) -> list[Action]:
        if after in GONE and before not in GONE:
            return [Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS]
        return []

    def attendance_points(
        self,
        policy: ShiftPolicy,
        base: Counters,
        mode: WorkMode,
        event: MarkAttendance,
        closure: bool,
    ) -> dict[Counter, int]:
        credit, owed, _done = effort(policy, event, None, closure)
        if mode is WorkMode.FLYING:  # irregular: done/absent-0 +1, absent-1 0, absent-2 −1
            return {Counter.REGULAR: credit - owed}
        if event.state is AttendanceState.ATTENDED:
            if event.from_template:
                return {Counter.REGULAR: policy.template_done_points}
            return credit_points(base, credit)
        if owed == 0:
            return {}
        return {Counter.REGULAR: -1, Counter.COMPENSATION: -(owed - 1)}

    def cycle_debit(
        self, policy: ShiftPolicy, state: MemberState, event: StartCycle, regular: bool
    ) -> tuple[Counter, int, str]:
        if regular:
            return Counter.REGULAR, policy.template_cycle_debit, "cycle"
        if state.counters.regular > 0:
            return Counter.REGULAR, policy.flying_cycle_debit, "in_credit"
        no_penalty = policy.deficit_cycle_debit == policy.flying_cycle_debit
        if no_penalty or state.figures.alert.since is not None or state.figures.penalised:
            return Counter.REGULAR, policy.flying_cycle_debit, "cycle"
        return Counter.REGULAR, policy.deficit_cycle_debit, "penalty"

    def grace(
        self, policy: ShiftPolicy, state: MemberState, status: Status, event: GrantGrace
    ) -> Extension:
        if policy.grace_days == 0:
            raise ShiftRuleError(Refusal.GRACE_NOT_AVAILABLE)
        end = event.on + timedelta(days=policy.grace_days)
        if state.figures.alert.since is None:
            raise ShiftRuleError(Refusal.NO_ALERT)
        if state.extension is not None:
            raise ShiftRuleError(Refusal.ALREADY_EXTENDED)
        return Extension(event.on, end, grace=True)

    def extension(
        self, policy: ShiftPolicy, state: MemberState, event: GrantExtension
    ) -> Extension:
        if event.until < event.on:
            raise ShiftRuleError(Refusal.BAD_DATES)
        current = state.extension
        if current is None:
            raise ShiftRuleError(Refusal.NO_GRACE_YET)
        if event.on <= current.start + timedelta(days=policy.grace_days):
            raise ShiftRuleError(Refusal.GRACE_NOT_EXPIRED)
        return Extension(current.start, event.until)  # start kept: rule 6 counts from it


BEES = Bees()
