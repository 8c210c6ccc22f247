"""Every table of every context, imported in one place so the metadata is complete.

Alembic's autogenerate and ``alembic check`` compare this metadata with the database.
"""

from coop.audit import AuditEntry
from coop.catalog.models import Producer, Product
from coop.db import Base
from coop.members.models import Member, MemberCard, MemberCategory
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftClosure,
    ShiftCycle,
    ShiftExtension,
    ShiftHolding,
    ShiftLeave,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftSeat,
    ShiftSkill,
    ShiftStateLog,
    ShiftTemplate,
)

__all__ = [
    "AuditEntry",
    "Base",
    "Member",
    "MemberCard",
    "MemberCategory",
    "Producer",
    "Product",
    "Shift",
    "ShiftAttendance",
    "ShiftClosure",
    "ShiftCycle",
    "ShiftExtension",
    "ShiftHolding",
    "ShiftLeave",
    "ShiftLedgerEntry",
    "ShiftMemberState",
    "ShiftSeat",
    "ShiftSkill",
    "ShiftStateLog",
    "ShiftTemplate",
]
