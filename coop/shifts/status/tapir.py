"""Tapir's rules (reference §2.1): one balance, a debit per cycle, and the freeze — a balance at
or below the threshold for long enough, not covered by upcoming shifts, freezes the member."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coop.shifts.policy import Counter, ShiftPolicy, Status, WorkMode
from coop.shifts.state import (
    Action,
    Counters,
    Extension,
    GrantGrace,
    MemberFacts,
    Membership,
    MemberState,
    Refusal,
    ShiftRuleError,
)
from coop.shifts.status.common import Defaults, effort, leave_on

if TYPE_CHECKING:  # the events are annotations here: a desk check declares none of them
    from coop.shifts.values import GrantExtension, MarkAttendance, StartCycle


@dataclass(frozen=True)
class Tapir(Defaults):
    personal_cycles: bool = False
    freezes: bool = True

    def status(
        self, policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
    ) -> Status:
        if state.frozen_since is not None and state.frozen_since <= on:
            return Status.FROZEN
        if leave_on(state, on) or state.mode is WorkMode.EXEMPT:
            return Status.EXEMPTED
        return Status.UP_TO_DATE

    def attendance_points(
        self,
        policy: ShiftPolicy,
        base: Counters,
        mode: WorkMode,
        event: MarkAttendance,
        closure: bool,
    ) -> dict[Counter, int]:
        _credit, owed, done = effort(policy, event, None, closure)
        return {Counter.BALANCE: done - owed}

    def cycle_debit(
        self, policy: ShiftPolicy, state: MemberState, event: StartCycle, regular: bool
    ) -> tuple[Counter, int, str]:
        debit = policy.template_cycle_debit if regular else policy.flying_cycle_debit
        return Counter.BALANCE, debit, "cycle"

    def grace(
        self, policy: ShiftPolicy, state: MemberState, status: Status, event: GrantGrace
    ) -> Extension:
        raise ShiftRuleError(Refusal.GRACE_NOT_AVAILABLE)

    def extension(
        self, policy: ShiftPolicy, state: MemberState, event: GrantExtension
    ) -> Extension:
        raise ShiftRuleError(Refusal.EXTENSION_NOT_AVAILABLE)

    def daily(
        self,
        policy: ShiftPolicy,
        state: MemberState,
        facts: MemberFacts,
        today: date,
        owed: Callable[[], bool],
    ) -> tuple[MemberState, list[Action]]:
        """§2.1 in order: freeze, else warning, else unfreeze. Right after a booking it
        unfreezes at once."""
        threshold = policy.freeze_threshold
        if threshold is None:
            return state, []
        balance = state.counters.balance
        expected = owed()
        since = state.figures.below_freeze.since
        long_enough = since is not None and (today - since).days > policy.freeze_after_days
        covered = facts.upcoming_shifts + balance > threshold
        warned = state.freeze_warned_on
        if state.frozen_since is None and expected and long_enough and not covered:
            return replace(state, frozen_since=today), [
                Action.RELEASE_TEMPLATE_SLOTS,
                Action.NOTIFY_FROZEN,
            ]
        if (
            balance <= threshold
            and expected
            and (warned is None or (today - warned).days >= policy.freeze_warning_interval_days)
        ):
            return replace(state, freeze_warned_on=today), [Action.NOTIFY_FREEZE_WARNING]
        if (
            state.frozen_since is not None
            and facts.membership is Membership.ACTIVE
            and (balance > threshold or covered)
        ):
            return replace(state, frozen_since=None), [Action.NOTIFY_UNFROZEN]
        return state, []

    def deadline(
        self,
        policy: ShiftPolicy,
        state: MemberState,
        facts: MemberFacts,
        today: date,
        owed: Callable[[], bool],
        status_on: Callable[[date], Status],
    ) -> tuple[date | None, Status | None]:
        threshold, since = policy.freeze_threshold, state.figures.below_freeze.since
        if threshold is None or since is None or state.frozen_since is not None:
            return None, None
        if facts.upcoming_shifts + state.counters.balance > threshold:
            return None, None
        if not owed():
            return None, None
        return max(today, since + timedelta(days=policy.freeze_after_days)), Status.FROZEN


TAPIR = Tapir()
