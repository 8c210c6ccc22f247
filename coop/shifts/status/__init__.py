"""Member status: one module per family of rules behind the ``ShiftSystem`` protocol.

``louve`` (La Louve, §2.3), ``bees`` (Obeesdoo, §2.2) and ``tapir`` (Tapir, §2.1) each answer
the same questions (status, cycle debit, attendance points, grace, extension, daily pass,
deadline); ``system_for(policy)`` picks the one the policy names. ``member_status`` and
``expected_to_work`` are the two questions every other rule asks.
"""

from __future__ import annotations

from datetime import date

from coop.shifts.policy import ShiftPolicy, Status, System, WorkMode
from coop.shifts.state import MemberFacts, Membership, MemberState
from coop.shifts.status.bees import BEES
from coop.shifts.status.common import leave_on
from coop.shifts.status.louve import LOUVE
from coop.shifts.status.system import ShiftSystem
from coop.shifts.status.tapir import TAPIR

SYSTEMS: dict[System, ShiftSystem] = {
    System.LOUVE: LOUVE,
    System.BEES: BEES,
    System.TAPIR: TAPIR,
}


def system_for(policy: ShiftPolicy) -> ShiftSystem:
    """The rules of the family the policy follows."""
    return SYSTEMS[policy.system]


def member_status(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> Status:
    """The status on ``on`` from the cached figures (time passes: alerts turn into suspension)."""
    if not facts.is_worker:
        return Status.NOT_CONCERNED
    return system_for(policy).status(policy, state, facts, on)


def expected_to_work(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> bool:
    """Whether a cycle starting on ``on`` is owed (Tapir's five conditions, used by all)."""
    return (
        facts.has_account
        and facts.is_worker
        and facts.membership is Membership.ACTIVE
        and (facts.member_since is None or facts.member_since <= on)
        and not (state.frozen_since is not None and state.frozen_since <= on)
        and not leave_on(state, on)
        and state.mode is not WorkMode.EXEMPT
        and not facts.resigning
        and not facts.unsubscribed
        and member_status(policy, state, facts, on) not in (Status.UNSUBSCRIBED, Status.RESIGNING)
    )


__all__ = ["SYSTEMS", "ShiftSystem", "expected_to_work", "member_status", "system_for"]
