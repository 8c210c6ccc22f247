"""Mapped classes of the staff context: one PIN per member (its slow salted hash only) and the
coop roles granted to members (coordinator, treasurer, administrator). They are mapped onto the
Core tables of ``coop.staff.tables``; their column attributes are typed for mypy only
(declarative reads the columns from the table)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped

from coop.db import Base
from coop.staff import tables


class StaffPin(Base):
    """A member's PIN: never the digits, only ``scrypt`` of them with a random salt. Wrong
    tries are counted here (so every terminal sees them) and lock the PIN for a while."""

    __table__ = tables.STAFF_PINS

    if TYPE_CHECKING:
        member_id: Mapped[int]
        pin_hash: Mapped[str]
        """``scrypt$n$r$p$<salt hex>$<hash hex>``."""
        failed_tries: Mapped[int]
        locked_until: Mapped[datetime | None]
        set_at: Mapped[datetime]


class StaffRole(Base):
    """A coop role held by a member; revoking deletes the row (the audit log keeps both)."""

    __table__ = tables.STAFF_ROLES

    if TYPE_CHECKING:
        id: Mapped[int]
        member_id: Mapped[int]
        role: Mapped[str]
        granted_at: Mapped[datetime]


__all__ = ["StaffPin", "StaffRole"]
