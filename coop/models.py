"""Every table of every context, imported in one place so the metadata is complete.

Alembic's autogenerate and ``alembic check`` compare this metadata with the database.
"""

from coop.audit import AuditEntry
from coop.catalog.models import Producer, Product
from coop.db import Base
from coop.members.models import Member, MemberCard, MemberCategory

__all__ = [
    "AuditEntry",
    "Base",
    "Member",
    "MemberCard",
    "MemberCategory",
    "Producer",
    "Product",
]
