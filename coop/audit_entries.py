"""The audit log's mapped class, ``AuditEntry``, for the commands that read the log with the ORM
(a thing's history, a member's data export, the staff's audit view).

Every command writes to the audit log, through the Core table ``coop.audit.AUDIT_ENTRIES``; few
read it. Declaring and configuring this class is left to those: ``coop.audit`` gives
``AuditEntry`` on first use (``from coop.audit import AuditEntry`` keeps working and maps it
then), so a sale, which only writes, maps one class less (issue 18, target 5).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Mapped

from coop.audit import AUDIT_ENTRIES
from coop.db import Base

__all__ = ["AuditEntry"]


class AuditEntry(Base):
    """One entry of the audit log: who did what, when, with the values before and after."""

    __table__ = AUDIT_ENTRIES

    if TYPE_CHECKING:
        id: Mapped[int]
        at: Mapped[datetime]
        actor: Mapped[str]
        action: Mapped[str]
        entity: Mapped[str]
        entity_id: Mapped[str]
        member_id: Mapped[int | None]
        """The person concerned, if any: what `coop members export-data` gathers."""
        before: Mapped[dict[str, Any] | None]
        after: Mapped[dict[str, Any] | None]
        reason: Mapped[str | None]
