"""Helpers shared by the status machines: leaves, the paused alert clock, make-up counts and
the search for the day a shopping status ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy, Status
from coop.shifts.state import Action, LeaveKind, MemberFacts, MemberState

if TYPE_CHECKING:  # the events are annotations here: a desk check declares none of them
    from coop.shifts.values import MarkAttendance

ONE_DAY = timedelta(days=1)
DEADLINE_STATUSES = {Status.SUSPENDED, Status.UNSUBSCRIBED, Status.FROZEN}


def leave_on(state: MemberState, on: date, kind: LeaveKind | None = None) -> bool:
    leave = state.leave
    return leave is not None and leave.covers(on) and (kind is None or leave.kind is kind)


def alert_start(policy: ShiftPolicy, state: MemberState, on: date) -> date | None:
    """When the alert clock (re)started, leaves taken during the alert pausing it."""
    start = state.figures.alert.since
    if start is None or start > on:
        return None
    if not policy.pause_alert_during_leave:
        return start
    if state.alert_resumed_on is not None and start < state.alert_resumed_on <= on:
        start = state.alert_resumed_on
    leave = state.leave
    if leave is not None and leave.end is not None and leave.start <= on and leave.end >= start:
        start = max(start, min(leave.end, on))
    return start


def makeups(policy: ShiftPolicy, event: MarkAttendance, counter: Counter | None) -> int:
    if event.state is AttendanceState.ATTENDED:
        return 0
    if event.state is AttendanceState.MISSED:
        return policy.missed_makeups
    if counter is Counter.FTOP and event.from_template:
        return policy.missed_makeups  # La Louve: excused on a team FTOP registration costs −1
    return policy.excused_makeups


def alert_deadline(
    policy: ShiftPolicy,
    state: MemberState,
    today: date,
    status_on: Callable[[date], Status],
) -> tuple[date | None, Status | None]:
    """The first day after ``today`` a clock (alert, negative run, leave, extension) turns the
    status into one that may not shop: (the day before, that status), else (None, None)."""
    days = timedelta(days=policy.alert_days)
    candidates: set[date] = set()
    starts = [
        state.figures.standard_negative.since,
        state.figures.ftop_negative.since,
        state.figures.alert.since,
        state.alert_resumed_on,
    ]
    if state.leave is not None and state.leave.end is not None:
        starts.append(state.leave.end)
        candidates.add(state.leave.end + ONE_DAY)
    for start in filter(None, starts):
        candidates |= {start + days, start + days + ONE_DAY}
    if state.extension is not None:
        candidates.add(state.extension.end + ONE_DAY)
        candidates.add(state.extension.start + timedelta(days=policy.grace_days + 1))
    for day in sorted(d for d in candidates if d > today):
        then = status_on(day)
        if then in DEADLINE_STATUSES and not policy.can_shop(then):
            return day - ONE_DAY, then
    return None, None


def effort(
    policy: ShiftPolicy, event: MarkAttendance, counter: Counter | None, closure: bool
) -> tuple[int, int, int]:
    """(credit of a make-up, make-ups owed, points of a shift done) for an attendance; with
    ``closure``, the make-ups a closure of the shop lets the member keep."""
    credit = policy.makeup_credit if event.credit is None else event.credit
    owed = makeups(policy, event, counter)
    if closure and event.closure_makeups is not None:
        owed = min(owed, event.closure_makeups)
    done = policy.template_done_points if event.from_template else credit
    return credit, owed, done


class Defaults:
    """What most families of rules answer alike (each system overrides what differs)."""

    def settled(self, state: MemberState) -> MemberState:
        return state

    def on_status_change(self, before: Status, after: Status) -> list[Action]:
        return []

    def reads_absence_history(self, policy: ShiftPolicy) -> bool:
        return False

    def auto_unsubscribes(
        self, policy: ShiftPolicy, status: Callable[[], Status], event: MarkAttendance
    ) -> bool:
        return False

    def daily(
        self,
        policy: ShiftPolicy,
        state: MemberState,
        facts: MemberFacts,
        today: date,
        owed: Callable[[], bool],
    ) -> tuple[MemberState, list[Action]]:
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
        return alert_deadline(policy, state, today, status_on)
