"""The desk rule: may this member shop today, and why — the one call of the desk, the till and
the paper fallback (``check``), with the date by which things must be fixed (``deadline``) and
whether the desk could grant a grace (``grace_possible``). Pure: no Session, no I/O, no clock.
It imports the state values alone (``coop.shifts.state``), none of the rules' other events."""

from __future__ import annotations

from datetime import date

from coop.shifts.policy import ShiftPolicy, Status
from coop.shifts.state import (
    GrantGrace,
    MemberFacts,
    Membership,
    MemberState,
    Reason,
    ShiftRuleError,
    ShopCheck,
)
from coop.shifts.status import expected_to_work, grace, member_status, system_for


def deadline(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date
) -> tuple[date | None, Status | None]:
    """(last day to fix things, the status that follows) if nothing changes; (None, None)."""
    if not policy.can_shop(member_status(policy, state, facts, today)):
        return None, None
    return system_for(policy).deadline(
        policy,
        state,
        facts,
        today,
        lambda: expected_to_work(policy, state, facts, today),
        lambda day: member_status(policy, state, facts, day),
    )


def check(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date) -> ShopCheck:
    """May this member shop today, and why (the desk, the till and the paper fallback)."""
    status = member_status(policy, state, facts, today)
    reasons: list[Reason] = []
    if not facts.has_account:
        reasons.append(Reason.NO_ACCOUNT)
    membership_reason = {
        Membership.INVESTING: Reason.INVESTING,
        Membership.PAUSED: Reason.PAUSED,
        Membership.NONE: Reason.NOT_A_MEMBER,
    }.get(facts.membership)
    if membership_reason is not None:
        reasons.append(membership_reason)
    if facts.member_since is not None and facts.member_since > today:
        reasons.append(Reason.NOT_YET_MEMBER)
    if status is Status.NOT_CONCERNED:
        if not facts.share_allows_shopping:
            reasons.append(Reason.SHARE_DOES_NOT_ALLOW_SHOPPING)
    elif not policy.can_shop(status):
        reasons.append(Reason(status.value))
    warnings: list[Reason] = []
    if status is Status.ALERT:
        warnings.append(Reason.IN_ALERT)
    if status is Status.DELAY:
        warnings.append(Reason.IN_DELAY)
    if any(state.counters.get(c) < 0 for c in policy.counters):
        warnings.append(Reason.OWES_SHIFTS)
    fix_by, then = deadline(policy, state, facts, today)
    if then is Status.FROZEN:
        warnings.append(Reason.FREEZE_PENDING)
    if not facts.welcome_session_done:
        warnings.append(Reason.NO_WELCOME_SESSION)
    can_shop = not reasons
    if not can_shop and facts.force_customer:
        can_shop = True
        warnings.append(Reason.FORCED_CUSTOMER)
    return ShopCheck(
        can_shop=can_shop,
        status=status,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        counters=state.counters,
        fix_by=fix_by if can_shop else None,
        then=then if can_shop else None,
    )


def grace_possible(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, day: date) -> bool:
    """Whether the desk could grant a grace on ``day`` (never before the state's date): the
    same ``status.grace`` that ``rules.apply`` runs for a ``GrantGrace``, nothing applied.
    Applying it changes no counter and only sets the extension, so the rules refuse it exactly
    when ``grace`` does."""
    try:
        grace(policy, state, facts, GrantGrace(on=max(day, state.as_of or day)))
    except ShiftRuleError:
        return False
    return True
