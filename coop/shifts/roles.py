"""Who holds which role (cashier, shift leader...): the one question other contexts ask about
shift skills, so they never read the shifts context's tables themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session


def holds_role(session: Session, member_id: int, role: str) -> bool:
    """Whether the member holds ``role``."""
    return holds_any_role(session, member_id, (role,))


def holds_any_role(session: Session, member_id: int, roles: Iterable[str]) -> bool:
    """Whether the member holds at least one of ``roles`` (none given: False)."""
    wanted = list(roles)
    if not wanted:
        return False
    from coop.shifts.models import ShiftSkill  # a sale with no discount declares no shift ledger

    found = session.scalar(
        select(ShiftSkill.id)
        .where(ShiftSkill.member_id == member_id, ShiftSkill.role.in_(wanted))
        .limit(1)
    )
    return found is not None
