"""Whether the first set-up is over: some member holds the administrator role and a PIN.

Every command that names no actor asks it (``coop.cli.acting.unnamed_actor``: during the first
set-up its person acts as an administrator), so it reads the staff's Core tables and imports
neither the staff's use cases (PINs, log-in, roles) nor their mapped classes: a sale declares
none of them (issue 18, target 5). ``coop.staff.service`` re-exports it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.rights import Role
from coop.staff.tables import STAFF_PINS, STAFF_ROLES


def has_administrator(session: Session) -> bool:
    """Whether some member holds the administrator role and a PIN (the first set-up is over)."""
    roles, pins = STAFF_ROLES, STAFF_PINS
    found = session.execute(  # Core: asked by every command, it needs no ORM set-up
        select(roles.c.id)
        .join_from(roles, pins, pins.c.member_id == roles.c.member_id)
        .where(roles.c.role == Role.ADMINISTRATOR.value)
        .limit(1)
    ).first()
    return found is not None
