"""Member status: one module per family of rules behind the ``ShiftSystem`` protocol.

``louve`` (La Louve, §2.3), ``bees`` (Obeesdoo, §2.2) and ``tapir`` (Tapir, §2.1) each answer
the same questions (status, cycle debit, attendance points, grace, extension, daily pass,
deadline); ``system_for(policy)`` picks the one the policy names, its module imported then.
``member_status`` and ``expected_to_work`` are the two questions every other rule asks.
"""

from __future__ import annotations

from datetime import date

from coop.shifts.policy import ShiftPolicy, Status, System, WorkMode
from coop.shifts.state import Extension, GrantGrace, MemberFacts, Membership, MemberState
from coop.shifts.status.common import leave_on
from coop.shifts.status.system import ShiftSystem

SYSTEMS: dict[System, ShiftSystem] = {}
"""The families of rules imported so far (``system_for`` imports a family's module the first
time a policy names it: a coop follows one family, and a desk check loads no other)."""


def system_for(policy: ShiftPolicy) -> ShiftSystem:
    """The rules of the family the policy follows."""
    try:
        return SYSTEMS[policy.system]
    except KeyError:
        return _imported(policy.system)


def _imported(system: System) -> ShiftSystem:
    rules: ShiftSystem
    if system is System.LOUVE:
        from coop.shifts.status.louve import LOUVE as rules
    elif system is System.BEES:
        from coop.shifts.status.bees import BEES as rules
    elif system is System.TAPIR:
        from coop.shifts.status.tapir import TAPIR as rules
    else:
        raise KeyError(system)
    SYSTEMS[system] = rules
    return rules


def member_status(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> Status:
    """The status on ``on`` from the cached figures (time passes: alerts turn into suspension)."""
    if not facts.is_worker:
        return Status.NOT_CONCERNED
    return system_for(policy).status(policy, state, facts, on)


def grace(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, event: GrantGrace
) -> Extension:
    """The extension a grace granted at the desk gives: the family's rule on the member's status
    on ``event.on``; ``ShiftRuleError`` when the family refuses it (``rules.apply`` grants it,
    ``desk_rules.grace_possible`` asks whether it would)."""
    return system_for(policy).grace(
        policy, state, member_status(policy, state, facts, event.on), event
    )


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


__all__ = ["SYSTEMS", "ShiftSystem", "expected_to_work", "grace", "member_status", "system_for"]
