"""The member driven through the pure shift rules by the reference vectors' tests
(``test_shifts_vectors_*.py``): its cached state and ledger, and the vectors' calendar."""

from __future__ import annotations

from datetime import date, timedelta

from coop.shifts.policy import AttendanceState, Counter, WorkMode
from coop.shifts.rules import (
    MarkAttendance,
    MemberFacts,
    MemberState,
    Outcome,
    StartCycle,
    apply,
    check,
    cycle_ref,
    run_day,
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
